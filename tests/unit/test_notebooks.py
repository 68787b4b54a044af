"""Notebook handling on plain data: which notebook is graded, what is refused, what is reported,
and how the sandbox's cell rewriting treats shell escapes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v3
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.catalog import Catalog, default_exercises_dir
from grader.errors import IntakeError
from grader.grading import diagnosis_text
from grader.intake import open_workspace
from grader.model import LintReport, SourceKind
from grader.notebooks import (
    NotebookPlan,
    load_notebook,
    out_of_order,
    plan_notebook,
    read_run,
    stale_cells,
)
from grader.reports.json_report import grade_from_dict, grade_to_dict
from grader.scoring.quality import score_quality

HARNESS = Path(__file__).resolve().parents[2] / "sandbox" / "harness"
BUNDLED = Catalog(default_exercises_dir())
SCALER = BUNDLED.get("feature-scaler")


def write_nb(path: Path, *cells: nbformat.NotebookNode) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


@pytest.fixture
def grader_source():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(HARNESS))
    try:
        from cells import grader_source

        yield grader_source
    finally:
        sys.path.remove(str(HARNESS))


def test_text_that_is_not_json_is_refused_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "scaler.ipynb"
    bad.write_text("<html>not a notebook</html>")
    with pytest.raises(IntakeError, match=r"scaler.ipynb is not a notebook: it is not valid JSON"):
        load_notebook(bad, "scaler.ipynb")


def test_json_that_is_not_a_notebook_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "scaler.ipynb"
    bad.write_text(json.dumps([1, 2, 3]))
    with pytest.raises(IntakeError, match="JSON without notebook cells"):
        load_notebook(bad, "scaler.ipynb")
    bad.write_text(json.dumps({"cells": "nope", "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(IntakeError, match="is not a valid notebook"):
        load_notebook(bad, "scaler.ipynb")


def test_intake_upgrades_nbformat_3_and_marks_a_lone_notebook(tmp_path: Path) -> None:
    cells = [v3.new_code_cell(input="def f():\n    return 1"), v3.new_text_cell("markdown", "hi")]
    old = tmp_path / "work.ipynb"
    old.write_text(v3.writes_json(v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)])))
    with open_workspace(old) as workspace:
        assert workspace.kind is SourceKind.NOTEBOOK
        assert "upgraded work.ipynb from nbformat 3 to 4" in workspace.notes
        nb = nbformat.read(workspace.root / "work.ipynb", as_version=4)
        assert nb.nbformat == 4
        assert [c.cell_type for c in nb.cells] == ["code", "markdown"]
        assert nb.cells[0].source == "def f():\n    return 1"
    assert json.loads(old.read_text())["nbformat"] == 3, "the candidate's file is untouched"


def test_a_named_notebook_stands_for_its_module_and_a_py_file_wins(tmp_path: Path) -> None:
    write_nb(tmp_path / "a" / "scaler.ipynb", new_code_cell("x = 1"))
    write_nb(tmp_path / "a" / "explore.ipynb", new_code_cell("y = 2"))
    with open_workspace(tmp_path / "a") as workspace:
        assert plan_notebook(SCALER, workspace) == NotebookPlan("scaler.ipynb", ("scaler",))
        assert BUNDLED.recognise(workspace).id == "feature-scaler"
    (tmp_path / "a" / "scaler.py").write_text("x = 1\n")
    with open_workspace(tmp_path / "a") as workspace:
        assert plan_notebook(SCALER, workspace) is None


def test_a_lone_notebook_stands_for_the_module_but_two_unnamed_ones_do_not(tmp_path: Path) -> None:
    write_nb(tmp_path / "one" / "my_work.ipynb", new_code_cell("x = 1"))
    with open_workspace(tmp_path / "one") as workspace:
        assert plan_notebook(SCALER, workspace) == NotebookPlan("my_work.ipynb", ("scaler",))
    write_nb(tmp_path / "one" / "other.ipynb", new_code_cell("x = 1"))
    with open_workspace(tmp_path / "one") as workspace:
        assert plan_notebook(SCALER, workspace) is None


def test_the_graded_notebook_must_be_valid_but_an_extra_one_need_not(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "scaler.ipynb").write_text("{broken")
    with open_workspace(tmp_path / "s") as workspace, pytest.raises(IntakeError):
        plan_notebook(SCALER, workspace)
    (tmp_path / "s" / "scaler.ipynb").unlink()
    (tmp_path / "s" / "scaler.py").write_text("x = 1\n")
    (tmp_path / "s" / "scratch.ipynb").write_text("{broken")
    with open_workspace(tmp_path / "s") as workspace:
        assert plan_notebook(SCALER, workspace) is None


def test_a_notebook_declaring_another_language_is_still_linted_as_python(tmp_path: Path) -> None:
    path = write_nb(tmp_path / "s" / "scaler.ipynb", new_code_cell("import os"))
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nbformat.write(nb, path)
    with open_workspace(tmp_path / "s") as workspace:
        plan_notebook(SCALER, workspace)
        saved = nbformat.read(workspace.root / "scaler.ipynb", as_version=4)
        assert saved.metadata.kernelspec.language == "python"


def test_saved_outputs_are_compared_with_a_clean_run_modulo_addresses(tmp_path: Path) -> None:
    saved = new_notebook(
        cells=[
            new_code_cell("print(1)", outputs=[new_output("stream", text="1\n")]),
            new_code_cell(
                "obj", outputs=[new_output("execute_result", {"text/plain": "<A at 0x7f00>"})]
            ),
            new_code_cell("print(n)", outputs=[new_output("stream", text="43\n")]),
            new_code_cell("%%time\nx = 1", outputs=[new_output("stream", text="Wall 3 ms\n")]),
        ]
    )
    ran = new_notebook(
        cells=[
            new_code_cell("print(1)", outputs=[new_output("stream", text="1\n")]),
            new_code_cell(
                "obj", outputs=[new_output("execute_result", {"text/plain": "<A at 0x5511>"})]
            ),
            new_code_cell("print(n)", outputs=[new_output("stream", text="42\n")]),
            new_code_cell("%%time\nx = 1", outputs=[new_output("stream", text="Wall 9 ms\n")]),
        ]
    )
    assert stale_cells(saved, ran) == (3,)
    for number, cell in zip((1, 2, 3), saved.cells, strict=False):
        cell.execution_count = number
    assert not out_of_order(saved)
    saved.cells[2].execution_count = 1
    assert out_of_order(saved)


def test_read_run_takes_statuses_from_the_executed_notebook_and_distrusts_garbage(
    tmp_path: Path,
) -> None:
    saved = write_nb(tmp_path / "scaler.ipynb", new_markdown_cell("# hi"), new_code_cell("x = 1"))
    executed = nbformat.read(saved, as_version=4)
    executed.cells[1].metadata["mlgrade"] = {"status": "error", "detail": "NameError: y"}
    plan = NotebookPlan("scaler.ipynb", ("scaler",))
    report = read_run(plan, saved, nbformat.writes(executed))
    assert [(c.number, c.status, c.detail) for c in report.cells] == [(2, "error", "NameError: y")]
    assert "cell 2 error: NameError: y" in report.summary_lines()
    assert read_run(plan, saved, None).problem == "the notebook run left no executed notebook"
    assert read_run(plan, saved, "{not json").problem == "the executed notebook could not be read"
    assert read_run(plan, saved, "x" * (3 * 1024 * 1024)).problem.endswith("size cap")


def test_quality_counts_the_code_cells_of_a_notebook(tmp_path: Path) -> None:
    write_nb(
        tmp_path / "scaler.ipynb",
        new_markdown_cell("lots\nof\nprose\n" * 50),
        new_code_cell("a = 1\nb = 2\n# comment"),
        new_code_cell("c = 3"),
    )
    quality = score_quality(LintReport((), (), ()), tmp_path, ["scaler.ipynb"])
    assert quality is not None and quality.lines == 3


def test_markdown_cells_are_the_diagnosis_only_without_a_diagnosis_file(
    tmp_path: Path, catalog: Catalog
) -> None:
    exercise = catalog.get("debug-training")
    write_nb(
        tmp_path / "s" / "train.ipynb",
        new_markdown_cell("The learning rate was too high."),
        new_code_cell("x = 1"),
        new_markdown_cell("I lowered it."),
    )
    plan = NotebookPlan("train.ipynb", ("train",))
    with open_workspace(tmp_path / "s") as workspace:
        text = diagnosis_text(exercise, workspace, plan)
        assert text == "The learning rate was too high.\n\nI lowered it."
    (tmp_path / "s" / "DIAGNOSIS.md").write_text("From the file.")
    with open_workspace(tmp_path / "s") as workspace:
        assert diagnosis_text(exercise, workspace, plan) == "From the file."


def test_shell_escapes_and_installs_are_replaced_with_no_ops(grader_source) -> None:  # type: ignore[no-untyped-def]
    source = "!pip install torch\nif True:\n    files = !ls\n    %pip install x\nx = 1  # !not"
    runnable, skipped = grader_source(source)
    assert runnable == "pass\nif True:\n    files = []\n    pass\nx = 1  # !not"
    assert skipped == ["!pip install torch", "files = !ls", "%pip install x"]
    assert grader_source("%%bash\nrm -rf /") == ("", ["%%bash cell (shell)"])
    assert grader_source("%matplotlib inline\n%%time") == ("%matplotlib inline\n%%time", [])
    compile(runnable, "cell", "exec")


def test_a_grade_with_a_notebook_report_survives_json(tmp_path: Path) -> None:
    from grader.grading import grade_workspace
    from grader.model import RunRecord, RunStatus, TestOutcome, TestResult

    write_nb(tmp_path / "s" / "scaler.ipynb", new_code_cell("x = 1"))

    class Canned:
        def run(self, exercise, workspace, seed):  # type: ignore[no-untyped-def]
            nb = nbformat.read(workspace.root / "scaler.ipynb", as_version=4)
            nb.cells[0].metadata["mlgrade"] = {"status": "ok"}
            results = tuple(TestResult(t.id, TestOutcome.PASSED) for t in exercise.tests)
            return RunRecord(RunStatus.COMPLETED, results, notebook=nbformat.writes(nb))

    with open_workspace(tmp_path / "s") as workspace:
        grade = grade_workspace(SCALER, workspace, Canned())
    assert grade.notebook is not None and grade.notebook.cells[0].status == "ok"
    again = grade_from_dict(json.loads(json.dumps(grade_to_dict(grade))))
    assert again.notebook == grade.notebook
    assert "graded the notebook scaler.ipynb as scaler.py" in grade.notes
    assert not any("lacks" in note for note in grade.notes)


def test_a_notebook_becomes_a_module_for_the_candidates_own_tests(tmp_path: Path) -> None:
    sys.path.insert(0, str(HARNESS))
    try:
        from cells import notebook_as_module
    finally:
        sys.path.remove(str(HARNESS))
    path = write_nb(
        tmp_path / "metrics.ipynb",
        new_markdown_cell("# notes"),
        new_code_cell("%matplotlib inline\n!pip install numpy\ndef f():\n    return 1"),
        new_code_cell("%%time\nif True:\n    %time x = f()"),
        new_code_cell("%%bash\necho hi"),
    )
    source = notebook_as_module(path)
    assert source == "pass\npass\ndef f():\n    return 1\n\npass\nif True:\n    pass\n\n\n"
    namespace: dict = {}
    exec(compile(source, "metrics.py", "exec"), namespace)
    assert namespace["f"]() == 1
