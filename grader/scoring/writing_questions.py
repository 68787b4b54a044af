"""Interview questions about what a written answer argues, with file and line: evidence for
the interviewer, never a score.

A memo has no code to ask about: its own decisions are its sentences. For the areas it
explains, the sentence that earned the most is quoted back with a question that makes the
candidate defend it: a number they chose (where it comes from), an action they propose (what
would make them change it), a reason they give (how they would check it holds here). The
areas it missed are asked about by the rubric's own questions, elsewhere.
"""

from __future__ import annotations

import re

from grader.model import CodeQuestion, ConceptKind, ConceptMatch, ReasoningScore

ASKED = 3
SHOWN = 90
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\s?(?:%|ms|s|x|k|m|h|days?|weeks?|hours?|minutes?)?")
_KIND_ORDER = {ConceptKind.FIX: 0, ConceptKind.MECHANISM: 1, ConceptKind.CONSEQUENCE: 2}


def _quote(sentence: str) -> str:
    text = " ".join(sentence.split()).replace("`", "'")
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _where(file: str, line: int, sentence: str) -> str:
    return f'In {file}:{line} you write "{_quote(sentence)}"'


def _question(file: str, match: ConceptMatch) -> str:
    where = _where(file, match.line, match.sentence)
    number = _NUMBER.search(match.sentence)
    if number is not None and number.group().strip(" ,.") not in {"0", "1"}:
        return (
            f"{where}: where does `{number.group().strip(' ,.')}` come from, and what would "
            "you do if it turned out to be wrong?"
        )
    if match.kind is ConceptKind.FIX:
        return (
            f"{where}: what would make you change that choice, and how would you notice "
            "in production?"
        )
    return f"{where}: how would you check that this holds for this system?"


def own_writing_questions(reasoning: ReasoningScore, file: str) -> tuple[CodeQuestion, ...]:
    """Up to ``ASKED`` questions, one per area and none on a line already asked about: first on
    the sentences that earned the heaviest areas, then on sentences that state one of an
    area's misconceptions (a weak memo has those, and they are what to probe)."""
    asked: list[CodeQuestion] = []
    lines: set[int] = set()
    rows = sorted(reasoning.rows, key=lambda r: -r.weight)
    for row in rows:
        if not row.explained or len(asked) == ASKED:
            continue
        usable = [m for m in row.matches if m.kind in _KIND_ORDER and m.line not in lines]
        if not usable:
            continue
        best = min(usable, key=lambda m: (-m.weight, _KIND_ORDER[m.kind], m.line))
        lines.add(best.line)
        asked.append(CodeQuestion(file, best.line, "claim", _question(file, best)))
    for row in rows:
        wrong = next((m for m in row.misconceptions if m.line not in lines), None)
        if wrong is None or len(asked) == ASKED:
            continue
        lines.add(wrong.line)
        where = _where(file, wrong.line, wrong.sentence)
        asked.append(
            CodeQuestion(
                file,
                wrong.line,
                "claim",
                f"{where}: how do you know, and what would change in your design if it "
                "were not so?",
            )
        )
    return tuple(asked)
