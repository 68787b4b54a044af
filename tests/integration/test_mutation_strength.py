"""The hidden-suite strength of every bundled exercise has not fallen since its last full
mutation run (``hidden/mutation-record.toml``, written by ``make mutants``).

The full runs take minutes, so CI checks the record instead, and a fixed sample of mutants
in the real sandbox: the record clears the floor and still matches what the mutator makes of
the solution, docs/exercises.md quotes it, and every sampled mutant is killed, listed as
equivalent or a survivor the record already names. A cold mutant cache (a fresh folder),
so the sample really runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.catalog import Catalog, default_exercises_dir
from grader.model import Exercise
from grader.mutation import exercise_mutants
from grader.mutation_listing import load_listing
from grader.mutation_record import RECORD_FILE, REGENERATE, MutationRecord, read_record
from grader.mutation_run import run_mutation
from grader.runner.docker_runner import DockerRunner

pytestmark = pytest.mark.docker

# Every exercise with code to mutate (a written exercise has none).
BUNDLED = [e.id for e in Catalog(default_exercises_dir()).all() if e.runs_code]
FLOOR = 85.0
"""The least kill rate a bundled exercise's hidden suite may have (issue 15)."""
SAMPLE_SIZE = 4
SAMPLE_SEED = 15
"""Fixed, so CI runs the same mutants every time (a mutant's fate is deterministic)."""
DOCS = Path(__file__).resolve().parents[2] / "docs" / "exercises.md"


def _record(exercise: Exercise) -> MutationRecord:
    record = read_record(exercise.root / "hidden")
    if record is None:
        pytest.fail(
            f"{exercise.id} has no hidden/{RECORD_FILE}: every bundled exercise carries the "
            f"record of a full mutation run; run `{REGENERATE}` (or `grade exercises mutate "
            f"{exercise.id} --record`)"
        )
    return record


@pytest.mark.parametrize("exercise_id", BUNDLED)
def test_the_record_clears_the_floor_and_matches_the_mutants_made_now(
    catalog: Catalog, exercise_id: str
) -> None:
    exercise = catalog.get(exercise_id)
    record = _record(exercise)
    assert record.kill_rate >= FLOOR, (
        f"{exercise_id}: the recorded kill rate {record.kill_rate:.1f}% is under {FLOOR:g}%: "
        "strengthen the hidden tests or list equivalent survivors, then run "
        f"`{REGENERATE}`"
    )
    listing = load_listing(exercise.root / "hidden")
    made = [m.id for f in exercise_mutants(exercise, listing=listing) for m in f.mutants]
    stale = (
        f"{exercise_id}: hidden/{RECORD_FILE} is out of date (the solution, the mutator or "
        f"the ignored functions changed since it was written): run `{REGENERATE}`"
    )
    assert record.generated == len(made), (
        f"{stale}; it says {record.generated} mutants, now {len(made)}"
    )
    gone = sorted(set(record.survivors) - set(made))
    assert not gone, f"{stale}; survivors no mutant has any more: {gone}"


def _docs_row(exercise_id: str) -> list[str]:
    """The cells of the exercise's row in docs/exercises.md's strength table (the page has
    other tables with a row per exercise before it)."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Hidden-suite strength") :]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].strip("`") == exercise_id:
            return cells
    pytest.fail(f"docs/exercises.md has no row for {exercise_id} in its strength table")


@pytest.mark.parametrize("exercise_id", BUNDLED)
def test_the_docs_quote_the_record(catalog: Catalog, exercise_id: str) -> None:
    record = _record(catalog.get(exercise_id))
    cells = _docs_row(exercise_id)
    numbers = [re.sub(r"[^0-9.]", "", c) for c in cells[1:6]]
    expected = [
        str(n) for n in (record.generated, record.killed, record.equivalent, record.ignored)
    ] + [f"{record.kill_rate:.1f}"]
    assert numbers == expected, (
        f"docs/exercises.md's row for {exercise_id} should read generated, killed, "
        f"equivalent, ignored, kill rate = {expected} (from hidden/{RECORD_FILE})"
    )


@pytest.mark.usefixtures("no_leftover_containers")
@pytest.mark.parametrize("exercise_id", BUNDLED)
def test_every_sampled_mutant_is_killed_or_already_known(
    catalog: Catalog, runner: DockerRunner, tmp_path: Path, exercise_id: str
) -> None:
    exercise = catalog.get(exercise_id)
    record = _record(exercise)

    def fresh_runner() -> DockerRunner:
        return DockerRunner(runner.client, runner.image, image_for=runner.image_for)

    report = run_mutation(
        exercise, fresh_runner, tmp_path, jobs=2, sample=SAMPLE_SIZE, sample_seed=SAMPLE_SEED
    )
    assert len(report.results) == min(SAMPLE_SIZE, len(report.generated))
    errors = [f"{r.mutant.id}: {r.reason}" for r in report.results if not r.ran]
    assert not errors, f"{exercise_id}: mutants the sandbox could not run: {errors}"
    new = [r.mutant for r in report.survivors if r.mutant.id not in set(record.survivors)]
    assert not new, (
        f"{exercise_id}: new surviving mutants, neither killed, listed as equivalent nor in "
        f"hidden/{RECORD_FILE}: "
        + "; ".join(f"{m.id} ({m.description})" for m in new)
        + f". See them with `grade exercises mutate {exercise_id} --show 50`, add a hidden "
        "test that kills them (or list them in hidden/equivalent-mutants.toml with the "
        f"reason), then run `{REGENERATE}`"
    )
