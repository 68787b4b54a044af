"""Item analysis of a round: the numbers of a tiny hand-built round, worked out by hand.

The round: five candidates, five hidden tests (weights in brackets), two groups.

    group "fit":  a [1], b [2] (parametrized, 4 cases), c [1]
    group "edge": easy [1], hard [2]

    candidate   a   b (cases)   c   easy  hard   earned = a + 2*b + c + easy + 2*hard
    c1          1   1   (4/4)   0   1     0      1 + 2   + 0 + 1 = 4
    c2          1   1   (4/4)   0   1     0      1 + 2   + 0 + 1 = 4
    c3          1   0.5 (2/4)   0   1     0      1 + 1   + 0 + 1 = 3
    c4          0   0.5 (2/4)   0   1     0      0 + 1   + 0 + 1 = 2
    c5          0   0   (0/4)   1   1     0      0 + 0   + 1 + 1 = 2

Discrimination is Pearson's r of the item's score x and the rest y = earned - item's points:
r = Sxy / sqrt(Sxx * Syy), with S the sums of products of deviations from the means.
"""

from __future__ import annotations

import hashlib
import math
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from rich.console import Console

from grader.item_analysis import (
    MIN_CANDIDATES,
    NEGATIVE_DISCRIMINATION,
    ItemFlag,
    ItemStats,
    RoundItems,
    analyse_round,
)
from grader.model import (
    CorrectnessScore,
    Grade,
    GradeStatus,
    GroupScore,
    RunStatus,
    SourceKind,
    SubmissionInfo,
    TestOutcome,
    TestVerdict,
)
from grader.reports.items import items_html, items_markdown, items_terminal
from tests.reports.factory import make_ungradable

EXERCISE = "feature-scaler"  # the factory's ungradable grade names this exercise, version 1
# id: (group, description, weight, cases declared: 0 for a plain test)
TESTS = {
    "a": ("fit", "learns the column means", 1.0, 0),
    "b": ("fit", "scales every column", 2.0, 4),
    "c": ("fit", "uses the sample variance", 1.0, 0),
    "easy": ("edge", "returns an array", 1.0, 0),
    "hard": ("edge", "handles an empty frame", 2.0, 0),
}
GROUP_TITLES = {"fit": "Learns the right statistics", "edge": "Edge cases"}
# Candidate: results in the order of TESTS (1/0, or cases passed for b).
ROUND = {
    "c1": (1, 4, 0, 1, 0),
    "c2": (1, 4, 0, 1, 0),
    "c3": (1, 2, 0, 1, 0),
    "c4": (0, 2, 0, 1, 0),
    "c5": (0, 0, 1, 1, 0),
}


def make_grade(candidate: str, results: tuple[int, ...], version: str = "1") -> Grade:
    """A graded grade of the hand-built exercise from one row of results."""
    verdicts = []
    for (test_id, (group, description, weight, cases)), result in zip(
        TESTS.items(), results, strict=True
    ):
        passed = result == (cases or 1)
        verdicts.append(
            TestVerdict(
                id=test_id,
                group=group,
                description=description,
                weight=weight,
                outcome=TestOutcome.PASSED if passed else TestOutcome.FAILED,
                cases_passed=result if cases else 0,
                cases_total=cases,
            )
        )
    groups = tuple(
        GroupScore(
            id=group_id,
            title=title,
            earned=sum(v.weight * v.share for v in verdicts if v.group == group_id),
            possible=sum(v.weight for v in verdicts if v.group == group_id),
            passed=sum(1 for v in verdicts if v.group == group_id and v.passed),
            total=sum(1 for v in verdicts if v.group == group_id),
        )
        for group_id, title in GROUP_TITLES.items()
    )
    earned = sum(v.weight * v.share for v in verdicts)
    possible = sum(v.weight for v in verdicts)
    return Grade(
        exercise_id=EXERCISE,
        exercise_version=version,
        exercise_title="Feature scaler",
        submission=SubmissionInfo(
            source=f"/submissions/{candidate}",
            kind=SourceKind.DIRECTORY,
            content_hash=hashlib.sha256(candidate.encode()).hexdigest(),
            files=1,
        ),
        status=GradeStatus.GRADED,
        correctness=CorrectnessScore(
            score=round(100 * earned / possible, 2),
            earned=earned,
            possible=possible,
            groups=groups,
            tests=tuple(verdicts),
        ),
        run_status=RunStatus.COMPLETED,
        candidate=candidate,
    )


def hand_round() -> list[Grade]:
    return [make_grade(name, results) for name, results in ROUND.items()]


def items_by_id(items: RoundItems) -> dict[str, ItemStats]:
    (section,) = items.sections
    return {s.id: s for s in (*section.tests, *section.groups)}


# --- the numbers ----------------------------------------------------------------------


def test_pass_rates_match_the_hand_computation():
    stats = items_by_id(analyse_round(hand_round()))
    assert stats["a"].pass_rate == pytest.approx(3 / 5)  # c1, c2, c3 pass
    assert stats["c"].pass_rate == pytest.approx(1 / 5)  # only c5 passes
    assert stats["easy"].pass_rate == 1.0
    assert stats["hard"].pass_rate == 0.0
    assert {s.candidates for s in stats.values()} == {5}


def test_a_parametrized_test_counts_by_its_share_of_cases():
    b = items_by_id(analyse_round(hand_round()))["b"]
    # (4/4 + 4/4 + 2/4 + 2/4 + 0/4) / 5 = 3 / 5, though only two candidates passed every case
    assert b.pass_rate == pytest.approx(3 / 5)
    assert b.mean_share == pytest.approx(3 / 5)
    assert b.passed == 2


def test_a_group_pass_rate_is_unweighted_and_its_mean_share_weighted():
    stats = items_by_id(analyse_round(hand_round()))
    # fit, unweighted mean of (a + b + c) / 3: 2/3, 2/3, 1.5/3, 0.5/3, 1/3 -> (14/6) / 5 = 7/15
    assert stats["fit"].pass_rate == pytest.approx(7 / 15)
    # fit, (a + 2b + c) / 4: 3/4, 3/4, 2/4, 1/4, 1/4 -> (10/4) / 5 = 1/2
    assert stats["fit"].mean_share == pytest.approx(1 / 2)
    # edge: easy passes, hard fails for everyone: (1 + 0) / 2 = 1/2 and (1 + 0) / 3 = 1/3
    assert stats["edge"].pass_rate == pytest.approx(1 / 2)
    assert stats["edge"].mean_share == pytest.approx(1 / 3)
    assert stats["fit"].weight == 4.0
    assert stats["edge"].weight == 3.0


def test_discrimination_is_the_hand_computed_item_rest_correlation():
    stats = items_by_id(analyse_round(hand_round()))
    # a: x = 1,1,1,0,0 (mean .6), rest = 4-1,4-1,3-1,2,2 = 3,3,2,2,2 (mean 2.4)
    #    dx = .4,.4,.4,-.6,-.6; dy = .6,.6,-.4,-.4,-.4
    #    Sxy = .24+.24-.16+.24+.24 = .8; Sxx = 3*.16+2*.36 = 1.2; Syy = 2*.36+3*.16 = 1.2
    #    r = .8 / sqrt(1.2*1.2) = 2/3 (point-biserial: a is pass/fail)
    assert stats["a"].discrimination == pytest.approx(2 / 3)
    # b: x = 1,1,.5,.5,0 (mean .6), rest = earned - 2x = 2,2,2,1,2 (mean 1.8)
    #    dx = .4,.4,-.1,-.1,-.6; dy = .2,.2,.2,-.8,.2
    #    Sxy = .08+.08-.02+.08-.12 = .1; Sxx = .16+.16+.01+.01+.36 = .7; Syy = 4*.04+.64 = .8
    #    r = .1 / sqrt(.56) = 0.1336
    assert stats["b"].discrimination == pytest.approx(0.1 / math.sqrt(0.56))
    # c: x = 0,0,0,0,1 (mean .2), rest = 4,4,3,2,1 (mean 2.8)
    #    dx = -.2,-.2,-.2,-.2,.8; dy = 1.2,1.2,.2,-.8,-1.8
    #    Sxy = -.24-.24-.04+.16-1.44 = -1.8; Sxx = 4*.04+.64 = .8
    #    Syy = 1.44+1.44+.04+.64+3.24 = 6.8; r = -1.8 / sqrt(5.44) = -0.7717
    assert stats["c"].discrimination == pytest.approx(-1.8 / math.sqrt(5.44))


def test_discrimination_is_none_when_the_item_does_not_vary():
    stats = items_by_id(analyse_round(hand_round()))
    assert stats["easy"].discrimination is None  # 1,1,1,1,1
    assert stats["hard"].discrimination is None  # 0,0,0,0,0
    assert stats["edge"].discrimination is None  # 1/3 of the weight for everyone


def test_discrimination_is_none_when_the_rest_does_not_vary():
    # fit varies (3/4, 3/4, 2/4, 1/4, 1/4) but the rest is edge's 1 point for everyone
    assert items_by_id(analyse_round(hand_round()))["fit"].discrimination is None


def test_flags_fire_where_they_should():
    stats = items_by_id(analyse_round(hand_round()))
    assert {item: s.flags for item, s in stats.items()} == {
        "a": (),
        "b": (),
        "c": (ItemFlag.NEGATIVE_DISCRIMINATION,),  # -0.77 < -0.1
        "easy": (ItemFlag.EVERYONE_PASSES,),
        "hard": (ItemFlag.EVERYONE_FAILS,),
        "fit": (),
        "edge": (),  # easy passes and hard fails: neither flag for the group
    }


def test_too_few_candidates_flags_every_item_and_never_negative_discrimination():
    grades = hand_round()[1:]  # c2..c5
    assert len(grades) < MIN_CANDIDATES
    stats = items_by_id(analyse_round(grades))
    # c: x = 0,0,0,1, rest = 4,3,2,1: Sxy = -1.5, Sxx = .75, Syy = 5, r = -0.77 (still computed)
    assert stats["c"].discrimination == pytest.approx(-1.5 / math.sqrt(3.75))
    assert stats["c"].discrimination < NEGATIVE_DISCRIMINATION
    assert stats["c"].flags == (ItemFlag.TOO_FEW_CANDIDATES,)
    assert stats["hard"].flags == (ItemFlag.EVERYONE_FAILS, ItemFlag.TOO_FEW_CANDIDATES)
    assert all(ItemFlag.TOO_FEW_CANDIDATES in s.flags for s in stats.values())


def test_ungradable_grades_are_skipped():
    plain = analyse_round(hand_round())
    with_ungradable = analyse_round([make_ungradable("zed"), *hand_round()])
    assert with_ungradable.skipped == 1
    assert with_ungradable.sections == plain.sections
    assert with_ungradable.sections[0].candidates == 5


def test_two_exercise_versions_stay_apart():
    version_2 = [make_grade("d1", (1, 4, 1, 1, 1), "2"), make_grade("d2", (1, 4, 1, 1, 1), "2")]
    items = analyse_round([*version_2, *hand_round()])
    assert [(s.exercise_version, s.candidates) for s in items.sections] == [("1", 5), ("2", 2)]
    assert items.sections[0] == analyse_round(hand_round()).sections[0]
    hard_2 = {s.id: s for s in items.sections[1].tests}["hard"]
    assert hard_2.pass_rate == 1.0
    assert ItemFlag.EVERYONE_PASSES in hard_2.flags


def test_versions_sort_as_numbers():
    grades = [make_grade("x", ROUND["c1"], "10"), make_grade("y", ROUND["c1"], "9")]
    assert [s.exercise_version for s in analyse_round(grades).sections] == ["9", "10"]


def test_a_round_without_graded_candidates_has_no_sections():
    items = analyse_round([make_ungradable()])
    assert items == RoundItems(sections=(), skipped=1)


# --- the renderings -------------------------------------------------------------------

# Each row as every format shows it: item, n, pass rate, mean share, discrimination, flags.
EXPECTED_ROWS = [
    ("group fit", "5", "47%", "50%", "n/a", ""),
    ("group edge", "5", "50%", "33%", "n/a", ""),
    ("a", "5", "60%", "60%", "+0.67", ""),
    ("b", "5", "60%", "60%", "+0.13", ""),
    ("c", "5", "20%", "20%", "-0.77", "⚠ negative discrimination"),
    ("easy", "5", "100%", "100%", "n/a", "⚠ everyone passes"),
    ("hard", "5", "0%", "0%", "n/a", "⚠ everyone fails"),
]


def markdown_rows(text: str) -> list[tuple[str, ...]]:
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if line.startswith("| ") and cells[0] not in ("Item", "---"):
            rows.append((cells[0].strip("*"), *cells[2:]))
    return rows


def html_rows(fragment: str) -> list[tuple[tuple[str, ...], str]]:
    root = ET.fromstring(fragment)  # strict XML: an unclosed or stray tag fails here
    return [
        (
            tuple("".join(td.itertext()) for i, td in enumerate(tr.findall("td")) if i != 1),
            tr.get("class", ""),
        )
        for tr in root.iter("tr")
        if tr.findall("td")
    ]


def test_markdown_shows_every_row_with_its_values_and_flags():
    text = items_markdown(analyse_round(hand_round()))
    assert "### Feature scaler (feature-scaler, version 1)" in text
    assert "5 graded candidates." in text
    assert markdown_rows(text) == EXPECTED_ROWS
    assert "| **c** | uses the sample variance | 5 | 20% |" in text  # flagged rows in bold


def test_html_fragment_parses_and_shows_the_markdown_values():
    fragment = str(items_html(analyse_round(hand_round())))
    rows = html_rows(fragment)
    assert [cells for cells, _ in rows] == EXPECTED_ROWS
    flagged = [cells[0] for cells, classes in rows if "flagged" in classes.split()]
    assert flagged == ["c", "easy", "hard"]


def test_html_fragment_has_a_table_per_exercise_version():
    version_2 = make_grade("d1", (1, 4, 1, 1, 1), "2")
    root = ET.fromstring(str(items_html(analyse_round([*hand_round(), version_2]))))
    assert root.get("id") == "item-analysis"
    assert [h.text for h in root.iter("h3")] == [
        "Feature scaler (feature-scaler, version 1)",
        "Feature scaler (feature-scaler, version 2)",
    ]
    assert len(list(root.iter("table"))) == 2


def test_html_fragment_escapes_exercise_text():
    grade = make_grade("c1", ROUND["c1"])
    assert grade.correctness is not None
    first, *others = grade.correctness.tests
    hostile = replace(first, description="<script>alert(1)</script>")
    grade = replace(grade, correctness=replace(grade.correctness, tests=(hostile, *others)))
    fragment = str(items_html(analyse_round([grade])))
    assert "<script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    ET.fromstring(fragment)


def test_terminal_table_shows_every_row_and_marks_the_flagged_ones():
    console = Console(record=True, width=160, color_system=None)
    console.print(items_terminal(analyse_round([make_ungradable(), *hand_round()])))
    text = console.export_text()
    assert "Item analysis: Feature scaler (feature-scaler, version 1), 5 graded candidates" in text
    for item, n, rate, share, discrimination, flags in EXPECTED_ROWS:
        line = next(row for row in text.splitlines() if f" {item} " in row)
        for value in (n, rate, share, discrimination, flags):
            assert value in line, (item, value, line)
    assert "1 ungradable grade left out." in text


def test_every_format_says_so_when_nothing_was_graded():
    items = analyse_round([make_ungradable()])
    console = Console(record=True, width=100, color_system=None)
    console.print(items_terminal(items))
    assert "nothing to analyse" in console.export_text()
    assert "nothing to analyse" in items_markdown(items)
    assert "nothing to analyse" in str(items_html(items))
