"""A replaying runner for the grader's own failure paths (forged container output, a runner
that raises), and the frames it replays.

``ReplayRunner`` is a fake standing in for the Docker engine. It is only for what happens on
the host *after* a container has spoken: recorded (or crafted) container logs go through
the real protocol parser and the real scoring, exactly as a real run's would. Whatever the
sandbox itself does is tested with real containers elsewhere; candidates without a
recording are passed to ``fallback`` (a real ``DockerRunner`` in integration tests).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from grader.model import Exercise, RunRecord, Workspace
from grader.runner.interface import Runner
from grader.runner.protocol import FRAME_BEGIN, FRAME_END, ContainerExit, parse_run

Recording = bytes | BaseException | list[bytes | BaseException]
"""The container's stdout to replay, or an exception the run raises instead; a list is
replayed one entry per run of that submission (the last one repeats), e.g. an engine error
then a good run."""


def frame(payload: Mapping[str, Any] | str) -> bytes:
    """Container stdout holding one result frame (a dict, or raw text for forged JSON)."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return f"noise\n{FRAME_BEGIN}\n{body}\n{FRAME_END}\n".encode()


def honest_frame(exercise: Exercise, **extra: Any) -> bytes:
    """What a harness says when every hidden test passed."""
    lines = [{"kind": "collected"}] + [
        {"kind": "test", "id": t.id, "outcome": "passed", "duration": 0.01} for t in exercise.tests
    ]
    results = "\n".join(json.dumps(line) for line in lines)
    return frame({"version": 1, "results": results, "stdout": "", "stderr": "", **extra})


class ReplayRunner:
    """Replays a recording for the submissions named in ``recordings`` (by the name of the
    submission's file or folder); hands every other submission to ``fallback``, or replays
    an honest all-pass frame when there is none."""

    def __init__(self, recordings: Mapping[str, Recording], fallback: Runner | None = None):
        self.recordings = dict(recordings)
        self.fallback = fallback

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        """The recorded run of this submission, parsed as a real container's output."""
        recording = self.recordings.get(workspace.source.name)
        if isinstance(recording, list):
            recording = recording.pop(0) if len(recording) > 1 else recording[0]
        if recording is None and self.fallback is not None:
            return self.fallback.run(exercise, workspace, seed)
        if isinstance(recording, BaseException):
            raise recording
        logs = recording if recording is not None else honest_frame(exercise)
        engine = ContainerExit(logs, 0, oom_killed=False, killed_at_deadline=False, duration_s=0.1)
        return parse_run(exercise, engine, image="replayed", seed=seed)


class NoRun:
    """Stands in for the engine: a memo must be graded without any sandbox run."""

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        raise AssertionError(f"a memo exercise ran in the sandbox: {exercise.id}")
