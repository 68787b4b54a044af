"""Builders for the hostile archives listed in tests/attacks/archives.toml."""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import nbformat

from .notebooks import notebook_from_source

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "exercises" / "feature-scaler" / "solution" / "scaler.py"


def _tar(dest: Path, members: list[tarfile.TarInfo], data: dict[str, bytes] | None = None) -> Path:
    path = dest / "submission.tar"
    with tarfile.open(path, "w") as tar:
        solution = SOLUTION.read_bytes()
        info = tarfile.TarInfo("scaler.py")
        info.size = len(solution)
        tar.addfile(info, io.BytesIO(solution))
        for member in members:
            payload = (data or {}).get(member.name)
            tar.addfile(member, io.BytesIO(payload) if payload is not None else None)
    return path


def zip_slip(dest: Path, canary: Path) -> Path:
    path = dest / "submission.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(SOLUTION, "scaler.py")
        archive.writestr("../../../tmp/evil.py", "print('escaped')\n")
    return path


def tar_absolute(dest: Path, canary: Path) -> Path:
    info = tarfile.TarInfo("/tmp/evil.py")
    info.size = 4
    return _tar(dest, [info], {"/tmp/evil.py": b"x=1\n"})


def tar_dotdot(dest: Path, canary: Path) -> Path:
    info = tarfile.TarInfo("a/../../evil.py")
    info.size = 4
    return _tar(dest, [info], {"a/../../evil.py": b"x=1\n"})


def tar_symlink_to_canary(dest: Path, canary: Path) -> Path:
    info = tarfile.TarInfo("secret.txt")
    info.type, info.linkname = tarfile.SYMTYPE, str(canary)
    return _tar(dest, [info])


def tar_hardlink_to_canary(dest: Path, canary: Path) -> Path:
    info = tarfile.TarInfo("secret.txt")
    info.type, info.linkname = tarfile.LNKTYPE, str(canary)
    return _tar(dest, [info])


def zip_bomb(dest: Path, canary: Path) -> Path:
    path = dest / "submission.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(SOLUTION, "scaler.py")
        with archive.open("padding.bin", "w", force_zip64=True) as handle:
            block = b"\0" * (1 << 20)
            for _ in range(60):
                handle.write(block)
    return path


def tar_fifo(dest: Path, canary: Path) -> Path:
    info = tarfile.TarInfo("pipe")
    info.type = tarfile.FIFOTYPE
    return _tar(dest, [info])


def tar_device(dest: Path, canary: Path) -> Path:
    info = tarfile.TarInfo("disk")
    info.type, info.devmajor, info.devminor = tarfile.BLKTYPE, 8, 0
    return _tar(dest, [info])


def many_files(dest: Path, canary: Path) -> Path:
    path = dest / "submission.tar"
    with tarfile.open(path, "w") as tar:
        empty = tarfile.TarInfo("x")
        for index in range(200_000):
            empty.name = f"f/{index}.py"
            tar.addfile(empty, io.BytesIO(b""))
    return path


def non_utf8_names(dest: Path, canary: Path) -> Path:
    path = dest / "submission.tar"
    with tarfile.open(path, "w", encoding="utf-8", errors="surrogateescape") as tar:
        solution = SOLUTION.read_bytes()
        info = tarfile.TarInfo("scaler.py")
        info.size = len(solution)
        tar.addfile(info, io.BytesIO(solution))
        odd = tarfile.TarInfo(b"caf\xe9.py".decode("utf-8", "surrogateescape"))
        odd.size = 4
        tar.addfile(odd, io.BytesIO(b"x=1\n"))
    return path


def directory_symlink_to_canary(dest: Path, canary: Path) -> Path:
    folder = dest / "submission"
    folder.mkdir()
    shutil.copy(SOLUTION, folder / "scaler.py")
    (folder / "secret.txt").symlink_to(canary)
    return folder


def notebook_not_json(dest: Path, canary: Path) -> Path:
    path = dest / "submission.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("scaler.ipynb", "print('this is a script, not a notebook')\n")
    return path


def _solution_notebook(*cells: str) -> nbformat.NotebookNode:
    nb = notebook_from_source(SOLUTION.read_text(encoding="utf-8"))
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    return nb


def notebook_huge_outputs(dest: Path, canary: Path) -> Path:
    """20 MB of saved output, and a cell that prints 100 MB more when run."""
    nb = _solution_notebook("for _ in range(100_000):\n    print('y' * 1000)")
    saved = nbformat.v4.new_output("stream", name="stdout", text="x" * (20 * 1024 * 1024))
    nb.cells[-1].outputs = [saved]
    folder = dest / "submission"
    folder.mkdir()
    nbformat.write(nb, folder / "scaler.ipynb")
    return folder


def notebook_reads_host_canary(dest: Path, canary: Path) -> Path:
    """A notebook that tries to read a host file by its path and print it."""
    nb = _solution_notebook(f"print(open({str(canary)!r}).read())", "import os\nprint(os.environ)")
    folder = dest / "submission"
    folder.mkdir()
    nbformat.write(nb, folder / "scaler.ipynb")
    return folder
