"""Validate an exercise package through the real pipeline: solution, starter and samples."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from grader.bundle import lay_over_bundle
from grader.catalog import Catalog
from grader.grading import grade_submission
from grader.model import Exercise, Grade, RunStatus
from grader.panel import PANEL_DIR, PanelCase, load_panel, spearman
from grader.runner.interface import Runner
from grader.runner.results import UNKNOWN_ID_NOTE
from grader.scaffold import TODO, todo_markers
from grader.scoring.calibration import check_diagnoses
from grader.seedkey import Seeding

MIN_SAMPLES = 2


@dataclass(frozen=True)
class Check:
    """One validation check with what was measured."""

    name: str
    passed: bool
    detail: str
    gate: bool = True
    """Whether a failure fails validation; a panel's single bands are evidence, and the
    panel gates as a whole (rank agreement, share of bands hit)."""
    missed: str = "miss"
    """How a failed check that does not gate is shown."""


@dataclass(frozen=True)
class ValidationReport:
    """All checks for one exercise, and the grades behind them."""

    exercise_id: str
    checks: tuple[Check, ...]
    grades: tuple[tuple[str, Grade], ...]
    panel: tuple[tuple[PanelCase, Grade], ...] = ()
    """Each panel case with its grade: the reviewer's mark beside the grader's total."""

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self.checks if c.gate)


def _score(grade: Grade) -> float:
    return grade.correctness.score if grade.correctness is not None else 0.0


def _primary(exercise: Exercise, grade: Grade) -> float:
    """What the reference must max and the starter keep low: correctness, or for a memo
    (no code to run) its reasoning."""
    if exercise.runs_code:
        return _score(grade)
    return grade.reasoning.score if grade.reasoning is not None else 0.0


def _lost_groups(exercise: Exercise, grade: Grade) -> list[str] | None:
    """Groups that lost credit (None when nothing was scored): hidden-test groups, or a
    memo's areas, which lose credit when their rubric problems earn less than all of it."""
    if exercise.runs_code:
        groups = grade.correctness.groups if grade.correctness else ()
        return sorted(g.id for g in groups if g.earned < g.possible) if groups else None
    if grade.reasoning is None:
        return None
    return sorted({r.group for r in grade.reasoning.rows if r.share - r.penalty < 1.0})


def _other_score(grade: Grade, name: str) -> float | None:
    score = {"quality": grade.quality, "tests": grade.own_tests, "reasoning": grade.reasoning}[name]
    return score.score if score is not None else None


def _grade(
    catalog: Catalog, runner: Runner, exercise: Exercise, path: Path, seeding: Seeding | None
) -> Grade:
    return grade_submission(path, catalog, runner, exercise_id=exercise.id, seeding=seeding)


def validate_exercise(
    catalog: Catalog, runner: Runner, exercise: Exercise, seeding: Seeding | None = None
) -> ValidationReport:
    """Grade the reference, the starter and every sample; check each lands where declared."""
    checks: list[Check] = []
    grades: list[tuple[str, Grade]] = []
    solution = _grade(catalog, runner, exercise, exercise.solution_dir, seeding)
    grades.append(("solution", solution))
    unknown = [n for n in solution.notes if n.startswith(UNKNOWN_ID_NOTE)]
    failing = [t.description for t in solution.correctness.failed] if solution.correctness else []
    if not exercise.runs_code and solution.reasoning is not None:
        failing = [f"{r.id}: {r.reason}" for r in solution.reasoning.rows if r.share < 1.0]
    reference = _primary(exercise, solution)
    checks.append(
        Check(
            "reference solution scores 100%"
            + ("" if exercise.runs_code else f" ({exercise.writeup} reasoning)"),
            reference == 100.0 and solution.run_status is RunStatus.COMPLETED,
            f"{reference:.1f}%" + (f"; short of full: {', '.join(failing[:3])}" if failing else ""),
        )
    )
    if exercise.runs_code:
        checks.append(
            Check(
                "hidden tests match exercise.toml",
                not unknown,
                "every reported id is declared" if not unknown else "; ".join(unknown[:3]),
            )
        )
    if exercise.starter_dir.is_dir():
        starter = _grade(catalog, runner, exercise, exercise.starter_dir, seeding)
        grades.append(("starter", starter))
        low = _primary(exercise, starter)
        checks.append(
            Check(
                f"starter scores at most {exercise.starter_max:g}%",
                low <= exercise.starter_max,
                f"{low:.1f}%",
            )
        )
    for sample in exercise.samples:
        label = sample.path.relative_to(exercise.root).as_posix()
        grade = _grade(catalog, runner, exercise, sample.path, seeding)
        grades.append((label, grade))
        if sample.band is not None:
            low, high = sample.band
            checks.append(
                Check(
                    f"{label} lands in [{low:g}, {high:g}]",
                    low <= _score(grade) <= high,
                    f"{_score(grade):.1f}%",
                )
            )
        checks += [
            _band_check(f"{label} {name}", band, _other_score(grade, name))
            for name, band in sample.other_bands
        ]
    written = check_diagnoses(
        exercise.root, written_only=not exercise.runs_code, diagnosis=exercise.diagnoses
    )
    for diagnosis in written:
        low, high = diagnosis.band
        checks.append(
            Check(
                f"diagnosis {diagnosis.file}"
                + (f" (fixed: {diagnosis.fixed})" if exercise.runs_code else "")
                + f" in [{low:g}, {high:g}]",
                diagnosis.passed,
                f"{diagnosis.score:.1f}",
            )
        )
    for variant in exercise.variants:
        label = variant.path.relative_to(exercise.root).as_posix()
        grade = _grade(catalog, runner, exercise, variant.path, seeding)
        grades.append((label, grade))
        checks.append(_variant_check(exercise, label, variant.fails, grade))
    left = todo_markers(exercise.root)
    checks.append(
        Check(
            f"no {TODO} markers left",
            not left,
            ", ".join(left) or "none",
            gate=False,  # a warning: a scaffolded package validates before it is written
            missed="warning",
        )
    )
    checks.append(
        Check(
            "at least two samples (a strong and a weak one)",
            len(exercise.samples) >= MIN_SAMPLES,
            f"{len(exercise.samples)} declared",
            gate=False,
            missed="warning",
        )
    )
    panel = load_panel(exercise.root)
    graded = [_grade_panel_case(catalog, runner, exercise, c.path, seeding) for c in panel]
    grades += [(f"{PANEL_DIR}/{c.name}", g) for c, g in zip(panel, graded, strict=True)]
    if panel:
        checks += _panel_checks(exercise, panel, graded)
    return ValidationReport(
        exercise.id, tuple(checks), tuple(grades), tuple(zip(panel, graded, strict=True))
    )


def _grade_panel_case(
    catalog: Catalog, runner: Runner, exercise: Exercise, path: Path, seeding: Seeding | None
) -> Grade:
    """A panel case stores only what its author wrote; it is graded over the current bundle."""
    with tempfile.TemporaryDirectory(prefix="mlgrade-panel-") as scratch:
        submission = lay_over_bundle(exercise, path, Path(scratch) / path.name)
        return _grade(catalog, runner, exercise, submission, seeding)


def _band_check(label: str, band: tuple[float, float] | None, value: float | None) -> Check:
    """A score lands in its band; a band of None means the score must be absent."""
    shown = "no such score" if value is None else f"{value:.1f}"
    if band is None:
        return Check(f"{label} is not scored", value is None, shown)
    low, high = band
    return Check(
        f"{label} lands in [{low:g}, {high:g}]",
        value is not None and low <= value <= high,
        shown,
    )


def _panel_checks(
    exercise: Exercise, panel: tuple[PanelCase, ...], graded: list[Grade]
) -> list[Check]:
    """Each panel band as evidence, then the two gates: the rank agreement of the grader's
    totals with the reviewer's marks, and the share of the reviewer's bands hit."""
    bands = []
    for case, grade in zip(panel, graded, strict=True):
        label = f"{PANEL_DIR}/{case.name}"
        for name, band in case.bands:
            value = _score(grade) if name == "correctness" else _other_score(grade, name)
            bands.append(replace(_band_check(f"{label} {name}", band, value), gate=False))
    totals = [g.total.score if g.total else 0.0 for g in graded]
    agreement = spearman(totals, [c.mark for c in panel])
    shown = "undefined" if agreement is None else f"{agreement:.2f}"
    hits = sum(1 for b in bands if b.passed)
    share = hits / len(bands) if bands else 1.0
    return [
        *bands,
        Check(
            f"panel ranks as the reviewer did (Spearman >= {exercise.panel_agreement:g})",
            agreement is not None and agreement >= exercise.panel_agreement,
            f"{shown} over {len(panel)} cases",
        ),
        Check(
            f"panel lands in the reviewer's bands (at least {exercise.panel_band_hits:.0%})",
            share >= exercise.panel_band_hits,
            f"{hits}/{len(bands)} bands ({share:.0%})",
        ),
    ]


def _variant_check(exercise: Exercise, label: str, fails: tuple[str, ...], grade: Grade) -> Check:
    """A variant must lose credit in exactly the groups it names; when it does not, the
    detail names the failing tests and their messages (what the author needs to fix it)."""
    scored = _lost_groups(exercise, grade)
    lost = scored or []
    passed = scored is not None and lost == sorted(fails)
    detail = f"groups losing credit: {', '.join(lost) or 'none'}"
    if not passed and not exercise.runs_code and grade.reasoning is not None:
        short = [f"{r.id}: {r.reason}" for r in grade.reasoning.rows if r.group in lost]
        detail += "; " + ("; ".join(short[:4]) or "none")
    elif not passed and grade.correctness is not None:
        failing = [f"{t.id} ({t.group}): {t.reason[:120]}" for t in grade.correctness.failed]
        detail += "; failing: " + ("; ".join(failing[:6]) or "none")
    elif not passed:
        detail += f"; not graded: {grade.reason}"
    return Check(f"{label} fails only {', '.join(fails)}", passed, detail)
