"""Cryptic names and index loops: what a reviewer reads as messy and ruff does not flag."""

from __future__ import annotations

from pathlib import Path

from grader.model import LintReport
from grader.scoring.quality import CEILING, Baseline, score_quality
from grader.scoring.readability import FREE_NAMES, INDEX_LOOP_POINTS, NAME_POINTS, readability

MESSY = """
def train(X, y, epochs):
    r = make_rng(0)
    nv = len(X) // 5
    vi, ti = r.split(nv)
    bp = be = cnt = 0
    for ep in range(epochs):
        tl = step(X[ti], y[ti])
        vl = step(X[vi], y[vi])
    return bp, be, cnt, tl, vl


def total(values):
    out = 0.0
    for i in range(len(values)):
        out += values[i]
    return out
"""

CLEAN = """
def forward(params, X):
    W1, b1, W2, b2 = params
    h = tanh(X @ W1 + b1)
    z = h @ W2 + b2
    return z


def grads(params, X, y):
    n = len(X)
    dW = X.T @ y / n
    db = y.sum(axis=0) / n
    tp, fp, fn = counts(y)
    return dW, db, tp, fp, fn


def batches(order, size):
    for b in range(len(order) // size):
        yield order[b * size : (b + 1) * size]
"""


def test_cryptic_names_past_the_allowance_cost_a_point_each():
    findings, penalty = readability({"m.py": MESSY}, {"m.py": None})
    (names,) = [f for f in findings if f.code == "NAMES"]
    # r, nv, vi, ti, bp, be, ep, tl, vl: nine (cnt has three letters).
    assert names.line == 2 and names.message.startswith("train binds 9 cryptic short names")
    (loop,) = [f for f in findings if f.code == "IDX"]
    assert loop.line == 15 and "values[i]" in loop.message
    assert penalty.points == NAME_POINTS * (9 - FREE_NAMES) + INDEX_LOOP_POINTS
    assert penalty.findings == 2


def test_numerical_conventions_and_batch_offsets_are_not_findings():
    findings, penalty = readability({"m.py": CLEAN}, {"m.py": None})
    assert findings == () and penalty.points == 0


def test_only_the_candidates_own_lines_are_judged():
    # Every line is the starter's but the last: nothing of the mess is theirs.
    lines = MESSY.count("\n")
    findings, _ = readability({"m.py": MESSY}, {"m.py": frozenset({lines})})
    assert findings == ()


def test_the_quality_score_counts_them_in_modules_not_in_tests(tmp_path: Path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "m.py").write_text(MESSY)
    (tmp_path / "tests" / "test_m.py").write_text(MESSY.replace("def ", "def test_"))
    files = ["m.py", "tests/test_m.py"]
    score = score_quality(LintReport((), (), ()), tmp_path, files, Baseline({}))
    assert score is not None
    mine = {(f.file, f.code) for f in score.findings if f.code in ("NAMES", "IDX")}
    assert mine == {("m.py", "NAMES"), ("m.py", "IDX")}
    (penalty,) = [p for p in score.penalties if p.category == "readability"]
    assert penalty.points == NAME_POINTS * (9 - FREE_NAMES) + INDEX_LOOP_POINTS
    assert score.score == CEILING - sum(p.points for p in score.penalties)


def test_an_expression_nested_past_the_recursion_limit_is_read_without_crashing():
    deep = "def f(a):\n    for i in range(len(a)):\n        x = a" + "[0]" * 800 + "[i]\n"
    (loop,), _ = readability({"m.py": deep}, {"m.py": None})
    assert loop.code == "IDX" and "a sequence[i]" in loop.message
