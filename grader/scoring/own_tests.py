"""The candidate's own tests (0–100): the share of planted mutants their suite catches.

A mutant counts as caught when one of the candidate's tests that passes on the reference
implementation fails on the mutant. Tests that fail on the reference are wrong tests: each
costs ``WRONG_TEST_POINTS`` (a wrong test blocks every correct change), is shown with what
failed on the reference, and is never credited for catching anything. Only ids the own run
collected count: a failing id that exists only in the reference or a mutant run is dropped,
so test names cannot carry a hidden implementation into the grade. Branch coverage of the
candidate's own code is shown as supporting evidence only.
"""

from __future__ import annotations

from grader.model import (
    OWN_TESTS_STOP_AFTER,
    Exercise,
    MutantVerdict,
    OwnTestRun,
    OwnTestsScore,
)

WRONG_TEST_POINTS = 20.0
MESSAGES_SHOWN_UP_TO = 5
"""Wrong tests' messages are shown only for a suite with at most this many: they come from
runs on the reference, so a suite of many failing tests could spell it out through them."""
MESSAGE_CAP = 120
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
    if (own is not None and own.timed_out) or (
        reference is None or reference.tests == 0 or reference.error or reference.timed_out
    ):
        reason = _reference_problem(reference, own)
        missing = tuple(
            MutantVerdict(m.id, m.description, False, note=reason) for m in exercise.mutants
        )
        return OwnTestsScore(
            0.0, reference.tests if reference else 0, (), missing, coverage, reason
        )
    own_ids = set(own.collected) if own is not None else None

    def known(run: OwnTestRun) -> tuple[str, ...]:
        return tuple(t for t in run.failed if own_ids is None or t in own_ids)

    messages = dict(zip(reference.failed, reference.messages, strict=False))
    wrong = set(known(reference))
    if reference.stopped:
        # The runs stop at OWN_TESTS_STOP_AFTER failures; that many failing on the reference
        # cost every point there is, and the wrong tests past them were never run.
        reason = (
            f"at least {OWN_TESTS_STOP_AFTER} tests fail on a correct implementation "
            "(runs stop there): no planted bug can be judged"
        )
        missing = tuple(
            MutantVerdict(m.id, m.description, False, note="not judged") for m in exercise.mutants
        )
        wrong_tests = tuple(sorted(wrong))
        return OwnTestsScore(
            0.0,
            reference.tests,
            wrong_tests,
            missing,
            coverage,
            reason,
            wrong_test_messages=_shown_messages(wrong_tests, messages),
        )
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
        caught_by = tuple(t for t in known(run) if t not in wrong)
        verdicts.append(
            MutantVerdict(mutant.id, mutant.description, bool(caught_by), caught_by[:3])
        )
    caught = sum(1 for v in verdicts if v.caught)
    wrong_tests = tuple(sorted(wrong))
    lost = WRONG_TEST_POINTS * len(wrong_tests)
    return OwnTestsScore(
        score=round(max(0.0, 100.0 * caught / len(verdicts) - lost), 2),
        tests=reference.tests,
        wrong_tests=wrong_tests,
        mutants=tuple(verdicts),
        branch_coverage=coverage,
        reason=_reason(wrong_tests, lost, own, sum(v.note.startswith("not run") for v in verdicts)),
        wrong_test_messages=_shown_messages(wrong_tests, messages),
    )


def _shown_messages(wrong: tuple[str, ...], messages: dict[str, str]) -> tuple[str, ...]:
    if len(wrong) > MESSAGES_SHOWN_UP_TO:
        return tuple("" for _ in wrong)
    return tuple(messages.get(t, "")[:MESSAGE_CAP] for t in wrong)


def _reason(wrong: tuple[str, ...], lost: float, own: OwnTestRun | None, unrun: int = 0) -> str:
    if own is not None and not own.collected:
        return "the run on the candidate's own code collected no tests: no failure could count"
    parts = []
    if wrong:
        parts.append(f"{len(wrong)} test(s) fail on a correct implementation (-{lost:g} points)")
    if unrun:
        # The phase shares the grade's bound (2 x time_seconds): a slow suite runs out of it.
        parts.append(f"{unrun} planted bug(s) not run: the suite ran out of its time budget")
    return "; ".join(parts)


def _reference_problem(run: OwnTestRun | None, own: OwnTestRun | None) -> str:
    if own is not None and own.timed_out:
        return "the candidate's tests did not finish on their own code; no mutant was run"
    if run is None:
        return "the candidate's tests were not run"
    if run.skipped:
        # The reference runs at a random place among the planted bugs: runs that never
        # finished before it used up the phase's time.
        return "the candidate's tests used up their time budget before the run on the reference"
    if run.error:
        return f"the candidate's tests could not run: {run.error}"
    if run.timed_out:
        return "the candidate's tests timed out on the reference implementation"
    return "the submission has no tests that pytest can collect"
