"""The mutation operators: for one AST node, the plausible mistakes to make of it.

Each operator is a function of (parent, node) that yields (replacement node, operator name,
one-line description); ``grader/mutation.py`` walks a module, splices each replacement into
the source and checks it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

SMALL_INT = 10
"""Integers up to this size (absolute) get off-by-one mutants; larger ones are sizes and seeds."""

COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
}
ARITH_SWAPS: dict[type[ast.operator], tuple[type[ast.operator], ...]] = {
    ast.Add: (ast.Sub,),
    ast.Sub: (ast.Add,),
    ast.Mult: (ast.Div,),
    ast.Div: (ast.Mult, ast.FloorDiv),
    ast.FloorDiv: (ast.Div,),
    ast.Pow: (ast.Mult,),
}
SYMBOLS: dict[type[ast.AST], str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Pow: "**",
    ast.And: "and", ast.Or: "or",
}  # fmt: skip


def _code(node: ast.AST) -> str:
    return ast.unparse(node)


def _short(node: ast.AST, limit: int = 40) -> str:
    text = _code(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _docstring_free(body: list[ast.stmt]) -> list[ast.stmt]:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return body


Rule = Iterator[tuple[ast.AST, str, str]]
"""What an operator yields for one node: the replacement, the operator name, a description."""


def _sym(op: ast.AST) -> str:
    return SYMBOLS[type(op)]


def _compare(parent: ast.AST, node: ast.AST) -> Rule:
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for swap in COMPARE_SWAPS.get(type(op), ()):
                ops = [*node.ops[:i], swap(), *node.ops[i + 1 :]]
                new = ast.Compare(node.left, ops, node.comparators)
                yield new, "compare", f"`{_sym(op)}` became `{_sym(swap())}`"


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
    )


def _arith(parent: ast.AST, node: ast.AST) -> Rule:
    operands = (node.left, node.right) if isinstance(node, ast.BinOp) else ()
    if any(_is_text(o) for o in operands):
        return  # joining text: `-` would only crash, which says nothing about the tests
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        for swap in ARITH_SWAPS.get(type(node.op), ()):
            equal = "=" if isinstance(node, ast.AugAssign) else ""
            new: ast.AST
            if isinstance(node, ast.BinOp):
                new = ast.BinOp(node.left, swap(), node.right)
            else:
                new = ast.AugAssign(node.target, swap(), node.value)
            yield new, "arith", f"`{_sym(node.op)}{equal}` became `{_sym(swap())}{equal}`"


def _boolean(parent: ast.AST, node: ast.AST) -> Rule:
    if isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield ast.BoolOp(other, node.values), "boolean", f"`{_sym(node.op)}` became `{_sym(other)}`"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield node.operand, "drop-not", f"`not` dropped from `{_short(node)}`"


def _call(parent: ast.AST, node: ast.AST) -> Rule:
    if not isinstance(node, ast.Call):
        return
    for i, keyword in enumerate(node.keywords):
        value, before, after = keyword.value, node.keywords[:i], node.keywords[i + 1 :]
        if not isinstance(value, ast.Constant):
            continue
        if keyword.arg == "axis" and type(value.value) is int and value.value in (0, 1):
            flipped = ast.keyword("axis", ast.Constant(1 - value.value))
            new = ast.Call(node.func, node.args, [*before, flipped, *after])
            yield new, "axis", f"`axis={value.value}` became `axis={1 - value.value}`"
        if keyword.arg == "keepdims" and value.value is True:
            new = ast.Call(node.func, node.args, [*before, *after])
            yield new, "keepdims", f"`keepdims=True` removed from `{_short(node.func)}(...)`"
    first = node.args[:2]
    swappable = len(first) == 2 and not any(isinstance(a, ast.Starred) for a in first)
    if swappable and _code(first[0]) != _code(first[1]):
        new = ast.Call(node.func, [first[1], first[0], *node.args[2:]], node.keywords)
        yield (
            new,
            "swap-args",
            (
                f"arguments `{_short(first[0], 20)}` and `{_short(first[1], 20)}` of "
                f"`{_short(node.func, 30)}(...)` swapped"
            ),
        )


def _constant(parent: ast.AST, node: ast.AST) -> Rule:
    if not isinstance(node, ast.Constant):
        return
    if isinstance(parent, ast.keyword) and parent.arg in ("axis", "keepdims"):
        return  # their own operators cover these
    value = node.value
    news: list[tuple[bool | int | float, str]] = []
    if isinstance(value, bool):
        news.append((not value, "constant"))
    elif type(value) is int:
        if value in (0, 1):
            news.append((1 - value, "constant"))
        if abs(value) <= SMALL_INT:
            news += [(value + 1, "off-by-one"), (value - 1, "off-by-one")]
    elif type(value) is float:
        news += [(new, "constant") for new in ((0.0, value * 2) if value else (1.0,))]
    for new, op in news:
        if new != value or type(new) is not type(value):
            yield _literal(new), op, f"`{value!r}` became `{new!r}`"


def _literal(value: bool | int | float) -> ast.expr:
    """A number as the parser reads it back: ``-1`` is a minus applied to ``1``."""
    if not isinstance(value, bool) and value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


def _return(parent: ast.AST, node: ast.AST) -> Rule:
    value = node.value if isinstance(node, ast.Return) else None
    if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
        yield (
            ast.Return(ast.Constant(None)),
            "return-none",
            f"`return {_short(value, 30)}` became `return None`",
        )


def _drop(parent: ast.AST, node: ast.AST) -> Rule:
    dropped = isinstance(node, (ast.Assign, ast.AugAssign)) or (
        isinstance(node, ast.AnnAssign) and node.value is not None
    )
    dropped = dropped or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call))
    if not dropped:
        return
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    if isinstance(parent, functions) and len(_docstring_free(parent.body)) <= 1:
        return  # a function's only statement: dropping it leaves nothing to test
    yield ast.Pass(), "drop-statement", f"`{_short(node)}` replaced by `pass`"


RULES: tuple[Callable[[ast.AST, ast.AST], Rule], ...] = (
    _compare, _arith, _boolean, _call, _constant, _return, _drop,
)  # fmt: skip
