"""Interview questions about what the candidate **did**, with file and line: evidence, not a score.

Questions about what they missed come from failed tests; these come from the diff between the
submission and the starter. In a debugging or leakage exercise, a change to a line the
reference solution also changed is a fix of a planted problem: ask what was wrong and how the
fix was checked. Anywhere, a number the starter and the reference never use is worth asking
about, and so is a function the candidate added. Code several times the reference's size for
the same behaviour is flagged as over-engineering for the interviewer, never scored.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.bundle import own_line_numbers
from grader.model import CodeQuestion, Exercise, ExerciseKind
from grader.notebooks import numbered_cells
from grader.scoring.quality import code_lines

FIXES_ASKED, CONSTANTS_ASKED, FUNCTIONS_ASKED = 3, 2, 2
COMMON_NUMBERS = frozenset({0, 1, 2, -1, 0.5, 10, 100})
"""Numbers too ordinary to ask about."""
OVERSIZE_RATIO = 3.0
"""Own code (tests aside) at least this many times the reference's size, for full marks on
behaviour, is flagged as over-engineering."""
SAME_BEHAVIOUR = 90.0
"""Correctness at or above which a large submission did 'the same thing' as the reference."""
SHOWN = 60
SIMILAR = 0.4
"""How alike a new line must be to the one it replaces to be asked as 'changed X to Y'."""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


@dataclass(frozen=True)
class _Place:
    """The file being asked about, and for a notebook where each line of its joined code sits
    (cell, line in that cell): every question names its place through ``ask``."""

    file: str
    cells: tuple[tuple[int, int], ...] | None = None

    def ask(self, line: int, kind: str, rest: str) -> CodeQuestion:
        if self.cells is not None and 0 < line <= len(self.cells):
            cell, inner = self.cells[line - 1]
            where = f"In {self.file} cell {cell}, line {inner} "
            return CodeQuestion(self.file, inner, kind, where + rest, cell=cell)
        return CodeQuestion(self.file, line, kind, f"In {self.file}:{line} {rest}")


def _tree(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _changed_ranges(before: str, after: str) -> Iterator[tuple[str, int, int, int, int]]:
    """difflib opcodes between two texts' lines (0-based, end exclusive), changes only."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            yield tag, a0, a1, b0, b1


_COMPOUND = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
    ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match,
)  # fmt: skip


def _code_line_numbers(tree: ast.Module | None) -> set[int]:
    """0-based lines holding code worth asking about: simple statements (not docstrings, not
    imports) and the header lines of compound ones; comments and blank lines never."""
    lines: set[int] = set()
    if tree is None:
        return lines
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring or a bare string
        if isinstance(node, _COMPOUND):
            lines.add(node.lineno - 1)
        else:
            lines.update(range(node.lineno - 1, node.end_lineno or node.lineno))
    return lines


def _fix_questions(place: _Place, starter: str, reference: str, text: str) -> list[CodeQuestion]:
    """Candidate changes to starter code the reference also changed: the planted problems.
    Docstrings, comments and imports are not fixes."""
    before = _code_line_numbers(_tree(starter))
    after = _code_line_numbers(_tree(text))
    planted = before & {
        line for _, a0, a1, _, _ in _changed_ranges(starter, reference) for line in range(a0, a1)
    }
    old, new = starter.splitlines(), text.splitlines()
    questions = []
    for tag, a0, a1, b0, b1 in _changed_ranges(starter, text):
        was_at = next((i for i in range(a0, a1) if i in planted), None)
        if was_at is None:
            continue
        was = _short(old[was_at])
        if tag == "delete":
            line = min(b0 + 1, max(1, len(new)))
            asked = f"you removed `{was}`: what was wrong with it, and what did removing it cost?"
        else:
            lines = [i for i in range(b0, b1) if i in after]
            if not lines:
                continue
            # The changed line most like the one it replaces; a rewrite is asked as one.
            best = max(
                lines, key=lambda i: difflib.SequenceMatcher(a=old[was_at], b=new[i]).ratio()
            )
            line = best + 1
            if difflib.SequenceMatcher(a=old[was_at], b=new[best]).ratio() >= SIMILAR:
                asked = (
                    f"you changed `{was}` to `{_short(new[best])}`: "
                    "what was wrong with it, and how did you check the fix?"
                )
            else:
                asked = (
                    f"you rewrote the code around `{was}`: "
                    "what was wrong with it, and how did you check the fix?"
                )
        questions.append(place.ask(line, "fix", asked))
    return questions


def _numbers(tree: ast.Module | None) -> set[object]:
    if tree is None:
        return set()
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float)
    }


def _constant_questions(
    place: _Place, text: str, tree: ast.Module, own: set[int], known: set[object]
) -> list[CodeQuestion]:
    questions: list[tuple[int, CodeQuestion]] = []
    seen = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
            continue
        value = node.value
        if node.lineno not in own or value in known or value in COMMON_NUMBERS or value in seen:
            continue
        seen.add(value)
        literal = ast.get_source_segment(text, node) or repr(value)
        questions.append(
            (
                node.lineno,
                place.ask(
                    node.lineno,
                    "constant",
                    f"you use `{_short(literal)}`: where does that number come from, and what "
                    "happens if it is a little off?",
                ),
            )
        )
    return [question for _, question in sorted(questions, key=lambda q: q[0])]


def _function_questions(place: _Place, tree: ast.Module, known: set[str]) -> list[CodeQuestion]:
    added = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in known
    ]
    return [
        place.ask(
            node.lineno,
            "function",
            f"you added `{node.name}`: what does it handle that the rest of the code did not, "
            "and how do you know it works?",
        )
        for node in sorted(added, key=lambda n: n.lineno)
    ]


def _largest_block(
    place: _Place, text: str, tree: ast.Module, own: set[int]
) -> tuple[int, CodeQuestion] | None:
    """The function holding most of the candidate's own lines, as a question: when nothing
    more specific stands out, the biggest thing they wrote."""
    best: tuple[int, CodeQuestion] | None = None
    lines = text.splitlines()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        mine = own & set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        if len(mine) >= 3 and (best is None or len(mine) > best[0]):
            first = min(mine)
            shown = _short(lines[first - 1]) if first - 1 < len(lines) else node.name
            best = (
                len(mine),
                place.ask(
                    first,
                    "change",
                    f"you wrote {len(mine)} lines of `{node.name}`, starting `{shown}`: "
                    "walk me through them and how you tested them.",
                ),
            )
    return best


def _names(tree: ast.Module | None) -> set[str]:
    if tree is None:
        return set()
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }


def _defined_lines(tree: ast.Module) -> set[int]:
    """Lines inside the module's function and class definitions."""
    return {
        line
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }


def _notebook_code(path: Path) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A notebook's code cells as one module, and per line its (cell, line in that cell).

    Shell and magic lines ("!pip install", "%matplotlib") are blanked so the code parses and
    every line keeps its number."""
    lines: list[str] = []
    where: list[tuple[int, int]] = []
    for cell, source in numbered_cells(path, "code"):
        magic_cell = source.lstrip().startswith("%%")
        for number, line in enumerate(source.splitlines(), start=1):
            shell = line.lstrip().startswith(("!", "%"))
            lines.append("" if magic_cell or shell else line)
            where.append((cell, number))
    return "\n".join(lines) + "\n", tuple(where)


def _module_text(root: Path, relative: str) -> tuple[str, str, _Place]:
    """(the module it stands for, its code, where its lines are)."""
    path = root / relative
    if relative.endswith(".ipynb"):
        text, cells = _notebook_code(path)
        return relative.removesuffix(".ipynb") + ".py", text, _Place(relative, cells)
    return relative, path.read_text(encoding="utf-8", errors="replace"), _Place(relative)


def own_code_questions(
    exercise: Exercise,
    root: Path,
    modules: list[str],
    starters: Mapping[str, str],
    *,
    reference_lines: int,
    correctness: float,
) -> tuple[CodeQuestion, ...]:
    """Questions about the candidate's own changes to ``modules`` (files under ``root``), most
    telling first: fixes of planted problems, unusual numbers, added functions, then size."""
    fixes: list[CodeQuestion] = []
    constants: list[CodeQuestion] = []
    functions: list[CodeQuestion] = []
    fixing = exercise.kind in (ExerciseKind.DEBUG, ExerciseKind.LEAKAGE)
    largest: CodeQuestion | None = None
    largest_size = 0
    own_lines = 0
    for relative in modules:
        if not relative.endswith((".py", ".ipynb")) or not (root / relative).is_file():
            continue
        module, text, place = _module_text(root, relative)
        starter = starters.get(module)
        changed = own_line_numbers(text, starter)
        own_lines += code_lines(text, changed)
        tree = _tree(text)
        if tree is None:
            continue
        own = set(range(1, len(text.splitlines()) + 1)) if changed is None else set(changed)
        solution = exercise.solution_dir / module
        reference = (
            solution.read_text(encoding="utf-8", errors="replace") if solution.is_file() else ""
        )
        if fixing and starter is not None and reference:
            fixes += _fix_questions(place, starter, reference, text)
        block = _largest_block(place, text, tree, own)
        if block is not None and block[0] > largest_size:
            largest_size, largest = block
        given = [_tree(starter or ""), _tree(reference)]  # parsed once for both lookups
        known_numbers = set().union(*(_numbers(t) for t in given))
        # A notebook's top-level cells are mostly demos (random data of 200 rows): ask about
        # the numbers in its functions and classes only.
        numbered = own if place.cells is None else own & _defined_lines(tree)
        constants += _constant_questions(place, text, tree, numbered, known_numbers)
        known_names = set().union(*(_names(t) for t in given))
        functions += _function_questions(place, tree, known_names)
    chosen = fixes[:FIXES_ASKED] + constants[:CONSTANTS_ASKED] + functions[:FUNCTIONS_ASKED]
    if not chosen and largest is not None:
        chosen.append(largest)
    if reference_lines and correctness >= SAME_BEHAVIOUR:
        ratio = own_lines / reference_lines
        if ratio >= OVERSIZE_RATIO:
            chosen.append(
                CodeQuestion(
                    modules[0] if modules else "",
                    0,
                    "size",
                    f"Over-engineering? Your code is {ratio:.1f}x the reference solution's size "
                    "for the same behaviour: what is each extra part for, and what would you cut?",
                )
            )
    return tuple(chosen)
