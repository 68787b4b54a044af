"""Quality cannot be steered (real containers): a file that crashes the linter, format
directives, docstring padding and code hidden in an archive; and the bundle's own files are
never judged as the candidate's."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from grader.bundle import export_bundle
from grader.grading import grade_submission
from grader.model import Grade

pytestmark = pytest.mark.docker
EXERCISE = "feature-scaler"


def solution_copy(catalog, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    dest = tmp_path / "submission"
    shutil.copytree(catalog.get(EXERCISE).solution_dir, dest)
    return dest


def grade(catalog, runner, path: Path) -> Grade:  # type: ignore[no-untyped-def]
    return grade_submission(path, catalog, runner, exercise_id=EXERCISE)


def test_a_file_that_crashes_the_linter_fails_closed(catalog, runner, tmp_path):
    submission = solution_copy(catalog, tmp_path)
    nested = "[" * 100_000 + "]" * 100_000
    (submission / "helpers.py").write_text(f"TABLE = {nested}\n")
    graded = grade(catalog, runner, submission)
    assert graded.quality is not None
    assert graded.quality.score == 0.0
    assert graded.quality.reason.startswith("could not be measured")


def test_format_directives_do_not_earn_the_format_points(catalog, runner, tmp_path):
    submission = solution_copy(catalog, tmp_path)
    module = submission / "scaler.py"
    module.write_text(
        "# fmt: off\n" + module.read_text().replace("    ", "      ") + "x=[1,2 ,3]\n"
    )
    graded = grade(catalog, runner, submission)
    assert graded.quality is not None
    assert graded.quality.unformatted == ("scaler.py",)
    assert graded.quality.fmt_directives == 1


def test_docstring_padding_does_not_raise_the_score(catalog, runner, tmp_path):
    plain = solution_copy(catalog, tmp_path / "plain")
    (plain / "scaler.py").write_text((plain / "scaler.py").read_text() + "import os\nimport sys\n")
    padded = solution_copy(catalog, tmp_path / "padded")
    padding = '\n\ndef _notes():\n    """' + "\n    Filler line.\n" * 400 + '    """\n'
    (padded / "scaler.py").write_text((plain / "scaler.py").read_text() + padding)
    scores = [grade(catalog, runner, p).quality for p in (plain, padded)]
    assert scores[0] is not None and scores[1] is not None
    assert scores[1].score is not None and scores[0].score is not None
    assert scores[1].score <= scores[0].score < 100.0


def test_code_hidden_in_an_archive_fails_closed(catalog, runner, tmp_path):
    submission = solution_copy(catalog, tmp_path)
    with zipfile.ZipFile(submission / "vendor.zip", "w") as archive:
        archive.writestr("fastmath.py", "def mean(x):\n    return sum(x)/len(x)\n")
    module = submission / "scaler.py"
    module.write_text(
        module.read_text()
        + "\n\nimport sys  # noqa: E402\n\n"
        + "sys.path.insert(0, __file__.rsplit('/', 1)[0] + '/vendor.zip')\n"
        + "import fastmath  # noqa: E402\n"
    )
    graded = grade(catalog, runner, submission)
    assert graded.correctness is not None and graded.correctness.score == 100.0
    assert graded.quality is not None and graded.quality.score == 0.0
    assert "vendor.zip" in graded.quality.reason


def test_unchanged_bundle_files_are_not_the_candidates(catalog, runner, tmp_path):
    exercise = catalog.get(EXERCISE)
    bundle = tmp_path / "bundle"
    export_bundle(exercise, bundle)
    shutil.copy2(exercise.solution_dir / "scaler.py", bundle / "scaler.py")
    graded = grade(catalog, runner, bundle)
    assert graded.quality is not None
    assert graded.quality.files == ("scaler.py",)
    assert not any(f.file.startswith("public_tests/") for f in graded.quality.findings)
