"""The committed data/derived/ files are what the current code and spec produce."""

import json

from analysis.ensemble.pipeline import (DEFAULT_DRAWS, DEFAULT_OUT, DEFAULT_SEED, DEFAULT_SPEC,
                                        DEFAULT_VERDICT_TRIES, OUTPUT_FILES, fingerprint)
from analysis.ensemble.spec import load_spec


def test_committed_ensemble_matches_code_and_spec():
    # A stale fingerprint means data/raw/survival_spec.toml or analysis/ensemble changed
    # without `make derived`: readers of the committed CSV would see old numbers.
    doc = json.loads((DEFAULT_OUT / OUTPUT_FILES["json"]).read_text(encoding="utf-8"))
    want = fingerprint(load_spec(DEFAULT_SPEC), seed=DEFAULT_SEED, draws=DEFAULT_DRAWS,
                       verdict_tries=DEFAULT_VERDICT_TRIES)
    assert doc["fingerprint"] == want, "data/derived/ is stale: run `make derived`"
    for name in OUTPUT_FILES.values():
        assert (DEFAULT_OUT / name).is_file(), name
