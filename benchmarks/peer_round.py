"""The round of ``peers.py``: 20 submissions of the ``zscore`` exercise (benchmarks/peers), half
correct and half with a bug, written at run time as ``.py`` folders, as Jupyter notebooks, and
in the layouts nbgrader and otter-grader read, with the same checks for every grader.

Nothing here is committed output: ``peers.py`` writes it all under a temporary folder.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "benchmarks" / "peers"
EXERCISE_ID = "zscore"
MODULE = "zscore.py"
NOTEBOOK = "zscore.ipynb"
SIZE = 20

HEAD = '"""Column-wise z-score."""\n\nimport numpy as np\n\n\n'
CORRECT = (
    """def zscore(X):
    data = np.asarray(X, dtype=float)
    scale = data.std(axis=0)
    scale[scale == 0.0] = 1.0
    return (data - data.mean(axis=0)) / scale
""",
    """def zscore(X):
    data = np.array(X, dtype=float)
    mean = data.mean(axis=0)
    std = np.sqrt(((data - mean) ** 2).mean(axis=0))
    return (data - mean) / np.where(std > 0, std, 1.0)
""",
)
BUGGY = (
    # the sample std (ddof=1): every value is off by sqrt((n - 1) / n)
    """def zscore(X):
    data = np.asarray(X, dtype=float)
    scale = data.std(axis=0, ddof=1)
    scale[scale == 0.0] = 1.0
    return (data - data.mean(axis=0)) / scale
""",
    # no guard for a constant column: 0 / 0 gives NaN there
    """def zscore(X):
    data = np.asarray(X, dtype=float)
    return (data - data.mean(axis=0)) / data.std(axis=0)
""",
)

VALUES_CHECK = """\
import numpy as np
X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 60.0]])
column = (np.array([1.0, 2.0, 3.0, 6.0]) - 3.0) / np.sqrt(3.5)
got = np.asarray(zscore(X.copy()), dtype=float)
assert np.allclose(got, np.column_stack([column, column])), "known matrix: wrong z-scores"
X = np.random.default_rng(7).normal(5.0, 3.0, size=(40, 4))
want = (X - X.mean(axis=0)) / X.std(axis=0)
got = np.asarray(zscore(X.copy()), dtype=float)
assert np.allclose(got, want), "columns must use the population std (ddof=0)"
"""
EDGES_CHECK = """\
import numpy as np
X = np.random.default_rng(8).normal(size=(10, 3))
X[:, 1] = 7.0
got = np.asarray(zscore(X.copy()), dtype=float)
assert np.isfinite(got).all(), "a constant column must not give inf or NaN"
assert np.allclose(got[:, 1], 0.0), "a constant column must become zeros"
X = np.array([[1.0, 2.0], [3.0, 5.0], [5.0, 11.0]])
before = X.copy()
from_array = np.asarray(zscore(X), dtype=float)
assert np.array_equal(X, before), "zscore must not modify its input"
assert np.allclose(np.asarray(zscore(X.tolist()), dtype=float), from_array), "lists must work"
"""
CHECKS = {"values": VALUES_CHECK, "edges": EDGES_CHECK}
POINTS = {"values": 4, "edges": 2}
"""Each group's weight in exercise.toml, as nbgrader and otter points."""
"""The hidden tests' checks (benchmarks/peers/zscore/hidden/tests), written as plain asserts on
a global ``zscore`` for the graders that run tests in the notebook's namespace. Fixed seeds
stand in for mlgrade's keyed ones."""


@dataclass(frozen=True)
class Submission:
    """One candidate: a name, the module's source, and whether it should pass every check."""

    name: str
    source: str
    correct: bool


def submissions(size: int = SIZE) -> list[Submission]:
    """``size`` submissions: even ones correct, odd ones buggy, each unique by a comment."""
    made = []
    for index in range(size):
        correct = index % 2 == 0
        bodies = CORRECT if correct else BUGGY
        body = bodies[(index // 2) % len(bodies)]
        source = f"{HEAD}{body}\n\n# submitted by candidate {index}\n"
        made.append(Submission(f"cand{index:02d}", source, correct))
    return made


def notebook(source: str) -> nbformat.NotebookNode:
    """A candidate's notebook: a heading, the code, and a cell that tries it, as people write."""
    nb = new_notebook(
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
    )
    nb.cells = [
        new_markdown_cell("# Column-wise z-score"),
        new_code_cell(source),
        new_code_cell("zscore([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]])"),
    ]
    return nb


def write_py_round(dest: Path, made: list[Submission]) -> Path:
    """``dest/<name>/zscore.py`` for each submission."""
    for sub in made:
        (dest / sub.name).mkdir(parents=True)
        (dest / sub.name / MODULE).write_text(sub.source, encoding="utf-8")
    return dest


def write_notebook_round(dest: Path, made: list[Submission]) -> Path:
    """``dest/<name>/zscore.ipynb`` for each submission."""
    for sub in made:
        (dest / sub.name).mkdir(parents=True)
        nbformat.write(notebook(sub.source), dest / sub.name / NOTEBOOK)
    return dest


def _nbgrader_cell(cell: nbformat.NotebookNode, grade_id: str, points: int = 0) -> None:
    """Mark a cell as nbgrader's solution cell (points 0) or an autograded test cell."""
    cell.metadata["nbgrader"] = {
        "grade": points > 0,
        "grade_id": grade_id,
        "locked": points > 0,
        "schema_version": 3,
        "solution": points == 0,
        "task": False,
        **({"points": points} if points else {}),
    }


def write_nbgrader_source(course: Path) -> Path:
    """The instructor's notebook, ``source/ps1/zscore.ipynb`` (a solution cell and one hidden
    test cell per group), and the course's ``nbgrader_config.py``. Returns the course folder."""
    nb = notebook("### BEGIN SOLUTION\n" + CORRECT[0] + "### END SOLUTION\n")
    _nbgrader_cell(nb.cells[1], "zscore-solution")
    for group, check in CHECKS.items():
        cell = new_code_cell(f"### BEGIN HIDDEN TESTS\n{check}### END HIDDEN TESTS\n")
        _nbgrader_cell(cell, f"test-{group}", points=POINTS[group])
        nb.cells.append(cell)
    (course / "source" / "ps1").mkdir(parents=True)
    nbformat.write(nb, course / "source" / "ps1" / NOTEBOOK)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'peers'\n"
        # The per-cell timeout is mlgrade's per-test timeout for this exercise.
        "c.ExecutePreprocessor.timeout = 10\n",
        encoding="utf-8",
    )
    return course


def write_nbgrader_submissions(course: Path, made: list[Submission]) -> None:
    """``submitted/<name>/ps1/zscore.ipynb``: the released notebook (from ``nbgrader
    generate_assignment``) with the candidate's code in its solution cell."""
    release = nbformat.read(course / "release" / "ps1" / NOTEBOOK, as_version=4)
    for sub in made:
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = sub.source
        folder = course / "submitted" / sub.name / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)


def write_otter_tests(tests: Path) -> Path:
    """One otter exception-based test file per group, the checks as one hidden test case."""
    tests.mkdir(parents=True)
    for group, check in CHECKS.items():
        body = textwrap.indent(check, "    ")
        (tests / f"{group}.py").write_text(
            "from otter.test_files import test_case\n\n"
            f"OK_FORMAT = False\nname = {group!r}\npoints = {POINTS[group]}\n\n\n"
            f"@test_case(points={POINTS[group]}, hidden=True)\ndef test_{group}(zscore):\n{body}",
            encoding="utf-8",
        )
    return tests
