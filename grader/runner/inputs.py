"""The inputs the host sends a waiting container: one tar of the job, the submission and the
hidden tests, behind a header line with its size (see ``docker_runner``)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from grader.model import Exercise, Workspace
from grader.runner.own_shards import Share
from grader.runner.protocol import job_payload

INPUTS_TAG = b"mlgrade-inputs"


def grade_labels(exercise: Exercise, workspace: Workspace) -> dict[str, str]:
    """What every container of a grade is labelled with (``grade sandbox`` lists them)."""
    return {"mlgrade.exercise": exercise.id, "mlgrade.submission": workspace.content_hash[:16]}


def _add_tree(
    tar: tarfile.TarFile,
    source: Path,
    prefix: str,
    files: list[str],
    *,
    private: bool,
    dirs: set[str],
) -> None:
    """Add files under ``prefix``; private ones are readable by root (the judge) only."""
    for relative in files:
        for parent in reversed(Path(relative).parents[:-1]):
            _add_dir(tar, f"{prefix}/{parent.as_posix()}", 0o700 if private else 0o755, dirs)
        data = (source / relative).read_bytes()
        info = tarfile.TarInfo(f"{prefix}/{relative}")
        info.size, info.mode, info.mtime = len(data), 0o600 if private else 0o644, 0
        tar.addfile(info, io.BytesIO(data))


def _add_dir(tar: tarfile.TarFile, name: str, mode: int, dirs: set[str]) -> None:
    if name not in dirs:
        dirs.add(name)
        info = tarfile.TarInfo(name)
        info.type, info.mode = tarfile.DIRTYPE, mode
        tar.addfile(info)


def input_archive(
    exercise: Exercise, workspace: Workspace, seed: int, share: Share | None = None
) -> bytes:
    """One tar with the job, the submission and the hidden tests (root-owned, read-only).
    For a container that runs only a ``share`` of the candidate's own tests (one that is not
    the grading container's), the job says so and the hidden tests stay out."""
    only = share is not None and not share.own_run
    hidden = exercise.hidden_tests_dir
    hidden_files = sorted(
        p.relative_to(hidden).as_posix()
        for p in hidden.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "conftest.py"
    )
    hidden_files = [] if only else hidden_files
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        # The candidate user may read its own submission, never the job or the hidden tests.
        dirs: set[str] = set()
        _add_dir(tar, "submission", 0o755, dirs)
        _add_dir(tar, "tests", 0o700, dirs)
        job = json.dumps(job_payload(exercise, workspace, seed, share, only_own_tests=only))
        data = job.encode()
        info = tarfile.TarInfo("job.json")
        info.size, info.mode = len(data), 0o600
        tar.addfile(info, io.BytesIO(data))
        _add_tree(
            tar, workspace.root, "submission", list(workspace.files), private=False, dirs=dirs
        )
        _add_tree(tar, hidden, "tests", hidden_files, private=True, dirs=dirs)
    return buffer.getvalue()


def inputs_message(archive: bytes) -> bytes:
    """What the waiting supervisor reads on stdin: a header line with the size, then the tar."""
    return INPUTS_TAG + b" %d\n" % len(archive) + archive
