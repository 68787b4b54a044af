"""The candidate's own tests (0–100): the share of planted mutants their suite catches.

A mutant counts as caught when one of the candidate's tests that passes on the reference
implementation fails on the mutant. Tests that fail on the reference are wrong tests:
reported as such, and never credited for catching anything. Branch coverage of the
candidate's own code is shown as supporting evidence only.
"""

from __future__ import annotations

from grader.model import Exercise, MutantVerdict, OwnTestRun, OwnTestsScore

NO_TESTS = "the submission has no tests of its own (the starter's are unchanged or missing)"


def score_own_tests(
    exercise: Exercise, runs: tuple[OwnTestRun, ...], *, wrote_tests: bool = True
) -> OwnTestsScore | None:
    """Score the candidate's suite from its runs in the sandbox (None if not asked for)."""
    if exercise.own_tests is None or not exercise.mutants:
        return None
    if not wrote_tests:
        missing = tuple(MutantVerdict(m.id, m.description, False) for m in exercise.mutants)
        return OwnTestsScore(0.0, 0, (), missing, None, NO_TESTS)
    by_variant = {r.variant: r for r in runs}
    own, reference = by_variant.get("own"), by_variant.get("reference")
    coverage = own.branch_coverage if own else None
    if reference is None or reference.tests == 0 or reference.error or reference.timed_out:
        reason = _reference_problem(reference)
        missing = tuple(
            MutantVerdict(m.id, m.description, False, note=reason) for m in exercise.mutants
        )
        return OwnTestsScore(
            0.0, reference.tests if reference else 0, (), missing, coverage, reason
        )
    wrong = set(reference.failed)
    verdicts: list[MutantVerdict] = []
    for mutant in exercise.mutants:
        run = by_variant.get(mutant.id)
        if run is None or run.skipped:
            verdicts.append(
                MutantVerdict(mutant.id, mutant.description, False, note="not run: time budget")
            )
            continue
        if run.timed_out or run.error:
            note = "timed out" if run.timed_out else run.error
            verdicts.append(MutantVerdict(mutant.id, mutant.description, False, note=note))
            continue
        caught_by = tuple(t for t in run.failed if t not in wrong)
        verdicts.append(
            MutantVerdict(mutant.id, mutant.description, bool(caught_by), caught_by[:3])
        )
    caught = sum(1 for v in verdicts if v.caught)
    return OwnTestsScore(
        score=round(100.0 * caught / len(verdicts), 2),
        tests=reference.tests,
        wrong_tests=tuple(sorted(wrong)),
        mutants=tuple(verdicts),
        branch_coverage=coverage,
        reason="" if not wrong else f"{len(wrong)} test(s) fail on a correct implementation",
    )


def _reference_problem(run: OwnTestRun | None) -> str:
    if run is None:
        return "the candidate's tests were not run"
    if run.error:
        return f"the candidate's tests could not run: {run.error}"
    if run.timed_out:
        return "the candidate's tests timed out on the reference implementation"
    return "the submission has no tests that pytest can collect"
