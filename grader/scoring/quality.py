"""Code quality (0–100): ruff findings per 100 lines of the candidate's code, in capped bands.

The recipe (also in the README): defects weigh most, then complexity, then idiom and style,
then missing docstrings and type hints; files ``ruff format`` would change cost a fixed amount.
Each band is capped so one noisy kind of finding cannot sink the score on its own. Numbers
that comments can inflate (maintainability-index style) are never part of it.
"""

from __future__ import annotations

import ast
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.bundle import PUBLIC_TESTS, own_line_numbers
from grader.model import LintFinding, LintReport, Penalty, QualityScore
from grader.notebooks import code_lines_text


@dataclass(frozen=True)
class Band:
    """One kind of finding: which rule codes, how many points each, and the cap."""

    category: str
    prefixes: tuple[str, ...]
    points: float
    cap: float


BANDS = (
    Band("defects", ("F", "B", "E7", "E9", "PLE", "S102", "S307"), 10.0, 50.0),
    Band("complexity", ("C901", "PLR0912", "PLR0913", "PLR0915"), 8.0, 25.0),
    Band("docs and types", ("D1", "ANN"), 1.0, 10.0),
    Band("style", ("E", "W", "I", "UP", "SIM", "N", "RUF", "NPY", "PD"), 2.0, 15.0),
)
"""Checked in order: a code belongs to the first band with a matching prefix."""
FORMAT_POINTS, FORMAT_CAP = 5.0, 10.0
MIN_LINES = 30
"""Short submissions are scored as if they had this many logical lines, so one finding in
ten lines does not dominate."""
MIN_JUDGED_LINES = 8
"""Below this many logical lines written by the candidate there is too little code to
judge: the quality score is absent (and says why), not a number earned by the starter."""
NOT_JUDGED = "not enough code to judge"
_NOQA = re.compile(r"#\s*noqa", re.IGNORECASE)
_FMT_DIRECTIVE = re.compile(r"#\s*(?:fmt:\s*(?:off|skip)|yapf:\s*disable)\b", re.IGNORECASE)
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
"""PEP 263's encoding declaration, looked for on a file's first two lines."""
_READABLE_ENCODINGS = frozenset({"utf-8", "utf8", "ascii", "us-ascii", "utf-8-sig"})
DILUTION_CAP = 2.0
"""Lines past twice the reference's size do not dilute findings (padding with clean code)."""
UNFINISHED_POINTS, UNFINISHED_CAP = 10.0, 40.0
"""A function of the exercise's modules left as a stub (``raise NotImplementedError``)."""
SIZE_ALLOWANCE, SIZE_POINTS, SIZE_CAP = 1.6, 15.0, 25.0
"""Code past 1.6 times the reference's size for the same modules costs 15 points per extra
reference-size, capped: a reviewer has to read all of it."""
COMPILED_SUFFIXES = (".pyc", ".pyo", ".so", ".pyd")
ARCHIVE_SUFFIXES = (".zip", ".whl", ".egg", ".pyz")


def band_of(code: str) -> Band | None:
    """The band a rule code counts in (None for codes outside the recipe)."""
    return next((b for b in BANDS if any(code.startswith(p) for p in b.prefixes)), None)


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
    """Logical lines the reference solution wrote or changed in those modules."""


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
    # All the candidate's code but the public tests they were given (and may have extended).
    written = sum(n for f, n in lines.items() if not f.startswith(PUBLIC_TESTS + "/"))
    ratio = written / base.reference_lines if base.reference_lines else 0.0
    size = min(SIZE_CAP, max(0.0, ratio - SIZE_ALLOWANCE) * SIZE_POINTS)
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


def _is_module(relative: str, base: Baseline) -> bool:
    stem = relative.removesuffix(".ipynb").removesuffix(".py")
    return any(m.removesuffix(".py") == stem for m in base.modules)


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


def score_quality(
    report: LintReport | None,
    root: Path,
    files: list[str],
    baseline: Baseline | None = None,
    submitted: tuple[str, ...] = (),
) -> QualityScore | None:
    """The quality score of ``files`` (relative to ``root``) from the sandbox's lint report.

    ``baseline`` holds each file as the candidate was given it: only the lines the candidate
    wrote or changed are counted and judged. ``submitted`` is every file of the submission,
    checked for code lint cannot read.
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
    if lines < MIN_JUDGED_LINES:
        reason = (
            f"{NOT_JUDGED}: {lines} logical line(s) written by the candidate "
            f"(at least {MIN_JUDGED_LINES} needed)"
        )
        return QualityScore(None, lines, (), (), (), noqa, tuple(files), reason=reason)
    if report is None or report.error:
        why = report.error if report else "the lint step produced no report"
        return QualityScore(
            0.0, lines, (), (), (), noqa, tuple(files), reason=f"could not be measured: {why}"
        )
    counted = tuple(f for f in report.findings if _theirs(f, own))
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
    score = max(0.0, 100.0 - sum(p.points for p in penalties))
    return QualityScore(
        score=round(score, 2),
        lines=lines,
        penalties=tuple(penalties),
        findings=_sorted(counted),
        unformatted=report.unformatted,
        noqa_comments=noqa,
        files=tuple(files),
        starter_findings=len(report.findings) - len(counted),
        fmt_directives=sum(len(_FMT_DIRECTIVE.findall(t)) for t in texts.values()),
    )


def _theirs(finding: LintFinding, own: Mapping[str, frozenset[int] | None]) -> bool:
    """Whether a finding is on a line the candidate wrote (file-level findings always are)."""
    lines = own.get(finding.file)
    return lines is None or finding.line == 0 or finding.line in lines


def _sorted(findings: tuple[LintFinding, ...]) -> tuple[LintFinding, ...]:
    order = {b.category: i for i, b in enumerate(BANDS)}

    def key(f: LintFinding) -> tuple[int, str, int, str]:
        band = band_of(f.code)
        return (order[band.category] if band else len(BANDS), f.file, f.line, f.code)

    return tuple(sorted(findings, key=key))
