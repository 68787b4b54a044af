"""``grade replay``: regrade a submission under a stored grade's conditions and say what differs.

A grade records its seed, the exercise's version and package hash, the sandbox image's
content digest and the mlgrade version. Replaying uses the same seed and profile weights; the
conditions that could not be restored (another image, an edited exercise, another mlgrade, a
different submission) are listed before the score differences, so a reviewer can tell a
changed grader from a changed submission. Exit 0 when everything matches, 6 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from grader import __version__
from grader.commands.context import LazyRunner, catalog, err, out
from grader.errors import UsageError
from grader.exitcodes import ExitCode
from grader.grading import Profile, grade_submission
from grader.model import Grade
from grader.reports.json_report import read_json
from grader.seedkey import Seeding


def replay_command(stored: Path, submission: Path) -> str:
    """The one-line command that replays a grade stored at ``stored``."""
    return f"grade replay {stored} {submission}"


def _conditions(stored: Grade, new: Grade) -> list[tuple[str, str, str]]:
    pairs = [
        ("submission content", stored.submission.content_hash, new.submission.content_hash),
        ("exercise version", stored.exercise_version, new.exercise_version),
        ("exercise package", stored.exercise_hash, new.exercise_hash),
        ("sandbox image", stored.image_id or stored.image, new.image_id or new.image),
        ("mlgrade version", stored.mlgrade_version, new.mlgrade_version),
        ("seed", str(stored.seed), str(new.seed)),
    ]
    return [(name, a or "(not recorded)", b) for name, a, b in pairs if a != b]


def _score(value: object) -> str:
    score = getattr(value, "score", None)
    return "-" if score is None else f"{score:g}"


def score_differences(stored: Grade, new: Grade) -> list[tuple[str, str, str]]:
    """Every number and test outcome that differs between two grades of one submission."""
    rows = [("status", stored.status.value, new.status.value)]
    for name in ("correctness", "quality", "own_tests", "reasoning", "total"):
        rows.append((name, _score(getattr(stored, name)), _score(getattr(new, name))))
    before = {t.id: t for t in stored.correctness.tests} if stored.correctness else {}
    after = {t.id: t for t in new.correctness.tests} if new.correctness else {}
    for test_id in sorted(set(before) | set(after)):
        a, b = before.get(test_id), after.get(test_id)
        shown = [
            "-" if t is None else f"{t.outcome.value} {t.share * t.weight:g}/{t.weight:g}"
            for t in (a, b)
        ]
        rows.append((f"test {test_id}", shown[0], shown[1]))
    return [row for row in rows if row[1] != row[2]]


def replay(ctx: click.Context, result: Path, submission: Path) -> None:
    """Regrade ``submission`` as the grade stored in ``result`` was graded; print differences."""
    try:
        stored = read_json(result)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{result} is not a stored grade: {exc}") from exc
    exercises = catalog(ctx)
    weights = stored.total.weights if stored.total else ()
    chosen = Profile(stored.total.profile, weights) if stored.total else Profile()
    runner = LazyRunner(ctx)
    try:
        new = grade_submission(
            submission,
            exercises,
            runner,
            exercise_id=stored.exercise_id,
            profile=chosen,
            seeding=Seeding(fixed=stored.seed),
        )
    finally:
        runner.close()
    conditions = _conditions(stored, new)
    differences = score_differences(stored, new)
    if not conditions and not differences:
        out.print(
            f"[green]replayed exactly[/]: {stored.exercise_id} v{stored.exercise_version}, "
            f"seed {stored.seed}, total {_score(new.total)}, mlgrade {__version__}"
        )
        return
    table = Table("what", "stored", "replayed", title=f"replay of {result.name}")
    for name, before, after in conditions:
        table.add_row(f"[yellow]{escape(name)}[/]", escape(before), escape(after))
    for name, before, after in differences:
        table.add_row(escape(name), escape(before), escape(after))
    out.print(table)
    err.print(
        f"{len(conditions)} condition(s) and {len(differences)} result(s) differ "
        f"(exit {int(ExitCode.CHECK_FAILED)})"
    )
    sys.exit(int(ExitCode.CHECK_FAILED))
