"""Which of an exercise's requirements need a layer on the sandbox image, and which are refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.errors import CatalogError
from grader.runner.exercise_image import ExerciseLayer, base_pins, extra_requirements
from grader.runner.images import ImageRecipe, default_sandbox_dir

FIXTURES = Path(__file__).resolve().parents[1] / "exercises"
PINS = base_pins(ImageRecipe(default_sandbox_dir()).requirements)


def exercise(*requirements: str):  # type: ignore[no-untyped-def]
    return replace(Catalog(FIXTURES).get("tiny-stats"), requirements=requirements)


def test_the_base_pins_are_read_with_canonical_names():
    assert PINS["numpy"] and PINS["scikit-learn"] and PINS["typing-extensions"]


def test_packages_the_base_pins_need_no_layer():
    numpy = PINS["numpy"]
    assert extra_requirements(exercise("numpy", "scikit_learn", f"numpy=={numpy}"), PINS) == ()
    assert extra_requirements(exercise(f"numpy>={numpy}"), PINS) == ()


def test_a_missing_package_pinned_exactly_gets_a_layer():
    extras = extra_requirements(exercise("numpy", "Polars==1.44.2", "tabulate==0.9.0"), PINS)
    assert extras == ("polars==1.44.2", "tabulate==0.9.0")
    assert extra_requirements(Catalog(FIXTURES).get("tiny-polars"), PINS) == ("polars==1.44.2",)


@pytest.mark.parametrize(
    ("requirement", "says"),
    [
        ("polars", "pinned exactly"),
        ("polars>=1.0", "pinned exactly"),
        ("polars==1.*", "pinned exactly"),
        ("polars==1.44.2; python_version<'3'", "pinned exactly"),
        ("numpy==1.0.0", "the sandbox image pins numpy=="),
        ("not a requirement!", "requirements"),
    ],
)
def test_unpinned_conflicting_or_unreadable_requirements_are_refused(requirement, says):
    with pytest.raises(CatalogError, match=says) as caught:
        extra_requirements(exercise(requirement), PINS)
    assert "exercise.toml" in caught.value.message


def test_the_layer_tag_depends_on_the_base_and_the_pins():
    one = ExerciseLayer("mlgrade-sandbox:a", ("polars==1.44.2",))
    assert one.tag() == ExerciseLayer("mlgrade-sandbox:a", ("polars==1.44.2",)).tag()
    assert one.tag() != ExerciseLayer("mlgrade-sandbox:b", ("polars==1.44.2",)).tag()
    assert one.tag() != ExerciseLayer("mlgrade-sandbox:a", ("polars==1.44.1",)).tag()
    assert one.tag().startswith("mlgrade-exercise:")
