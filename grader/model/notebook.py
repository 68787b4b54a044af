"""A notebook submission's clean run in the sandbox, as evidence: per-cell outcomes, stale
outputs. Read from the executed notebook by ``grader/notebooks.py``; carried in every Grade."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CellRun:
    """How one code cell ended in the sandbox's clean run."""

    number: int
    """1-based position among all the notebook's cells (as ruff and Jupyter count them)."""
    status: str
    """``ok``, ``error``, ``timeout``, ``skipped`` or ``not_run``."""
    detail: str = ""
    """The error's last line, or why the cell stopped."""
    skipped: tuple[str, ...] = ()
    """Lines not run in the grader (shell escapes, installs)."""
    output_dropped: int = 0


@dataclass(frozen=True)
class NotebookReport:
    """What the sandbox's clean run of a notebook showed; evidence, never a score."""

    path: str
    modules: tuple[str, ...]
    cells: tuple[CellRun, ...] = ()
    stale_cells: tuple[int, ...] = ()
    """Cells whose saved outputs differ from the clean run's (a notebook never re-run?)."""
    out_of_order: bool = False
    """The saved execution counts do not go up from top to bottom."""
    executed: str = field(default="", repr=False)
    """The executed notebook (JSON, outputs capped), the recruiter's artifact."""
    problem: str = ""
    """Why there is no run to report (e.g. the run left no executed notebook)."""

    def summary_lines(self) -> list[str]:
        """Plain lines for a recruiter: what the clean run did, cell by cell where it matters."""
        if self.problem:
            return [f"{self.path}: {self.problem}"]
        ok = sum(1 for c in self.cells if c.status == "ok")
        lines = [
            f"{self.path} run top to bottom on a fresh kernel as "
            f"{', '.join(m + '.py' for m in self.modules)}: {ok} of {len(self.cells)} code "
            "cells ran cleanly"
        ]
        not_run = [str(c.number) for c in self.cells if c.status == "not_run"]
        for cell in self.cells:
            if cell.status not in ("ok", "not_run"):
                detail = f": {cell.detail}" if cell.detail else ""
                lines.append(f"cell {cell.number} {cell.status.replace('_', ' ')}{detail}")
            if cell.skipped:
                lines.append(f"cell {cell.number} skipped (no shell or network in the grader): "
                             + "; ".join(cell.skipped[:3]))  # fmt: skip
            if cell.output_dropped:
                lines.append(
                    f"cell {cell.number} output cut: {cell.output_dropped:,} bytes dropped"
                )
        if not_run:
            lines.append(f"cell(s) {', '.join(not_run)} not run (the run had stopped)")
        if self.stale_cells:
            cells = ", ".join(str(n) for n in self.stale_cells[:10])
            lines.append(f"saved outputs of cell(s) {cells} differ from a clean run "
                         "(the notebook may not have been re-run before saving)")  # fmt: skip
        if self.out_of_order:
            lines.append(
                "the saved execution counts are out of order (cells were run out of order)"
            )
        return lines
