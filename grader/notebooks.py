"""Notebook submissions, host side: which notebook stands for which module, and what its run
in the sandbox says.

A candidate may hand in ``scaler.ipynb`` instead of ``scaler.py``, or one notebook alone for
an exercise that names one module. The sandbox runs that notebook top to bottom on a Jupyter
kernel and the hidden tests test what it defines (``sandbox/harness/notebook_runner.py``).
Here we decide which notebook that is, check it is a notebook at all (nbformat; old formats
are upgraded in the private copy), and read the executed copy back: per-cell statuses, cells
whose saved outputs a clean run does not reproduce, and the markdown cells, which serve as
the written diagnosis when there is no ``DIAGNOSIS.md``.

Notebooks come from the candidate and executed notebooks from the container: every reader
here parses them with bounds (``grader.untrusted_json``: size, depth, numbers in range) and
checks each field's type, so a crafted notebook is a problem on its row, never a crash.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat

from grader.errors import IntakeError
from grader.model import CellRun, Exercise, NotebookReport, Workspace
from grader.untrusted_json import UntrustedJSONError, loads

ARTIFACT_CAP = 1024 * 1024
"""Bytes of executed notebook kept with a grade for the recruiter."""
NOTEBOOK_CAP = 50 * 1024 * 1024
"""Bytes of a submitted notebook the host parses: as much as a whole submission may hold, so
a notebook with big saved outputs (plots, logs) is still graded; depth is what is capped."""
NOTEBOOK_DEPTH = 64
"""Deepest JSON nesting read (a notebook is about 6 deep; widget state a little more)."""
CELLS_CAP = 5000
"""Code cells reported from one run."""
# nbformat (and jsonschema under it) raise many types on crafted input; at this boundary
# each of them means "not a readable notebook".
_NBFORMAT_ERRORS = (
    ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError,
    OverflowError, nbformat.ValidationError,
)  # fmt: skip
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TIMING_MAGICS = ("%time", "%%time", "%timeit", "%%timeit")


@dataclass(frozen=True)
class NotebookPlan:
    """One notebook graded in place of the exercise's module(s)."""

    path: str
    """Relative POSIX path of the notebook in the submission."""
    modules: tuple[str, ...]
    """Module names it stands for, e.g. ``("scaler",)`` for ``scaler.py``."""

    def job(self, cell_timeout: float) -> dict[str, Any]:
        """What the judge needs: see ``remote.Candidate.notebook``."""
        return {"notebook": self.path, "modules": list(self.modules), "cell_timeout": cell_timeout}


def exercise_modules(exercise: Exercise) -> list[str]:
    """The exercise's Python files that a notebook may stand for (not the candidate's tests)."""
    own = exercise.own_tests
    return [f for f in exercise.files if f.endswith(".py") and not (own and own.holds(f))]


def plan_notebook(exercise: Exercise, workspace: Workspace) -> NotebookPlan | None:
    """The notebook to grade, if the submission provides a module as a notebook.

    ``scaler.ipynb`` stands for a missing ``scaler.py``; a lone notebook stands for every
    missing module. The chosen notebook must be a valid notebook (IntakeError otherwise):
    intake checked every notebook once and kept the problems in ``broken_notebooks``.
    """
    missing = [f for f in exercise_modules(exercise) if f not in workspace.files]
    notebooks = [f for f in workspace.files if f.endswith(".ipynb")]
    if not missing or not notebooks:
        return None
    named = [f for f in missing if f.removesuffix(".py") + ".ipynb" in notebooks]
    if named:
        chosen = named[0].removesuffix(".py") + ".ipynb"
        covered = [f for f in missing if f.removesuffix(".py") + ".ipynb" == chosen]
    elif len(notebooks) == 1:
        chosen, covered = notebooks[0], missing
    else:
        return None
    for name, message, hint in workspace.broken_notebooks:
        if name == chosen:
            raise IntakeError(message, hint=hint)
    modules = tuple(PurePosixPath(f).with_suffix("").as_posix().replace("/", ".") for f in covered)
    return NotebookPlan(chosen, modules)


def declared_language(nb: Any) -> str:
    """The language a notebook says it is in (``language_info``, else the kernelspec)."""
    info = _field(_field(nb, "metadata"), "language_info")
    spec = _field(_field(nb, "metadata"), "kernelspec")
    name = _field(info, "name") or _field(spec, "language")
    return name.lower() if isinstance(name, str) else ""


def load_notebook(path: Path, shown: str) -> tuple[Any, int]:
    """The notebook at ``path`` as nbformat 4, and the major version the file has.

    IntakeError, naming ``shown``, when it is not JSON or not a valid notebook.
    """
    try:
        raw = _read_json(path)
    except (OSError, UntrustedJSONError) as exc:
        why = "unreadable" if isinstance(exc, OSError) else _one_line(exc)
        raise IntakeError(
            f"{shown} is not a notebook: it is {why}",
            hint="open it in Jupyter and save it again, or submit the .py file",
        ) from None
    if not isinstance(raw, dict) or ("cells" not in raw and "worksheets" not in raw):
        raise IntakeError(
            f"{shown} is not a notebook: JSON without notebook cells",
            hint="submit a Jupyter notebook (.ipynb) or the .py file",
        )
    try:
        version = int(raw.get("nbformat", 0))
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except _NBFORMAT_ERRORS as exc:
        raise IntakeError(
            f"{shown} is not a valid notebook: {_one_line(exc)}",
            hint="open it in Jupyter and save it again, or submit the .py file",
        ) from None
    return nb, version


def normalise_notebook(path: Path, shown: str) -> int | None:
    """Check ``path`` is a notebook and rewrite it in place as nbformat 4 declaring Python.

    A graded notebook runs as Python whatever it declares, so it is linted as Python too
    (ruff skips notebooks that declare another language). Returns the major version it had
    when it was upgraded, else None; IntakeError, naming ``shown``, if it is no notebook.
    """
    nb, version = load_notebook(path, shown)
    try:
        relabel = declared_language(nb) != "python"
        if relabel:
            nb.metadata.setdefault("kernelspec", {}).update(
                {"name": "python3", "display_name": "Python 3", "language": "python"}
            )
            nb.metadata.setdefault("language_info", {})["name"] = "python"
        if version < 4 or relabel:
            path.write_text(nbformat.writes(nb), encoding="utf-8")
    except _NBFORMAT_ERRORS as exc:
        raise IntakeError(
            f"{shown} is not a valid notebook: {_one_line(exc)}",
            hint="open it in Jupyter and save it again, or submit the .py file",
        ) from None
    return version if version < 4 else None


def _read_json(path: Path) -> Any:
    """A notebook file's JSON, bounded: OSError or UntrustedJSONError (a ValueError)."""
    if path.stat().st_size > NOTEBOOK_CAP:
        raise UntrustedJSONError(f"over the {NOTEBOOK_CAP // (1024 * 1024)} MB notebook cap")
    return loads(path.read_bytes(), max_depth=NOTEBOOK_DEPTH, max_bytes=NOTEBOOK_CAP)


def _cell_sources(path: Path, kind: str) -> list[str]:
    """The sources of every ``kind`` cell; none when the file is not a readable notebook
    (a broken extra notebook stays in the workspace and must not break a reader)."""
    return [source for _, source in numbered_cells(path, kind)]


def numbered_cells(path: Path, kind: str) -> list[tuple[int, str]]:
    """(cell number, source) of every ``kind`` cell, numbered 1-based over all cells as the
    verdict's notebook section numbers them; none when the file is not a readable notebook."""
    try:
        raw = _read_json(path)
    except (OSError, ValueError):
        return []
    cells = raw.get("cells") if isinstance(raw, dict) else None
    sources = []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == kind:
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(s for s in source if isinstance(s, str))
            if isinstance(source, str):
                sources.append((number, source))
    return sources


def markdown_text(path: Path) -> str:
    """The notebook's markdown cells, in order: the candidate's written reasoning."""
    return "\n\n".join(_cell_sources(path, "markdown")).strip()


def code_lines_text(path: Path) -> str:
    """The notebook's code cells joined, for counting lines of code."""
    return "\n".join(_cell_sources(path, "code"))


MISMATCHED = "the executed notebook does not hold the submitted notebook's code (discarded)"


def read_run(plan: NotebookPlan, saved_path: Path, executed: Any) -> NotebookReport:
    """The report of one clean run: ``executed`` is the sandbox's notebook text (untrusted).

    Never raises: whatever is wrong with the artifact becomes the report's ``problem``.
    """
    base = NotebookReport(plan.path, plan.modules)
    if not isinstance(executed, str) or not executed:
        return replace(base, problem="the notebook run left no executed notebook")
    if len(executed.encode("utf-8", "replace")) > ARTIFACT_CAP + 65536:
        return replace(base, problem="the executed notebook was over the size cap")
    try:
        raw = loads(executed, max_depth=NOTEBOOK_DEPTH, max_bytes=ARTIFACT_CAP + 65536)
        if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
            raise UntrustedJSONError("no list of cells")
        # Re-serialised from the bounded data, so nbformat sees no NaN or huge number.
        ran = nbformat.reads(json.dumps(raw), as_version=4)
        saved = nbformat.reads(json.dumps(_read_json(saved_path)), as_version=4)
        if _code_sources(ran) != _code_sources(saved):
            # The artifact is written by the candidate's user: one whose code is not the
            # submitted notebook's was not produced by the clean run, so none of it is shown.
            return replace(base, problem=MISMATCHED)
        cells = tuple(
            _cell_run(number, cell)
            for number, cell in enumerate(_cells(ran), start=1)
            if _field(cell, "cell_type") == "code"
        )[:CELLS_CAP]
        stale, disordered = stale_cells(saved, ran), out_of_order(saved)
    except (OSError, *_NBFORMAT_ERRORS):
        return replace(base, problem="the executed notebook could not be read")
    return NotebookReport(
        plan.path,
        plan.modules,
        cells=cells,
        stale_cells=stale,
        out_of_order=disordered,
        executed=executed,
    )


def _code_sources(nb: Any) -> list[str]:
    return [
        str(_field(cell, "source") or "")
        for cell in _cells(nb)
        if _field(cell, "cell_type") == "code"
    ]


def _cells(nb: Any) -> list[Any]:
    cells = _field(nb, "cells")
    return cells if isinstance(cells, list) else []


def _field(item: Any, key: str) -> Any:
    """``item[key]`` when ``item`` is a dict (NotebookNode is one), else None."""
    return item.get(key) if isinstance(item, dict) else None


def _string(value: Any, cap: int) -> str:
    return value[:cap] if isinstance(value, str) else ""


def _cell_run(number: int, cell: Any) -> CellRun:
    meta = _field(_field(cell, "metadata"), "mlgrade")
    if not isinstance(meta, dict):
        meta = {}
    skipped = meta.get("skipped")
    dropped = meta.get("output_dropped")
    return CellRun(
        number=number,
        status=_string(meta.get("status"), 20) or "not_run",
        detail=_string(meta.get("detail"), 300),
        skipped=tuple(s[:200] for s in skipped[:20] if isinstance(s, str))
        if isinstance(skipped, list)
        else (),
        output_dropped=max(0, dropped)
        if isinstance(dropped, int) and not isinstance(dropped, bool)
        else 0,
    )


def comparable_output(cell: Any) -> list[str]:
    """A cell's text outputs, normalised so that re-running an honest cell matches."""
    texts = []
    outputs = _field(cell, "outputs")
    for out in outputs if isinstance(outputs, list) else []:
        kind = _field(out, "output_type")
        if kind == "stream":
            text = _field(out, "text")
        elif kind in ("execute_result", "display_data"):
            text = _field(_field(out, "data"), "text/plain")
        elif kind == "error":
            text = f"{_string(out.get('ename'), 200)}: {_string(out.get('evalue'), 2000)}"
        else:
            continue
        if isinstance(text, list):
            text = "".join(t for t in text if isinstance(t, str))
        text = text if isinstance(text, str) else ""
        texts.append(_ADDRESS.sub("0x…", " ".join(text.split())))
    return texts


def stale_cells(saved: Any, ran: Any) -> tuple[int, ...]:
    """Cells that had saved outputs which the clean run did not reproduce."""
    stale = []
    for number, (old, new) in enumerate(zip(_cells(saved), _cells(ran), strict=False), start=1):
        if _field(old, "cell_type") != "code" or not _field(old, "outputs"):
            continue
        source = _field(old, "source")
        if isinstance(source, str) and any(m in source for m in _TIMING_MAGICS):
            continue
        if comparable_output(old) != comparable_output(new):
            stale.append(number)
    return tuple(stale)


def out_of_order(saved: Any) -> bool:
    """Whether the saved execution counts show cells run out of top-to-bottom order."""
    counts = [
        _field(c, "execution_count")
        for c in _cells(saved)
        if _field(c, "cell_type") == "code" and isinstance(_field(c, "execution_count"), int)
    ]
    return any(b <= a for a, b in itertools.pairwise(counts))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
