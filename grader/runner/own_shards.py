"""The candidate's own tests shared out over containers, and their runs settled into one set.

The suite runs about thirty times (the reference five times among the planted bugs, then the
candidate's own code), one after another on a container's one CPU: most of a grade's time.
The host draws the order of the scored runs and deals it out. The grading container takes a
short share (it judges first); each other container, started with it, runs only its share.
The run on the candidate's own code comes last in the grading container, and only once the
host has seen every other container end (``await_go``): it is the one recognisable run, and
it must not overlap or precede any scored run, in this container or another.

Every scored run stops at its ``STOP_AFTER``-th failure, all of them alike. That loses
nothing a grade uses: a reference run that did not stop names every wrong test, so a mutant
run that stopped has at least one failure that is not a wrong test (it is caught, as a full
run would say); and a suite with that many tests failing on the reference scores 0 anyway.
See the design notes, "Own-tests runs are shared out over containers".
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from grader.model import OWN_TESTS_STOP_AFTER as STOP_AFTER
from grader.model import OwnTestRun

REFERENCE_RUNS = 5
"""Runs of the reference among the scored runs, at random places: a suite that can tell its
position guesses the reference's at a loss (see the design notes)."""
JUDGE_HANDICAP = 6
"""Scored runs' worth of time the grading container spends judging and on the own run: it
takes that many fewer (a run of a typical suite is a fifth of a second, a judge about one)."""
OWN_SECONDS = 10.0
OWN_SHARE = 0.2
"""Kept for the run on the candidate's own code, which comes last: this share of the phase's
budget, at most ``OWN_SECONDS``."""
QUOTE_RUN = 20
WITHHELD = "(message withheld: it quotes the implementation under test)"


@dataclass(frozen=True)
class Share:
    """What one container runs of the candidate's tests."""

    plan: tuple[str, ...]
    """Variant ids in run order ("reference" several times)."""
    own_run: bool
    """Also the run on the candidate's own code, after the plan."""
    await_go: bool
    """The own run waits for the host's word that every other container has ended."""
    budget: float
    own_seconds: float = 0.0
    """Of ``budget``, kept for the own run; the other shares end that much sooner."""


def deal(
    variant_ids: list[str], containers: int, *, budget: float, rng: random.Random | None = None
) -> list[Share]:
    """The scored runs in a fresh random order, dealt out; the first share (shorter, with the
    own run) goes to the grading container."""
    runs = [*variant_ids, *["reference"] * (REFERENCE_RUNS - 1)]
    (rng or random.SystemRandom()).shuffle(runs)
    count = max(1, min(containers, len(runs)))
    head = JUDGE_HANDICAP if count > 1 else 0
    each = (len(runs) + head) / count
    cuts = [0, *(max(0, round(each * i - head)) for i in range(1, count)), len(runs)]
    own = min(OWN_SECONDS, OWN_SHARE * budget)
    return [
        Share(tuple(runs[a:b]), True, count > 1, budget, own)
        if i == 0
        else Share(tuple(runs[a:b]), False, False, budget - own)
        for i, (a, b) in enumerate(itertools.pairwise(cuts))
    ]


def lost(share: Share, reason: str) -> tuple[OwnTestRun, ...]:
    """A share whose container failed: each of its runs an error, never a pass."""
    return tuple(OwnTestRun(v, 0, (), -1, error=reason[:300]) for v in share.plan)


def quotes(message: str, sources: list[str]) -> bool:
    """Whether ``message`` repeats a run of ``QUOTE_RUN`` characters of any source."""
    windows = {message[i : i + QUOTE_RUN] for i in range(max(0, len(message) - QUOTE_RUN + 1))}
    return any(w in source for w in windows for source in sources)


def settle(
    runs: Iterable[OwnTestRun], sources: dict[str, list[str]], order: list[str]
) -> tuple[OwnTestRun, ...]:
    """Every container's runs as one per variant, in ``order`` (own, reference, mutants).

    Only failures of ids the own run collected count (a suite cannot spell the reference
    out through names of tests that only exist there); messages quoting a variant's source
    are withheld; the reference's runs merge (a test failing in any failed)."""
    runs = list(runs)
    own = next((r for r in runs if r.variant == "own"), None)
    known = set(own.collected) if own is not None else set()
    out: dict[str, OwnTestRun] = {}
    skipped: list[str] = []
    if own is not None:
        out["own"] = replace(own, messages=())
    for run in runs:
        if run.variant == "own":
            continue
        if run.skipped:
            skipped.append(run.variant)
            continue
        # Counted before the own run's ids filter them: the run stopped at its raw count.
        stopped = len(run.failed) >= STOP_AFTER
        kept = [(t, m) for t, m in zip(run.failed, _padded(run), strict=True) if t in known]
        shown = tuple(WITHHELD if quotes(m, sources.get(run.variant, [])) else m for _, m in kept)
        failed = tuple(t for t, _ in kept)
        run = replace(run, failed=failed, messages=shown, collected=(), stopped=stopped)
        out[run.variant] = _merged(out[run.variant], run) if run.variant in out else run
    for variant in skipped:
        out.setdefault(variant, OwnTestRun(variant, 0, (), -1, skipped=True))
    return tuple(out[v] for v in order if v in out)


def _padded(run: OwnTestRun) -> tuple[str, ...]:
    return tuple(run.messages[: len(run.failed)]) + ("",) * (len(run.failed) - len(run.messages))


def _merged(first: OwnTestRun, then: OwnTestRun) -> OwnTestRun:
    """Two runs of the reference as one: a test that failed in either failed."""
    messages = dict(zip(then.failed, then.messages, strict=True))
    messages.update(zip(first.failed, first.messages, strict=True))
    failed = tuple(sorted(messages))
    return replace(
        first,
        tests=max(first.tests, then.tests),
        timed_out=first.timed_out or then.timed_out,
        stopped=first.stopped or then.stopped,
        error=first.error or then.error,
        failed=failed,
        messages=tuple(messages[t] for t in failed),
    )
