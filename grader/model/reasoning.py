"""The diagnostic reasoning score (scored by grader/scoring/reasoning.py) and its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConceptKind(StrEnum):
    """The part of a diagnosis a concept stands for."""

    LOCATION = "location"
    MECHANISM = "mechanism"
    CONSEQUENCE = "consequence"
    FIX = "fix"
    VERIFICATION = "verification"


class FlagKind(StrEnum):
    """Things a recruiter should know about a diagnosis besides its score."""

    EMPTY = "empty"
    NOT_PROSE = "not-prose"
    KEYWORD_STUFFING = "keyword-stuffing"
    UNSUPPORTED_CLAIM = "unsupported-claim"
    UNKNOWN_GROUP = "unknown-group"
    MISCONCEPTION = "misconception"
    TRUNCATED = "truncated"


@dataclass(frozen=True)
class Flag:
    """A remark on the diagnosis, with the sentence it is about."""

    kind: FlagKind
    message: str
    line: int = 0
    sentence: str = ""


@dataclass(frozen=True)
class ConceptMatch:
    """A rubric concept found in a sentence: the evidence behind (or against) credit."""

    concept: int
    """Index of the concept within its problem."""
    kind: ConceptKind
    weight: float
    sentence: str
    line: int
    matched: str
    """The words that matched (a phrase's words joined by ' … ', or a regex's span)."""
    rejected: str = ""
    """Why the match earned nothing ('' when it earned the concept)."""
    phrase: str = ""
    """The rubric phrase (or regex) that matched."""


@dataclass(frozen=True)
class MisconceptionMatch:
    """A sentence that states one of a problem's listed wrong mechanisms."""

    label: str
    sentence: str
    line: int
    matched: str


@dataclass(frozen=True)
class ProblemRow:
    """One planted problem: explained, fixed, located, and the share of its weight earned."""

    id: str
    title: str
    group: str
    weight: float
    fixed: bool
    """The problem's hidden-test group passed fully."""
    explained: bool
    located: bool
    share: float
    """Share of the problem's weight earned: fixed+explained, fixed only, explained only, 0."""
    earned_weight: float
    """Concept weight earned, out of ``possible_weight``."""
    possible_weight: float
    matches: tuple[ConceptMatch, ...]
    """The first earning sentence of each earned concept."""
    rejected: tuple[ConceptMatch, ...]
    """Matches that earned nothing, each with its reason."""
    location: str
    """The sentence or code that cites where the problem is ('' when none)."""
    claim: str
    """A sentence that claims the problem was fixed ('' when none)."""
    reason: str
    misconceptions: tuple[MisconceptionMatch, ...] = ()
    """Sentences that explain the problem with a listed wrong mechanism."""
    penalty: float = 0.0
    """Share of the weight taken off for a fix claim the hidden tests disprove."""
    question: str = ""
    """The rubric's follow-up question for the problem, asked when it is not explained."""

    @property
    def evidence(self) -> str:
        """The sentence that best shows the problem was explained (mechanism, else fix)."""
        for kind in (ConceptKind.MECHANISM, ConceptKind.FIX):
            for match in self.matches:
                if match.kind is kind:
                    return match.sentence
        return ""


@dataclass(frozen=True)
class ReasoningScore:
    """The reasoning score (0–100) with a row per planted problem and flags."""

    score: float
    rows: tuple[ProblemRow, ...]
    flags: tuple[Flag, ...]
    prose_sentences: int
    """Sentences that counted as prose (headings, code and set-aside sentences excluded)."""
    reason: str

    @property
    def explained(self) -> tuple[str, ...]:
        """Ids of the problems the diagnosis explains."""
        return tuple(r.id for r in self.rows if r.explained)

    def flagged(self, kind: FlagKind) -> tuple[Flag, ...]:
        """The flags of one kind."""
        return tuple(f for f in self.flags if f.kind is kind)
