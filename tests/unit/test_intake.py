"""Intake specification: every submission shape becomes a clean, size-checked private copy."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from grader.errors import IntakeError, UnsafeArchiveError
from grader.intake import IntakeLimits, _Tally, content_hash, open_workspace
from grader.model import SourceKind

PROJECT = {
    "train.py": b"import numpy as np\nprint('fit')\n",
    "pkg/__init__.py": b"",
    "pkg/model.py": b"def fit(x):\n    return x.mean()\n",
    "data/values.csv": b"a,b\n1,2\n",
}
MB = 1024 * 1024
needs_git = pytest.mark.skipif(
    shutil.which("git") is None and not os.environ.get("CI"),  # in CI, a missing git fails
    reason="git is not installed",
)


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def write_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz", format=tarfile.GNU_FORMAT) as archive:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def tar_file(name: str, data: bytes = b"x = 1\n") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def tar_link(
    name: str, target: str, kind: bytes = tarfile.SYMTYPE
) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, b""


def write_zeros_zip(path: Path, megabytes: int) -> Path:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.bin", "w") as member,
    ):
        for _ in range(megabytes):
            member.write(bytes(MB))
    return path


def intake(source: Path, limits: IntakeLimits | None = None) -> None:
    """Run intake to the end and discard the workspace, for tests that expect an error."""
    with open_workspace(source, limits):
        pass


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root (``.git`` included) with its sha256 and mtime."""
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=x", "-c", "user.email=x", "-c", "commit.gpgsign=false"]
    done = subprocess.run([*command, "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def committed_repo(root: Path) -> Path:
    write_tree(root, PROJECT)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "submission")
    return root


def test_directory_is_copied_with_sorted_files_and_total_bytes(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", PROJECT)
    with open_workspace(source) as workspace:
        assert workspace.kind is SourceKind.DIRECTORY
        assert workspace.files == tuple(sorted(PROJECT))
        assert workspace.total_bytes == sum(len(data) for data in PROJECT.values())
        assert (workspace.root / "pkg/model.py").read_bytes() == PROJECT["pkg/model.py"]
        assert workspace.root != source


def test_content_hash_follows_the_documented_formula(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", PROJECT)
    expected = hashlib.sha256()
    for name in sorted(PROJECT):
        expected.update(name.encode() + b"\0")
        expected.update(hashlib.sha256(PROJECT[name]).hexdigest().encode() + b"\n")
    assert content_hash(source, PROJECT) == expected.hexdigest()


def test_same_content_from_directory_zip_and_tar_has_the_same_hash(tmp_path: Path) -> None:
    directory = write_tree(tmp_path / "sub", PROJECT)
    archive = write_zip(tmp_path / "sub.zip", PROJECT)
    tarball = write_tar(tmp_path / "sub.tar.gz", [tar_file(n, d) for n, d in PROJECT.items()])
    hashes = set()
    for source, kind in [
        (directory, SourceKind.DIRECTORY),
        (archive, SourceKind.ZIP),
        (tarball, SourceKind.TAR),
    ]:
        with open_workspace(source) as workspace:
            assert workspace.kind is kind
            assert workspace.files == tuple(sorted(PROJECT))
            hashes.add(workspace.content_hash)
    assert len(hashes) == 1


def test_archive_with_one_top_level_folder_is_unwrapped(tmp_path: Path) -> None:
    wrapped = {f"project/{name}": data for name, data in PROJECT.items()}
    with open_workspace(write_zip(tmp_path / "sub.zip", wrapped)) as workspace:
        assert workspace.files == tuple(sorted(PROJECT))


def test_tar_with_dot_slash_names_and_one_folder_is_unwrapped(tmp_path: Path) -> None:
    members = [tar_file(f"./project/{name}", data) for name, data in PROJECT.items()]
    with open_workspace(write_tar(tmp_path / "sub.tgz", members)) as workspace:
        assert workspace.files == tuple(sorted(PROJECT))


def test_macos_metadata_folder_does_not_stop_unwrapping(tmp_path: Path) -> None:
    files = {"project/train.py": b"x = 1\n", "__MACOSX/project/._train.py": b"\0\5\26\7"}
    with open_workspace(write_zip(tmp_path / "sub.zip", files)) as workspace:
        assert workspace.files == ("train.py",)
        assert "ignored __MACOSX/" in workspace.notes


def test_directory_with_one_folder_is_not_unwrapped(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", {"project/train.py": b"x = 1\n"})
    with open_workspace(source) as workspace:
        assert workspace.files == ("project/train.py",)


def test_single_file_is_copied_as_that_file(tmp_path: Path) -> None:
    source = write_tree(tmp_path, {"train.py": b"print('hi')\n"}) / "train.py"
    with open_workspace(source) as workspace:
        assert workspace.kind is SourceKind.FILE
        assert workspace.files == ("train.py",)
        assert workspace.total_bytes == len(b"print('hi')\n")


@needs_git
def test_git_repository_records_its_commit_and_leaves_out_dot_git(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    with open_workspace(repo) as workspace:
        assert workspace.kind is SourceKind.GIT
        assert workspace.git_commit == git(repo, "rev-parse", "HEAD")
        assert workspace.git_dirty is False
        assert workspace.files == tuple(sorted(PROJECT))
        assert not (workspace.root / ".git").exists()
        assert "ignored .git/" in workspace.notes


@needs_git
def test_git_repository_with_uncommitted_changes_is_dirty(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    (repo / "train.py").write_bytes(b"print('changed')\n")
    with open_workspace(repo) as workspace:
        assert workspace.git_dirty is True


@needs_git
def test_git_repository_without_commits_has_no_commit_and_a_note(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", PROJECT)
    git(repo, "init", "-q")
    with open_workspace(repo) as workspace:
        assert workspace.git_commit is None
        assert any(note.startswith("git commit not recorded") for note in workspace.notes)


@needs_git
def test_git_source_is_not_modified(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo")
    (repo / "train.py").write_bytes(b"print('changed')\n")
    time.sleep(0.01)  # a stale index is what tempts `git status` to rewrite it
    before = snapshot(repo)
    with open_workspace(repo):
        pass
    assert snapshot(repo) == before


def test_ignored_directories_are_skipped_with_one_note_per_name(tmp_path: Path) -> None:
    source = write_tree(
        tmp_path / "sub",
        {
            "train.py": b"x = 1\n",
            ".venv/lib/site.py": b"",
            "pkg/__pycache__/a.cpython-311.pyc": b"\0",
            "tests/__pycache__/b.cpython-311.pyc": b"\0",
            "node_modules/left-pad/index.js": b"",
        },
    )
    with open_workspace(source) as workspace:
        assert workspace.files == ("train.py",)
        assert workspace.notes == (
            "ignored .venv/",
            "ignored __pycache__/",
            "ignored node_modules/",
        )


def test_symlink_in_directory_is_skipped_with_a_note(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", {"train.py": b"x = 1\n"})
    (source / "passwd.py").symlink_to("/etc/passwd")
    with open_workspace(source) as workspace:
        assert workspace.files == ("train.py",)
        assert "skipped symlink passwd.py" in workspace.notes


def test_original_directory_is_unchanged(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", {**PROJECT, ".venv/x.py": b"", "__pycache__/y": b""})
    before = snapshot(source)
    with open_workspace(source) as workspace:
        (workspace.root / "train.py").write_bytes(b"tampered")
    assert snapshot(source) == before


def test_zip_member_with_parent_component_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "sub.zip", {"train.py": b"", "../evil.py": b"boom"})
    with pytest.raises(UnsafeArchiveError, match=r"'\.\./evil\.py': path escapes the submission"):
        intake(archive)


def test_zip_member_with_absolute_path_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "sub.zip", {"/tmp/evil.py": b"boom"})
    with pytest.raises(UnsafeArchiveError, match=r"'/tmp/evil\.py': path escapes the submission"):
        intake(archive)


def test_zip_member_with_drive_letter_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "sub.zip", {"C:/Windows/evil.py": b"boom"})
    with pytest.raises(UnsafeArchiveError, match="path escapes the submission"):
        intake(archive)


def test_zip_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("data.csv")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "sub.zip", "w") as archive:
        archive.writestr("train.py", b"x = 1\n")
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match=r"'data\.csv': link points outside"):
        intake(tmp_path / "sub.zip")


def test_tar_member_with_parent_component_is_refused(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "sub.tar.gz", [tar_file("pkg/../../evil.py")])
    with pytest.raises(UnsafeArchiveError, match=r"pkg/\.\./\.\./evil\.py': path escapes"):
        intake(archive)


def test_tar_symlink_to_absolute_path_is_refused(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "sub.tar.gz", [tar_file("a.py"), tar_link("pw", "/etc/passwd")])
    with pytest.raises(UnsafeArchiveError, match="'pw': link points outside the submission"):
        intake(archive)


def test_tar_hardlink_outside_is_refused(tmp_path: Path) -> None:
    members = [tar_file("a.py"), tar_link("pkg/pw", "../etc/passwd", tarfile.LNKTYPE)]
    archive = write_tar(tmp_path / "sub.tar.gz", members)
    with pytest.raises(UnsafeArchiveError, match="'pkg/pw': link points outside the submission"):
        intake(archive)


def test_tar_symlink_inside_the_submission_is_skipped_with_a_note(tmp_path: Path) -> None:
    members = [tar_file("train.py"), tar_file("pkg/a.py"), tar_link("pkg/b.py", "a.py")]
    with open_workspace(write_tar(tmp_path / "sub.tar.gz", members)) as workspace:
        assert workspace.files == ("pkg/a.py", "train.py")
        assert "skipped symlink pkg/b.py" in workspace.notes


def test_tar_link_inside_an_ignored_directory_is_not_refused(tmp_path: Path) -> None:
    members = [tar_file("train.py"), tar_link(".venv/bin/python", "/usr/bin/python3")]
    with open_workspace(write_tar(tmp_path / "sub.tar.gz", members)) as workspace:
        assert workspace.files == ("train.py",)
        assert workspace.notes == ("ignored .venv/",)


def test_tar_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tarfile.TarInfo("pipe")
    fifo.type = tarfile.FIFOTYPE
    archive = write_tar(tmp_path / "sub.tar.gz", [tar_file("a.py"), (fifo, b"")])
    with pytest.raises(UnsafeArchiveError, match="'pipe': is a device, FIFO or other special"):
        intake(archive)


def test_tar_name_that_is_not_utf8_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "sub.tar.gz", [tar_file("caf\udce9.py")])
    with pytest.raises(IntakeError, match=r"'caf\\udce9\.py' is not valid UTF-8"):
        intake(archive)


def test_zip_bomb_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    archive = write_zeros_zip(tmp_path / "bomb.zip", megabytes=60)
    limits = IntakeLimits(max_bytes=1 * MB)
    with pytest.raises(
        IntakeError, match=r"holds at least 60\.0 MB of files; the limit is 1\.0 MB"
    ):
        intake(archive, limits)


def test_zip_bomb_with_lying_size_header_is_stopped(tmp_path: Path) -> None:
    archive = write_zeros_zip(tmp_path / "bomb.zip", megabytes=60)
    data = bytearray(archive.read_bytes())
    claimed = (512 * 1024).to_bytes(4, "little")  # under the cap; the payload is 60 MB
    data[22:26] = claimed  # local header: uncompressed size
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = claimed
    archive.write_bytes(bytes(data))
    with pytest.raises(IntakeError, match=r"bomb\.zip is not a readable zip archive: Bad CRC-32"):
        intake(archive, IntakeLimits(max_bytes=1 * MB))


def test_bytes_are_counted_as_written_not_as_declared() -> None:
    tally = _Tally(Path("bomb.zip"), IntakeLimits(max_bytes=1 * MB))
    tally.reserve("zeros.bin", 10)  # the header claims 10 bytes
    written = io.BytesIO()
    with pytest.raises(IntakeError, match=r"holds more than 1\.0 MB of files"):
        tally.copy(io.BytesIO(bytes(3 * MB)), written)
    assert written.getbuffer().nbytes <= 1 * MB


def test_directory_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", {"big.bin": bytes(2 * MB)})
    with pytest.raises(IntakeError, match=r"holds at least 2\.0 MB of files; the limit is 1\.0 MB"):
        intake(source, IntakeLimits(max_bytes=1 * MB))


def test_more_files_than_the_limit_is_refused(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", {f"f{i:02}.py": b"" for i in range(11)})
    with pytest.raises(IntakeError, match=r"sub has more than 10 files; the limit is 10"):
        intake(source, IntakeLimits(max_files=10))


def test_zip_with_more_files_than_the_limit_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "sub.zip", {f"f{i:02}.py": b"" for i in range(11)})
    with pytest.raises(IntakeError, match=r"sub\.zip has more than 10 files; the limit is 10"):
        intake(archive, IntakeLimits(max_files=10))


def test_name_over_the_length_limit_is_refused(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", {"a" * 30 + ".py": b""})
    with pytest.raises(IntakeError, match=r"name too long \(33 bytes; the limit is 20\)"):
        intake(source, IntakeLimits(max_name_length=20))


def test_broken_zip_names_the_file_and_the_reason(tmp_path: Path) -> None:
    archive = tmp_path / "sub.zip"
    archive.write_bytes(b"this is not a zip")
    with pytest.raises(
        IntakeError, match=r"sub\.zip is not a readable zip archive: File is not a zip"
    ):
        intake(archive)


def test_broken_tar_names_the_file_and_the_reason(tmp_path: Path) -> None:
    archive = tmp_path / "sub.tar.gz"
    archive.write_bytes(b"this is not a tarball")
    with pytest.raises(
        IntakeError, match=r"sub\.tar\.gz is not a readable tar archive: not a gzip"
    ):
        intake(archive)


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IntakeError, match=r"^submission not found: .*nowhere$"):
        intake(tmp_path / "nowhere")


def test_empty_directory_contains_no_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(IntakeError, match=r"empty contains no files$"):
        intake(tmp_path / "empty")


def test_special_file_as_submission_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(IntakeError, match="pipe is not a regular file, directory, zip or tar"):
        intake(tmp_path / "pipe")


def test_workspace_is_deleted_after_the_block(tmp_path: Path) -> None:
    with open_workspace(write_tree(tmp_path / "sub", PROJECT)) as workspace:
        assert workspace.root.is_dir()
    assert not workspace.root.exists()


def test_workspace_is_deleted_when_the_block_raises(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "sub", PROJECT)
    with pytest.raises(RuntimeError, match="boom"), open_workspace(source) as workspace:
        raise RuntimeError("boom")
    assert not workspace.root.exists()


def test_workspace_is_deleted_when_intake_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    archive = write_zip(tmp_path / "sub.zip", {"a.py": b"", "../evil.py": b""})
    with pytest.raises(UnsafeArchiveError):
        intake(archive)
    assert list(scratch.iterdir()) == []


def test_workspace_inside_the_source_is_not_copied_into_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_tree(tmp_path / "sub", {"train.py": b"x = 1\n"})
    (source / "scratch").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(source / "scratch"))
    with open_workspace(source) as workspace:
        assert workspace.files == ("train.py",)
