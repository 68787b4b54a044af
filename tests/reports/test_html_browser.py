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

from .factory import sample_round

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
