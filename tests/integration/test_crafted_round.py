"""A round with one crafted candidate per host failure still writes every report and grades
the honest candidates exactly as a round without them.

The honest candidates run in real containers. The crafted container outputs (a forged frame,
a forged executed notebook) and a runner that raises are replayed by ``ReplayRunner``, a
fake standing in for the engine for the grader's own failure paths (see tests/fakes.py):
what a hostile container can print is what the host must survive, and replaying it goes
through the same parser and scorers. The deeply nested notebook and the broken archive are
real submissions that go through real intake.
"""

from __future__ import annotations

import csv
import io
import shutil
import tomllib
import zipfile
from pathlib import Path

import docker
import nbformat
import pytest

from grader.batch import BatchGrader, RoundStore, discover, flag_round
from grader.bundle import lay_over_bundle
from grader.catalog import Catalog
from grader.model import GradeStatus
from grader.reports.json_report import grade_to_dict
from grader.reports.round_files import write_round_reports
from grader.round_flags import OFF_EXERCISE
from grader.runner.docker_runner import DockerRunner

from ..fakes import Recording, ReplayRunner, frame, honest_frame

pytestmark = pytest.mark.docker
HONEST = {"solution": "solution", "partial": "samples/partial", "weak": "samples/weak",
          "notebook": "samples/notebook"}  # fmt: skip
"""Honest candidate → the feature-scaler folder they submit."""
COMPARED = (
    *("exercise_id", "exercise_version", "status", "run_status", "reason", "seed"),
    *("correctness", "quality", "own_tests", "reasoning", "total", "limits_hit", "notes"),
)
"""Everything a grade says about the candidate (not its wall time, not round flags)."""
DEEP = 200_000
REDTEAM_CASES = Path(__file__).resolve().parents[1] / "attacks" / "submissions"
REDTEAM = (
    "fs-frame-marker-everywhere",
    "fs-nb-artifact-own-stdout",
    "fs-utf7-invisible-code",
    "fs-forged-executed-notebook",
    "dt-hidden-markdown-reasoning",
)
"""Blind red-team submissions graded for real in the same round (one per class that a
feature-scaler round can hold, and one of another exercise, which must be flagged)."""


def honest_round(catalog: Catalog, dest: Path) -> None:
    root = catalog.get("feature-scaler").root
    for name, origin in HONEST.items():
        shutil.copytree(root / origin, dest / name)


def forged_executed_notebook(saved: Path) -> str:
    """The submitted notebook's own cells (anything else is discarded unread) with forged,
    ill-typed run metadata and a deeply nested extra field."""
    nb = nbformat.read(saved, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.metadata["mlgrade"] = {"status": ["ok"], "output_dropped": "a lot", "skipped": 3}
    text = nbformat.writes(nb)
    return text.replace('"nbformat_minor"', '"pad": ' + "[" * 10 + "]" * 10 + ', "nbformat_minor"')


def crafted_round(catalog: Catalog, dest: Path) -> dict[str, Recording]:
    """The crafted submissions in ``dest``, and what their containers "print"."""
    exercise = catalog.get("feature-scaler")
    for name in ("forged-frame", "forged-notebook", "raising-runner"):
        shutil.copytree(exercise.root / "samples" / "weak", dest / name)
    (dest / "forged-notebook" / "scaler.py").unlink()
    shutil.copy(exercise.root / "samples" / "notebook" / "scaler.ipynb", dest / "forged-notebook")
    (dest / "deep-notebook").mkdir()
    (dest / "deep-notebook" / "scaler.ipynb").write_text(
        '{"cells": [], "metadata": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scaler.py", "def fit(x):\n    return x\n" * 200)
    (dest / "broken-archive.zip").write_bytes(buffer.getvalue()[:300])
    forged = (
        '{"results": "{\\"kind\\": \\"collected\\"}", "output_dropped": NaN, "oom_kills": '
        + "9" * 309
        + ', "quality": {"findings": {"x": 1}, "unformatted": 5}, "own_tests": {"runs": '
        '{"own": {"tests": 1e999, "failed": 7, "coverage": {"branches": 3, "covered_branches": '
        + "9" * 309
        + '}}}}, "stdout": {"not": "text"}}'
    )
    for case in REDTEAM:
        spec = tomllib.loads((REDTEAM_CASES / case / "attack.toml").read_text())
        lay_over_bundle(
            catalog.get(spec["exercise"]), REDTEAM_CASES / case / "submission", dest / case
        )
    return {
        "forged-frame": frame(forged),
        "forged-notebook": honest_frame(
            exercise,
            notebook=forged_executed_notebook(
                exercise.root / "samples" / "notebook" / "scaler.ipynb"
            ),
        ),
        "raising-runner": RuntimeError("the engine answered with something unexpected"),
    }


def run_round(
    catalog: Catalog, client: docker.DockerClient, image: str, subs: Path, out: Path,
    recordings: dict[str, Recording],
) -> list[Path]:  # fmt: skip
    """Grade, flag and report a round the way `grade batch` does; returns the reports."""
    store = RoundStore(out)
    batch = BatchGrader(
        catalog,
        lambda: ReplayRunner(recordings, fallback=DockerRunner(client, image)),
        image,
        store,
    )
    batch.run(discover(subs), jobs=2)
    flag_round(store, catalog)
    return write_round_reports(out, store.grades(), title="crafted")


def compared(out: Path) -> dict[str, dict]:
    return {
        g.candidate: {k: v for k, v in grade_to_dict(g).items() if k in COMPARED}
        for g in RoundStore(out).grades()
    }


def test_crafted_candidates_neither_stop_the_round_nor_change_the_honest_grades(
    no_leftover_containers, catalog, docker_client, sandbox_image, tmp_path
):  # type: ignore[no-untyped-def]
    honest_round(catalog, tmp_path / "honest")
    honest_round(catalog, tmp_path / "mixed")
    recordings = crafted_round(catalog, tmp_path / "mixed")

    run_round(catalog, docker_client, sandbox_image, tmp_path / "honest", tmp_path / "a", {})
    reports = run_round(
        catalog, docker_client, sandbox_image, tmp_path / "mixed", tmp_path / "b", recordings
    )

    alone, mixed = compared(tmp_path / "a"), compared(tmp_path / "b")
    assert set(alone) == set(HONEST)
    assert {name: mixed[name] for name in HONEST} == alone
    assert {p.name for p in reports} == {"round.html", "round.csv", "round.junit.xml"}
    rows = list(csv.DictReader(io.StringIO((tmp_path / "b" / "round.csv").read_text())))
    assert len(rows) == len(HONEST) + 5 + len(REDTEAM)
    grades = {g.candidate: g for g in RoundStore(tmp_path / "b").grades()}
    for name in ("deep-notebook", "broken-archive", "raising-runner"):
        assert grades[name].status is GradeStatus.UNGRADABLE, name
        assert grades[name].reason, name
        assert (tmp_path / "b" / "results" / f"{name}.md").is_file()
    assert "RuntimeError: the engine answered" in grades["raising-runner"].reason
    assert "nested deeper than" in grades["deep-notebook"].reason
    forged = grades["forged-frame"]
    assert forged.status is GradeStatus.GRADED and forged.correctness is not None
    assert forged.correctness.score == 0, "a forged frame earns nothing it did not report"
    assert forged.own_tests is None or forged.own_tests.score is not None
    notebook = grades["forged-notebook"].notebook
    assert notebook is not None and not notebook.problem
    assert notebook.cells, "the forged run's cells are reported, distrusted"
    assert {(c.status, c.output_dropped, c.skipped) for c in notebook.cells} == {("not_run", 0, ())}
    other = grades["dt-hidden-markdown-reasoning"]
    assert other.exercise_id == "debug-training"
    assert any(flag.startswith(OFF_EXERCISE) for flag in other.flags)
    assert all(grades[case].status is GradeStatus.GRADED for case in REDTEAM)
