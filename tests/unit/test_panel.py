"""The calibration panel file and the rank agreement it is judged by (plain data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import CatalogError
from grader.panel import load_panel, spearman


def test_spearman_is_one_for_the_same_order_and_minus_one_for_the_reverse():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(-1.0)


def test_spearman_shares_ranks_between_ties():
    # ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 -> Pearson of the ranks
    assert spearman([1, 5, 5, 9], [1, 2, 3, 4]) == pytest.approx(0.9487, abs=1e-4)


def test_spearman_is_undefined_for_constant_or_tiny_panels():
    assert spearman([3, 3, 3], [1, 2, 3]) is None
    assert spearman([1, 2], [1, 2]) is None


def write_panel(root: Path, body: str) -> None:
    (root / "panel" / "a").mkdir(parents=True)
    (root / "panel" / "panel.toml").write_text(body)


def test_a_panel_case_reads_its_bands_and_none_for_an_absent_score(tmp_path: Path):
    write_panel(
        tmp_path,
        '[[cases]]\npath = "a"\nstyle = "s"\nmark = 70\ncorrectness = [60, 90]\nquality = "none"\n',
    )
    (case,) = load_panel(tmp_path)
    assert case.mark == 70.0
    assert case.bands == (("correctness", (60.0, 90.0)), ("quality", None))


def test_a_panel_field_that_is_not_a_score_is_refused(tmp_path: Path):
    write_panel(tmp_path, '[[cases]]\npath = "a"\nstyle = "s"\nmark = 70\nvibes = [1, 2]\n')
    with pytest.raises(CatalogError, match="vibes"):
        load_panel(tmp_path)


def test_an_exercise_without_a_panel_has_no_cases(tmp_path: Path):
    assert load_panel(tmp_path) == ()


def test_a_stored_case_is_laid_over_the_current_bundle(tmp_path: Path):
    from grader.bundle import MARKER_FILE, lay_over_bundle
    from grader.catalog import Catalog, default_exercises_dir

    exercise = Catalog(default_exercises_dir()).get("feature-scaler")
    case = tmp_path / "case"
    case.mkdir()
    (case / "scaler.ipynb").write_text("{}")
    (case / "NOTES.md").write_text("mine")
    whole = lay_over_bundle(exercise, case, tmp_path / "whole")
    assert (whole / "README.md").read_text() == exercise.brief.read_text()
    assert (whole / "public_tests" / "test_public.py").is_file()
    assert (whole / MARKER_FILE).is_file() and (whole / "NOTES.md").read_text() == "mine"
    assert not (whole / "scaler.py").exists(), "a notebook hand-in gets no starter module beside it"
