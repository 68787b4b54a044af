"""Reasoning rubrics: the planted problems of an exercise and the concepts that explain them.

A rubric lives in ``hidden/rubric.toml`` of a debug or leakage exercise. Every regex is
compiled here, when the rubric is loaded, so a bad one fails with its file and field path
instead of in the middle of a batch.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import CatalogError
from grader.model import ConceptKind
from grader.tomlfields import TomlTable

PATTERN_FLAGS = re.IGNORECASE
"""Rubric regexes are case-insensitive; ``.`` does not cross sentences because matching is
done one sentence at a time."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOP_FIELDS = ("problems",)
_PROBLEM_FIELDS = ("id", "group", "title", "locations", "weight", "concepts")
_CONCEPT_FIELDS = ("kind", "weight", "patterns", "anti_patterns", "description")


EXPLAINING_KINDS = frozenset({ConceptKind.MECHANISM, ConceptKind.FIX})
"""A problem counts as explained only if one of these kinds is among its earned concepts."""


@dataclass(frozen=True)
class Concept:
    """One thing a good diagnosis of a problem says, recognised by regexes."""

    kind: ConceptKind
    weight: float
    patterns: tuple[re.Pattern[str], ...]
    """Any of these, found in one sentence, earns the concept (case-insensitive)."""
    anti_patterns: tuple[re.Pattern[str], ...] = ()
    """Any of these in the same sentence cancels the credit (e.g. a wrong variant)."""
    description: str = ""
    """Optional words for the recruiter: what the concept means."""


@dataclass(frozen=True)
class Problem:
    """A planted problem, the hidden-test group that passes once it is fixed, and its concepts."""

    id: str
    group: str
    """The hidden-test group that passes fully when the problem is fixed."""
    title: str
    locations: tuple[str, ...]
    """Code names (functions, files) whose mention counts as citing where the problem is."""
    concepts: tuple[Concept, ...]
    weight: float = 1.0
    """The problem's weight in the reasoning score (a weighted mean over problems)."""

    @property
    def concept_weight(self) -> float:
        """The total weight of the problem's concepts."""
        return sum(c.weight for c in self.concepts)


@dataclass(frozen=True)
class Rubric:
    """All planted problems of one exercise."""

    problems: tuple[Problem, ...]
    source: str = ""
    """Where the rubric was read from, for messages."""

    @property
    def groups(self) -> tuple[str, ...]:
        """The hidden-test groups the problems name, in rubric order, without repeats."""
        return tuple(dict.fromkeys(p.group for p in self.problems))


def _regexes(table: TomlTable, name: str, *, required: bool) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for i, source in enumerate(table.strings(name, required=required)):
        try:
            pattern = re.compile(source, PATTERN_FLAGS)
        except re.error as exc:
            raise table.fail(f"{name}[{i}]", f"is not a valid regex: {exc}") from None
        if pattern.search("") is not None:
            raise table.fail(f"{name}[{i}]", "matches the empty string, so every sentence")
        compiled.append(pattern)
    return tuple(compiled)


def _concept(table: TomlTable) -> Concept:
    table.only(_CONCEPT_FIELDS)
    kind_name = table.text("kind")
    try:
        kind = ConceptKind(kind_name)
    except ValueError:
        choices = ", ".join(k.value for k in ConceptKind)
        raise table.fail("kind", f"is '{kind_name}'; choose one of {choices}") from None
    return Concept(
        kind=kind,
        weight=table.positive("weight", 1.0),
        patterns=_regexes(table, "patterns", required=True),
        anti_patterns=_regexes(table, "anti_patterns", required=False),
        description=table.text("description", ""),
    )


def _problem(table: TomlTable) -> Problem:
    table.only(_PROBLEM_FIELDS)
    problem_id = table.text("id")
    if not _ID.match(problem_id):
        raise table.fail("id", "must be lowercase letters, digits and dashes")
    concepts = tuple(_concept(c) for c in table.tables("concepts", required=True))
    if not any(c.kind in EXPLAINING_KINDS for c in concepts):
        raise table.fail("concepts", "must include a 'mechanism' or 'fix' concept")
    return Problem(
        id=problem_id,
        group=table.text("group"),
        title=table.text("title"),
        locations=table.strings("locations", required=False),
        concepts=concepts,
        weight=table.positive("weight", 1.0),
    )


def parse_rubric(raw: Mapping[str, Any], source: str) -> Rubric:
    """Validate an already-parsed rubric table; ``source`` names it in errors."""
    doc = TomlTable(source, raw)
    doc.only(_TOP_FIELDS)
    problems = tuple(_problem(p) for p in doc.tables("problems", required=True))
    seen: set[str] = set()
    for problem in problems:
        if problem.id in seen:
            raise doc.fail("problems", f"lists id '{problem.id}' twice")
        seen.add(problem.id)
    return Rubric(problems=problems, source=source)


def load_rubric(path: Path) -> Rubric:
    """Load and validate ``hidden/rubric.toml``; errors name the file and the field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"{path}: rubric not found") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: cannot be read as TOML: {exc}") from exc
    return parse_rubric(raw, str(path))


def check_groups(rubric: Rubric, groups: Iterable[str]) -> None:
    """Fail if a problem names a hidden-test group the exercise does not declare."""
    known = set(groups)
    for i, problem in enumerate(rubric.problems):
        if problem.group not in known:
            raise CatalogError.from_field(
                rubric.source,
                f"problems[{i}].group",
                f"names unknown group '{problem.group}' (known: {', '.join(sorted(known))})",
            )
