"""Terminal sections for the evidence beyond correctness: scores, lint, mutants, diagnosis.
Drawn from the verdict (``verdict.py``), never from the Grade itself."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from .verdict import Band, DiagnosisEvidence, OwnTestsEvidence, QualityEvidence, ScoreLine

STYLES = {
    Band.STRONG: "bold green",
    Band.PARTIAL: "bold yellow",
    Band.WEAK: "bold red",
    Band.NONE: "",
}


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def scores_table(scores: tuple[ScoreLine, ...]) -> Table:
    """One row per score with the evidence that produced it, the profile total last."""
    table = Table(title="Scores", title_justify="left", expand=False)
    table.add_column("Score")
    table.add_column("0–100", justify="right")
    table.add_column("Evidence", overflow="fold")
    for line in scores:
        name = Text(line.label, style="bold" if line.key == "total" else "")
        table.add_row(name, Text(line.shown, style=STYLES[line.band]), Text(line.evidence))
    return table


def quality_table(quality: QualityEvidence) -> Table | None:
    """The first findings, most serious first, each with its rule's documentation link."""
    if not quality.findings:
        return None
    title = (
        f"Code quality findings ({quality.findings_total}; "
        f"# noqa comments ignored: {quality.noqa_comments})"
    )
    table = _table(title, "Where", "Rule", "Message")
    for f in quality.findings:
        table.add_row(Text(f.where), Text(f.code), Text(f"{f.message}  {f.url}"))
    if quality.findings_hidden:
        table.add_row("", "", Text(f"… {quality.findings_hidden} more", style="dim"))
    return table


def mutant_table(own: OwnTestsEvidence) -> Table:
    """Each planted bug and whether the candidate's tests caught it; then the wrong tests."""
    table = _table("Planted bugs vs the candidate's tests", "Bug", "Caught", "By")
    for m in own.mutants:
        table.add_row(Text(f"{m.id}: {m.description}"), _yes(m.caught), Text(m.by))
    for wrong in own.wrong_tests:
        table.add_row(
            Text(f"wrong test: {wrong.test}", style="yellow"),
            "",
            Text(wrong.message or "fails on a correct implementation"),
        )
    return table


def diagnosis_table(diagnosis: DiagnosisEvidence) -> Table:
    """Per planted problem: fixed, explained (with the sentence), located, and what was wrong
    (a memo: per area, explained, with the sentence)."""
    names = diagnosis.mark_names
    table = _table(diagnosis.heading, diagnosis.first_column, *names, "Evidence")
    for row in diagnosis.rows:
        evidence = Text(row.evidence or row.reason)
        for wrong in row.misconceptions:
            evidence.append(f"\nmisconception: {wrong}", style="yellow")
        if row.disproved_claim:
            evidence.append(f"\nclaim disproved: “{row.disproved_claim}”", style="red")
        table.add_row(Text(row.title), *map(_yes, diagnosis.marks(row)), evidence)
    for remark in diagnosis.remarks:
        table.add_row(Text("remark", style="yellow"), *("" for _ in names), Text(remark))
    return table


def _yes(value: bool) -> Text:
    return Text("yes", style="green") if value else Text("no", style="red")
