"""The catalog loads exercise packages and names the file and field of any mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.bundle import MARKER_FILE
from grader.catalog import Catalog, load_exercise
from grader.errors import CatalogError, UnknownExerciseError
from grader.model import SourceKind, Workspace

from ..conftest import FIXTURE_EXERCISES

TINY = FIXTURE_EXERCISES / "tiny-stats"


def copy_tiny(tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    root = tmp_path / "tiny-stats"
    shutil.copytree(TINY, root)
    if edit is not None:
        toml = root / "exercise.toml"
        toml.write_text(toml.read_text().replace(*edit))
    return root


def workspace(root: Path, files: list[str]) -> Workspace:
    return Workspace(root, root, SourceKind.DIRECTORY, "0" * 64, tuple(files), 0)


def test_the_fixture_exercise_loads_with_its_limits():
    exercise = load_exercise(TINY)
    assert exercise.id == "tiny-stats"
    assert exercise.limits.time_seconds == 8.0
    assert exercise.limits.memory_mb == 256
    assert len(exercise.tests) == 3


def test_a_missing_field_is_named(tmp_path):
    root = copy_tiny(tmp_path, ('title = "Tiny statistics (test fixture)"\n', ""))
    with pytest.raises(CatalogError, match=r"exercise.toml: field 'title' is missing"):
        load_exercise(root)


def test_a_wrongly_typed_weight_is_named(tmp_path):
    root = copy_tiny(tmp_path, ("weight = 2", 'weight = "heavy"'))
    with pytest.raises(CatalogError, match=r"field 'tests\[2\].weight' must be a number"):
        load_exercise(root)


def test_an_unknown_group_is_named(tmp_path):
    root = copy_tiny(tmp_path, ('group = "variance"', 'group = "varience"'))
    with pytest.raises(CatalogError, match=r"tests\[2\].group' names unknown group 'varience'"):
        load_exercise(root)


def test_an_unknown_limit_is_named(tmp_path):
    root = copy_tiny(tmp_path, ("pids = 64", "pidz = 64"))
    with pytest.raises(CatalogError, match=r"limits.pidz' is not a known limit"):
        load_exercise(root)


def test_a_duplicated_test_id_is_refused(tmp_path):
    root = copy_tiny(
        tmp_path,
        ("test_stats.py::test_mean_of_random_values", "test_stats.py::test_mean_of_known_values"),
    )
    with pytest.raises(
        CatalogError, match=r"lists 'test_stats\.py::test_mean_of_known_values' twice"
    ):
        load_exercise(root)


def test_broken_toml_names_the_file(tmp_path):
    root = copy_tiny(tmp_path, ("[limits]", "[limits"))
    with pytest.raises(CatalogError, match="cannot be read as TOML"):
        load_exercise(root)


def test_an_unknown_kind_lists_the_choices(tmp_path):
    root = copy_tiny(tmp_path, ('kind = "implement"', 'kind = "vibes"'))
    with pytest.raises(CatalogError, match="choose one of implement, debug"):
        load_exercise(root)


def test_unknown_exercise_lists_known_ids():
    known = "known: tiny-debug, tiny-memo, tiny-polars, tiny-stats, tiny-tested"
    with pytest.raises(UnknownExerciseError, match=known):
        Catalog(FIXTURE_EXERCISES).get("nope")


def test_recognised_by_the_files_it_names(tmp_path):
    files = ["clip.py", "tests/test_clip.py"]
    assert Catalog(FIXTURE_EXERCISES).recognise(workspace(tmp_path, files)).id == "tiny-tested"


def test_a_submission_matching_two_exercises_lists_both(tmp_path):
    with pytest.raises(
        UnknownExerciseError, match="matches several exercises: tiny-debug, tiny-stats"
    ):
        Catalog(FIXTURE_EXERCISES).recognise(workspace(tmp_path, ["stats.py"]))


def test_recognised_by_the_marker_file(tmp_path):
    (tmp_path / MARKER_FILE).write_text('id = "tiny-stats"\n')
    found = Catalog(FIXTURE_EXERCISES).recognise(workspace(tmp_path, [MARKER_FILE]))
    assert found.id == "tiny-stats"


def test_an_unrecognisable_submission_says_what_to_do(tmp_path):
    with pytest.raises(UnknownExerciseError, match="cannot tell which exercise") as info:
        Catalog(FIXTURE_EXERCISES).recognise(workspace(tmp_path, ["notes.txt"]))
    assert info.value.hint == "pass --exercise ID"


def test_roles_default_to_the_kind_and_can_be_declared(tmp_path):
    assert dict(load_exercise(copy_tiny(tmp_path / "a")).roles)["research"] == 3  # implement
    declared = copy_tiny(
        tmp_path / "b", ("[limits]", "[roles]\nproduction = 0\nmlops = 3\n\n[limits]")
    )
    roles = dict(load_exercise(declared).roles)
    assert roles["production"] == 0 and roles["mlops"] == 3 and roles["research"] == 3


@pytest.mark.parametrize("value", ["4", "-1", "1.5", "true", '"high"'])
def test_a_role_fit_outside_0_to_3_is_refused(tmp_path, value):
    root = copy_tiny(tmp_path, ("[limits]", f"[roles]\nproduction = {value}\n\n[limits]"))
    with pytest.raises(CatalogError, match=r"roles\.production"):
        load_exercise(root)


def test_the_catalog_lists_by_what_a_role_needs():
    import subprocess
    import sys

    def listed(role: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "grader", "exercises", "list", "--role", role],
            capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2],
            env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return [line.split("│")[1].strip() for line in done.stdout.splitlines() if "│" in line]

    assert listed("production")[0] in {"tested-utilities", "feature-scaler"}
    assert set(listed("research")[:2]) == {"debug-training", "training-loop"}
    # Leakage, metric choice and design are what an applied role needs most.
    assert {"fix-leakage", "design-memo"} <= set(listed("applied")[:3])


def test_a_test_can_name_the_requirement_it_checks(tmp_path):
    root = copy_tiny(
        tmp_path, ("weight = 2", 'weight = 2\nrequirement = """divides by n,\n  not n - 1"""')
    )
    tests = {t.id: t for t in load_exercise(root).tests}
    assert tests["test_stats.py::test_population_variance"].requirement == "divides by n, not n - 1"
    assert tests["test_stats.py::test_mean_of_known_values"].requirement == ""
