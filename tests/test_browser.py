"""The rendered HTML pages in a real browser (Debian chromium + chromium-driver, Selenium).

On the session's one render (conftest.rendered): nothing is wider than its column at
1400 px and at 800 px, each page's edition switch opens the same page of the other
edition, and the collapsed check lists open on click; on every example paper's appendix
(conftest.reports), nothing is wider than its column. Skipped with one reason when
Quarto or the browser is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import example_editions
from pages import book_pages

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Debian chromium and chromium-driver are not installed (.ci/run installs them)")

LANGS = ("en", "zh")
SWITCH = {"en": "中文版", "zh": "English edition"}

# Elements that must fit the page's main column, and must not scroll sideways inside.
_OVERFLOW_JS = """
const main = document.querySelector('main');
if (!main) return ['no <main> element'];
const box = main.getBoundingClientRect();
const bad = [];
for (const el of main.querySelectorAll('table, figure, img, pre, svg, .cell-output-display')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) continue;  // collapsed or hidden
  const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               ' "' + (el.textContent || el.getAttribute('src') || '').trim().slice(0, 40) + '"';
  if (r.left < box.left - 1 || r.right > box.right + 1)
    bad.push(what + ' spans ' + Math.round(r.left) + '-' + Math.round(r.right) +
             ', column ' + Math.round(box.left) + '-' + Math.round(box.right));
  else if (el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'svg')
    bad.push(what + ' scrolls: ' + el.scrollWidth + ' > ' + el.clientWidth);
}
return bad;
"""


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_AVOID_STATS"] = "true"  # no Selenium Manager network call
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--allow-file-access-from-files"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _open(browser, page: Path | str) -> None:
    """Open a page and wait for its <main>: on a loaded CI machine, get() sometimes
    returned before the new document was parsed, and the check read an empty page."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page if isinstance(page, str) else page.as_uri())
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        "return document.readyState === 'complete' && !!document.querySelector('main')"))


def _pages(rendered, lang) -> list[Path]:
    book = rendered.book(lang)
    return book_pages(book) + [book / f"appendix-{lang}.html"]


@pytest.mark.parametrize("width", [1400, 800])
@pytest.mark.parametrize("lang", LANGS)
def test_nothing_is_wider_than_its_column(rendered, browser, lang, width):
    browser.set_window_size(width, 1000)
    problems = {}
    for page in _pages(rendered, lang):
        _open(browser, page)
        bad = browser.execute_script(_OVERFLOW_JS)
        if bad:
            problems[page.name] = bad
    assert not problems, problems


@pytest.mark.parametrize("lang", LANGS)
def test_the_edition_switch_opens_the_same_page_of_the_other_edition(rendered, browser, lang):
    from selenium.webdriver.common.by import By

    other = "zh" if lang == "en" else "en"
    browser.set_window_size(1400, 1000)
    for page in book_pages(rendered.book(lang)):
        _open(browser, page)
        links = [a for a in browser.find_elements(By.CSS_SELECTOR, "a.sidebar-tool, a.quarto-navigation-tool")
                 if (a.get_attribute("title") or a.get_attribute("aria-label") or a.text or "").strip()
                 == SWITCH[lang]]
        assert links, f"{page.name}: no edition switch"
        target = rendered.book(other) / page.relative_to(rendered.book(lang))
        assert links[0].get_attribute("href") == target.as_uri(), page.name
        _open(browser, links[0].get_attribute("href"))
        assert browser.execute_script("return document.documentElement.lang").startswith(other)


@pytest.mark.parametrize("lang", LANGS)
def test_collapsed_check_lists_open_on_click(rendered, browser, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1400, 1000)
    _open(browser, rendered.book(lang) / "chapters" / "tables-3-4-markers.html")
    bodies = browser.find_elements(By.CSS_SELECTOR, ".callout .callout-collapse")
    assert bodies, "no collapsed check list"
    body = bodies[0]
    assert not body.is_displayed()
    header = body.find_element(By.XPATH, "./preceding-sibling::*[contains(@class, 'callout-header')]")
    browser.execute_script("arguments[0].scrollIntoView()", header)
    header.click()
    WebDriverWait(browser, 10).until(lambda _: body.is_displayed())
    assert body.find_elements(By.CSS_SELECTOR, "table")


@pytest.mark.parametrize("width", [1400, 800])
@pytest.mark.parametrize("name, lang", example_editions())
def test_nothing_in_an_example_appendix_is_wider_than_its_column(reports, browser, name, lang, width):
    browser.set_window_size(width, 1000)
    _open(browser, reports[name] / lang / "appendix.html")
    assert not (bad := browser.execute_script(_OVERFLOW_JS)), bad
