"""The CJK font for Chinese text in figures and PDFs.

It comes from the PyPI package ``mplfonts`` (Noto Sans CJK SC), installed by
``make``; nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["CJK_FAMILY", "cjk_font_path", "use_cjk_font"]

CJK_FAMILY = "Noto Sans CJK SC"


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK SC file shipped by ``mplfonts``."""
    try:
        import mplfonts
    except ImportError:
        raise RuntimeError("the CJK font package 'mplfonts' is not installed; run `make test` "
                           "or `make report`, which install it") from None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.is_file():
        raise RuntimeError(f"the CJK font file is missing: {path}")
    return path


def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and put it first in the sans-serif list.

    Latin glyphs come from the same font, so a figure has one consistent face in both
    languages. Returns the family name.
    """
    from matplotlib import font_manager, rcParams

    font_manager.fontManager.addfont(str(cjk_font_path()))
    if rcParams["font.sans-serif"][:1] != [CJK_FAMILY]:
        rcParams["font.sans-serif"] = [CJK_FAMILY, *rcParams["font.sans-serif"]]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 glyph
    rcParams["svg.fonttype"] = "path"  # SVGs render the same without the font installed
    rcParams["pdf.fonttype"] = 42
    return CJK_FAMILY
