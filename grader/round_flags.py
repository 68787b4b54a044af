"""Round-level flags, evidence for a human that never changes a score: submissions of another
exercise than the round's, and similar code (between candidates, or with the reference).

**The round's exercise.** A submission's exercise is the one the round declares for it
(``grade batch --exercise``, or the manifest row's ``exercise``). Where nothing is declared,
the round's exercise is the one most of the round's submissions were graded as; on a tie
there is none, and every undeclared submission is flagged until the round declares one. A
submission graded as another exercise than the round's is flagged: its score is not
comparable with the others' (a candidate must not top a round by submitting an easier
exercise). A declared submission whose files say it is another exercise is graded as the
declared one, and flagged too. Flags are recomputed over the whole stored round on every run,
so they also hold for merged shards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from grader.bundle import Bundle
from grader.catalog import Catalog
from grader.errors import CatalogError
from grader.model import Exercise, Grade, GradeStatus
from grader.notebooks import code_lines_text
from grader.round_store import RoundStore
from grader.similarity import similarity_flags

OFF_EXERCISE = "another exercise"
"""Every exercise flag starts with this, so a report or a test can find them."""


@dataclass(frozen=True)
class RoundFlags:
    """How many flags a round raised, by kind."""

    similarity: int
    """Similar pairs, and submissions nearly identical to the reference."""
    off_exercise: int
    """Rows graded as (or looking like) another exercise than the round's."""


def round_exercise(grades: list[Grade]) -> str | None:
    """The exercise most of the round is graded as (declared ones included); None on a tie."""
    counts = Counter(g.exercise_id for g in grades if g.exercise_id)
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def exercise_flag(
    grade: Grade, declared: str | None, recognised: str | None, majority: str | None
) -> str | None:
    """Why this row is not comparable with the round's others, if it is not."""
    if not grade.exercise_id:
        return None
    if declared:
        if recognised and recognised != declared:
            return (
                f"{OFF_EXERCISE}: its files are exercise {recognised}, the round declares "
                f"{declared}; graded as {declared}"
            )
        return None
    if majority is None:
        return (
            f"{OFF_EXERCISE}: the round has no declared exercise and no single most common "
            f"one; graded as {grade.exercise_id}, not ranked against the others "
            "(declare it with --exercise or a manifest)"
        )
    if grade.exercise_id != majority:
        return (
            f"{OFF_EXERCISE}: graded as exercise {grade.exercise_id}, but the round's exercise "
            f"is {majority}; its score is not comparable with the others'"
        )
    return None


def _python_sources(folder: Path) -> dict[str, str]:
    """The submission's code for similarity: .py files, and notebooks' code cells (so a
    notebook copy of someone's .py is still compared with it)."""
    sources = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.rglob("*.py"))
        if "__pycache__" not in p.parts
    }
    for p in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in p.parts:
            sources[p.relative_to(folder).as_posix()] = code_lines_text(p)
    return sources


def _bundle_code(exercise: Exercise) -> dict[str, str]:
    """The code the candidate was given (starter and public tests): every fingerprint of it
    is removed, so two bundle submissions never look alike for sharing the grader's files."""
    bundle = Bundle.of(exercise)
    return {f: bundle.text(f) or "" for f in bundle.sources if f.endswith(".py")}


def _similarity(
    store: RoundStore, catalog: Catalog, grades: dict[str, Grade]
) -> tuple[dict[str, list[str]], int]:
    flags: dict[str, list[str]] = {name: [] for name in grades}
    raised = 0
    by_exercise: dict[str, list[str]] = {}
    for name, grade in grades.items():
        if grade.status is GradeStatus.GRADED:
            by_exercise.setdefault(grade.exercise_id, []).append(name)
    for exercise_id, names in sorted(by_exercise.items()):
        try:
            exercise = catalog.get(exercise_id)
        except CatalogError:
            continue
        found = similarity_flags(
            exercise_id,
            {name: store.code(name) for name in names},
            starter=_bundle_code(exercise),
            reference=_python_sources(exercise.solution_dir),
        )
        for flag in found:
            raised += 1
            evidence = f" ({flag.evidence[0]})" if flag.evidence else ""
            for name in flag.candidates:
                others = [c for c in flag.candidates if c != name]
                what = (
                    f"very similar to {', '.join(others)}"
                    if flag.kind == "pair"
                    else "nearly identical to the reference solution"
                )
                flags[name].append(f"{what}: {flag.score:.0%} of fingerprints shared{evidence}")
    return flags, raised


def flag_round(store: RoundStore, catalog: Catalog) -> RoundFlags:
    """Recompute the round's flags (exercise first, then similarity) and rewrite the stored
    grades whose flags changed. Unreadable stored results are left as they are."""
    loaded, unreadable = store.load_all()
    grades = {g.candidate: g for g in loaded if g.candidate not in unreadable}
    fields = {name: store.round_fields(name) for name in grades}
    majority = round_exercise(list(grades.values()))
    flags, similar = _similarity(store, catalog, grades)
    off_exercise = 0
    for name, grade in grades.items():
        off = exercise_flag(
            grade,
            fields[name].get("declared_exercise"),
            fields[name].get("recognised_exercise"),
            majority,
        )
        if off:
            off_exercise += 1
            flags[name].insert(0, off)
    for name, grade in grades.items():
        if tuple(flags[name]) != grade.flags:
            store.write_grade(replace(grade, flags=tuple(flags[name])))
    return RoundFlags(similar, off_exercise)
