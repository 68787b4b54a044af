"""The rubric workbench reads a diagnosis as a grade would, sentence by sentence, offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from grader.catalog import Catalog, default_exercises_dir
from grader.scoring.explain import explain_diagnosis, fixed_groups
from grader.scoring.reasoning import score_reasoning
from grader.scoring.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[2]
DIAGNOSIS = """# Diagnosis

- `train_step` summed the loss over the batch instead of averaging it, so the gradient grew
  with the batch size and every step was 64 times too large; I now divide by the batch size.
- The softmax was computed over the wrong axis.
- gradient, batch, averaging, softmax, axis
"""


def rubric():  # type: ignore[no-untyped-def]
    exercise = Catalog(default_exercises_dir()).get("debug-training")
    return load_rubric(exercise.rubric_path)


def test_each_sentence_shows_what_it_earned_and_the_score_is_the_graders():
    loaded = rubric()
    fixed = fixed_groups(loaded, ["gradients"])
    assert fixed["gradients"] and not any(v for k, v in fixed.items() if k != "gradients")
    result = explain_diagnosis(loaded, DIAGNOSIS, fixed)
    # The same score a grade gives for the same text and fixed groups.
    assert result.score == score_reasoning(loaded, DIAGNOSIS, fixed)
    by_line = {r.line: r for r in result.sentences}
    assert by_line[1].aside == "a heading"
    first = by_line[3]
    assert not first.aside
    assert any(e.startswith("gradient-not-averaged: mechanism") for e in first.earned)
    assert all("(" in e and ")" in e for e in first.earned)  # the words that matched
    # A bare list of terms is set aside with its reason and earns nothing.
    terms = by_line[6]
    assert terms.aside and not terms.earned
    rows = {r.id: r for r in result.score.rows}
    assert rows["gradient-not-averaged"].fixed and rows["gradient-not-averaged"].explained
    assert not rows["softmax-wrong-axis"].fixed


def test_all_groups_fixed_by_default_and_none_when_asked():
    loaded = rubric()
    assert all(fixed_groups(loaded, None).values())
    assert not any(fixed_groups(loaded, []).values())


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", "exercises", "explain-diagnosis", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_the_command_prints_the_reading_and_rejects_bad_input(tmp_path: Path):
    diagnosis = tmp_path / "DIAGNOSIS.md"
    diagnosis.write_text(DIAGNOSIS)
    done = run("debug-training", str(diagnosis), "--fixed", "gradients")
    assert done.returncode == 0, done.stderr
    assert "earned gradient-not-averaged: mechanism" in done.stdout
    assert "reasoning " in done.stdout and "1 fixed" in done.stdout
    unknown_group = run("debug-training", str(diagnosis), "--fixed", "gradients,nope")
    assert unknown_group.returncode == 2 and "nope" in unknown_group.stderr
    assert "Traceback" not in unknown_group.stderr
    no_rubric = run("feature-scaler", str(diagnosis))
    assert no_rubric.returncode == 4 and "has no rubric" in no_rubric.stderr
    missing = run("debug-training", str(tmp_path / "absent.md"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_a_sentence_one_word_short_of_an_explanation_shows_the_near_miss():
    loaded = rubric()
    text = (
        "# Diagnosis\n\n"
        "- The gradient in `train_step` was a sum over the rows, so steps grew with how many "
        "rows there were.\n"
    )
    reading = next(
        r
        for r in explain_diagnosis(loaded, text, fixed_groups(loaded, None)).sentences
        if r.line == 3
    )
    assert reading.near_miss.startswith("gradient-not-averaged: consequence")
    assert "(lacks '" in reading.near_miss
    # Once the sentence explains the problem, no near miss is offered for it.
    full = explain_diagnosis(loaded, DIAGNOSIS, fixed_groups(loaded, None))
    first = next(r for r in full.sentences if r.line == 3)
    assert not first.near_miss.startswith("gradient-not-averaged")
