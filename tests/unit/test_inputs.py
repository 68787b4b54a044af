"""The inputs message: the host's tar on a pipe, read and unpacked by the supervisor's code.

Plain pipes and a temporary folder stand in for the container's stdin and its /grader tmpfs;
the Docker tests (tests/integration) send the same message through a real attach.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.intake import open_workspace
from grader.runner.inputs import input_archive, inputs_message

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sandbox" / "harness"))

import supervise


def through_pipe(message: bytes) -> tuple[int, threading.Thread]:
    """A read end that yields ``message`` (written by a thread, so large ones do not block)."""
    read_fd, write_fd = os.pipe()

    def write() -> None:
        _write_all(write_fd, message)
        os.close(write_fd)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return read_fd, writer


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def tar_of(*members: tuple[str, bytes | None, int]) -> bytes:
    """A tar of (name, content or None for a folder, mode) entries, in that order."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data, mode in members:
            info = tarfile.TarInfo(name)
            info.mode = mode
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_the_real_inputs_arrive_whole_and_keep_their_modes(
    catalog: Catalog, tmp_path: Path
) -> None:
    exercise = catalog.get("feature-scaler")
    with open_workspace(exercise.solution_dir) as workspace:
        archive = input_archive(exercise, workspace, seed=7)
        expected = {name: (workspace.root / name).read_bytes() for name in workspace.files}
    fd, writer = through_pipe(inputs_message(archive))
    data = supervise.read_inputs(fd, wait_seconds=10)
    writer.join()
    assert data == archive
    supervise.unpack_inputs(data, tmp_path)
    for name, content in expected.items():
        path = tmp_path / "submission" / name
        assert path.read_bytes() == content
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "tests").stat().st_mode) == 0o700
    hidden = [p for p in (tmp_path / "tests").rglob("*") if p.is_file()]
    assert hidden and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in hidden)
    assert stat.S_IMODE((tmp_path / "job.json").stat().st_mode) == 0o600


def test_a_large_message_is_read_in_full(tmp_path: Path) -> None:
    blob = os.urandom(3 * 1024 * 1024 + 17)
    archive = tar_of(("submission", None, 0o755), ("submission/data.bin", blob, 0o644))
    fd, writer = through_pipe(inputs_message(archive))
    supervise.unpack_inputs(supervise.read_inputs(fd, wait_seconds=10), tmp_path)
    writer.join()
    assert (tmp_path / "submission" / "data.bin").read_bytes() == blob


def test_a_spare_that_gets_nothing_gives_up_quietly() -> None:
    read_fd, write_fd = os.pipe()
    try:
        with pytest.raises(supervise.NoInputs):
            supervise.read_inputs(read_fd, wait_seconds=0.2)
    finally:
        os.close(write_fd)
        os.close(read_fd)


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        (b"go\n", "header is malformed"),
        (b"mlgrade-inputs lots\n", "header is malformed"),
        (b"x" * 100, "header is malformed"),
        (b"mlgrade-inputs 5000\nshort", "incomplete"),
    ],
)
def test_a_malformed_or_cut_message_is_a_clear_error(message: bytes, problem: str) -> None:
    fd, writer = through_pipe(message)
    with pytest.raises(supervise.BadInputs, match=problem):
        supervise.read_inputs(fd, wait_seconds=5)
    writer.join()


@pytest.mark.parametrize(
    "members",
    [
        [("../escape.py", b"x", 0o644)],
        [("/etc/evil", b"x", 0o644)],
        [("submission/../../escape.py", b"x", 0o644)],
    ],
)
def test_names_outside_the_inputs_folder_are_refused(members: list, tmp_path: Path) -> None:
    dest = tmp_path / "grader"
    dest.mkdir()
    with pytest.raises(supervise.BadInputs, match="unsafe name"):
        supervise.unpack_inputs(tar_of(*members), dest)
    assert not (tmp_path / "escape.py").exists()


def test_links_and_devices_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        link = tarfile.TarInfo("submission/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    with pytest.raises(supervise.BadInputs, match="unexpected entry"):
        supervise.unpack_inputs(buffer.getvalue(), tmp_path)
    assert not (tmp_path / "submission" / "passwd").is_symlink()
