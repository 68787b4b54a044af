"""Reasoning rubrics: the planted problems of an exercise and the concepts that explain them.

A rubric lives in ``hidden/rubric.toml`` of a debug or leakage exercise. A concept is
recognised by example ``phrases`` (expanded through stems and synonym sets, see
grader.scoring.lexicon) and, for older rubrics, by regex ``patterns``. A problem may list
``misconceptions``: wrong mechanisms whose statement cancels credit. Everything is compiled
here, when the rubric is loaded, so a mistake fails with its file and field path instead of
in the middle of a batch; a regex that could backtrack without bound is refused.
"""

from __future__ import annotations

import re
import re._parser as sre_parse
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.errors import CatalogError
from grader.model import ConceptKind
from grader.scoring.lexicon import Lexicon, Phrase, compile_phrase
from grader.tomlfields import TomlTable

PATTERN_FLAGS = re.IGNORECASE
"""Rubric regexes are case-insensitive; ``.`` does not cross sentences because matching is
done one sentence at a time."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOP_FIELDS = ("problems", "synonyms")
_PROBLEM_FIELDS = (
    "id",
    "group",
    "title",
    "locations",
    "weight",
    "concepts",
    "misconceptions",
    "question",
)
_CONCEPT_FIELDS = (
    "kind",
    "weight",
    "phrases",
    "patterns",
    "anti_phrases",
    "anti_patterns",
    "description",
)
_MISCONCEPTION_FIELDS = ("label", "phrases", "patterns")


EXPLAINING_KINDS = frozenset({ConceptKind.MECHANISM, ConceptKind.CONSEQUENCE})
"""A problem counts as explained only if one of these kinds is among its earned concepts:
naming the place and the fix shows no understanding (the fix is paid in correctness)."""


@dataclass(frozen=True)
class Concept:
    """One thing a good diagnosis of a problem says, recognised by phrases or regexes."""

    kind: ConceptKind
    weight: float
    patterns: tuple[re.Pattern[str], ...] = ()
    """Any of these, found in one sentence, earns the concept (case-insensitive)."""
    anti_patterns: tuple[re.Pattern[str], ...] = ()
    """Any of these in the same sentence cancels the credit (e.g. a wrong variant)."""
    description: str = ""
    """Optional words for the recruiter: what the concept means."""
    phrases: tuple[Phrase, ...] = ()
    """Example phrases; any of them, its words found in one sentence, earns the concept."""
    anti_phrases: tuple[Phrase, ...] = ()
    """Phrases that, found in the same sentence, cancel the credit."""


@dataclass(frozen=True)
class Misconception:
    """A common wrong mechanism for a problem: stating it cancels that sentence's credit."""

    label: str
    """How the evidence names it: "explains <problem> as <label>"."""
    phrases: tuple[Phrase, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Problem:
    """A planted problem, the hidden-test group that passes once it is fixed, and its concepts."""

    id: str
    group: str
    """The hidden-test group that passes fully when the problem is fixed; '' for a point of
    the writing no hidden test can back (what would change a recommendation): it counts as
    fixed, so the writing alone earns it."""
    title: str
    locations: tuple[str, ...]
    """Code names (functions, files) whose mention counts as citing where the problem is."""
    concepts: tuple[Concept, ...]
    weight: float = 1.0
    """The problem's weight in the reasoning score (a weighted mean over problems)."""
    misconceptions: tuple[Misconception, ...] = ()
    question: str = ""
    """A follow-up interview question for when the writing does not explain the problem (for
    a memo, the area it leaves out); code exercises ask theirs per failed hidden test."""

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
    lexicon: Lexicon = field(default_factory=Lexicon, compare=False)
    """Stems and synonym sets: the built-in ones plus the rubric's ``synonyms``."""

    @property
    def groups(self) -> tuple[str, ...]:
        """The hidden-test groups the problems name, in rubric order, without repeats."""
        return tuple(dict.fromkeys(p.group for p in self.problems if p.group))


def _unbounded(items: Any) -> bool:
    """Whether a parsed regex holds a repeat without an upper bound."""
    for op, arg in items:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
            if arg[1] == sre_parse.MAXREPEAT or _unbounded(arg[2]):
                return True
        elif op is sre_parse.SUBPATTERN:
            if _unbounded(arg[3]):
                return True
        elif op is sre_parse.BRANCH and any(_unbounded(b) for b in arg[1]):
            return True
    return False


def _nested_repeat(items: Any) -> bool:
    """Whether an unbounded repeat holds another unbounded repeat or an alternation: the
    shapes ('(a+)+', '(a|ab)*') that backtrack exponentially on a crafted sentence."""
    for op, arg in items:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            body = arg[2]
            if arg[1] == sre_parse.MAXREPEAT and (
                _unbounded(body) or any(o is sre_parse.BRANCH for o, _ in _flat(body))
            ):
                return True
            if _nested_repeat(body):
                return True
        elif op is sre_parse.SUBPATTERN:
            if _nested_repeat(arg[3]):
                return True
        elif op is sre_parse.BRANCH and any(_nested_repeat(b) for b in arg[1]):
            return True
    return False


def _flat(items: Any) -> list[tuple[Any, Any]]:
    """The items of a parsed regex with its groups opened."""
    out = []
    for op, arg in items:
        out.append((op, arg))
        if op is sre_parse.SUBPATTERN:
            out += _flat(arg[3])
    return out


def _regexes(table: TomlTable, name: str, *, required: bool) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for i, source in enumerate(table.strings(name, required=required)):
        try:
            pattern = re.compile(source, PATTERN_FLAGS)
        except re.error as exc:
            raise table.fail(f"{name}[{i}]", f"is not a valid regex: {exc}") from None
        if pattern.search("") is not None:
            raise table.fail(f"{name}[{i}]", "matches the empty string, so every sentence")
        if _nested_repeat(sre_parse.parse(source, PATTERN_FLAGS).data):
            raise table.fail(
                f"{name}[{i}]",
                "nests a repeat inside an unbounded repeat, which can take exponential time; "
                "bound the outer repeat or use phrases",
            )
        compiled.append(pattern)
    return tuple(compiled)


def _phrases(table: TomlTable, name: str, lexicon: Lexicon) -> tuple[Phrase, ...]:
    compiled = []
    for i, text in enumerate(table.strings(name, required=False)):
        phrase = compile_phrase(text, lexicon)
        if not phrase.slots:
            raise table.fail(f"{name}[{i}]", "has no content words (only stop words)")
        compiled.append(phrase)
    return tuple(compiled)


def _concept(table: TomlTable, lexicon: Lexicon) -> Concept:
    table.only(_CONCEPT_FIELDS)
    kind_name = table.text("kind")
    try:
        kind = ConceptKind(kind_name)
    except ValueError:
        choices = ", ".join(k.value for k in ConceptKind)
        raise table.fail("kind", f"is '{kind_name}'; choose one of {choices}") from None
    phrases = _phrases(table, "phrases", lexicon)
    patterns = _regexes(table, "patterns", required=not phrases)
    return Concept(
        kind=kind,
        weight=table.positive("weight", 1.0),
        patterns=patterns,
        anti_patterns=_regexes(table, "anti_patterns", required=False),
        description=table.text("description", ""),
        phrases=phrases,
        anti_phrases=_phrases(table, "anti_phrases", lexicon),
    )


def _misconception(table: TomlTable, lexicon: Lexicon) -> Misconception:
    table.only(_MISCONCEPTION_FIELDS)
    phrases = _phrases(table, "phrases", lexicon)
    return Misconception(
        label=table.text("label"),
        phrases=phrases,
        patterns=_regexes(table, "patterns", required=not phrases),
    )


def _problem(table: TomlTable, lexicon: Lexicon) -> Problem:
    table.only(_PROBLEM_FIELDS)
    problem_id = table.text("id")
    if not _ID.match(problem_id):
        raise table.fail("id", "must be lowercase letters, digits and dashes")
    concepts = tuple(_concept(c, lexicon) for c in table.tables("concepts", required=True))
    if not any(c.kind in EXPLAINING_KINDS for c in concepts):
        raise table.fail("concepts", "must include a 'mechanism' or 'consequence' concept")
    return Problem(
        id=problem_id,
        group=table.text("group", ""),
        title=table.text("title"),
        locations=table.strings("locations", required=False),
        concepts=concepts,
        weight=table.positive("weight", 1.0),
        misconceptions=tuple(_misconception(m, lexicon) for m in table.tables("misconceptions")),
        question=table.text("question", ""),
    )


def _synonyms(doc: TomlTable) -> Lexicon:
    raw = doc.get("synonyms", list, [])
    for i, group in enumerate(raw):
        if not isinstance(group, list) or len(group) < 2:
            raise doc.fail(f"synonyms[{i}]", "must be a list of at least two words or phrases")
        if not all(isinstance(w, str) and w.strip() for w in group):
            raise doc.fail(f"synonyms[{i}]", "must hold only non-empty strings")
    return Lexicon(raw)


def parse_rubric(raw: Mapping[str, Any], source: str) -> Rubric:
    """Validate an already-parsed rubric table; ``source`` names it in errors."""
    doc = TomlTable(source, raw)
    doc.only(_TOP_FIELDS)
    lexicon = _synonyms(doc)
    problems = tuple(_problem(p, lexicon) for p in doc.tables("problems", required=True))
    seen: set[str] = set()
    for problem in problems:
        if problem.id in seen:
            raise doc.fail("problems", f"lists id '{problem.id}' twice")
        seen.add(problem.id)
    return Rubric(problems=problems, source=source, lexicon=lexicon)


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
        if problem.group and problem.group not in known:
            raise CatalogError.from_field(
                rubric.source,
                f"problems[{i}].group",
                f"names unknown group '{problem.group}' (known: {', '.join(sorted(known))})",
            )
