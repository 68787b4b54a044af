"""The starter's house style: what its own functions do not do is not asked of the candidate.

A reviewer reads a candidate's helper next to the code it was given. When the starter's
functions annotate no argument (or no return), a helper written the same way follows the
codebase's convention; marking it down would charge the candidate for the exercise's style.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

_ARGUMENT_CODES = ("ANN001", "ANN002", "ANN003")
_RETURN_CODES = ("ANN201", "ANN202")


def unfollowed_annotations(starter_modules: Iterable[str]) -> tuple[str, ...]:
    """The annotation rule codes the starter's functions themselves never satisfy (empty when
    the starter has no function, or annotates both arguments and returns somewhere)."""
    functions = arguments = returns = 0
    for text in starter_modules:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions += 1
                given = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                arguments += any(a.annotation is not None for a in given)
                returns += node.returns is not None
    if not functions:
        return ()
    return (_ARGUMENT_CODES if not arguments else ()) + (_RETURN_CODES if not returns else ())
