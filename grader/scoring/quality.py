"""Code quality (0–100): ruff findings per 100 lines of the candidate's code, in capped bands.

The recipe (also in the README): defects weigh most, then complexity, then idiom and style,
then missing docstrings and type hints; files ``ruff format`` would change cost a fixed amount.
Each band is capped so one noisy kind of finding cannot sink the score on its own. Numbers
that comments can inflate (maintainability-index style) are never part of it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.bundle import own_line_numbers
from grader.model import LintFinding, LintReport, Penalty, QualityScore
from grader.notebooks import code_lines_text
from grader.scoring.duplication import duplicated_blocks
from grader.scoring.hidden_code import foreign_encodings, unlintable_code
from grader.scoring.house_style import unfollowed_annotations
from grader.scoring.readability import readability


@dataclass(frozen=True)
class Band:
    """One kind of finding: which rule codes, how many points each, and the cap."""

    category: str
    prefixes: tuple[str, ...]
    points: float
    cap: float


BANDS = (
    Band("defects", ("F", "B", "E7", "E9", "PLE", "S102", "S307"), 10.0, 50.0),
    Band("complexity", ("C901", "PLR0912", "PLR0915"), 8.0, 25.0),
    Band("docs and types", ("D1", "ANN"), 1.0, 10.0),
    Band(
        "style",
        ("E", "W", "I", "UP", "SIM", "N", "RUF", "NPY", "PD", "ERA", "PERF", "C4"),
        2.0,
        30.0,
    ),
)
"""Checked in order: a code belongs to the first band with a matching prefix."""
FORMAT_POINTS, FORMAT_CAP = 5.0, 10.0
MIN_LINES = 30
"""Short submissions are scored as if they had this many logical lines, so one finding in
ten lines does not dominate."""
MIN_JUDGED_LINES = 3
MIN_JUDGED_SHARE = 0.15
"""Below this many logical lines, or this share of what the reference solution wrote, there
is too little of the candidate's code to judge: the quality score is absent (and says why),
not a number earned by the starter."""
CEILING = 92.0
"""The score of code with no finding at all: lint sees defects and mess, not design, so a
clean report is very good, not proof of exemplary code (reviewers keep the top for that)."""
NOT_JUDGED = "not enough code to judge"
MOST_UNWRITTEN = 0.5
"""When at least this share of the starter's functions are still stubs and the candidate
wrote under this share of the reference's lines, the code a reviewer would judge is mostly
not there (a barely started submission): no quality score. Where the work is mostly fixing
given code, a stub left alongside the fixes is an unfinished part of judged code."""
FRAGMENT_SHARE, FRAGMENT_PASSED = 0.25, 0.4
"""A fragment: under a quarter of the reference solution's lines *and* under 40 % of the
hidden tests passed. Little was attempted and little works (one fix of five, a stub filled
in naively), so a reviewer has no code to judge: no quality score. A short change that
works (a debugging exercise's few right lines) is judged."""
_NOQA = re.compile(r"#\s*noqa", re.IGNORECASE)
_FMT_DIRECTIVE = re.compile(r"#\s*(?:fmt:\s*(?:off|skip)|yapf:\s*disable)\b", re.IGNORECASE)
DILUTION_CAP = 2.0
"""Lines past twice the reference's size do not dilute findings (padding with clean code)."""
UNFINISHED_POINTS, UNFINISHED_CAP = 10.0, 40.0
"""A function of the exercise's modules left as a stub (``raise NotImplementedError``)."""
SIZE_ALLOWANCE, SIZE_POINTS, SIZE_CAP = 1.5, 25.0, 30.0
"""Code (tests aside) past 1.5 times the reference's size costs 25 points per extra
reference-size, capped: a reviewer has to read all of it. A small fix (a debugging
exercise) always has room for SIZE_SLACK more lines: a guard or a check is not bloat."""
SIZE_SLACK = 20
SIZE_FLOOR = 60
"""Nor is code of up to 60 logical lines bloat, whatever the reference's size: a reviewer
reads that at a glance (a 26-line fix plus a careful parity check is not 2.7 times too big)."""
DUPLICATION_POINTS, DUPLICATION_CAP = 5.0, 20.0
"""Each block of code pasted again (see duplication.py), whatever the file's length."""


OPINIONS = frozenset(
    {"B007", "B028", "B904", "B905", "F401", "E711", "E712", "E731", "E741", "PLR0913"}
)
"""Rules in the defect and complexity families that flag idiom rather than likely bugs (unused
loop variable or import, warning stack level, ``raise ... from``, ``zip(strict=)``,
``== None``/``== True``, a named lambda, an ambiguous name, many arguments: ML functions take
their hyperparameters, and the bundled starters have seven to ten): they count as style."""
SCOPE_CODES = ("D1", "C901", "PLR0912", "PLR0915")
"""Findings about a whole function that ruff reports on its ``def`` line: a deleted docstring,
a body grown too complex. In a function the candidate changed they are theirs even when the
``def`` line is the starter's; a signature's findings (arguments, annotations) are not."""
TEST_EXEMPT = ("D1", "ANN")
"""Test functions need neither docstrings nor annotations: their names say what they check."""


def band_of(code: str) -> Band | None:
    """The band a rule code counts in (None for codes outside the recipe)."""
    if code in OPINIONS:
        return next(b for b in BANDS if b.category == "style")
    return next((b for b in BANDS if any(code.startswith(p) for p in b.prefixes)), None)


def is_test_file(relative: str) -> bool:
    """A pytest file by its name or folder (the candidate's own tests, public tests)."""
    parts = relative.split("/")
    return parts[-1].startswith("test_") or parts[-1].endswith("_test.py") or "tests" in parts[:-1]


def code_lines(text: str, own: frozenset[int] | None = None) -> int:
    """Logical lines of code: statements, not docstrings, comments or blank lines, so padding
    a file with docstrings or splitting a call over many lines does not dilute its findings.
    With ``own``, only statements that start on those (1-based) lines count."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return sum(
            1
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.strip().startswith("#") and (own is None or number in own)
        )
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
        and not _is_bare_string(node)
        and (own is None or node.lineno in own)
    )


def _is_bare_string(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _code_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        return code_lines_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Baseline:
    """What the candidate started from and what the reference needed, to judge their part."""

    bundle: Mapping[str, str]
    """Each bundle file's text as the candidate received it (starter, public tests)."""
    modules: tuple[str, ...] = ()
    """The exercise's implementation files (not tests, not the diagnosis)."""
    reference_lines: int = 0
    """Logical lines the reference solution wrote or changed in those modules, tests aside."""


def unfinished_functions(text: str) -> list[str]:
    """Functions whose body is still a stub: only a docstring and ``raise NotImplementedError``
    (or ``...``/``pass``), i.e. work the candidate left undone."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = [b for b in node.body if not _is_bare_string(b)]
            if len(body) == 1 and _is_stub(body[0]):
                found.append(node.name)
    return found


def _is_stub(node: ast.stmt) -> bool:
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return node.value.value is Ellipsis
    if isinstance(node, ast.Raise) and node.exc is not None:
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(target, ast.Name) and target.id == "NotImplementedError"
    return False


def _extra_penalties(
    texts: Mapping[str, str], lines: Mapping[str, int], base: Baseline
) -> list[Penalty]:
    """Unfinished stubs in the exercise's modules, and code far larger than the reference."""
    stubs = sum(len(unfinished_functions(texts[f])) for f in texts if _is_module(f, base))
    # All the candidate's code but tests (theirs, or the public ones they extended).
    written = sum(n for f, n in lines.items() if not is_test_file(f))
    ratio = written / base.reference_lines if base.reference_lines else 0.0
    allowed = max(
        SIZE_ALLOWANCE * base.reference_lines, base.reference_lines + SIZE_SLACK, SIZE_FLOOR
    )
    extra = (written - allowed) / base.reference_lines if base.reference_lines else 0.0
    size = min(SIZE_CAP, max(0.0, extra) * SIZE_POINTS)
    return [
        Penalty(
            "unfinished", stubs, min(UNFINISHED_CAP, UNFINISHED_POINTS * stubs), UNFINISHED_CAP
        ),
        Penalty(
            f"size ({ratio:.1f}x the reference)" if size else "size",
            written,
            round(size, 2),
            SIZE_CAP,
        ),
    ]


def _stubs_left(texts: Mapping[str, str], base: Baseline) -> tuple[int, int]:
    """How many of the starter's stub functions are still stubs, and how many it had."""
    given = left = 0
    for relative, starter in base.bundle.items():
        if not _is_module(relative, base):
            continue
        stubs = set(unfinished_functions(starter))
        # The module itself, or the notebook handed in for it; a module not handed in at all
        # is not judged here (the missing file is the correctness score's business).
        stem = relative.removesuffix(".py")
        written = [
            t for f, t in texts.items() if f.removesuffix(".ipynb").removesuffix(".py") == stem
        ]
        written = written or [t for f, t in texts.items() if f.endswith(".ipynb")]
        if written:
            given += len(stubs)
            left += len(stubs & set(unfinished_functions("\n".join(written))))
    return left, given


def _is_module(relative: str, base: Baseline) -> bool:
    stem = relative.removesuffix(".ipynb").removesuffix(".py")
    return any(m.removesuffix(".py") == stem for m in base.modules)


def score_quality(
    report: LintReport | None,
    root: Path,
    files: list[str],
    baseline: Baseline | None = None,
    submitted: tuple[str, ...] = (),
    passed: float | None = None,
) -> QualityScore | None:
    """The quality score of ``files`` (relative to ``root``) from the sandbox's lint report.

    ``baseline`` holds each file as the candidate was given it: only the lines the candidate
    wrote or changed are counted and judged. ``submitted`` is every file of the submission,
    checked for code lint cannot read. ``passed``: the share of hidden tests passed (0-1),
    which with few lines makes a fragment too small to judge.
    """
    if not files:
        return None
    base = baseline or Baseline({})
    texts = {f: _code_text(root / f) for f in files}
    own = {
        f: None if f.endswith(".ipynb") else own_line_numbers(t, base.bundle.get(f))
        for f, t in texts.items()
    }
    per_file = {f: code_lines(t, own[f]) for f, t in texts.items()}
    lines = sum(per_file.values())
    noqa = sum(len(_NOQA.findall(t)) for t in texts.values())
    hidden = unlintable_code(root, submitted)
    encoded = foreign_encodings(texts)
    if hidden or encoded:
        what = (
            f"code shipped as {', '.join(hidden[:3])} cannot be linted"
            if hidden
            else f"{', '.join(encoded[:3])} is not UTF-8, which lint reads"
        )
        return QualityScore(
            0.0, lines, (), (), (), noqa, tuple(files), reason=f"could not be measured: {what}"
        )
    needed = max(MIN_JUDGED_LINES, round(MIN_JUDGED_SHARE * base.reference_lines))
    left, given = _stubs_left(texts, base)
    fragment = (
        passed is not None
        and passed < FRAGMENT_PASSED
        and lines < FRAGMENT_SHARE * base.reference_lines
    )
    stubbed = (
        bool(given)
        and left / given >= MOST_UNWRITTEN
        and lines < MOST_UNWRITTEN * max(base.reference_lines, needed)
    )
    if lines < needed or fragment or stubbed:
        if lines < needed:
            why = f"{lines} logical line(s) written by the candidate (at least {needed} needed)"
        elif stubbed:
            why = f"{left} of the {given} functions to write are still stubs"
        else:
            why = (
                f"a fragment: {lines} logical line(s), under {FRAGMENT_SHARE:.0%} of the "
                f"reference's {base.reference_lines}, and {passed:.0%} of the hidden tests pass"
            )
        return QualityScore(
            None, lines, (), (), (), noqa, tuple(files), reason=f"{NOT_JUDGED}: {why}"
        )
    if report is None or report.error:
        why = report.error if report else "the lint step produced no report"
        return QualityScore(
            0.0, lines, (), (), (), noqa, tuple(files), reason=f"could not be measured: {why}"
        )
    scopes = {f: _touched_functions(t, own[f]) for f, t in texts.items()}
    counted = tuple(f for f in report.findings if _theirs(f, own, scopes))
    starter = (t for f, t in base.bundle.items() if f.endswith(".py") and _is_module(f, base))
    free = unfollowed_annotations(starter)
    counted = tuple(f for f in counted if not (free and f.code.startswith(free)))
    judged = lines
    if base.reference_lines:
        judged = min(lines, round(DILUTION_CAP * base.reference_lines))
    scale = 100.0 / max(judged, MIN_LINES)
    penalties = []
    for band in BANDS:
        count = sum(1 for f in counted if band_of(f.code) is band)
        points = min(band.cap, band.points * count * scale)
        penalties.append(Penalty(band.category, count, round(points, 2), band.cap))
    unformatted = len(report.unformatted)
    penalties.append(
        Penalty("formatting", unformatted, min(FORMAT_CAP, FORMAT_POINTS * unformatted), FORMAT_CAP)
    )
    penalties += _extra_penalties(texts, per_file, base)
    pasted = duplicated_blocks({f: t for f, t in texts.items() if f.endswith(".py")}, own)
    points = min(DUPLICATION_CAP, DUPLICATION_POINTS * len(pasted))
    penalties.append(Penalty("duplication", len(pasted), points, DUPLICATION_CAP))
    # Names and loops are judged in the code under test, not in tests (short names are fine
    # there), and in .py files only, where a finding's line is the file's.
    messy, penalty = readability(
        {f: t for f, t in texts.items() if f.endswith(".py") and not is_test_file(f)}, own
    )
    penalties.append(penalty)
    score = max(0.0, CEILING - sum(p.points for p in penalties))
    return QualityScore(
        score=round(score, 2),
        lines=lines,
        penalties=tuple(penalties),
        findings=_sorted(counted + pasted + messy),
        unformatted=report.unformatted,
        noqa_comments=noqa,
        files=tuple(files),
        starter_findings=len(report.findings) - len(counted),
        fmt_directives=sum(len(_FMT_DIRECTIVE.findall(t)) for t in texts.values()),
    )


def _touched_functions(text: str, own: frozenset[int] | None) -> tuple[tuple[int, int], ...]:
    """Line spans of the functions the candidate changed: a finding anywhere in one is theirs
    (a docstring they deleted is reported on the unchanged ``def`` line)."""
    if own is None or not own:
        return ()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            end = node.end_lineno or node.lineno
            if any(node.lineno <= line <= end for line in own):
                spans.append((node.lineno, end))
    return tuple(spans)


def _theirs(
    finding: LintFinding,
    own: Mapping[str, frozenset[int] | None],
    scopes: Mapping[str, tuple[tuple[int, int], ...]],
) -> bool:
    """Whether a finding is the candidate's: on a line they wrote, inside a function they
    changed, or about the whole file."""
    if is_test_file(finding.file) and finding.code.startswith(TEST_EXEMPT):
        return False
    lines = own.get(finding.file)
    if lines is None or finding.line == 0 or finding.line in lines:
        return True
    return finding.code.startswith(SCOPE_CODES) and any(
        start <= finding.line <= end for start, end in scopes.get(finding.file, ())
    )


def _sorted(findings: tuple[LintFinding, ...]) -> tuple[LintFinding, ...]:
    order = {b.category: i for i, b in enumerate(BANDS)}

    def key(f: LintFinding) -> tuple[int, str, int, str]:
        band = band_of(f.code)
        return (order[band.category] if band else len(BANDS), f.file, f.line, f.code)

    return tuple(sorted(findings, key=key))
