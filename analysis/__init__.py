"""trialcheck: audit a clinical trial report's printed statistics and rebuild its tables and
figures; and the reanalysis of the seed paper, Cai JM et al., Chin J Clin Res
2026;39(2):205-210.

All computation behind the command and the book lives here; the chapters only call it.
Modules with one job each:

- ``printed``: numbers as printed (value, decimals, rounding interval)
- ``dataset`` and ``schema``: the digitized paper in ``data/raw``, validated on load
- ``i18n``: the bilingual string catalog
- ``cli``: the ``trialcheck`` command (also ``python -m analysis``)
"""

__version__ = "0.1.0"
