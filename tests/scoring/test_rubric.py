"""Rubrics load into frozen data; every mistake names the file and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.errors import CatalogError
from grader.scoring.reasoning import FlagKind, score_reasoning
from grader.scoring.rubric import ConceptKind, check_groups, load_rubric, parse_rubric

from .rubrics import CALIBRATION, HERE, concept, problem

MECHANISM = concept("mechanism", "fit on all rows")


def parse(*problems: dict[str, Any], **top: Any) -> None:
    parse_rubric({"problems": list(problems), **top}, "rubric.toml")


def test_the_calibration_rubric_loads():
    assert [p.id for p in CALIBRATION.problems] == [
        "labels-shuffled",
        "softmax-axis",
        "val-own-stats",
    ]
    assert CALIBRATION.groups == ("labels", "softmax", "scaling")
    labels = CALIBRATION.problems[0]
    assert labels.concept_weight == 7.0
    assert labels.concepts[1].kind is ConceptKind.MECHANISM
    assert labels.concepts[1].patterns[0].search("SHUFFLED the labels separately")


def test_a_missing_file_is_named(tmp_path: Path):
    with pytest.raises(CatalogError, match=r"rubric.toml: rubric not found"):
        load_rubric(tmp_path / "rubric.toml")


def test_broken_toml_is_named(tmp_path: Path):
    path = tmp_path / "rubric.toml"
    path.write_text("[[problems]\n")
    with pytest.raises(CatalogError, match=r"rubric.toml: cannot be read as TOML"):
        load_rubric(path)


def test_a_bad_regex_is_named_with_its_field_path():
    bad = concept("fix", "fine", r"(unclosed")
    field = r"field 'problems\[0\].concepts\[1\].patterns\[1\]'"
    with pytest.raises(CatalogError, match=rf"rubric.toml: {field} is not a valid regex"):
        parse(problem(MECHANISM, bad))


def test_a_bad_anti_pattern_is_named_with_its_field_path():
    bad = concept("mechanism", "x+", anti_patterns=["[z"])
    with pytest.raises(CatalogError, match=r"'problems\[0\].concepts\[0\].anti_patterns\[0\]'"):
        parse(problem(bad))


def test_a_regex_that_matches_everything_is_refused():
    with pytest.raises(CatalogError, match=r"patterns\[0\]' matches the empty string"):
        parse(problem(concept("mechanism", ".*")))


def test_an_unknown_concept_kind_lists_the_choices():
    with pytest.raises(
        CatalogError, match=r"concepts\[0\].kind' is 'cause'; choose one of location"
    ):
        parse(problem(concept("cause", "x")))


@pytest.mark.parametrize("weight", [0, -1, "2", True])
def test_a_weight_must_be_a_positive_number(weight: Any):
    with pytest.raises(CatalogError, match=r"concepts\[0\].weight' must be"):
        parse(problem(concept("mechanism", "x", weight=weight)))


def test_a_problem_needs_a_mechanism_or_consequence_concept():
    with pytest.raises(CatalogError, match=r"problems\[0\].concepts' must include a 'mechanism'"):
        parse(problem(concept("fix", "x")))


def test_a_misspelt_field_is_named():
    typo = {**MECHANISM, "anti_pattern": ["x"]}
    with pytest.raises(CatalogError, match=r"concepts\[0\].anti_pattern' is not a known field"):
        parse(problem(typo))


def test_missing_fields_are_named():
    table = problem(MECHANISM)
    del table["title"]
    with pytest.raises(CatalogError, match=r"'problems\[0\].title' is missing"):
        parse(table)


def test_a_point_no_test_backs_has_no_group_and_counts_as_fixed():
    # "What would change the recommendation" is writing alone: no hidden test can back it.
    table = problem(MECHANISM)
    del table["group"]
    rubric = parse_rubric({"problems": [table]}, "rubric.toml")
    assert rubric.problems[0].group == "" and rubric.groups == ()
    row = score_reasoning(rubric, "The scaler was fit on all rows including test.", {}).rows[0]
    assert row.fixed and row.explained
    assert not score_reasoning(rubric, "", {}).flagged(FlagKind.UNKNOWN_GROUP)


def test_empty_patterns_are_refused():
    with pytest.raises(CatalogError, match=r"concepts\[0\].patterns' must list at least one"):
        parse(problem(concept("mechanism")))


def test_a_rubric_needs_problems():
    with pytest.raises(CatalogError, match=r"'problems' must list at least one table"):
        parse()


def test_duplicate_problem_ids_are_refused():
    with pytest.raises(CatalogError, match=r"lists id 'scaler-leak' twice"):
        parse(problem(MECHANISM), problem(MECHANISM))


def test_locations_must_be_strings():
    with pytest.raises(CatalogError, match=r"'problems\[0\].locations\[1\]' must be a non-empty"):
        parse(problem(MECHANISM, locations=["prepare", 3]))


def test_groups_are_checked_against_the_exercise():
    check_groups(CALIBRATION, ["labels", "softmax", "scaling", "extra"])
    with pytest.raises(CatalogError, match=r"problems\[2\].group' names unknown group 'scaling'"):
        check_groups(CALIBRATION, ["labels", "softmax"])


def test_the_fixture_file_is_the_one_under_tests():
    assert CALIBRATION.source == str(HERE / "rubric.toml")


def test_a_concept_may_be_written_as_phrases_with_the_rubrics_synonyms():
    rubric = parse_rubric(
        {
            "synonyms": [["scaler", "rescaling"]],
            "problems": [problem({"kind": "mechanism", "phrases": ["scaler fit on all rows"]})],
        },
        "rubric.toml",
    )
    (phrase,) = rubric.problems[0].concepts[0].phrases
    assert len(phrase.slots) == 4
    assert rubric.lexicon.tokenize("rescaling")[0].keys & phrase.slots[0]


def test_a_concept_needs_phrases_or_patterns():
    with pytest.raises(CatalogError, match=r"concepts\[0\].patterns' must list at least one"):
        parse(problem({"kind": "mechanism"}))


def test_a_synonym_set_needs_two_words():
    with pytest.raises(CatalogError, match=r"'synonyms\[0\]' must be a list of at least two"):
        parse(problem(MECHANISM), synonyms=[["alone"]])


@pytest.mark.parametrize("source", [r"(a+)+b", r"(\w+\s?)*x", r"(a|ab)*c"])
def test_a_regex_that_can_backtrack_without_bound_is_refused(source: str):
    with pytest.raises(CatalogError, match=r"nests a repeat inside an unbounded repeat"):
        parse(problem(concept("mechanism", source)))


def test_bounded_repeats_of_groups_are_allowed():
    parse(problem(concept("mechanism", r"(\w+\s+){0,3}fit", r"a.{0,40}b")))


def test_misconceptions_load_with_their_label():
    wrong = {"label": "overfitting", "phrases": ["model overfits"]}
    rubric = parse_rubric({"problems": [problem(MECHANISM, misconceptions=[wrong])]}, "r.toml")
    assert rubric.problems[0].misconceptions[0].label == "overfitting"


def test_a_misconception_needs_a_label():
    with pytest.raises(CatalogError, match=r"misconceptions\[0\].label' is missing"):
        parse(problem(MECHANISM, misconceptions=[{"phrases": ["x y"]}]))


def test_regex_rubrics_still_load():
    legacy = HERE.parent / "exercises" / "tiny-debug" / "hidden" / "rubric.toml"
    assert load_rubric(legacy).problems[0].concepts[0].patterns
