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


def test_feasibility_says_why_without_words():
    # The whole-month grid cannot give the printed PFS median 9.5 under the SPSS rule
    # (first time S(t) <= 0.5 is an observed time): a reason readers get in any language.
    import pandas as pd

    feas = pd.read_csv(DEFAULT_OUT / OUTPUT_FILES["feasibility"], keep_default_na=False)
    ruled_out = feas[feas["feasible"] == "no"]
    assert ruled_out[["median", "resolution", "constraint", "reason"]].values.tolist() == [
        ["first_below", 1.0, "pfs median (combination)", "grid"]]
    assert set(feas.loc[feas["feasible"] == "yes", "reason"]) == {""}


def test_infeasible_spec_keeps_its_fields_through_pickle():
    import pickle

    from analysis.ensemble.constraints import InfeasibleSpec

    err = pickle.loads(pickle.dumps(InfeasibleSpec("m", constraint="os log-rank", reason="grid")))
    assert (str(err), err.constraint, err.reason) == ("m", "os log-rank", "grid")
