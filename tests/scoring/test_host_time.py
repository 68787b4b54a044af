"""The reasoning scorer runs on the host: crafted Markdown must not cost it quadratic time.

Each input below targets a pattern that backtracked on the old scorer (runs of spaces,
unclosed code spans, comments and emphasis, huge lines, many bullets). One scoring must stay
well under a second; the long ones are cut at the documented cap and say so.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.catalog import default_exercises_dir
from grader.scoring.reasoning import (
    MAX_DIAGNOSIS_CHARS,
    MAX_SENTENCES,
    FlagKind,
    score_reasoning,
)
from grader.scoring.rubric import load_rubric

SIZE = 70_000
RUBRIC = load_rubric(default_exercises_dir() / "debug-training" / "hidden" / "rubric.toml")
FIXED = dict.fromkeys(RUBRIC.groups, True)
BUDGET_S = 1.0
ADVERSARIAL = {
    "run of spaces": "a" + " " * SIZE + "b.",
    "spaces before marks": ("word " + " " * 500 + ".") * 140,
    "run of stars inside a word": "a" + "*" * SIZE + "b",
    "nested emphasis": "***_" * (SIZE // 4),
    "unclosed code spans": "".join("`" * (i % 50 + 1) + "a" for i in range(3000)),
    "unclosed links": "[a](" * (SIZE // 4),
    "unclosed tags": "<a " * (SIZE // 3),
    "unclosed comments": "<!--" * (SIZE // 4),
    "unclosed strike": "~~a" * (SIZE // 3),
    "heading of spaces": "#" + " " * SIZE + "x",
    "nested quotes": ">" * SIZE + " text",
    "table rule": "|" + "-|" * (SIZE // 2) + "x",
    "open parentheses": "(" * SIZE,
    "many bullets": "".join(f"- labels shuffled with two permutations {i}\n" for i in range(1500)),
    "many negated bullets": "".join(
        f"- the labels were not shuffled with a second permutation {i}\n" for i in range(1200)
    ),
    "huge line": "the labels were shuffled with a second permutation and summed over axis 0 " * 900,
    "many sentences": "The labels were shuffled with a second permutation, not one. " * 1100,
    "dots and spaces": ". " * (SIZE // 2),
    "numbered items": "1. " * (SIZE // 3),
    "mixed markup": "**a _b `c [d](e) <f> ~~g~~ ** " * 2500,
    "nested hidden tags": "<div hidden>" * (SIZE // 24) + "</div>" * (SIZE // 24),
    "hidden tag then many opens": "<div hidden>" + "<div>" * (SIZE // 6),
    "many link definitions": "[a]: b 'c\n" * (SIZE // 10),
    "repeated words": "larger larger larger batch step " * 2000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=list(ADVERSARIAL))
def test_one_crafted_diagnosis_scores_well_under_a_second(text: str):
    start = time.perf_counter()
    score_reasoning(RUBRIC, text, FIXED)
    assert time.perf_counter() - start < BUDGET_S


def test_a_diagnosis_over_the_cap_is_cut_and_says_so():
    text = "The labels were shuffled with a second permutation. " * 2000
    result = score_reasoning(RUBRIC, text, FIXED)
    (flag, *_) = result.flagged(FlagKind.TRUNCATED)
    assert str(MAX_DIAGNOSIS_CHARS) in flag.message


def test_a_diagnosis_of_too_many_sentences_is_cut_and_says_so():
    text = "".join(f"- item {i} here\n" for i in range(MAX_SENTENCES + 50))
    result = score_reasoning(RUBRIC, text, FIXED)
    assert any(str(MAX_SENTENCES) in f.message for f in result.flagged(FlagKind.TRUNCATED))


def test_the_bundled_rubrics_score_a_real_diagnosis_quickly():
    good = Path(default_exercises_dir() / "debug-training" / "hidden" / "diagnoses" / "good.md")
    start = time.perf_counter()
    score_reasoning(RUBRIC, good.read_text(encoding="utf-8"), FIXED)
    assert time.perf_counter() - start < 0.2
