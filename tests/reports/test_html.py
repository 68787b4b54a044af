"""The round HTML page: self-contained, escaped, locked down by its own CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from grader.reports.histogram import bin_counts
from grader.reports.html import round_html

from .factory import make_grade, make_ungradable, sample_round

SCRIPT_NAME = "<script>alert(1)</script>"
NETWORK_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def hostile_round() -> list:
    return [
        *sample_round(),
        make_grade(
            '<img src="https://evil.example/x.png">',
            failed={"t1": '<a href="//evil.example">click</a>'},
            stdout="see http://evil.example/log and <iframe src=https://evil.example>",
        ),
    ]


def test_no_src_or_href_points_at_a_network_url():
    tags = Tags(round_html(hostile_round())).tags
    links = [a[key] for _, a in tags for key in ("src", "href", "action", "srcset") if key in a]
    assert links, "the page should have in-page links"
    assert [link for link in links if NETWORK_URL.match(link)] == []
    assert all(link.startswith("#") for link in links)


def test_no_stylesheet_imports_or_css_urls():
    page = round_html(hostile_round())
    assert "@import" not in page
    assert "url(" not in page


def test_a_script_in_a_candidate_name_is_escaped():
    page = round_html([make_grade(SCRIPT_NAME)])
    assert SCRIPT_NAME not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert [t for t, _ in Tags(page).tags].count("script") == 1


def test_csp_meta_forbids_every_network_fetch_before_any_style_or_script():
    tags = Tags(round_html(sample_round())).tags
    names = [t for t, _ in tags]
    csp = [
        a["content"]
        for t, a in tags
        if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert csp == [
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    ]
    csp_at = next(i for i, (t, a) in enumerate(tags) if t == "meta" and "http-equiv" in a)
    assert csp_at < names.index("style") and csp_at < names.index("script")


def test_table_has_one_row_and_one_drill_down_per_candidate():
    grades = sample_round()
    tags = Tags(round_html(grades)).tags
    assert sum(1 for t, a in tags if t == "th" and a.get("scope") == "row") == len(grades)
    assert sum(1 for t, _ in tags if t == "details") == len(grades)


def test_ungradable_candidate_is_shown_as_ungradable_not_zero():
    page = round_html([make_ungradable("zed", reason="harness died")])
    assert "Ungradable: harness died" in page
    assert 'data-key="correctness"' in page
    assert ">ungradable<" in page


def test_captured_output_is_cut_to_its_last_lines():
    output = "\n".join(f"line {i}" for i in range(500))
    page = round_html([make_grade(stdout=output)])
    assert "line 499" in page
    assert "line 469\n" not in page
    assert "470 earlier lines not shown" in page


@pytest.mark.parametrize(
    ("scores", "counts"),
    [
        ([0.0, 9.9, 10.0, 99.0, 100.0], (2, 1, 0, 0, 0, 0, 0, 0, 0, 2)),
        ([], (0,) * 10),
    ],
)
def test_histogram_uses_ten_point_bins_with_100_in_the_last(scores, counts):
    assert bin_counts(scores) == counts


def test_histogram_is_inline_svg_not_an_image():
    tags = Tags(round_html(sample_round())).tags
    names = [t for t, _ in tags]
    assert "svg" in names
    assert "img" not in names
