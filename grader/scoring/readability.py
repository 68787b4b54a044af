"""What a reviewer reads as messy and ruff does not flag: cryptic names and index loops.

Two findings, both only on the candidate's own lines of the exercise's modules (tests keep
their short names):

- **Cryptic names** (``NAMES``): a function that binds more than ``FREE_NAMES`` one- or
  two-character names a reader cannot expand (``bp``, ``vl``, ``o``), beyond the conventions
  of numerical code (``X``, ``y``, ``W1``, ``lr``, ``tp``...). Each name past the allowance
  costs ``NAME_POINTS``: a few short names in a formula are fine, a loop of ``be``, ``bp``,
  ``vl`` is not. Two points, not one: on blind cases written for calibration (a reviewer's
  bands set before grading) terse two-letter code ranked far below clean code.
- **Index loops** (``IDX``): ``for i in range(len(a))`` (or ``range(n)``) whose body reads
  elements by that position, ``a[i]``. Iterating the values (``zip``, ``enumerate``) or one
  array operation says the same without the bookkeeping; in numpy code the loop is also
  orders of magnitude slower. A loop over batch offsets (``a[b * size:]``) is not one.

Both are deliberately narrow so that clean code in any style never meets them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping

from grader.model import LintFinding, Penalty

CRYPTIC_CODE, INDEX_LOOP_CODE = "NAMES", "IDX"
FREE_NAMES = 3
"""Cryptic names a function may bind before each further one costs ``NAME_POINTS``."""
NAME_POINTS, INDEX_LOOP_POINTS, READABILITY_CAP = 2.0, 4.0, 25.0
CONVENTIONAL = frozenset(
    {"_", "i", "j", "k", "n", "x", "y", "X", "Y", "W", "w", "b", "z", "h"}
    | {"df", "lr", "ax", "id", "ok", "tp", "fp", "fn", "tn", "mu", "cm", "f1"}
)
"""Short names numerical code uses by convention: indices, data, weights, logits, counts."""
_CONVENTIONAL_SHAPES = re.compile(r"[WwBbXxYynzh]\d|d[WwbXxzh]\d?")
"""``W1``, ``b2``, ``x0``, ``n1``; gradients named after what they differentiate (``dW``)."""


def readability(
    texts: Mapping[str, str], own: Mapping[str, frozenset[int] | None]
) -> tuple[tuple[LintFinding, ...], Penalty]:
    """The findings in ``texts`` (module files by relative path) and the penalty they cost."""
    found: list[LintFinding] = []
    points = 0.0
    for file, text in texts.items():
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # ruff reports the syntax error; nothing to read here
        mine = own.get(file)
        for function in _functions(tree):
            names = _cryptic_names(function, mine)
            if len(names) > FREE_NAMES:
                points += NAME_POINTS * (len(names) - FREE_NAMES)
                shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
                message = f"{function.name} binds {len(names)} cryptic short names ({shown})"
                found.append(LintFinding(file, function.lineno, CRYPTIC_CODE, message, ""))
        for line, sequence in _index_loops(tree, mine):
            points += INDEX_LOOP_POINTS
            message = (
                f"loops over positions and reads {sequence} one element at a time: "
                "iterate the values (zip, enumerate) or use one array operation"
            )
            found.append(LintFinding(file, line, INDEX_LOOP_CODE, message, ""))
    penalty = Penalty(
        "readability", len(found), round(min(READABILITY_CAP, points), 2), READABILITY_CAP
    )
    return tuple(found), penalty


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _own_body(function: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function's body, not of the functions and classes nested in it."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _cryptic_names(function: ast.AST, mine: frozenset[int] | None) -> list[str]:
    names: dict[str, None] = {}
    for node in _own_body(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For)):
            if mine is not None and node.lineno not in mine:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and _cryptic(name.id):
                        names.setdefault(name.id)
    return sorted(names)


def _cryptic(name: str) -> bool:
    bare = name.strip("_")
    return (
        0 < len(bare) <= 2 and bare not in CONVENTIONAL and not _CONVENTIONAL_SHAPES.fullmatch(bare)
    )


def _index_loops(tree: ast.AST, mine: frozenset[int] | None) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Call)
            and isinstance(node.iter.func, ast.Name)
            and node.iter.func.id == "range"
            and len(node.iter.args) == 1
            and (mine is None or node.lineno in mine)
        ):
            continue
        position = node.target.id
        for statement in node.body:
            read = _element_read(statement, position)
            if read:
                yield node.lineno, f"{read}[{position}]"
                break


def _element_read(statement: ast.stmt, position: str) -> str:
    """The sequence a statement indexes by the bare loop position (``a[i]``, ``m[i, i]``)."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Subscript):
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if any(isinstance(p, ast.Name) and p.id == position for p in parts):
                # Named, never unparsed: unparsing is recursive and a candidate's expression
                # can be nested deeper than the interpreter's recursion limit.
                return node.value.id[:40] if isinstance(node.value, ast.Name) else "a sequence"
    return ""
