"""However wrong a declaration or a transcription is, ``data --check`` and ``audit`` answer with
one located line per problem and exit status 1, never a traceback (issue 17)."""

from __future__ import annotations

import shutil

import pytest

from analysis.cli import main
from analysis.dataset import clear_cache
from harness import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "pbc"

# (file, old text, new text, words the message must contain)
BROKEN = {
    "bad_toml": ("analyses.toml", 'title = "', 'title = ', "not valid TOML"),
    "unknown_family": ("analyses.toml", 'family = "log_rank"', 'family = "log_rnk"', "unknown family"),
    "no_such_item": ("analyses.toml", 'item = "albumin"', 'item = "albumen"', "no printed value"),
    "unknown_quantity": ("analyses.toml", '"months"]', '"fortnights"]', "fortnights"),
    "exclude_not_a_list": ("analyses.toml", 'item = "sex"\n', 'item = "sex"\nexclude = "male"\n', "exclude"),
    "df_not_a_number": ("analyses.toml", "df = 1", 'df = "one"', "degrees of freedom"),
    "sign_unknown": ("analyses.toml", 'item = "age"\n', 'item = "age"\nsign = "up"\n', "first_minus_second"),
    "repeat_without_of": ("analyses.toml", 'family = "log_rank"\ntable = "text"\nsource = "sec2.3"',
                          'family = "repeat"\ntable = "text"\nsource = "sec2.3"', "of"),
    "n_option_shape": ("analyses.toml", 'item = "sex"\n', 'item = "sex"\nn = 5\n', "source"),
    "claim_without_bound": ("analyses.toml", 'family = "group_sizes"',
                            'family = "claim"\ntable = "text"\nclaim = "P"\nrows = [{ source = "table1" }]\n[[analysis]]\n'
                            'family = "group_sizes"', "claim"),
    "dash_where_a_number_is_needed": ("en/table1.csv", '"table1","age","","","statistic","2.385"',
                                      '"table1","age","","","statistic","—"', "needs a number"),
    "word_in_a_p": ("en/table1.csv", '"table1","age","","","p","0.018"', '"table1","age","","","p","n.s."',
                    "row 9"),
    "unknown_arm": ("en/table1.csv", '"table1","age","","dpen","mean"', '"table1","age","","dpe","mean"',
                    "declared arms"),
    # a Lancet-style cell copied with its statistic's name: the message says what to write
    "statistic_name_in_a_value": ("en/table1.csv", '"table1","age","","","p","0.018"',
                                  '"table1","age","","","p","p=0·018"', "without the statistic's name, '0·018'"),
    "empty_row_label_of_a_group_size": ("en/table1.csv", '"n","158","Characteristic"', '"n","158",""',
                                        "top-left header"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("command", [["data", "--check"], ["audit"]])
def test_one_located_line_per_problem(tmp_path, capsys, case, command):
    copy = tmp_path / "paper"
    shutil.copytree(EXAMPLE, copy)
    name, old, new, words = BROKEN[case]
    path = copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text, case
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    clear_cache()
    assert main([*command, "--data-dir", str(copy)]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert all(line.startswith(f"error: {copy}") for line in err), err
    assert any(words in line for line in err), err


def test_several_problems_are_reported_together(tmp_path, capsys):
    copy = tmp_path / "paper"
    shutil.copytree(EXAMPLE, copy)
    path = copy / "en" / "table1.csv"
    text = path.read_text(encoding="utf-8")
    for old, new in (('"dpen","mean","51.42"', '"dpen","mean","fifty"'), ('"placebo","sd","9.96"', '"placebo","sd","-9.96"'),
                     ('"table1","albumin","","","p","0.874"', '"table1","albumin","","","p","1.874"')):
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    clear_cache()
    assert main(["data", "--check", "--data-dir", str(copy)]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert [line.split(": ")[2] for line in err] == ["row 4, column 'value'", "row 7, column 'value'",
                                                     "row 21, column 'value'"]


def test_an_option_naming_a_quantity_the_item_lacks_says_so(tmp_path, capsys):
    # median_iqr with statistic = "statistic" on an item whose Z is transcribed as `z`: the
    # message names the analysis and the value it asks for, not "claimed by no analysis".
    copy = tmp_path / "paper"
    shutil.copytree(PROJECT_ROOT / "data" / "examples" / "gbsg", copy)
    path = copy / "analyses.toml"
    text = path.read_text(encoding="utf-8")
    old = 'family = "median_iqr"\ntable = "table1"\nitem = "size"\n'
    assert old in text
    path.write_text(text.replace(old, old + 'statistic = "statistic"\n', 1), encoding="utf-8")
    clear_cache()
    assert main(["data", "--check", "--data-dir", str(copy)]) == 1
    err = capsys.readouterr().err.strip().split("\n")
    assert len(err) == 1 and "(median_iqr, table1/size): needs the printed value" in err[0], err
    assert "quantity='statistic'" in err[0]
