"""Code quality agrees with a reviewer on cases written blind for it.

tests/quality_panel/<exercise>/ holds code-quality cases an author wrote from the exported
bundle only (never the grader, its docs or the exercise package), with a reviewer's quality
band for each set before anything was graded: clean code in several styles (textbook maths
notation, classes, explicit loops), terse, junior, duplicated, messy and over-engineered code.
Each case is laid over the bundle as a submission, linted by the harness's own lint step (run
here on the host: the same script and ruff the sandbox runs) and scored. Floors at what the
current recipe measures, so a regression fails; the goal is every band.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from grader.bundle import lay_over_bundle
from grader.candidate_files import quality_files
from grader.catalog import Catalog, default_exercises_dir
from grader.grading import quality_baseline
from grader.intake import open_workspace
from grader.panel import spearman
from grader.runner.protocol import _lint
from grader.scoring.quality import score_quality

PANEL = Path(__file__).resolve().parents[1] / "quality_panel"
LINT = Path(__file__).resolve().parents[2] / "sandbox" / "harness" / "quality.py"
MIN_AGREEMENT = 0.9
MIN_HITS = 10
"""Measured 2026-12-07: Spearman 0.91 of scores against band midpoints, 10 of 16 bands (the
recipe before readability.py and the starter-signature rule: 0.83, 11 of 16)."""


def _score(exercise_id: str, case: dict, tmp: Path) -> float | None:
    exercise = Catalog(default_exercises_dir()).get(exercise_id)
    submission = lay_over_bundle(exercise, PANEL / exercise_id / case["path"], tmp / case["path"])
    with open_workspace(submission) as workspace:
        files = quality_files(exercise, workspace)
        request = {"root": str(workspace.root), "files": files, "timeout": 60}
        out = subprocess.run(
            [sys.executable, str(LINT)], input=json.dumps(request).encode(), capture_output=True
        ).stdout
        score = score_quality(
            _lint(json.loads(out)),
            workspace.root,
            files,
            baseline=quality_baseline(exercise),
            submitted=workspace.files,
        )
    return None if score is None else score.score


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, list[float], float]]:
    rows = []
    for spec_file in sorted(PANEL.glob("*/cases.toml")):
        for case in tomllib.loads(spec_file.read_text())["cases"]:
            score = _score(spec_file.parent.name, case, tmp_path_factory.mktemp("case"))
            assert score is not None, f"{case['path']}: every case has enough code to judge"
            rows.append((case["path"], case["quality"], score))
    return rows


def test_the_blind_quality_cases_rank_as_the_reviewer_did(graded):  # type: ignore[no-untyped-def]
    assert len(graded) == 16
    middles = [(band[0] + band[1]) / 2 for _, band, _ in graded]
    agreement = spearman(middles, [score for *_, score in graded])
    scores = [(name, score) for name, _, score in graded]
    assert agreement is not None and agreement >= MIN_AGREEMENT, scores


def test_the_blind_quality_cases_land_in_their_bands(graded):  # type: ignore[no-untyped-def]
    hits = [name for name, band, score in graded if band[0] <= score <= band[1]]
    assert len(hits) >= MIN_HITS, [(name, band, score) for name, band, score in graded]
