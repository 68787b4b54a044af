"""The brief's import promise holds in real containers: candidate code imports only what the
exercise's ``requirements`` declare (with their dependencies) and the standard library.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from grader.catalog import Catalog, default_exercises_dir
from grader.grading import grade_submission

from ..notebooks import notebook_from_source

BUNDLED = Catalog(default_exercises_dir())
SCALER_SOLUTION = BUNDLED.get("feature-scaler").solution_dir
REFUSED = "scikit-learn is not available in this exercise: its requirements are numpy"


@pytest.mark.docker
def test_a_numpy_only_solution_that_imports_sklearn_scores_zero_and_says_why(
    runner, tmp_path, no_leftover_containers
):  # type: ignore[no-untyped-def]
    submission = tmp_path / "wrapper"
    shutil.copytree(SCALER_SOLUTION, submission)
    scaler = submission / "scaler.py"
    source = scaler.read_text(encoding="utf-8")
    future = "from __future__ import annotations\n"
    assert future in source  # the import goes at the top, after the one line that must lead
    scaler.write_text(source.replace(future, future + "import sklearn\n", 1), encoding="utf-8")
    grade = grade_submission(submission, BUNDLED, runner, exercise_id="feature-scaler")
    assert grade.correctness is not None and grade.correctness.score == 0.0
    reasons = {t.reason for t in grade.correctness.failed}
    assert reasons and all(REFUSED in r for r in reasons), reasons


@pytest.mark.docker
def test_an_exercise_that_declares_scikit_learn_still_grades_its_reference_at_100(
    runner, no_leftover_containers
):  # type: ignore[no-untyped-def]
    exercise = BUNDLED.get("fix-leakage")
    assert "scikit-learn" in exercise.requirements
    grade = grade_submission(exercise.solution_dir, BUNDLED, runner, exercise_id="fix-leakage")
    assert grade.correctness is not None
    assert grade.correctness.score == 100.0, [(t.id, t.reason) for t in grade.correctness.failed]


@pytest.mark.docker
def test_a_notebook_plots_and_is_graded_while_its_undeclared_import_cell_fails(
    runner, tmp_path, no_leftover_containers
):  # type: ignore[no-untyped-def]
    nb = notebook_from_source((SCALER_SOLUTION / "scaler.py").read_text(encoding="utf-8"))
    plot = "import matplotlib.pyplot as plt\nfrom IPython.display import display\nplt.plot([1, 2])"
    nb.cells.insert(2, new_code_cell(plot))
    nb.cells.insert(3, new_code_cell("import sklearn"))
    nbformat.write(nb, tmp_path / "scaler.ipynb")
    grade = grade_submission(tmp_path, BUNDLED, runner, exercise_id="feature-scaler")
    assert grade.correctness is not None and grade.correctness.score == 100.0
    assert grade.notebook is not None
    cells = {c.number: c for c in grade.notebook.cells}
    assert cells[2].status == "ok"  # %matplotlib inline
    assert cells[3].status == "ok", cells[3].detail
    assert (cells[4].status, cells[4].detail) == (
        "error",
        f"ModuleNotFoundError: {REFUSED} (a notebook may also use ipykernel, ipython, matplotlib)",
    )
