"""Notebook submissions through the real pipeline: a kernel in the sandbox, the hidden tests.

Every exercise's reference solution, cut into cells with markdown between and the usual
notebook habits (``%matplotlib inline``, ``!pip install``), must score what the .py scores.
Broken notebooks must be graded honestly: a raising cell, a cell that never ends, ``input()``,
huge outputs and an old nbformat are reported cell by cell and never end the grade.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from grader.catalog import Catalog, default_exercises_dir
from grader.errors import IntakeError
from grader.exitcodes import ExitCode
from grader.grading import grade_submission
from grader.model import Grade
from grader.notebooks import ARTIFACT_CAP, exercise_modules

from ..notebooks import convert_solution, notebook_from_source

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = Catalog(default_exercises_dir())
SCALER = default_exercises_dir() / "feature-scaler" / "solution" / "scaler.py"


def scaler_notebook(dest: Path, *extra: str, at: int = 2) -> Path:
    """feature-scaler's solution as a notebook, with ``extra`` code cells inserted at ``at``."""
    nb = notebook_from_source(SCALER.read_text(encoding="utf-8"))
    for offset, source in enumerate(extra):
        nb.cells.insert(at + offset, new_code_cell(source))
    dest.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest / "scaler.ipynb")
    return dest


def grade_scaler(path: Path, runner) -> Grade:  # type: ignore[no-untyped-def]
    return grade_submission(path, BUNDLED, runner, exercise_id="feature-scaler")


def cell(grade: Grade, number: int):  # type: ignore[no-untyped-def]
    assert grade.notebook is not None
    return next(c for c in grade.notebook.cells if c.number == number)


@pytest.mark.docker
@pytest.mark.parametrize(
    "exercise_id",
    [e.id for e in BUNDLED.all() if e.runs_code],  # a memo has no module
)
def test_solution_as_a_notebook_scores_like_the_py(
    exercise_id, runner, tmp_path, no_leftover_containers
):  # type: ignore[no-untyped-def]
    exercise = BUNDLED.get(exercise_id)
    module = exercise_modules(exercise)[0]
    convert_solution(exercise.solution_dir, module, tmp_path / "nb")
    as_py = grade_submission(exercise.solution_dir, BUNDLED, runner, exercise_id=exercise_id)
    as_nb = grade_submission(tmp_path / "nb", BUNDLED, runner, exercise_id=exercise_id)
    assert as_py.correctness is not None and as_nb.correctness is not None
    assert as_nb.correctness.score == as_py.correctness.score == 100.0, [
        (t.id, t.reason) for t in as_nb.correctness.failed
    ]
    if as_py.own_tests is not None:  # the candidate's own tests import the notebook's code
        assert as_nb.own_tests is not None
        assert as_nb.own_tests.score == as_py.own_tests.score
    report = as_nb.notebook
    assert report is not None and report.problem == ""
    assert report.modules == (module.removesuffix(".py"),)
    assert [c.number for c in report.cells if c.status != "ok"] == []
    assert cell(as_nb, 2).skipped == ("!pip install numpy",)
    assert any(n.startswith("graded the notebook") for n in as_nb.notes)
    assert json.loads(report.executed)["cells"][-1]["outputs"], "the artifact keeps outputs"


@pytest.mark.docker
def test_a_cell_that_raises_is_reported_and_later_definitions_are_graded(runner, tmp_path):  # type: ignore[no-untyped-def]
    raising = "raise RuntimeError('boom mid-notebook')"
    grade = grade_scaler(scaler_notebook(tmp_path, raising), runner)
    assert grade.correctness is not None and grade.correctness.score == 100.0
    raised = cell(grade, 3)
    assert (raised.status, raised.detail) == ("error", "RuntimeError: boom mid-notebook")
    assert any("cell 3 error: RuntimeError" in line for line in grade.notebook.summary_lines())


@pytest.mark.docker
def test_a_cell_that_never_ends_is_interrupted_and_the_rest_still_runs(runner, tmp_path):  # type: ignore[no-untyped-def]
    grade = grade_scaler(scaler_notebook(tmp_path, "while True:\n    pass"), runner)
    assert grade.correctness is not None and grade.correctness.score == 100.0
    assert cell(grade, 3).status == "timeout"
    assert "interrupted after 10 s" in cell(grade, 3).detail


@pytest.mark.docker
def test_a_cell_that_ignores_the_interrupt_stops_the_notebook(
    runner, tmp_path, no_leftover_containers
):  # type: ignore[no-untyped-def]
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(60)\n    except KeyboardInterrupt:\n        pass"  # noqa: E501
    grade = grade_scaler(scaler_notebook(tmp_path, stubborn), runner)
    assert grade.correctness is not None and grade.correctness.score == 0.0
    assert cell(grade, 3).status == "timeout"
    assert "kernel was stopped" in cell(grade, 3).detail
    assert {c.status for c in grade.notebook.cells if c.number > 3} == {"not_run"}
    reasons = {t.reason for t in grade.correctness.failed}
    assert any("notebook cell 3 stopped the run" in r for r in reasons), reasons


@pytest.mark.docker
def test_input_and_shell_escapes_are_not_fatal(runner, tmp_path):  # type: ignore[no-untyped-def]
    cells = ("name = input('your name? ')", "files = !ls\n%pip install torch", "%%bash\nrm -rf /")
    grade = grade_scaler(scaler_notebook(tmp_path, *cells), runner)
    assert grade.correctness is not None and grade.correctness.score == 100.0
    assert cell(grade, 3).status == "error" and "raw_input" in cell(grade, 3).detail
    assert cell(grade, 4).skipped == ("files = !ls", "%pip install torch")
    assert cell(grade, 5).status == "skipped"


@pytest.mark.docker
def test_huge_cell_output_is_capped(runner, tmp_path, no_leftover_containers):  # type: ignore[no-untyped-def]
    flood = "for _ in range(100_000):\n    print('x' * 1000)"
    grade = grade_scaler(scaler_notebook(tmp_path, flood), runner)
    assert grade.correctness is not None and grade.correctness.score == 100.0
    assert cell(grade, 3).output_dropped > 50_000_000
    assert len(grade.notebook.executed.encode()) <= ARTIFACT_CAP


@pytest.mark.docker
def test_nbformat_3_is_upgraded_and_graded(runner, tmp_path):  # type: ignore[no-untyped-def]
    from nbformat import v3

    nb4 = notebook_from_source(SCALER.read_text(encoding="utf-8"), habits=False)
    cells = [
        v3.new_code_cell(input=c.source) if c.cell_type == "code" else v3.new_text_cell(
            "markdown", source=c.source)
        for c in nb4.cells
    ]  # fmt: skip
    nb3 = v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])
    (tmp_path / "scaler.ipynb").write_text(v3.writes_json(nb3), encoding="utf-8")
    assert json.loads((tmp_path / "scaler.ipynb").read_text())["nbformat"] == 3
    grade = grade_scaler(tmp_path, runner)
    assert grade.correctness is not None and grade.correctness.score == 100.0
    assert "upgraded scaler.ipynb from nbformat 3 to 4" in grade.notes


@pytest.mark.docker
def test_saved_outputs_a_clean_run_does_not_reproduce_are_flagged(runner, tmp_path):  # type: ignore[no-untyped-def]
    folder = scaler_notebook(tmp_path, "counter = 41", "counter += 1\nprint(counter)")
    path = folder / "scaler.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="43\n")]
    nb.cells[3].execution_count, nb.cells[2].execution_count = 2, 5
    nbformat.write(nb, path)
    grade = grade_scaler(tmp_path, runner)
    assert grade.notebook is not None
    assert grade.notebook.stale_cells == (4,)
    assert grade.notebook.out_of_order
    executed = nbformat.reads(grade.notebook.executed, as_version=4)
    assert executed.cells[3].outputs[0]["text"] == "42\n"


@pytest.mark.docker
def test_lint_findings_name_the_cell(runner, tmp_path):  # type: ignore[no-untyped-def]
    grade = grade_scaler(scaler_notebook(tmp_path, "import os"), runner)
    assert grade.quality is not None
    unused = [f for f in grade.quality.findings if f.code == "F401"]
    assert [(f.file, f.cell, f.line) for f in unused] == [("scaler.ipynb", 3, 1)]
    assert unused[0].where == "scaler.ipynb cell 3:1"


@pytest.mark.docker
def test_markdown_cells_are_the_diagnosis_when_there_is_no_diagnosis_file(runner, tmp_path):  # type: ignore[no-untyped-def]
    exercise = BUNDLED.get("debug-training")
    with_file = grade_submission(exercise.solution_dir, BUNDLED, runner, exercise_id=exercise.id)
    convert_solution(exercise.solution_dir, "train.py", tmp_path)
    diagnosis = (tmp_path / "DIAGNOSIS.md").read_text(encoding="utf-8")
    (tmp_path / "DIAGNOSIS.md").unlink()
    path = tmp_path / "train.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"] + [new_markdown_cell(diagnosis)]
    nbformat.write(nb, path)
    in_notebook = grade_submission(tmp_path, BUNDLED, runner, exercise_id=exercise.id)
    assert with_file.reasoning is not None and in_notebook.reasoning is not None
    assert in_notebook.reasoning.score == with_file.reasoning.score > 50


@pytest.mark.docker
def test_a_lone_notebook_file_is_recognised_and_graded(runner, tmp_path):  # type: ignore[no-untyped-def]
    folder = scaler_notebook(tmp_path / "nb")
    lone = tmp_path / "my_work.ipynb"
    shutil.copy(folder / "scaler.ipynb", lone)
    grade = grade_submission(lone, BUNDLED, runner, exercise_id="feature-scaler")
    assert grade.correctness is not None and grade.correctness.score == 100.0
    assert grade.submission.kind == "notebook"
    recognised = grade_submission(folder / "scaler.ipynb", BUNDLED, runner)
    assert recognised.exercise_id == "feature-scaler"


def test_a_notebook_that_is_not_json_is_refused_by_name(tmp_path):
    bad = tmp_path / "scaler.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(IntakeError) as refused:
        grade_submission(bad, BUNDLED, runner=None, exercise_id="feature-scaler")  # type: ignore[arg-type]
    assert "scaler.ipynb is not a notebook: it is not valid JSON" in refused.value.message


@pytest.mark.docker
def test_a_round_mixing_notebooks_and_py_files_keeps_each_executed_notebook(tmp_path, runner):  # type: ignore[no-untyped-def]
    subs = tmp_path / "subs"
    folder = scaler_notebook(tmp_path / "nb", "raise ValueError('half done')")
    subs.mkdir()
    shutil.copy(folder / "scaler.ipynb", subs / "alice.ipynb")
    shutil.copytree(SCALER.parent, subs / "bob")
    (subs / "carol.ipynb").write_text("not json at all")
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "batch", str(subs), "--out", str(tmp_path / "out"),
         "-e", "feature-scaler", "-j", "2"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr
    results = tmp_path / "out" / "results"
    alice = json.loads((results / "alice.json").read_text())
    assert alice["correctness"]["score"] == 100.0
    assert alice["notebook"]["cells"][1]["detail"] == "ValueError: half done"
    executed = nbformat.read(results / "alice.executed.ipynb", as_version=4)
    assert executed.cells[2].metadata["mlgrade"]["status"] == "error"
    # alice's notebook is the reference solution cut into cells: its code is still compared.
    assert any("nearly identical to the reference" in flag for flag in alice["flags"])
    assert json.loads((results / "bob.json").read_text())["correctness"]["score"] == 100.0
    assert not (results / "bob.executed.ipynb").exists()
    assert "carol" in proc.stdout + proc.stderr
    assert "carol.ipynb is not a notebook" in (proc.stdout + proc.stderr).replace("\n", " ")


def test_the_cli_refuses_a_broken_notebook_with_a_message_not_a_traceback(tmp_path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "scaler.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "grader", str(bad), "-e", "feature-scaler"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == int(ExitCode.SUBMISSION), proc.stderr
    assert "scaler.ipynb is not a notebook: it is not valid JSON" in proc.stderr
    assert "Traceback" not in proc.stderr


class Recorded:
    """A runner that keeps each grade's RunRecord (its phases say whether a warm kernel ran)."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.records = inner, []

    def run(self, exercise, workspace, seed):  # type: ignore[no-untyped-def]
        self.records.append(self.inner.run(exercise, workspace, seed))
        return self.records[-1]


@pytest.mark.docker
def test_a_spare_after_a_notebook_starts_its_kernel_before_the_job(
    docker_client, sandbox_image, tmp_path, no_leftover_containers
):  # type: ignore[no-untyped-def]
    """A worker's spare after a notebook grade starts a kernel while it waits (sandbox
    warm.py); the next notebook is graded on it exactly as on a cold one, a raising cell and
    all, and a .py grade that lands on a warm spare is graded as usual."""
    from grader.runner.docker_runner import DockerRunner

    inner = DockerRunner(docker_client, sandbox_image)
    inner.keep_spare()
    runner = Recorded(inner)
    try:
        first = grade_scaler(scaler_notebook(tmp_path / "a"), runner)
        raising = "raise RuntimeError('boom mid-notebook')"
        second = grade_scaler(scaler_notebook(tmp_path / "b", raising), runner)
        plain = tmp_path / "py"
        plain.mkdir()
        shutil.copy(SCALER, plain / "scaler.py")
        third = grade_scaler(plain, runner)
    finally:
        inner.close()
    phases = [dict(r.timings) for r in runner.records]
    assert "in:warm_kernel_ahead" not in phases[0]  # the first grade had no spare
    assert phases[1]["in:warm_kernel_ahead"] > 0  # its kernel started before the job
    assert "in:warm_kernel_ahead" not in phases[2]  # a .py job: the warm runner was stopped
    for grade in (first, second, third):
        assert grade.correctness is not None and grade.correctness.score == 100.0
    raised = cell(second, 3)
    assert (raised.status, raised.detail) == ("error", "RuntimeError: boom mid-notebook")
    assert [c.status for c in first.notebook.cells if c.status != "ok"] == []  # type: ignore[union-attr]
