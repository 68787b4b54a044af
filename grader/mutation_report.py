"""What running the hidden suite on mutants found: each mutant's fate, the kill rate (overall,
per hidden-test group, per operator), survivors as diffs, and what the package's
``hidden/equivalent-mutants.toml`` declares (equivalent survivors, ignored functions).

The kill rate is killed / (run - equivalent): a mutant not run (budget, sample, engine error)
is in neither count, and a survivor listed as equivalent leaves the denominator. A crash (the
mutant does not import, crashes the run or times out) is a kill, counted apart as well.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from grader.mutation import IgnoredTally, Mutant
from grader.mutation_listing import EQUIVALENTS_FILE, Equivalent, load_equivalents

__all__ = [  # the listing's names stay importable from here, where the report uses them
    "EQUIVALENTS_FILE",
    "Equivalent",
    "MutantResult",
    "MutantStatus",
    "MutationReport",
    "load_equivalents",
]


class MutantStatus(StrEnum):
    """How one mutant fared against the hidden suite."""

    KILLED = "killed"
    """At least one hidden test failed."""
    CRASHED = "crashed"
    """Killed without a test to thank: it did not import, crashed the run or timed out."""
    SURVIVED = "survived"
    NOT_RUN = "not_run"
    """The time budget ran out before it started; never counted as killed."""
    ERROR = "error"
    """The sandbox failed on the grader's side; counted like not run."""


@dataclass(frozen=True)
class MutantResult:
    """One mutant and what the hidden suite did to it."""

    mutant: Mutant
    status: MutantStatus
    failed_tests: tuple[str, ...] = ()
    failed_groups: tuple[str, ...] = ()
    reason: str = ""
    """Why it was killed (the first failure) or not run."""
    cached: bool = False
    """Read from the cache: no container was started for it in this run."""
    duration_s: float = 0.0

    @property
    def killed(self) -> bool:
        return self.status in (MutantStatus.KILLED, MutantStatus.CRASHED)

    @property
    def ran(self) -> bool:
        return self.killed or self.status is MutantStatus.SURVIVED


@dataclass(frozen=True)
class GroupKills:
    """How many counted mutants a hidden-test group's tests kill."""

    id: str
    title: str
    killed: int
    share: float | None
    """Percent of the counted mutants (run, not equivalent); None when none was counted."""


@dataclass(frozen=True)
class OperatorTally:
    """The fate of one operator's mutants."""

    operator: str
    mutants: int
    killed: int
    survived: int
    equivalent: int
    not_run: int

    @property
    def rate(self) -> float | None:
        counted = self.killed + self.survived
        return round(100.0 * self.killed / counted, 1) if counted else None


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class MutationReport:
    """One exercise's mutation run, ready to print or store as JSON."""

    exercise_id: str
    exercise_version: str
    seed: int
    image: str
    generated: tuple[str, ...]
    """Ids of every mutant generated (before any sample); equivalents name these."""
    results: tuple[MutantResult, ...]
    """The mutants chosen to run (all, or a sample), in generation order."""
    groups: tuple[tuple[str, str], ...]
    """The exercise's hidden-test groups: id and title."""
    originals: tuple[tuple[str, str], ...]
    """Each mutated module's reference source, for the diffs."""
    equivalents: tuple[Equivalent, ...] = ()
    capped: tuple[tuple[str, int, int], ...] = ()
    """Modules with more mutants than the cap: file, found, kept."""
    ignored: tuple[IgnoredTally, ...] = ()
    """Functions left out by the package's ``[[ignore]]`` list; their mutants are not in
    ``generated``."""
    sampled: bool = False
    wall_s: float = 0.0

    def _listed(self) -> dict[str, Equivalent]:
        return {e.id: e for e in self.equivalents}

    def is_equivalent(self, result: MutantResult) -> bool:
        """A survivor the author listed as equivalent."""
        return result.status is MutantStatus.SURVIVED and result.mutant.id in self._listed()

    @property
    def survivors(self) -> tuple[MutantResult, ...]:
        """Survivors not listed as equivalent: the suite's blind spots."""
        return tuple(
            r
            for r in self.results
            if r.status is MutantStatus.SURVIVED and not self.is_equivalent(r)
        )

    @property
    def stale(self) -> tuple[str, ...]:
        """Listed equivalents that no generated mutant has any more."""
        known = set(self.generated)
        return tuple(e.id for e in self.equivalents if e.id not in known)

    @property
    def listed_but_killed(self) -> tuple[str, ...]:
        """Listed equivalents the suite kills after all (the listing is wrong or out of date)."""
        listed = self._listed()
        return tuple(r.mutant.id for r in self.results if r.killed and r.mutant.id in listed)

    def count(self, *statuses: MutantStatus) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def counted(self) -> int:
        """The denominator: mutants run, less the equivalent survivors."""
        ran = sum(1 for r in self.results if r.ran)
        return ran - sum(1 for r in self.results if self.is_equivalent(r))

    @property
    def kill_rate(self) -> float | None:
        """Percent of counted mutants killed; None when nothing was counted."""
        return _percent(self.count(MutantStatus.KILLED, MutantStatus.CRASHED), self.counted)

    def group_kills(self) -> tuple[GroupKills, ...]:
        """For each group, the counted mutants at least one of its tests kills."""
        return tuple(
            GroupKills(
                gid, title, n := sum(1 for r in self.results if gid in r.failed_groups),
                _percent(n, self.counted),
            )
            for gid, title in self.groups
        )  # fmt: skip

    def operator_tallies(self) -> tuple[OperatorTally, ...]:
        """Per operator, in order of first appearance."""
        names = list(dict.fromkeys(r.mutant.operator for r in self.results))
        tallies = []
        for name in names:
            mine = [r for r in self.results if r.mutant.operator == name]
            equivalent = sum(1 for r in mine if self.is_equivalent(r))
            tallies.append(
                OperatorTally(
                    name,
                    len(mine),
                    killed=sum(1 for r in mine if r.killed),
                    survived=sum(1 for r in mine if r.status is MutantStatus.SURVIVED) - equivalent,
                    equivalent=equivalent,
                    not_run=sum(1 for r in mine if not r.ran),
                )
            )
        return tuple(tallies)

    def diff(self, mutant: Mutant) -> str:
        """The mutant as a unified diff against the reference module."""
        original = dict(self.originals).get(mutant.file, "")
        return "".join(
            difflib.unified_diff(
                original.splitlines(keepends=True),
                mutant.source.splitlines(keepends=True),
                fromfile=f"solution/{mutant.file}",
                tofile=f"mutant {mutant.id}",
                n=2,
            )
        )

    def summary(self) -> dict[str, Any]:
        """The counts behind the summary table."""
        return {
            "generated": len(self.generated),
            "ignored": sum(i.mutants for i in self.ignored),
            "chosen": len(self.results),
            "run": sum(1 for r in self.results if r.ran),
            "cached": sum(1 for r in self.results if r.cached),
            "killed": self.count(MutantStatus.KILLED, MutantStatus.CRASHED),
            "crashed": self.count(MutantStatus.CRASHED),
            "survived": len(self.survivors),
            "equivalent": sum(1 for r in self.results if self.is_equivalent(r)),
            "not_run": self.count(MutantStatus.NOT_RUN),
            "errors": self.count(MutantStatus.ERROR),
            "kill_rate": self.kill_rate,
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain JSON-ready data."""
        listed = self._listed()
        return {
            "exercise": self.exercise_id,
            "version": self.exercise_version,
            "seed": self.seed,
            "image": self.image,
            "sampled": self.sampled,
            "wall_s": round(self.wall_s, 1),
            "summary": self.summary(),
            "capped": [{"file": f, "found": n, "kept": k} for f, n, k in self.capped],
            "ignored": [i.__dict__ for i in self.ignored],
            "groups": [g.__dict__ for g in self.group_kills()],
            "operators": [{**t.__dict__, "rate": t.rate} for t in self.operator_tallies()],
            "survivors": [
                {**_mutant_fields(r.mutant), "diff": self.diff(r.mutant)} for r in self.survivors
            ],
            "equivalent": [
                {**_mutant_fields(r.mutant), "reason": listed[r.mutant.id].reason}
                for r in self.results
                if self.is_equivalent(r)
            ],
            "stale_equivalents": list(self.stale),
            "listed_but_killed": list(self.listed_but_killed),
            "mutants": [
                {
                    **_mutant_fields(r.mutant),
                    "status": r.status.value,
                    "failed_groups": list(r.failed_groups),
                    "failed_tests": list(r.failed_tests),
                    "reason": r.reason,
                    "cached": r.cached,
                }
                for r in self.results
            ],
        }


def _mutant_fields(mutant: Mutant) -> dict[str, Any]:
    return {
        "id": mutant.id,
        "file": mutant.file,
        "operator": mutant.operator,
        "line": mutant.line,
        "description": mutant.description,
    }
