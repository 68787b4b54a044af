"""The attack corpus (tests/attacks/<name>/): hostile code run through the real pipeline.

Each attack is a payload added to the starter of every exercise it applies to. For each:
the grade completes within the exercise's limit plus a margin, earns no credit the starter
does not earn honestly, leaks neither hidden test source nor the host's canary into the
report, and leaves no container behind; afterwards the reference still scores 100%.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
import tomllib
from pathlib import Path

import nbformat
import pytest

from grader.catalog import Catalog, default_exercises_dir
from grader.grading import grade_submission
from grader.model import Exercise, Grade, GradeStatus
from grader.reports.json_report import grade_to_dict
from grader.runner.protocol import phase_budgets

from ..conftest import FIXTURE_EXERCISES
from ..notebooks import notebook_from_source

ATTACKS = Path(__file__).resolve().parents[1] / "attacks"
BUNDLED = Catalog(default_exercises_dir())
FIXTURES = Catalog(FIXTURE_EXERCISES)
# Exercises that run code in the sandbox: a written exercise (memo) runs nothing to attack.
ALL_IDS = [i for c in (BUNDLED, FIXTURES) for i in c.ids() if c.get(i).runs_code]
MARGIN_SECONDS = 30.0
ENGINE_SECONDS = 5.0
"""Creating, copying into and removing a container, outside the run's own deadline."""


def catalog_of(exercise_id: str) -> Catalog:
    return FIXTURES if exercise_id in FIXTURES.ids() else BUNDLED


def attack_params() -> list:
    params = []
    for folder in sorted(p.parent for p in ATTACKS.glob("*/attack.toml")):
        spec = tomllib.loads((folder / "attack.toml").read_text())
        targets = ALL_IDS if spec["exercises"] == "all" else spec["exercises"]
        params += [pytest.param(folder, t, id=f"{folder.name}-{t}") for t in targets]
    return params


@pytest.fixture(scope="session")
def canary(tmp_path_factory: pytest.TempPathFactory, monkeypatch_session: None) -> str:
    """A secret on the host (a file and an environment variable) that must never leak."""
    token = f"canary-{secrets.token_hex(16)}"
    (tmp_path_factory.mktemp("host") / "secret.txt").write_text(token)
    return token


@pytest.fixture(scope="session")
def monkeypatch_session():  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="session")
def starter_scores(runner) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Honest correctness of each exercise's untouched starter, graded once."""
    cache: dict[str, float] = {}

    class Scores(dict):  # type: ignore[type-arg]
        def __missing__(self, exercise_id: str) -> float:
            catalog = catalog_of(exercise_id)
            exercise = catalog.get(exercise_id)
            grade = grade_submission(exercise.starter_dir, catalog, runner, exercise_id=exercise_id)
            self[exercise_id] = grade.correctness.score if grade.correctness else 0.0
            return self[exercise_id]

    return Scores(cache)


def armed_submission(exercise: Exercise, attack: Path, spec: dict, dest: Path) -> Path:
    """The exercise's starter with the attack's payload added to its first module."""
    shutil.copytree(exercise.starter_dir, dest)
    target = dest / exercise.files[0]
    payload = (attack / "payload.py").read_text()
    original = target.read_text() if target.exists() else ""
    if spec.get("position", "prepend") == "append":
        target.write_text(original + "\n\n" + payload)
    else:
        target.write_text(payload + "\n\n" + original)
    return dest


def hidden_signatures(exercise: Exercise) -> list[str]:
    return [
        line.strip()
        for path in exercise.hidden_tests_dir.rglob("*.py")
        for line in path.read_text().splitlines()
        if line.strip().startswith("def ")
    ]


def assert_contained(
    grade: Grade, elapsed: float, exercise: Exercise, honest: float, attack: str, canary: str
) -> None:
    """Graded in time, no credit beyond the honest starter's, nothing leaked into the report."""
    assert grade.status is GradeStatus.GRADED, grade.reason
    assert grade.correctness is not None
    assert grade.correctness.score <= honest, (
        f"{attack} earned {grade.correctness.score} > honest {honest}"
    )
    assert elapsed <= exercise.limits.time_seconds + MARGIN_SECONDS, f"took {elapsed:.1f} s"
    report = json.dumps(grade_to_dict(grade))
    assert canary not in report
    leaked = [s for s in hidden_signatures(exercise) if s in report]
    assert not leaked, f"hidden test source in the report: {leaked[:2]}"


@pytest.mark.docker
@pytest.mark.parametrize(("attack", "exercise_id"), attack_params())
def test_attack_is_contained(
    attack,
    exercise_id,
    tmp_path,
    runner,
    starter_scores,
    canary,
    monkeypatch,
    no_leftover_containers,
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MLGRADE_TEST_CANARY", canary)
    spec = tomllib.loads((attack / "attack.toml").read_text())
    catalog = catalog_of(exercise_id)
    exercise = catalog.get(exercise_id)
    honest = starter_scores[exercise_id]
    submission = armed_submission(exercise, attack, spec, tmp_path / "submission")

    started = time.monotonic()
    grade: Grade = grade_submission(submission, catalog, runner, exercise_id=exercise_id)
    elapsed = time.monotonic() - started

    assert_contained(grade, elapsed, exercise, honest, attack.name, canary)
    if "expect_output" in spec:
        assert spec["expect_output"] in grade.stdout + grade.stderr


NOTEBOOK_TARGET = "feature-scaler"


@pytest.mark.docker
@pytest.mark.parametrize(
    "attack", sorted(p.parent for p in ATTACKS.glob("*/attack.toml")), ids=lambda p: p.name
)
def test_attack_is_contained_in_a_notebook(
    attack, tmp_path, runner, starter_scores, canary, monkeypatch, no_leftover_containers
):  # type: ignore[no-untyped-def]
    """The same payloads, handed in as a notebook: they run on the kernel, cell by cell."""
    monkeypatch.setenv("MLGRADE_TEST_CANARY", canary)
    spec = tomllib.loads((attack / "attack.toml").read_text())
    exercise = BUNDLED.get(NOTEBOOK_TARGET)
    honest = starter_scores[NOTEBOOK_TARGET]
    submission = armed_submission(exercise, attack, spec, tmp_path / "submission")
    module = submission / exercise.files[0]
    nbformat.write(notebook_from_source(module.read_text()), module.with_suffix(".ipynb"))
    module.unlink()

    started = time.monotonic()
    grade = grade_submission(submission, BUNDLED, runner, exercise_id=NOTEBOOK_TARGET)
    elapsed = time.monotonic() - started

    assert_contained(grade, elapsed, exercise, honest, attack.name, canary)


@pytest.mark.docker
@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_reference_still_scores_full_after_the_attacks(exercise_id, runner):  # type: ignore[no-untyped-def]
    catalog = catalog_of(exercise_id)
    exercise = catalog.get(exercise_id)
    grade = grade_submission(exercise.solution_dir, catalog, runner, exercise_id=exercise_id)
    assert grade.correctness is not None
    assert grade.correctness.score == 100.0


ARCHIVES = tomllib.loads((ATTACKS / "archives.toml").read_text())["archives"]


@pytest.mark.docker
@pytest.mark.parametrize("case", ARCHIVES, ids=[c["name"] for c in ARCHIVES])
def test_hostile_archive_is_refused_or_contained(case, tmp_path, runner, no_leftover_containers):  # type: ignore[no-untyped-def]
    from grader.errors import IntakeError

    from .. import attack_archives

    token = f"canary-{secrets.token_hex(16)}"
    canary = tmp_path / "host" / "secret.txt"
    canary.parent.mkdir()
    canary.write_text(token)
    (tmp_path / "build").mkdir()
    submission = getattr(attack_archives, case["builder"])(tmp_path / "build", canary)
    if case["expect"] == "refused":
        with pytest.raises(IntakeError) as refused:
            grade_submission(submission, BUNDLED, runner, exercise_id="feature-scaler")
        assert case["message"] in refused.value.message
        assert token not in refused.value.message
    else:
        grade = grade_submission(submission, BUNDLED, runner, exercise_id="feature-scaler")
        assert grade.correctness is not None and grade.correctness.score == 100.0
        assert token not in json.dumps(grade_to_dict(grade))
    assert canary.read_text() == token, "the host file was modified"
    assert not (tmp_path.parent / "evil.py").exists()


CRAFTED = sorted(p.parent for p in ATTACKS.glob("*/submission.toml"))


def crafted_submission(case: Path, spec: dict, exercise: Exercise, dest: Path) -> Path:
    """The case's files over the exercise's ``base`` folder; a notebook if the case asks."""
    base = {"solution": exercise.solution_dir, "starter": exercise.starter_dir}.get(
        spec.get("base", "")
    )
    if base is not None:
        shutil.copytree(base, dest)
    if (case / "submission").is_dir():
        shutil.copytree(case / "submission", dest, dirs_exist_ok=True)
    if spec.get("notebook"):
        module = dest / exercise.files[0]
        payload = (case / "payload.py").read_text()
        nbformat.write(
            notebook_from_source(payload + "\n\n" + module.read_text()),
            module.with_suffix(".ipynb"),
        )
        module.unlink()
    return dest


@pytest.mark.docker
@pytest.mark.parametrize("case", CRAFTED, ids=lambda p: p.name)
def test_crafted_submission_is_contained(
    case, tmp_path, runner, canary, monkeypatch, no_leftover_containers
):  # type: ignore[no-untyped-def]
    """Whole crafted submissions (own-tests suites, notebook artifacts): graded in time, no
    credit the suite did not honestly earn, only the suite's own test ids in the grade."""
    monkeypatch.setenv("MLGRADE_TEST_CANARY", canary)
    spec = tomllib.loads((case / "submission.toml").read_text())
    catalog = catalog_of(spec["exercise"])
    exercise = catalog.get(spec["exercise"])
    submission = crafted_submission(case, spec, exercise, tmp_path / "submission")

    started = time.monotonic()
    grade = grade_submission(submission, catalog, runner, exercise_id=exercise.id)
    elapsed = time.monotonic() - started

    assert grade.status is GradeStatus.GRADED, grade.reason
    # A grade is bounded by twice time_seconds (PhaseBudgets), engine overhead aside.
    assert elapsed <= phase_budgets(exercise).grade + ENGINE_SECONDS, elapsed
    report = json.dumps(grade_to_dict(grade))
    assert canary not in report
    leaked = [s for s in hidden_signatures(exercise) if s in report]
    assert not leaked, f"hidden test source in the report: {leaked[:2]}"
    assert not [s for s in spec.get("forbid_in_grade", []) if s in report]
    if "correctness" in spec:
        assert grade.correctness is not None and grade.correctness.score == spec["correctness"]
    own = grade.own_tests
    if "own_tests" in spec:
        assert own is not None
        assert own.score == spec["own_tests"], [(m.id, m.caught, m.note) for m in own.mutants]
    if "own_reason" in spec:
        assert own is not None and spec["own_reason"] in own.reason, own.reason
    if "own_tests_count" in spec:
        assert own is not None and own.tests == spec["own_tests_count"]
    if "branch_coverage_max" in spec:
        assert own is not None
        assert own.branch_coverage is None or own.branch_coverage <= spec["branch_coverage_max"]
    if "wrong_tests" in spec:
        assert own is not None
        assert set(spec["wrong_tests"]) <= {t.split("::")[-1] for t in own.wrong_tests}
