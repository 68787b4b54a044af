"""Questions about what the candidate did, with file and line, from their diff to the starter."""

from __future__ import annotations

import json
import re
from pathlib import Path

from grader.candidate_files import quality_files
from grader.catalog import Catalog, default_exercises_dir
from grader.grading import _code_questions
from grader.intake import open_workspace
from grader.scoring.code_questions import own_code_questions

CATALOG = Catalog(default_exercises_dir())
WHERE = re.compile(r"In (\S+\.py):(\d+) ")
IN_CELL = re.compile(r"In (\S+\.ipynb) cell (\d+), line (\d+) ")


def questions(exercise_id: str, sample: str, correctness: float = 100.0):  # type: ignore[no-untyped-def]
    exercise = CATALOG.get(exercise_id)
    with open_workspace(exercise.root / "samples" / sample) as workspace:
        files = quality_files(exercise, workspace)
        asked = _code_questions(exercise, workspace.root, files, correctness)
        texts = {
            q.file: (workspace.root / q.file).read_text().splitlines() for q in asked if q.file
        }
    return asked, texts


def test_fixes_of_planted_problems_are_asked_about_at_the_changed_line():
    asked, texts = questions("debug-training", "weak")
    fixes = [q for q in asked if q.kind == "fix"]
    assert fixes, asked
    for question in fixes:
        file, line = WHERE.match(question.question).groups()  # type: ignore[union-attr]
        assert (file, int(line)) == (question.file, question.line)
        changed_to = question.question.split("` to `", 1)[1].split("`", 1)[0].rstrip("…")
        assert changed_to in texts[file][question.line - 1]
    # Docstrings and comments are not fixes.
    assert not any('`"""' in q.question or "`#" in q.question for q in fixes)


def test_every_sample_of_a_code_exercise_gets_a_question_with_file_and_line():
    for exercise in (e for e in CATALOG.all() if e.runs_code):  # a memo submits no code
        for sample in exercise.samples:
            notebook = any(f.suffix == ".ipynb" for f in sample.path.iterdir())
            asked, _ = questions(exercise.id, sample.path.name)
            assert asked, (exercise.id, sample.path.name)
            where = IN_CELL if notebook else WHERE
            assert all(where.match(q.question) for q in asked if q.kind != "size"), asked


def test_a_notebook_is_asked_about_by_cell_and_line_in_that_cell():
    exercise = CATALOG.get("feature-scaler")
    notebook = exercise.root / "samples" / "notebook" / "scaler.ipynb"
    cells = json.loads(notebook.read_text())["cells"]
    asked, _ = questions("feature-scaler", "notebook")
    functions = [q for q in asked if q.kind == "function"]
    assert functions, asked
    for question in asked:
        file, cell, line = IN_CELL.match(question.question).groups()  # type: ignore[union-attr]
        assert (file, int(cell), int(line)) == ("scaler.ipynb", question.cell, question.line)
        source = "".join(cells[question.cell - 1]["source"]).splitlines()[question.line - 1]
        if question.kind == "function":
            name = question.question.split("you added `", 1)[1].split("`", 1)[0]
            assert source.lstrip().startswith(("def " + name, "class " + name)), source
    # Demo cells at the top level (random data of 200 rows) are not asked about.
    assert not [q for q in asked if q.kind == "constant" and "`200`" in q.question]


def test_implement_exercises_ask_no_fix_questions():
    for sample in ("strong", "partial", "weak"):
        asked, _ = questions("feature-scaler", sample)
        assert not [q for q in asked if q.kind == "fix"]


def test_code_several_times_the_reference_is_flagged_only_for_the_same_behaviour(tmp_path: Path):
    exercise = CATALOG.get("feature-scaler")
    # 150 logical lines, none of them in a starter: all the candidate's own.
    (tmp_path / "scaler.py").write_text("".join(f"v{i} = w\n" for i in range(150)))
    big = own_code_questions(
        exercise, tmp_path, ["scaler.py"], {}, reference_lines=40, correctness=100
    )
    assert [q.kind for q in big] == ["size"] and "3.8x" in big[0].question
    failing = own_code_questions(
        exercise, tmp_path, ["scaler.py"], {}, reference_lines=40, correctness=50
    )
    assert not [q for q in failing if q.kind == "size"]
