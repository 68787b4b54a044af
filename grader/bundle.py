"""The candidate bundle: the files the grader hands a candidate, and how to recognise them.

A submission made from the bundle still holds the grader's own files (the brief as
``README.md``, the starter, ``public_tests/``, the marker). Those are not the candidate's
work: left unchanged they are never linted, fingerprinted or taken for the candidate's own
tests, and in a changed file only the lines that differ from the bundle's count as theirs.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.model import Exercise

MARKER_FILE = ".mlgrade-exercise"
BRIEF_NAME = "README.md"
PUBLIC_TESTS = "public_tests"
_SKIPPED = ("__pycache__",)


def marker_text(exercise: Exercise) -> str:
    """Contents of the marker file written into a candidate bundle."""
    return f'id = "{exercise.id}"\nversion = "{exercise.version}"\n'


def _tree(folder: Path, prefix: str = "") -> Iterator[tuple[str, Path]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        skipped = path.suffix == ".pyc" or any(p in _SKIPPED for p in relative.parts)
        if path.is_file() and not skipped:
            yield prefix + relative.as_posix(), path


def bundle_sources(exercise: Exercise) -> dict[str, Path]:
    """Each file of the bundle (its path in a submission) and the package file it comes from.

    The marker is generated, so it has no source file and is not listed.
    """
    files = dict(_tree(exercise.starter_dir))
    files.update(_tree(exercise.public_tests_dir, PUBLIC_TESTS + "/"))
    if exercise.brief.is_file():
        files[BRIEF_NAME] = exercise.brief
    return files


def export_bundle(exercise: Exercise, dest: Path) -> None:
    """Write the candidate bundle (brief, starter, public tests, marker; nothing hidden)."""
    dest.mkdir(parents=True, exist_ok=True)
    for relative, source in bundle_sources(exercise).items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    (dest / MARKER_FILE).write_text(marker_text(exercise), encoding="utf-8")


@dataclass(frozen=True)
class Bundle:
    """An exercise's bundle files, listed once, to compare a submission's files against."""

    sources: Mapping[str, Path]

    @classmethod
    def of(cls, exercise: Exercise) -> Bundle:
        return _bundle_of(exercise)

    def text(self, relative: str) -> str | None:
        """The bundle's version of a submission file, or None when the bundle has none."""
        source = self.sources.get(relative)
        return source.read_text(encoding="utf-8", errors="replace") if source else None

    def unchanged(self, root: Path, relative: str) -> bool:
        """Whether a submission file is a bundle file the candidate left as it was."""
        source = self.sources.get(relative)
        if source is None:
            return relative == MARKER_FILE
        return source.read_bytes() == (root / relative).read_bytes()


def own_line_numbers(text: str, bundle: str | None) -> frozenset[int] | None:
    """The 1-based lines of ``text`` the candidate wrote or changed relative to the bundle's
    version of the file; None when every line is theirs (a file the bundle does not have)."""
    if bundle is None:
        return None
    ours, theirs = (
        [_code_of(x) for x in bundle.splitlines()],
        [_code_of(x) for x in text.splitlines()],
    )
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    own: set[int] = set()
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            own.update(range(start + 1, end + 1))
    return frozenset(own)


def _code_of(line: str) -> str:
    """A line without its trailing comment: a comment added to a starter line (``# noqa``, a
    note) does not make the code on it the candidate's. Lines with quotes keep theirs, since a
    ``#`` may be inside a string."""
    code, hashed, _ = line.partition("#")
    if hashed and code.strip() and "'" not in code and '"' not in code:
        return code.rstrip()
    return line.rstrip()  # a line that is all comment is still written (commented-out code)


@functools.lru_cache(maxsize=32)
def _bundle_of(exercise: Exercise) -> Bundle:
    # Asked several times per grade (job, quality, own tests) and once per grade in a round:
    # exercise packages are data that does not change under a running grader, so list once.
    return Bundle(bundle_sources(exercise))


def lay_over_bundle(exercise: Exercise, folder: Path, dest: Path) -> Path:
    """A stored calibration case as a whole submission, in ``dest``.

    A case keeps only what its author wrote: it is laid over a fresh export of the bundle, so
    it always meets the current bundle. A module the case hands in as a notebook
    (``scaler.ipynb``) is not exported beside it as the starter's ``scaler.py``.
    """
    export_bundle(exercise, dest)
    for notebook in folder.rglob("*.ipynb"):
        module = dest / notebook.relative_to(folder).with_suffix(".py")
        if module.is_file() and not (folder / module.relative_to(dest)).exists():
            module.unlink()
    shutil.copytree(folder, dest, dirs_exist_ok=True, symlinks=True)
    return dest


UNGRADED_PARTS = ("panel", "samples")
"""Package folders that never change a grade (evidence for the author, not inputs)."""
UNGRADED_FILES = ("hidden/mutation-record.toml", "hidden/equivalent-mutants.toml")
"""The hidden suite's strength report and its justified survivors: about, not inputs to, a grade."""


@functools.lru_cache(maxsize=32)
def package_hash(exercise: Exercise) -> str:
    """A hash of everything in the exercise package that can change a grade: exercise.toml,
    brief, starter, public and hidden tests, variants, mutants, rubric and solution."""
    digest = hashlib.sha256()
    for path in sorted(p for p in exercise.root.rglob("*") if p.is_file()):
        relative = path.relative_to(exercise.root)
        if relative.parts[0] in UNGRADED_PARTS or "__pycache__" in relative.parts:
            continue
        if relative.as_posix() in UNGRADED_FILES:
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
