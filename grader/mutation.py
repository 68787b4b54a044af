"""Mutants of an exercise's reference solution: small, plausible mistakes made by an AST mutator.

Each mutant changes one place of one module (a comparison, an operator, a constant, a dropped
statement ...). The mutated text is spliced into the original source at the node's position,
so the rest of the file keeps its layout and a mutant's diff shows only its change; the splice
is checked by parsing it back (and parenthesised where precedence needs it). Docstrings and
other string constants, type annotations (and aliases used only there), ``raise`` statements,
imports, the ``if __name__ == "__main__":`` block and a function only it calls are never
mutated, nor is a function the package's ``[[ignore]]`` list names (counted apart). Same
source, same mutants, same order.
"""

from __future__ import annotations

import ast
import hashlib
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from grader.model import Exercise
from grader.mutation_listing import MutantListing
from grader.mutation_operators import RULES
from grader.scoring.quality import is_test_file

CAP_PER_FILE = 400
"""Mutants kept per module; a larger set is thinned evenly over the file (and says so)."""
SKIPPED_FIELDS = {"annotation", "returns", "type_comment", "decorator_list"}
"""Fields never mutated: type annotations (and decorators, which wire rather than compute)."""


@dataclass(frozen=True)
class Mutant:
    """One mutated version of one module of the reference solution."""

    id: str
    """``file:line:col:operator:hash``; the hash is of the changed text, so ids are stable
    while the lines around them do not move."""
    file: str
    """The module's path inside the solution, e.g. ``metrics.py``."""
    operator: str
    line: int
    col: int
    description: str
    """One line, e.g. "`<` became `<=`"."""
    source: str
    """The whole mutated module."""


@dataclass(frozen=True)
class FileMutants:
    """The mutants of one module, and how many were found before the cap."""

    file: str
    mutants: tuple[Mutant, ...]
    found: int
    ignored: tuple[tuple[str, int], ...] = ()
    """Each ignored name this module defines, and the mutants its functions would have had."""

    @property
    def capped(self) -> bool:
        return self.found > len(self.mutants)


@dataclass(frozen=True)
class _Site:
    """A place to mutate: ``replacement`` stands in for ``node`` (slot ``field``/``index`` of
    ``parent``)."""

    parent: ast.AST
    field: str
    index: int | None
    node: ast.AST
    replacement: ast.AST
    operator: str
    description: str
    scope: tuple[tuple[str, str], ...] = ()
    """The functions around the site, outermost first: (name, qualified name) each."""


@dataclass(frozen=True)
class IgnoredTally:
    """An ignored function, its reason and the mutants it would have had."""

    function: str
    reason: str
    mutants: int


def _is_main_guard(node: ast.stmt) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _inert_names(tree: ast.Module) -> frozenset[str]:
    """Module-level names whose code nothing under test runs: type aliases read only inside
    annotations (``FloatArray = NDArray[...]``), and functions called only from the
    ``__main__`` block (the script's entry point)."""
    assigned = {
        t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
        if isinstance(t, ast.Name)
    }  # fmt: skip
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    typed = [
        a for n in ast.walk(tree) for field in ("annotation", "returns")
        if isinstance(a := getattr(n, field, None), ast.AST)
    ]  # fmt: skip
    guards = [n for n in tree.body if isinstance(n, ast.If) and _is_main_guard(n)]
    aside = {id(n) for a in typed + guards for n in ast.walk(a)}
    loads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    in_code = {n.id for n in loads if id(n) not in aside}
    in_guards = {n.id for g in guards for n in ast.walk(g) if isinstance(n, ast.Name)}
    return frozenset((assigned | (functions & in_guards)) - in_code)


class _SiteFinder:
    """Walks a module in a fixed order and lists every site each operator applies to."""

    def __init__(self, inert: frozenset[str] = frozenset()) -> None:
        self.sites: list[_Site] = []
        self.inert = inert
        self.path: tuple[str, ...] = ()
        self.scope: tuple[tuple[str, str], ...] = ()

    def walk(self, node: ast.AST) -> None:
        """Visit ``node``'s children (each child's own operators first, then its children)."""
        for field, value in ast.iter_fields(node):
            if field in SKIPPED_FIELDS:
                continue
            children = value if isinstance(value, list) else [value]
            for index, child in enumerate(children):
                if not isinstance(child, ast.AST) or _skipped(child, self.inert):
                    continue
                slot = index if isinstance(value, list) else None
                for rule in RULES:
                    for new, op, description in rule(node, child):
                        site = _Site(node, field, slot, child, new, op, description, self.scope)
                        self.sites.append(site)
                self._enter(child)

    def _enter(self, child: ast.AST) -> None:
        """Walk ``child``, inside its name's scope when it defines a function or class."""
        if not isinstance(child, _DEFINITIONS):
            self.walk(child)
            return
        outer_path, outer_scope = self.path, self.scope
        self.path = (*outer_path, child.name)
        if not isinstance(child, ast.ClassDef):
            self.scope = (*outer_scope, (child.name, ".".join(self.path)))
        try:
            self.walk(child)
        finally:
            self.path, self.scope = outer_path, outer_scope


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def defined_functions(tree: ast.Module) -> frozenset[str]:
    """The names an ``[[ignore]]`` entry may use: every function's and method's name, and its
    name qualified by its classes and functions (``Scaler.fit``)."""
    names: set[str] = set()

    def visit(node: ast.AST, path: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFINITIONS):
                inner = (*path, child.name)
                if not isinstance(child, ast.ClassDef):
                    names.update((child.name, ".".join(inner)))
                visit(child, inner)
            else:
                visit(child, path)

    visit(tree, ())
    return frozenset(names)


def _ignored_by(site: _Site, ignored: Collection[str]) -> str | None:
    """The ignore entry that covers the site (its outermost function first), if any."""
    for name, qualified in site.scope:
        for entry in (qualified, name):
            if entry in ignored:
                return entry
    return None


def _skipped(node: ast.AST, inert: frozenset[str]) -> bool:
    """Subtrees never mutated: error messages, imports, f-strings, the main guard and the
    definitions of inert names."""
    if isinstance(node, (ast.Raise, ast.Import, ast.ImportFrom, ast.JoinedStr)):
        return True
    if isinstance(node, ast.FunctionDef):
        return node.name in inert
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return isinstance(target, ast.Name) and target.id in inert
    return isinstance(node, ast.If) and _is_main_guard(node)


def _offsets(source: str) -> list[int]:
    """Character offset of each line's start (index 0 is line 1)."""
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    starts.append(total)
    return starts


def _char(source_lines: list[str], starts: list[int], line: int, col_bytes: int) -> int:
    """A character offset from ast's 1-based line and UTF-8 byte column."""
    text = source_lines[line - 1].encode("utf-8")[:col_bytes].decode("utf-8", errors="replace")
    return starts[line - 1] + len(text)


def _swapped_dump(tree: ast.Module, site: _Site) -> str:
    """The module's AST dump with the site's replacement in place (restored afterwards)."""
    holder = getattr(site.parent, site.field)
    if site.index is None:
        setattr(site.parent, site.field, site.replacement)
    else:
        holder[site.index] = site.replacement
    try:
        return ast.dump(tree)
    finally:
        if site.index is None:
            setattr(site.parent, site.field, site.node)
        else:
            holder[site.index] = site.node


def _build(
    tree: ast.Module, source: str, lines: list[str], starts: list[int], site: _Site
) -> str | None:
    """The mutated source, checked to parse to the intended tree; None if it cannot be made."""
    node = site.node
    start = _char(lines, starts, node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = _char(lines, starts, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    text = ast.unparse(site.replacement)
    wanted = _swapped_dump(tree, site)
    # Precedence: `a / x ** 2` with `**` made `*` needs `a / (x * 2)`.
    tried = [text] if isinstance(site.replacement, ast.stmt) else [text, f"({text})"]
    for replacement in tried:
        mutated = source[:start] + replacement + source[end:]
        try:
            if ast.dump(ast.parse(mutated)) == wanted:
                return mutated
        except SyntaxError:
            continue
    return None


def _mutant_id(file: str, site: _Site) -> str:
    changed = f"{ast.unparse(site.node)}->{ast.unparse(site.replacement)}"
    digest = hashlib.sha256(changed.encode()).hexdigest()[:6]
    line, col = site.node.lineno, site.node.col_offset  # type: ignore[attr-defined]
    return f"{file}:{line}:{col}:{site.operator}:{digest}"


@dataclass(frozen=True)
class _Scan:
    """One module's mutants, and the mutants left out in each ignored function."""

    mutants: tuple[Mutant, ...]
    ignored: Counter[str]


def _scan(source: str, file: str, ignored: Collection[str]) -> _Scan:
    tree = ast.parse(source)
    finder = _SiteFinder(_inert_names(tree))
    finder.walk(tree)
    lines = source.splitlines(keepends=True)
    starts = _offsets(source)
    seen, ids = {source}, set()
    kept: list[Mutant] = []
    left_out: Counter[str] = Counter()
    for site in finder.sites:
        mutated = _build(tree, source, lines, starts, site)
        if mutated is None or mutated in seen:
            continue
        seen.add(mutated)
        entry = _ignored_by(site, ignored)
        if entry is not None:
            left_out[entry] += 1
            continue
        mutant_id = _mutant_id(file, site)
        while mutant_id in ids:  # two changes alike at one place: still one id each
            mutant_id += "+"
        ids.add(mutant_id)
        kept.append(
            Mutant(
                id=mutant_id,
                file=file,
                operator=site.operator,
                line=site.node.lineno,  # type: ignore[attr-defined]
                col=site.node.col_offset,  # type: ignore[attr-defined]
                description=site.description,
                source=mutated,
            )
        )
    return _Scan(tuple(kept), left_out)


def iter_mutants(source: str, file: str, ignored: Collection[str] = ()) -> Iterator[Mutant]:
    """Every mutant of one module's source, in a fixed order, without duplicates; none inside
    a function ``ignored`` names."""
    yield from _scan(source, file, ignored).mutants


def mutants_of(
    source: str, file: str, cap: int = CAP_PER_FILE, ignored: Collection[str] = ()
) -> FileMutants:
    """The mutants of one module, thinned evenly over the file to at most ``cap``; ``ignored``
    names functions left out (their would-be mutants are counted, not made)."""
    scan = _scan(source, file, ignored)
    found = list(scan.mutants)
    defined = defined_functions(ast.parse(source))
    left_out = tuple((name, scan.ignored[name]) for name in ignored if name in defined)
    if len(found) <= cap:
        return FileMutants(file, tuple(found), len(found), left_out)
    kept = [found[i * len(found) // cap] for i in range(cap)]
    return FileMutants(file, tuple(kept), len(found), left_out)


def mutated_modules(exercise: Exercise) -> tuple[str, ...]:
    """The modules to mutate: the exercise's own (``own_tests.modules`` for utilities), else
    its ``.py`` files that the solution has and that are not tests."""
    if exercise.own_tests is not None:
        chosen = exercise.own_tests.modules
    else:
        chosen = tuple(f for f in exercise.files if f.endswith(".py") and not is_test_file(f))
    return tuple(f for f in chosen if (exercise.solution_dir / f).is_file())


def exercise_mutants(
    exercise: Exercise, cap: int = CAP_PER_FILE, listing: MutantListing | None = None
) -> tuple[FileMutants, ...]:
    """The mutants of each of the exercise's modules, in the order the exercise lists them,
    leaving out the functions ``listing`` ignores; an ignored name that no module defines is
    a CatalogError."""
    names = tuple(i.function for i in listing.ignored) if listing else ()
    modules = mutated_modules(exercise)
    files = tuple(
        mutants_of((exercise.solution_dir / f).read_text(encoding="utf-8"), f, cap, names)
        for f in modules
    )
    found = {name for f in files for name, _ in f.ignored}
    if listing is not None:
        for entry in listing.ignored:
            if entry.function not in found:
                raise listing.unknown_function(entry, modules)
    return files


def ignored_tallies(
    listing: MutantListing, files: tuple[FileMutants, ...]
) -> tuple[IgnoredTally, ...]:
    """Each ignored function with its reason and its would-be mutants over every module."""
    return tuple(
        IgnoredTally(
            entry.function,
            entry.reason,
            sum(n for f in files for name, n in f.ignored if name == entry.function),
        )
        for entry in listing.ignored
    )
