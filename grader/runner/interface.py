"""The runner seam: how a grade gets a RunRecord without knowing about Docker."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from grader.model import Exercise, RunRecord, Workspace


class Runner(Protocol):
    """Runs one submission's hidden tests in isolation and reports what happened."""

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        """Run the exercise's hidden tests against the workspace; never raises for the
        candidate's behaviour (timeouts, crashes, floods are in the record)."""
        ...


@runtime_checkable
class SpareRunner(Runner, Protocol):
    """A runner that can get the next run's sandbox ready while the current one runs.

    Off until ``keep_spare()`` is called: a lone grade would pay for a sandbox it never uses.
    Whoever turns it on must ``close()`` the runner, which removes the unused spare.
    """

    def keep_spare(self) -> None:
        """From now on, prepare a spare sandbox for the next run during each run."""
        ...

    def close(self) -> None:
        """Remove the spare, if any; the runner may still run (without a spare) afterwards."""
        ...
