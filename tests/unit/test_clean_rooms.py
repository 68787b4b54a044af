"""The harness's defences around candidate-writable files and candidate output, without Docker:
safe reads refuse links and FIFOs, leftovers are swept however deep, garbage never raises,
and only the own run's test ids leave the own-tests driver."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sandbox" / "harness"))

import asuser
import own_tests
import rooms
import steps


def test_a_regular_file_within_the_cap_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"{}")
    assert asuser.open_regular(str(tmp_path / "a.json"), 10) == b"{}"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    started = time.monotonic()
    with pytest.raises(asuser.Unsafe, match="not a regular file"):
        asuser.open_regular(str(tmp_path / "fifo"), 10)
    assert time.monotonic() - started < 1


def test_a_symlink_is_never_followed_at_the_end_or_on_the_way(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("hidden")
    (tmp_path / "link").symlink_to(tmp_path / "secret")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "f").write_text("x")
    (tmp_path / "dirlink").symlink_to(tmp_path / "dir")
    with pytest.raises(OSError) as at_end:
        asuser.open_regular(str(tmp_path / "link"), 100)
    assert at_end.value.errno == errno.ELOOP
    with pytest.raises(OSError):
        asuser.open_regular(str(tmp_path / "dirlink" / "f"), 100)


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 100)
    with pytest.raises(asuser.Unsafe, match="bigger"):
        asuser.open_regular(str(tmp_path / "big"), 99)


def test_read_as_answers_none_for_a_fifo_and_the_bytes_for_a_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "ok").write_bytes(b"fine")
    assert asuser.read_as(os.getuid(), str(tmp_path / "fifo"), 100, timeout=5) is None
    assert asuser.read_as(os.getuid(), str(tmp_path / "ok"), 100, timeout=5) == b"fine"


def test_a_child_that_hangs_is_killed_at_its_deadline() -> None:
    started = time.monotonic()
    assert asuser.run_as(os.getuid(), lambda: time.sleep(30) or b"", 10, timeout=0.5) is None
    assert time.monotonic() - started < 5


def test_the_sweep_removes_a_deep_locked_tree_and_only_the_users_entries(tmp_path: Path) -> None:
    place = tmp_path / "shared"
    deep = place / "mark"
    deep.mkdir(parents=True)
    folder = deep
    for _ in range(1500):  # deeper than Python's recursion limit
        folder = folder / "d"
        folder.mkdir()
    (folder / "f").write_text("x")
    (deep / "link").symlink_to(tmp_path / "keep")
    (tmp_path / "keep").write_text("outside")
    locked = place / "locked"
    locked.mkdir()
    (locked / "inner").mkdir()
    locked.chmod(0o000)
    assert rooms.sweep(os.getuid(), (str(place),))
    assert list(place.iterdir()) == []
    assert (tmp_path / "keep").read_text() == "outside"


def test_a_folder_of_many_subfolders_is_swept_in_linear_time(tmp_path: Path) -> None:
    """Each folder is listed once: 20,000 empty subfolders go in seconds, where listing the
    parent again after each one took minutes (a run could stall the sweep and keep a note)."""
    place = tmp_path / "shared"
    wide = place / "wide"
    wide.mkdir(parents=True)
    for i in range(20_000):
        (wide / f"d{i}").mkdir()
    started = time.monotonic()
    assert rooms.sweep(os.getuid(), (str(place),), timeout=20.0)
    assert list(place.iterdir()) == []
    assert time.monotonic() - started < 10


def test_a_chain_deeper_than_the_open_file_limit_is_swept(tmp_path: Path) -> None:
    """One folder open at a time: a chain deeper than RLIMIT_NOFILE goes, and a sweep that
    leaves anything of the run's behind says so instead of reporting the room clean."""
    import resource

    place = tmp_path / "shared"
    folder = place / "deep"
    folder.mkdir(parents=True)
    fd = os.open(folder, os.O_RDONLY)
    for _ in range(300):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def swept() -> bytes:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
        rooms._purge_owned(str(place), os.getuid())
        return b"ok"

    assert asuser.run_as(os.getuid(), swept, 16, timeout=20) == b"ok"
    assert list(place.iterdir()) == []
    assert resource.getrlimit(resource.RLIMIT_NOFILE) == (soft, hard)


def test_what_is_left_behind_makes_the_sweep_unclean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = tmp_path / "shared"
    (place / "mine").mkdir(parents=True)

    def fails(parent: int, name: str) -> None:  # a removal that gave up (the fork inherits it)
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(rooms, "_remove", fails)
    assert not rooms.sweep(os.getuid(), (str(place),), timeout=5.0)
    assert (place / "mine").exists()


def test_a_sweep_that_cannot_finish_in_time_says_so(tmp_path: Path) -> None:
    place = tmp_path / "shared"
    wide = place / "wide"
    wide.mkdir(parents=True)
    for i in range(20_000):
        (wide / f"d{i}").mkdir()
    assert not rooms.sweep(os.getuid(), (str(place),), timeout=0.0001)


def test_garbage_from_a_step_is_an_error_never_an_exception() -> None:
    for raw in (b"[" * 200_000, b"\xff\xfe", b"", b"[1, 2]", b'{"a": 1} trailing'):
        assert "error" in steps.parse_answer(raw, "step")
    assert steps.parse_answer(b'{"tests": 3}', "step") == {"tests": 3}


def test_a_spawn_refused_by_the_process_limit_is_retried() -> None:
    attempts = []

    def start() -> subprocess.Popen:
        attempts.append(1)
        if len(attempts) < 3:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        return subprocess.Popen([sys.executable, "-c", "pass"])

    proc = steps.spawn(start)
    assert proc is not None and proc.wait() == 0
    assert len(attempts) == 3


def test_outcome_lines_are_read_defensively() -> None:
    raw = b"\n".join(
        [
            b'{"collected": ["t.py::a", "t.py::b", "t.py::\\u0007bell"]}',
            b"[" * 100_000,
            b'{"failed": "t.py::a", "message": "AssertionError: assert 1 == 2\\nmore"}',
            b'{"failed": 7}',
            b"not json",
        ]
    )
    collected, failed = own_tests.read_outcomes(raw)
    assert collected == ["t.py::a", "t.py::b"]
    assert failed == {"t.py::a": "AssertionError: assert 1 == 2"}


def test_a_runs_coverage_report_is_checked() -> None:
    good = b'{"totals": {"num_branches": 10, "covered_branches": 4}}'
    assert own_tests.read_coverage(good) == {"branches": 10, "covered_branches": 4}
    for bad in (b'{"totals": {"num_branches": 1, "covered_branches": 9}}', b"[" * 50_000, None):
        assert own_tests.read_coverage(bad) == {}


OWN = {"t.py::a", "t.py::b", "t.py::c"}
