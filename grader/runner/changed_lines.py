"""Which lines of the reference a planted mutant changes, for running only the candidate's
tests that reach them.

A test whose run on the reference never executes any line a mutant changes runs exactly the
same on the mutant (tests are deterministic: fixed hash seed, seeded data), so it cannot catch
it. The sandbox records, in the reference run, which test executed which line; a mutant's run
is then given only the tests that executed one of these lines. A change is widened to every
line of its smallest enclosing statement, so a statement that spans lines is matched whichever
of its lines the tracer reported. The sandbox runs every test when a line of the range ran
outside a test's call (at import, in a fixture), since then any test may see the change.
"""

from __future__ import annotations

import ast
import difflib


def changed_lines(reference: str, mutant: str) -> list[int] | None:
    """Reference line numbers (1-based) a mutant's change touches, widened to whole
    statements; None when the reference does not parse (then every test runs)."""
    try:
        tree = ast.parse(reference)
    except (SyntaxError, ValueError):
        return None
    old, new = reference.splitlines(), mutant.splitlines()
    touched: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # an insertion: the lines around it
            touched.update({max(1, i1), min(len(old), i1 + 1)})
        else:
            touched.update(range(i1 + 1, i2 + 1))
    return sorted({line for t in touched for line in _statement_lines(tree, t)} or touched)


def _statement_lines(tree: ast.Module, line: int) -> range:
    """The lines of the smallest statement that holds ``line`` (just ``line`` outside any)."""
    best: ast.stmt | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        end = node.end_lineno or node.lineno
        if node.lineno <= line <= end and (
            best is None or end - node.lineno < (best.end_lineno or best.lineno) - best.lineno
        ):
            best = node
    if best is None:
        return range(line, line + 1)
    if isinstance(best, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        # A change in a def's header (a default, a decorator) runs at import: the header
        # lines, which the import ran, are enough to ask for every test.
        first = min([best.lineno, *(d.lineno for d in best.decorator_list)])
        return range(first, best.body[0].lineno)
    return range(best.lineno, (best.end_lineno or best.lineno) + 1)
