"""Notebook cells as the grader runs them: shell escapes and installs become no-ops.

Standard library only: used by the notebook runner (before each cell goes to the kernel) and
by the own-tests step (to give the candidate's tests the notebook as an importable module).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SHELL_MAGICS = ("pip", "conda", "mamba", "uv", "sx", "system", "sc")
CELL_MAGICS_SKIPPED = ("bash", "sh", "script", "system", "perl", "ruby", "sx")

_BANG = re.compile(r"^(\s*)!")
_BANG_ASSIGN = re.compile(r"^(\s*)([A-Za-z_]\w*)\s*=\s*!")
_MAGIC = re.compile(r"^(\s*)%.*$")
_LINE_MAGIC = re.compile(r"^(\s*)%(" + "|".join(SHELL_MAGICS) + r")\b")


def grader_source(source: str) -> tuple[str, list[str]]:
    """The cell as the grader runs it: shell escapes and installs replaced by no-ops.

    Returns the source to run and what was skipped (one short text per line or cell).
    """
    lines = source.splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith("%%") and first[2:].split(" ")[0] in CELL_MAGICS_SKIPPED:
        return "", [f"{first.split(' ')[0]} cell (shell)"]
    kept, skipped = [], []
    for line in lines:
        if assign := _BANG_ASSIGN.match(line):
            kept.append(f"{assign.group(1)}{assign.group(2)} = []")
            skipped.append(line.strip())
        elif shell := _BANG.match(line) or _LINE_MAGIC.match(line):
            kept.append(f"{shell.group(1)}pass")
            skipped.append(line.strip())
        else:
            kept.append(line)
    return "\n".join(kept), skipped


def notebook_as_module(path: Path) -> str:
    """The notebook's code cells as one module, each cell as the grader would run it."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    chunks = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        runnable, _ = grader_source(source)
        # Other magics (%matplotlib, %%time) need IPython: a module gets a no-op instead.
        kept = [_MAGIC.sub(r"\1pass", line) for line in runnable.splitlines()]
        chunks.append("\n".join(kept))
    # A kernel takes ``from __future__`` in any cell; a module only at its top.
    text = "\n\n".join(chunks) + "\n"
    lines = text.split("\n")
    future = [line for line in lines if line.startswith("from __future__ import")]
    if not future:
        return text
    return "\n".join([*future, *(line for line in lines if line not in future)])
