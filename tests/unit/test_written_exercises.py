"""Written answers: the memo kind (reasoning only, nothing run) and the ``writeup`` file name.

The memo fixture (tests/exercises/tiny-memo) is graded through the real pipeline; the runner
passed in is a stand-in that fails the test if grading ever asks it to run anything.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from grader.catalog import Catalog, default_exercises_dir, load_exercise
from grader.errors import CatalogError
from grader.grading import diagnosis_text, grade_submission
from grader.intake import open_workspace
from grader.model import ExerciseKind, GradeStatus
from grader.reports.csv_report import round_csv
from grader.reports.markdown import verdict_markdown
from grader.reports.summary import verdict_of
from grader.validation import validate_exercise

from ..fakes import NoRun


@pytest.fixture
def memo_copy(tmp_path: Path, fixture_catalog: Catalog) -> Path:
    """A writable copy of the memo fixture, for broken-package cases."""
    source = fixture_catalog.get("tiny-memo").root
    return Path(shutil.copytree(source, tmp_path / "tiny-memo"))


def test_memo_grade_is_reasoning_only_and_runs_nothing(fixture_catalog: Catalog) -> None:
    exercise = fixture_catalog.get("tiny-memo")
    grade = grade_submission(
        exercise.root / "samples" / "weak", fixture_catalog, NoRun(), exercise_id="tiny-memo"
    )
    assert grade.status is GradeStatus.GRADED
    assert grade.correctness is None and grade.quality is None and grade.own_tests is None
    assert grade.reasoning is not None and grade.reasoning.score == 50.0
    assert grade.total is not None and grade.total.score == 50.0
    assert dict(grade.total.weights) == {"reasoning": 1.0}
    rows = {r.id: r for r in grade.reasoning.rows}
    assert rows["label-delay"].explained and not rows["safe-rollout"].explained
    assert not any(r.fixed or r.claim for r in grade.reasoning.rows)


def test_memo_verdict_shows_coverage_by_area_and_asks_about_the_missed_one(
    fixture_catalog: Catalog,
) -> None:
    exercise = fixture_catalog.get("tiny-memo")
    grade = grade_submission(
        exercise.root / "samples" / "weak", fixture_catalog, NoRun(), exercise_id="tiny-memo"
    )
    verdict = verdict_of(grade)
    assert verdict.graded and verdict.score == 50.0
    assert verdict.headline == "Reasoning 50.0 / 100 · 1 of 2 areas explained"
    assert verdict.diagnosis is not None and verdict.diagnosis.heading == "Coverage by area"
    assert verdict.diagnosis.mark_names == ("Explained",)
    assert verdict.questions == (
        "How would you ship a new model without risking every payment at once?",
    )
    markdown = verdict_markdown(verdict)
    assert "## Coverage by area" in markdown and "| Area | Explained | Evidence |" in markdown
    assert "Fixed" not in markdown
    header, row = round_csv([grade]).splitlines()[:2]
    values = dict(zip(header.split(","), row.split(","), strict=False))
    assert values["correctness"] == "" and values["reasoning"] == "50"


def test_a_memo_is_asked_to_defend_its_own_sentences_at_their_lines(
    fixture_catalog: Catalog,
) -> None:
    exercise = fixture_catalog.get("tiny-memo")
    memo = exercise.root / "solution" / "DESIGN.md"
    grade = grade_submission(memo.parent, fixture_catalog, NoRun(), exercise_id="tiny-memo")
    asked = grade.code_questions
    assert [q.kind for q in asked] == ["claim", "claim"]  # one per area explained
    lines = memo.read_text().splitlines()
    for question in asked:
        assert question.file == "DESIGN.md" and question.question.startswith(
            f"In DESIGN.md:{question.line} you write "
        )
        quoted = question.question.split('"', 2)[1].rstrip("…")
        assert lines[question.line - 1].startswith(quoted[:40])  # the sentence at that line
    assert len({q.line for q in asked}) == 2
    weak = grade_submission(
        exercise.root / "samples" / "weak", fixture_catalog, NoRun(), exercise_id="tiny-memo"
    )
    assert len(weak.code_questions) == 1  # the area it missed is asked by the rubric instead
    assert "Ask about their own work" in verdict_markdown(verdict_of(weak))


def test_memo_package_validates_without_a_sandbox(fixture_catalog: Catalog) -> None:
    report = validate_exercise(fixture_catalog, NoRun(), fixture_catalog.get("tiny-memo"))
    by_name = {c.name: c for c in report.checks}
    assert report.ok, [(c.name, c.detail) for c in report.checks if not c.passed]
    assert by_name["reference solution scores 100% (DESIGN.md reasoning)"].detail == "100.0%"
    assert by_name["hidden/variants/no-rollback fails only rollout"].passed
    assert "hidden tests match exercise.toml" not in by_name


def test_memo_variant_losing_another_area_fails_validation(memo_copy: Path) -> None:
    variant = memo_copy / "hidden" / "variants" / "no-rollback" / "DESIGN.md"
    variant.write_text("# Design\n\nWe ship the model everywhere at once.\n")
    catalog = Catalog(memo_copy.parent)
    report = validate_exercise(catalog, NoRun(), catalog.get("tiny-memo"))
    check = next(c for c in report.checks if c.name.startswith("hidden/variants/no-rollback"))
    assert not check.passed and "labels, rollout" in check.detail


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ('[[tests]]\nid = "t.py::t"\ngroup = "labels"\nweight = 1\ndescription = "d"\n', "tests"),
        ('[[samples]]\npath = "samples/weak"\nband = [0, 10]\n', "band"),
        ('[[groups]]\nid = "monitoring"\ntitle = "Monitoring"\n', "groups"),
    ],
)
def test_memo_package_mistakes_name_the_field(memo_copy: Path, edit: str, field: str) -> None:
    toml = memo_copy / "exercise.toml"
    toml.write_text(toml.read_text() + "\n" + edit)
    with pytest.raises(CatalogError, match=field):
        load_exercise(memo_copy)


@pytest.mark.parametrize("name", ["notes/DESIGN.md", "DESIGN.txt", ".DESIGN.md", "README.md"])
def test_memo_writeup_must_be_a_markdown_file_it_submits(memo_copy: Path, name: str) -> None:
    toml = memo_copy / "exercise.toml"
    toml.write_text(toml.read_text().replace('writeup = "DESIGN.md"', f'writeup = "{name}"'))
    with pytest.raises(CatalogError, match="writeup"):
        load_exercise(memo_copy)


def test_memo_kind_has_role_defaults(fixture_catalog: Catalog) -> None:
    exercise = fixture_catalog.get("tiny-memo")
    assert exercise.kind is ExerciseKind.MEMO and not exercise.runs_code
    assert dict(exercise.roles)["applied"] == 3


def test_writeup_names_the_file_a_code_exercise_scores(
    fixture_catalog: Catalog, tmp_path: Path
) -> None:
    exercise = dataclasses.replace(fixture_catalog.get("tiny-debug"), writeup="RECOMMENDATION.md")
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "DIAGNOSIS.md").write_text("Not the file this exercise reads.")
    (folder / "recommendation.md").write_text("Model B, at the cost-optimal threshold.")
    with open_workspace(folder) as workspace:
        assert diagnosis_text(exercise, workspace) == "Model B, at the cost-optimal threshold."
    (folder / "recommendation.md").unlink()
    with open_workspace(folder) as workspace:
        assert diagnosis_text(exercise, workspace) is None


def test_every_sample_of_a_bundled_memo_is_asked_about_its_own_sentences() -> None:
    catalog = Catalog(default_exercises_dir())
    memos = [e for e in catalog.all() if not e.runs_code]
    assert memos, "the catalog ships a written exercise"
    for exercise in memos:
        for sample in exercise.samples:
            grade = grade_submission(sample.path, catalog, NoRun(), exercise_id=exercise.id)
            asked = [q for q in grade.code_questions if q.kind == "claim"]
            assert asked, (exercise.id, sample.path.name)
            text = (sample.path / exercise.writeup).read_text().splitlines()
            for question in asked:
                quoted = question.question.split('"', 2)[1].rstrip("…")
                assert text[question.line - 1].strip() != ""
                assert quoted[:30] in " ".join(text[question.line - 1 :])
