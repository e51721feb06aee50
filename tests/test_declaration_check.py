"""``data --check`` enforces the declaration (every printed statistic claimed exactly once, or
listed as unchecked with a reason) and cross-validates discrepancies.csv against both
transcriptions; each failure is one line naming the file, row and column (or dotted key)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.audit import run_audit
from analysis.audit.claims import claims
from analysis.audit.families import FAMILIES
from analysis.dataset import declaration
from analysis.errors import InputError
from harness import PROJECT_ROOT


def _check(data_dir):
    res = subprocess.run([sys.executable, "-m", "analysis", "data", "--check", "--data-dir", str(data_dir)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    err = res.stderr.strip()
    assert "Traceback" not in err and all(line.startswith("error: ") for line in err.split("\n") if err), err
    return res.returncode, err


def _drop_analysis(path, family: str, item: str) -> None:
    """Remove the [[analysis]] block of ``family`` for ``item`` from a declaration."""
    blocks = path.read_text(encoding="utf-8").split("\n[[analysis]]\n")
    kept = [b for b in blocks if not (f'family = "{family}"\n' in b and f'item = "{item}"\n' in b)]
    assert len(kept) == len(blocks) - 1
    path.write_text("\n[[analysis]]\n".join(kept), encoding="utf-8")


def test_every_family_in_this_declaration_exists():
    assert {a.family for a in declaration().analyses} <= set(FAMILIES)


def test_unclaimed_statistic_is_rejected_naming_file_row_and_key(raw_copy):
    _drop_analysis(raw_copy / "analyses.toml", "crosstab", "pneumonia")
    code, err = _check(raw_copy)
    assert code == 1
    assert err.startswith(f"error: {raw_copy / 'en' / 'table1.csv'}: row 86, column 'value': "
                          "printed statistic 'table1/pneumonia///statistic' is claimed by no analysis")


def test_unchecked_with_a_reason_is_accepted(raw_copy):
    path = raw_copy / "analyses.toml"
    _drop_analysis(path, "crosstab", "pneumonia")
    with path.open("a", encoding="utf-8") as fh:
        for key in ("table1/pneumonia///statistic", "table1/pneumonia///p",
                    "table1/pneumonia/yes/combination/count", "table1/pneumonia/yes/control/count"):
            fh.write(f'\n[[unchecked]]\nkey = "{key}"\nreason = "test: left unchecked"\n')
    code, err = _check(raw_copy)
    assert code == 0, err


def test_statistic_claimed_twice_is_rejected(raw_copy):
    path = raw_copy / "analyses.toml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write('\n[[analysis]]\nfamily = "p_from_statistic"\ntable = "text"\nsource = "sec2.3"\n'
                 'item = "os_logrank"\nstatistic = "chi2"\ndf = 1\n')
    code, err = _check(raw_copy)
    assert code == 1
    assert "row 57, column 'value': printed value 'sec2.3/os_logrank///p' is claimed by analysis[40] " \
           "(p_from_statistic) and analysis[53] (p_from_statistic)" in err


def test_unknown_family_names_the_declaration_key(raw_copy):
    path = raw_copy / "analyses.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('family = "grim"', 'family = "grimm"'),
                    encoding="utf-8")
    code, err = _check(raw_copy)
    assert code == 1
    assert err.startswith(f"error: {raw_copy / 'analyses.toml'}: column 'analysis[17].family': "
                          "unknown family 'grimm'")


def test_a_corrupted_discrepancy_record_is_caught(raw_copy):
    # Issue 13: 2013.843 -> 12x in discrepancies.csv passed data --check.
    path = raw_copy / "discrepancies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",2013.843,", ",12x,"), encoding="utf-8")
    code, err = _check(raw_copy)
    assert code == 1
    assert err == (f"error: {raw_copy / 'discrepancies.csv'}: row 4, column 'en': records '12x' for "
                   f"table3/afp/time//F, but {raw_copy / 'en' / 'table3.csv'} row 54 prints '2013.843'")


def test_an_unrecorded_difference_is_caught(raw_copy):
    path = raw_copy / "zh" / "table1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("table1,bmi,,,p,0.159", "table1,bmi,,,p,0.195"),
                    encoding="utf-8")
    code, err = _check(raw_copy)
    assert code == 1
    assert err.startswith(f"error: {raw_copy / 'zh' / 'table1.csv'}: row ")
    assert "column 'value': prints '0.195' for table1/bmi///p where" in err and "prints '0.159'" in err


def test_a_wrong_kind_is_caught(raw_copy):
    path = raw_copy / "discrepancies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("format,table3,afp,time", "value,table3,afp,time"),
                    encoding="utf-8")
    code, err = _check(raw_copy)
    assert code == 1
    assert "row 4, column 'kind': kind 'value' for table3/afp/time//F, but the printed cells differ in format" in err


def test_this_paper_claims_each_statistic_once():
    for lang in ("en", "zh"):
        found = claims(lang)
        assert all(len(owners) == 1 for owners in found.judged_by.values())


def _audit_error(raw_copy, old: str, new: str) -> str:
    path = raw_copy / "analyses.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        run_audit("en", data_dir=raw_copy)
    assert "\n" not in str(err.value)
    return str(err.value)


def test_declaration_errors_name_the_dotted_key(raw_copy):
    decl = raw_copy / "analyses.toml"
    assert _audit_error(raw_copy, 'item = "child_pugh"\nordered = true',
                        'item = "child_pugh"\norderd = true') == (
        f"{decl}: column 'analysis[11].orderd': family 'crosstab' takes no option 'orderd' "
        "(options: ordered, rank_sum, statistic, counts, exclude, n, u)")


def test_an_item_the_tables_do_not_print_is_named(raw_copy):
    decl = raw_copy / "analyses.toml"
    assert _audit_error(raw_copy, 'item = "bmi"', 'item = "bmj"') == (
        f"{decl}: column 'analysis[2].item': no printed value has source 'table1' and item 'bmj' "
        "in the 'table1' file")


def test_malformed_top_level_keys(raw_copy):
    decl = raw_copy / "analyses.toml"
    assert _audit_error(raw_copy, 'arms = ["combination", "control"]', 'arms = ["combination"]') == (
        f"{decl}: column 'arms': exactly two arms (the experimental arm first)")


def test_missing_declaration_is_one_line(raw_copy):
    (raw_copy / "analyses.toml").unlink()
    with pytest.raises(InputError, match="analyses.toml: file not found"):
        run_audit("en", data_dir=raw_copy)
