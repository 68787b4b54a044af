"""Every exercise's shipped calibration diagnoses score inside their bands (no sandbox)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import default_exercises_dir, load_exercise
from grader.errors import CatalogError
from grader.scoring.calibration import check_diagnoses

WITH_RUBRIC = sorted(
    p.parent.parent.name for p in default_exercises_dir().glob("*/hidden/rubric.toml")
)


@pytest.mark.parametrize("exercise_id", WITH_RUBRIC)
def test_calibration_diagnoses_land_in_their_bands(exercise_id):
    exercise = load_exercise(default_exercises_dir() / exercise_id)
    checks = check_diagnoses(
        exercise.root, written_only=not exercise.runs_code, diagnosis=exercise.diagnoses
    )
    assert checks, f"{exercise_id} ships a rubric but no hidden/diagnoses/bands.toml"
    failing = [(c.file, c.fixed, c.band, c.score) for c in checks if not c.passed]
    assert not failing, failing


def test_an_exercise_without_a_calibration_set_has_nothing_to_check(tmp_path: Path):
    assert check_diagnoses(tmp_path) == []


def _calibration(tmp_path: Path, fixed: str) -> Path:
    hidden = tmp_path / "hidden"
    (hidden / "diagnoses").mkdir(parents=True)
    (hidden / "rubric.toml").write_text(
        '[[problems]]\nid = "p"\ngroup = "g"\ntitle = "t"\n'
        '[[problems.concepts]]\nkind = "mechanism"\nphrases = ["scaler fit all rows"]\n'
        '[[problems]]\nid = "q"\ngroup = "h"\ntitle = "u"\n'
        '[[problems.concepts]]\nkind = "mechanism"\nphrases = ["labels shuffled apart"]\n',
        encoding="utf-8",
    )
    (hidden / "diagnoses" / "d.md").write_text(
        "The scaler was fit on all rows. The labels were shuffled apart.\n", encoding="utf-8"
    )
    (hidden / "diagnoses" / "bands.toml").write_text(
        f'[[diagnoses]]\nfile = "d.md"\nfixed = {fixed}\nband = [0, 100]\n', encoding="utf-8"
    )
    return tmp_path


def test_a_calibration_entry_can_name_the_groups_that_pass(tmp_path: Path):
    (check,) = check_diagnoses(_calibration(tmp_path, '["g"]'))
    assert check.fixed == "g"
    assert check.score == round(100 * (1 + 0.25) / 2, 2)


def test_a_calibration_entry_naming_an_unknown_group_is_refused(tmp_path: Path):
    with pytest.raises(CatalogError, match=r"names unknown groups \['zz'\]"):
        check_diagnoses(_calibration(tmp_path, '["zz"]'))
