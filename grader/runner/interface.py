"""The runner seam: how a grade gets a RunRecord without knowing about Docker."""

from __future__ import annotations

from typing import Protocol

from grader.model import Exercise, RunRecord, Workspace


class Runner(Protocol):
    """Runs one submission's hidden tests in isolation and reports what happened."""

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        """Run the exercise's hidden tests against the workspace; never raises for the
        candidate's behaviour (timeouts, crashes, floods are in the record)."""
        ...
