"""Every exercise's shipped calibration diagnoses score inside their bands (no sandbox)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import default_exercises_dir
from grader.scoring.calibration import check_diagnoses

WITH_RUBRIC = sorted(
    p.parent.parent.name for p in default_exercises_dir().glob("*/hidden/rubric.toml")
)


@pytest.mark.parametrize("exercise_id", WITH_RUBRIC)
def test_calibration_diagnoses_land_in_their_bands(exercise_id):
    checks = check_diagnoses(default_exercises_dir() / exercise_id)
    assert checks, f"{exercise_id} ships a rubric but no hidden/diagnoses/bands.toml"
    failing = [(c.file, c.fixed, c.band, c.score) for c in checks if not c.passed]
    assert not failing, failing


def test_an_exercise_without_a_calibration_set_has_nothing_to_check(tmp_path: Path):
    assert check_diagnoses(tmp_path) == []
