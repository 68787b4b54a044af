"""Whole-submission attacks (tests/attacks/submissions/<case>/), written blind by a red team
that had only the README and the source, with the expected outcome in ``attack.toml`` set
before anything was graded. Each case is graded through the real pipeline against the
exercise it names, and must meet every expectation it states."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from grader.bundle import lay_over_bundle
from grader.catalog import Catalog, default_exercises_dir
from grader.grading import grade_submission
from grader.model import Grade
from grader.reports.json_report import grade_to_dict

CASES = Path(__file__).resolve().parents[1] / "attacks" / "submissions"
CATALOG = Catalog(default_exercises_dir())
SCORE_OF = {
    "correctness": lambda g: g.correctness.score if g.correctness else None,
    "quality": lambda g: g.quality.score if g.quality else None,
    "tests": lambda g: g.own_tests.score if g.own_tests else None,
    "reasoning": lambda g: g.reasoning.score if g.reasoning else None,
    "total": lambda g: g.total.score if g.total else None,
}


def case_params() -> list:
    """Every case; one the grader cannot hold yet says why in ``known_limit`` and runs as a
    strict expected failure, so it shows up the day it starts to hold."""
    params = []
    for path in sorted(CASES.glob("*/attack.toml")):
        limit = tomllib.loads(path.read_text())["expected"].get("known_limit")
        marks = [pytest.mark.xfail(reason=limit, strict=True)] if limit else []
        params.append(pytest.param(path.parent, id=path.parent.name, marks=marks))
    return params


def prepared(case: Path, exercise_id: str, tmp_path: Path) -> Path:
    """The case's files laid over the exercise's bundle in a private copy (a case stores only
    what its author wrote), with any generated files written into it."""
    exercise, stored = CATALOG.get(exercise_id), case / "submission"
    submission = lay_over_bundle(exercise, stored, tmp_path / "submission")
    if tomllib.loads((case / "attack.toml").read_text()).get("base") == "solution":
        for module in exercise.solution_dir.rglob("*.py"):
            relative = module.relative_to(exercise.solution_dir)
            if not (stored / relative).exists():  # the case's own files come first
                shutil.copy2(module, submission / relative)
    generator = case / "generate.py"
    if generator.is_file():
        subprocess.run([sys.executable, str(generator), str(submission)], check=True)
    return submission


def broken_expectations(grade: Grade, expected: dict, seconds: float) -> list[str]:
    problems = []
    if grade.status.value != expected.get("status", "graded"):
        problems.append(f"status {grade.status.value} ({grade.reason})")
    for name, score in SCORE_OF.items():
        value = score(grade)
        low, high = expected.get(f"{name}_min"), expected.get(f"{name}_max")
        if low is not None and (value is None or value < low):
            problems.append(f"{name} {value} < {low}")
        if high is not None and value is not None and value > high:
            problems.append(f"{name} {value} > {high}")
    document = json.dumps(grade_to_dict(grade), ensure_ascii=False)
    problems += [
        f"grade contains {t!r}" for t in expected.get("no_text_in_grade", []) if t in document
    ]
    if seconds > expected.get("max_seconds", 300):
        problems.append(f"took {seconds:.0f} s > {expected['max_seconds']} s")
    return problems


@pytest.mark.docker
@pytest.mark.parametrize("case", case_params())
def test_blind_attack_submission_earns_nothing_it_did_not(case, runner, tmp_path):
    spec = tomllib.loads((case / "attack.toml").read_text())
    submission = prepared(case, spec["exercise"], tmp_path)
    started = time.monotonic()
    grade = grade_submission(submission, CATALOG, runner, exercise_id=spec["exercise"])
    problems = broken_expectations(grade, spec["expected"], time.monotonic() - started)
    assert not problems, f"{spec['goal']}: {problems}"
