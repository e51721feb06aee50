"""Figure 1 rebuilt: both languages, 300-dpi PNG, byte-stable SVG, sized for the page."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from harness import PROJECT_ROOT
from pages import cut_texts

from analysis.ensemble.pipeline import load_or_build
from analysis.figure1 import FIGSIZE, make_figure1, write_figure1
from analysis.i18n import t


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load_or_build(draws=2, seed=4, verdict_tries=0,
                         out_dir=tmp_path_factory.mktemp("derived"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_writes_png_and_stable_svg(data, tmp_path, lang):
    png, svg = write_figure1(tmp_path / "a", lang, data=data)
    assert png.name == f"figure1-{lang}.png" and svg.name == f"figure1-{lang}.svg"
    with Image.open(png) as im:
        assert round(im.info["dpi"][0]) == 300
    _, svg2 = write_figure1(tmp_path / "b", lang, data=data)
    assert svg.read_bytes() == svg2.read_bytes()


def test_labels_come_from_the_spec_and_the_catalog(data):
    import matplotlib.pyplot as plt

    fig = make_figure1("en", data=data)
    texts = [fig._suptitle.get_text()] + [ax.get_title(loc="left") for ax in fig.axes]
    # the spec names the figure and the time axis; the catalog the endpoints os and pfs
    assert "Figure 1 (reconstruction from reported summary statistics, not the original figure)" in texts
    assert "A  Overall survival" in texts and "B  Progression-free survival" in texts
    assert fig.axes[0].get_xlabel() == "Time since treatment initiation (months)"
    assert fig.axes[0].get_ylabel() == "Overall survival probability"
    assert list(fig.axes[0].get_xticks()) == [0, 4, 8, 12, 16, 20, 24]
    assert texts.count(t("figure1.at_risk", "en")) == 2
    at_risk = [x.get_text() for x in fig.axes[1].texts]
    assert at_risk[0] == "53"  # everyone at risk at time 0, combination arm first
    plt.close(fig)


def test_digitized_figure_is_drawn_and_compared(data, tmp_path):
    """A digitized curve (here: the representative data set's own KM) is shown."""
    import matplotlib.pyplot as plt

    from analysis.km.estimate import kaplan_meier, n_at_risk

    ipd = data["ipd"]
    for arm in ("combination", "control"):
        sub = ipd[ipd["arm"] == arm]
        km = kaplan_meier(sub["os_time"], sub["os_event"])
        curve = "time,survival\n0,1\n" + "".join(
            f"{a:.6f},{b:.6f}\n" for a, b in zip(km.time, km.survival))
        (tmp_path / f"os_{arm}_curve.csv").write_text(curve)
        times = [0, 6, 12, 18]
        (tmp_path / f"os_{arm}_at_risk.csv").write_text("time,n_at_risk\n" + "".join(
            f"{x},{int(n)}\n" for x, n in zip(times, n_at_risk(sub["os_time"], times))))
    fig = make_figure1("en", data=data, digitized_dir=tmp_path)
    labels = [text.get_text() for text in fig.legends[0].get_texts()]
    dig = [x for x in labels if "digitized" in x]
    assert len(dig) == 2
    shares = [int(x.split(", ")[-1].split(" %")[0]) for x in dig]
    assert all(0 <= v <= 100 for v in shares)
    # the dashed curves are the Guyot reconstructions of the drawn KM curves
    dashed = [line for line in fig.axes[0].get_lines()
              if line.get_linestyle() == "--" and len(line.get_xdata()) > 2]
    solid = [line for line in fig.axes[0].get_lines()
             if line.get_linestyle() == "-" and len(line.get_xdata()) > 2]
    assert len(dashed) == 2 and len(solid) == 2
    for d, s in zip(dashed, solid):
        x = s.get_xdata()[1:-1]
        yd = np.interp(x, d.get_xdata(), d.get_ydata())
        assert np.mean(np.abs(yd - np.interp(x, s.get_xdata(), s.get_ydata()))) < 0.05
    plt.close(fig)


def test_bad_digitized_file_is_an_input_error_naming_the_line(data, tmp_path):
    from analysis.errors import InputError

    for arm in ("combination", "control"):
        (tmp_path / f"os_{arm}_curve.csv").write_text("time,survival\n0,1\n5,0.8\n10,0.6\n")
    # A survival above 1 on file line 3 (not a rise the cleaner may pool away).
    (tmp_path / "os_control_curve.csv").write_text("time,survival\n0,1\n5,80\n10,0.6\n")
    with pytest.raises(InputError) as err:
        make_figure1("en", data=data, digitized_dir=tmp_path)
    message = str(err.value)
    assert "os_control_curve.csv" in message and "row 3" in message and "survival" in message


# ---------------------------------------------------------------------------------------
# Readable where it is shown: the text column of an A4 page (18 cm) and of the book's
# HTML page (~800 px at 96 px/in), at 100 % zoom.


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fits_the_text_column_with_readable_type(data, lang):
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    fig = make_figure1(lang, data=data)
    width, height = fig.get_size_inches()
    assert (width, height) == FIGSIZE
    assert width * 2.54 <= 18.0  # A4 minus 1.5 cm margins
    assert width * 96 <= 800  # the book's main column at a 1400 px window
    texts = [x for x in fig.findobj(Text) if x.get_text().strip() and x.get_visible()]
    assert texts
    for text in texts:
        assert text.get_fontsize() >= 8, (text.get_text(), text.get_fontsize())
    assert cut_texts(fig) == []                       # nothing cut off at the figure's edges
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_legend_and_printed_statistics_stay_off_the_curves(data, lang):
    import matplotlib.pyplot as plt

    fig = make_figure1(lang, data=data)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panels = [ax for ax in fig.axes if ax.get_lines()]  # the two survival panels
    assert len(panels) == 2 and not any(ax.get_legend() for ax in fig.axes)
    assert len(fig.legends) == 1
    legend = fig.legends[0].get_window_extent(renderer)
    for ax in fig.axes:  # below every panel and every at-risk table
        assert legend.y1 <= ax.get_window_extent(renderer).y0 + 1
    for ax in panels:
        area = ax.get_window_extent(renderer)
        stats = [x for x in ax.texts if "χ²" in x.get_text()]
        assert len(stats) == 1
        assert stats[0].get_window_extent(renderer).y0 >= area.y1  # above the plot area
        title = ax.title if ax.get_title() else ax._left_title
        assert stats[0].get_window_extent(renderer).y1 <= title.get_window_extent(renderer).y0 + 1
    plt.close(fig)


def test_chinese_caption_breaks_between_characters_not_only_at_spaces(data):
    import matplotlib.pyplot as plt

    fig = make_figure1("zh", data=data)
    caption = next(x for x in fig.texts if x.get_text().startswith(t("figure1.caption", "zh")[:4]))
    lines = caption.get_text().split("\n")
    # nothing lost or added but the space at a break between two Latin words
    assert "".join(lines).replace(" ", "") == t("figure1.caption", "zh").replace(" ", "")
    assert len(lines) >= 2
    assert all(line and line[0] not in "，。；：、）" for line in lines)
    fig.canvas.draw()
    width = [fig.text(0, 0, line, fontsize=caption.get_fontsize()).get_window_extent().width
             for line in lines]
    assert max(width) <= 0.96 * fig.bbox.width + 1
    plt.close(fig)


@pytest.mark.parametrize(("horizon", "unit", "step"), [(24, "month", 4), (149.7, "month", 24),
                                                       (60, "month", 12), (730, "day", 180),
                                                       (5, "year", 1), (104, "week", 26)])
def test_at_risk_times_take_a_whole_step_of_the_unit(horizon, unit, step):
    from analysis.figure1 import at_risk_times

    ticks = at_risk_times(horizon, unit)
    assert ticks[0] == 0 and len(ticks) <= 7 and ticks[-1] <= horizon
    assert set(np.diff(ticks)) == {step}


def test_another_papers_figure_has_its_arms_and_endpoint(tmp_path):
    """The pbc example's spec: its arm names, one panel named by the catalog's 'os', no
    letter, months every 2 years; nothing of this paper's figure."""
    import shutil

    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    spec_path = tmp_path / "survival_spec.toml"
    shutil.copy(PROJECT_ROOT / "data" / "examples" / "pbc" / "survival_spec.toml", spec_path)
    fig = make_figure1("zh", data=load_or_build(spec_path, draws=3, verdict_tries=0),
                       spec_path=spec_path)
    texts = {x.get_text() for x in fig.findobj(Text) if x.get_text().strip()}
    plt.close(fig)
    assert {"D-penicillamine", "Placebo", "总生存", "总生存率", "时间（月）",
            "生存曲线（根据文中报告的汇总统计量重建，并非原图）"} <= texts
    assert not texts & {"联合组", "对照组", "A  总生存", "自治疗开始的时间（月）"}
    assert {"158", "154"} <= texts  # everyone at risk at time 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_long_arm_names_are_wrapped_not_cut(tmp_path, lang):
    """Issue #30: a handout's at-risk row read "andard chemotherapy". The pbc spec with long
    arm names: each row name is whole, on two lines where it must; one word longer than the
    margin widens it."""
    import matplotlib.pyplot as plt

    spec = (PROJECT_ROOT / "data" / "examples" / "pbc" / "survival_spec.toml").read_text(encoding="utf-8")
    spec_path = tmp_path / "survival_spec.toml"
    spec_path.write_text(spec.replace('name = "D-penicillamine"', 'name = "Standard chemotherapy"')
                         .replace('name = "Placebo"', 'name = "Pembrolizumabpluschemotherapy"'), encoding="utf-8")
    fig = make_figure1(lang, data=load_or_build(spec_path, draws=3, verdict_tries=0), spec_path=spec_path)
    rows = [label.get_text() for label in fig.axes[1].get_yticklabels()]
    assert rows == ["Standard\nchemotherapy", "Pembrolizumabpluschemotherapy"]
    assert cut_texts(fig) == []
    plt.close(fig)

