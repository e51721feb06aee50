"""Figure 1 rebuilt: both languages, 300-dpi PNG, byte-stable SVG."""

from __future__ import annotations

import pytest
from PIL import Image

from analysis.ensemble.pipeline import load_or_build
from analysis.figure1 import make_figure1, write_figure1
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


def test_labels_come_from_the_catalog(data):
    import matplotlib.pyplot as plt

    fig = make_figure1("en", data=data)
    texts = [fig._suptitle.get_text()] + [ax.get_title(loc="left") for ax in fig.axes]
    assert t("figure1.title", "en") in texts
    assert "reconstruction" in t("figure1.title", "en")
    assert t("figure1.panel_os", "en") in texts and t("figure1.panel_pfs", "en") in texts
    assert texts.count(t("figure1.at_risk", "en")) == 2
    at_risk = [x.get_text() for x in fig.axes[1].texts]
    assert at_risk[0] == "53"  # everyone at risk at time 0, combination arm first
    plt.close(fig)
