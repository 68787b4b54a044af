"""The round page in a real headless Chromium: it renders, sorts, opens, and fetches nothing.

Like the Docker tests, these skip on a laptop without Chromium, but never when CI is set:
there a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from grader.reports.html import round_html

from .factory import flagged_round, sample_round

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
)
ROWS = "#candidates tbody tr"


@dataclass(frozen=True)
class LoadedPage:
    """The browser showing the round page, and the page's own file:// address."""

    driver: Any
    url: str

    def find(self, css: str) -> Any:
        return self.driver.find_element("css selector", css)

    def find_all(self, css: str) -> list[Any]:
        return self.driver.find_elements("css selector", css)


def _unavailable(why: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser test cannot run: {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, logging every network event."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not (Path(binary).exists() or shutil.which(Path(binary).name)):
            _unavailable(f"{binary} is not installed (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        _unavailable(f"selenium is not installed: {exc}")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> LoadedPage:
    """The sample round loaded from a file, with the network log emptied just before."""
    path = tmp_path / "round.html"
    path.write_text(round_html(sample_round()), encoding="utf-8")
    browser.get("about:blank")
    browser.get_log("performance")  # drop what the start page and about:blank logged
    browser.get(path.as_uri())
    return LoadedPage(browser, path.as_uri())


@pytest.fixture
def flagged_page(browser: Any, tmp_path: Path) -> LoadedPage:
    """A round of nine with long similarity flags and full evidence, loaded from a file."""
    path = tmp_path / "flagged.html"
    path.write_text(round_html(flagged_round(), title="Round of nine"), encoding="utf-8")
    browser.get(path.as_uri())
    return LoadedPage(browser, path.as_uri())


def _column_values(page: LoadedPage, key: str) -> list[str]:
    return page.driver.execute_script(
        """
        const header = document.querySelector(`#candidates th[data-key="${arguments[0]}"]`);
        const index = header.cellIndex;
        return Array.from(document.querySelectorAll(arguments[1]))
            .map(row => row.cells[index].getAttribute("data-value"));
        """,
        key,
        ROWS,
    )


def _click_header(page: LoadedPage, key: str) -> None:
    page.find(f'#candidates th[data-key="{key}"] button').click()


def _requested_urls(page: LoadedPage) -> list[str]:
    urls = []
    for entry in page.driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_table_shows_one_row_per_candidate(page: LoadedPage):
    rows = page.find_all(ROWS)
    assert len(rows) == len(sample_round())
    assert all(row.is_displayed() for row in rows)


def test_clicking_the_score_header_sorts_ascending_then_descending(page: LoadedPage):
    def graded_scores() -> list[float]:
        values = _column_values(page, "correctness")
        assert values[-1] == "", "the ungradable candidate stays last"
        return [float(v) for v in values if v]

    _click_header(page, "correctness")
    ascending = graded_scores()
    assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
    _click_header(page, "correctness")
    assert graded_scores() == sorted(ascending, reverse=True)


def test_clicking_a_summary_opens_the_drill_down(page: LoadedPage):
    details = page.find("details#candidate-2")
    failed = page.find("details#candidate-2 table.failed")
    assert not failed.is_displayed()
    page.find("details#candidate-2 > summary").click()
    assert details.get_property("open") is True
    assert failed.is_displayed()


def test_clicking_a_name_in_the_table_opens_its_drill_down(page: LoadedPage):
    page.find(f"{ROWS} a[href='#candidate-3']").click()
    assert page.find("#candidate-3").get_property("open") is True


def test_the_page_requests_nothing_but_itself(page: LoadedPage):
    _click_header(page, "correctness")
    _click_header(page, "candidate")
    page.find("details#candidate-1 > summary").click()
    page.find(f"{ROWS} a[href='#candidate-4']").click()
    assert _requested_urls(page) == [page.url]


def _row_heights(page: LoadedPage) -> list[float]:
    return page.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".map(row => row.getBoundingClientRect().height);",
        ROWS,
    )


def _one_line_row_height(page: LoadedPage) -> float:
    """The height of a body row whose cells hold one line of text: line height plus padding."""
    return page.driver.execute_script(
        """
        const cell = document.querySelector(arguments[0] + " td");
        const style = getComputedStyle(cell);
        return parseFloat(style.lineHeight) + parseFloat(style.paddingTop)
            + parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth);
        """,
        ROWS,
    )


def test_long_flags_keep_every_table_row_one_line_high(flagged_page: LoadedPage):
    heights = _row_heights(flagged_page)
    assert len(heights) == 9
    one_line = _one_line_row_height(flagged_page)
    # A second line of text would add a whole line height; pills and links add a pixel or two.
    assert max(heights) < one_line + 8, (heights, one_line)
    assert max(heights) - min(heights) < 2, heights


def test_flags_show_in_the_table_as_a_count_and_in_the_drill_down_in_full(
    flagged_page: LoadedPage,
):
    cells = [c.text for c in flagged_page.find_all(f"{ROWS} td .pill.flagged")]
    assert sorted(cells) == ["⚑ 1"] + ["⚑ 2"] * 4
    table_text = flagged_page.find("#candidates").text
    assert "fingerprints shared" not in table_text
    flagged = flagged_page.find_all("details.candidate section.flags")
    assert len(flagged) == 5
    flagged_page.driver.execute_script("arguments[0].closest('details').open = true;", flagged[0])
    assert "91% of fingerprints shared" in flagged[0].text


def _open_drill_down(page: LoadedPage, name: str) -> Any:
    details = page.driver.execute_script(
        """
        return Array.from(document.querySelectorAll("details.candidate"))
            .find(d => d.querySelector("summary .name").textContent === arguments[0]);
        """,
        name,
    )
    details.find_element("css selector", "summary").click()
    assert details.get_property("open") is True
    return details


@pytest.mark.parametrize(
    ("name", "sections"),
    [
        ("Margaret Hamilton", ("scores", "lint", "diagnosis", "questions", "flags")),
        ("Frances Allen", ("scores", "lint", "mutants", "questions")),
    ],
)
def test_the_drill_down_shows_lint_mutants_and_diagnosis_sections(
    flagged_page: LoadedPage, name: str, sections: tuple[str, ...], tmp_path: Path
):
    details = _open_drill_down(flagged_page, name)
    for section in sections:
        shown = details.find_element("css selector", f"section.{section}")
        assert shown.is_displayed(), section
        assert shown.size["height"] > 20, section
    if "lint" in sections:
        assert details.find_elements("css selector", "table.lint tbody tr")
    if "mutants" in sections:
        caught = details.find_elements("css selector", "table.mutants tbody tr")
        assert [row.text.split()[0] for row in caught][:2] == ["M01", "M02"]
    if "diagnosis" in sections:
        rows = details.find_elements("css selector", "table.diagnosis tbody tr")
        assert len(rows) == 5
        assert "claim disproved" in details.find_element("css selector", "table.diagnosis").text
    # Kept for a person to look at when the test fails.
    flagged_page.driver.save_screenshot(str(tmp_path / f"drill-down-{name.split()[0]}.png"))


def test_the_round_page_has_an_item_analysis_section_with_a_row_per_test(
    flagged_page: LoadedPage,
):
    section = flagged_page.find("#item-analysis")
    assert section.is_displayed()
    assert "Item analysis" in section.text
    rows = section.find_elements("css selector", "tbody tr")
    tests = {t.id for g in flagged_round() if g.correctness for t in g.correctness.tests}
    groups = {
        g.id for grade in flagged_round() if grade.correctness for g in grade.correctness.groups
    }
    assert len(rows) >= len(tests) + len(groups), (len(rows), tests, groups)
    # Shown on screen: the section has a real size, and every test id is in it.
    assert section.size["height"] > 50
    assert all(test_id.split("::")[-1] in section.text for test_id in tests)
