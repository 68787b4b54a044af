"""Code the quality score cannot read: compiled modules, archives with Python inside, and
files whose declared encoding makes Python and the linter read different text.

Such a submission gets no quality number (it "could not be measured"), so code cannot hide
from lint.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
"""PEP 263's encoding declaration, looked for on a file's first two lines."""
_READABLE_ENCODINGS = frozenset({"utf-8", "utf8", "ascii", "us-ascii", "utf-8-sig"})
COMPILED_SUFFIXES = (".pyc", ".pyo", ".so", ".pyd")
ARCHIVE_SUFFIXES = (".zip", ".whl", ".egg", ".pyz")


def foreign_encodings(texts: Mapping[str, str]) -> list[str]:
    """Python files declaring an encoding other than UTF-8: Python decodes them one way and
    the linter (and a reviewer's editor) another, so code can hide in what looks like comments."""
    found = []
    for relative, text in texts.items():
        if relative.endswith(".py"):
            for line in text.splitlines()[:2]:
                match = _CODING.match(line)
                if match and match.group(1).lower().replace("_", "-") not in _READABLE_ENCODINGS:
                    found.append(f"{relative} ({match.group(1)})")
                    break
    return found


def unlintable_code(root: Path, files: tuple[str, ...]) -> list[str]:
    """Submission files that hold code lint cannot read: compiled modules, and archives with
    Python inside (importable from ``sys.path``), so code cannot hide from the quality score."""
    return [
        relative
        for relative in files
        if relative.lower().endswith(COMPILED_SUFFIXES)
        or (relative.lower().endswith(ARCHIVE_SUFFIXES) and _archive_has_python(root / relative))
    ]


def _archive_has_python(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(n.endswith((".py", ".pyc")) for n in archive.namelist()[:10000])
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
