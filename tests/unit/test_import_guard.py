"""The import guard: candidate code imports the exercise's requirements, their dependencies and
the standard library, nothing else installed.

Standard library only, no Docker: a fake site-packages folder with a fake distribution map
for the rules, and one child interpreter for the real map of this environment.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "sandbox" / "harness"
sys.path.insert(0, str(HARNESS))

from import_guard import (  # noqa: E402
    ImportGuard,
    canonical,
    dependency_closure,
    parse_requirement,
)

FAKE_REQUIRES: dict[str, list[str]] = {
    "allowed-lib": [
        "dep-lib>=1",
        "extra-lib; extra == 'plot'",
        "other-os-lib; sys_platform == 'x'",
    ],
    "dep-lib": ["allowed-lib"],  # a cycle must end
    "extra-lib": [],
    "other-os-lib": [],
    "forbidden-lib": [],
}
OWNERS = {
    "allowedlib": ["allowed-lib"],
    "deplib": ["dep-lib"],
    "extralib": ["extra-lib"],
    "forbiddenlib": ["forbidden-lib"],
}


def fake_requires(name: str) -> list[str] | None:
    return FAKE_REQUIRES.get(canonical(name))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fake site-packages and a candidate folder on sys.path; their modules forgotten after."""
    packages = tmp_path / "site-packages"
    (packages / "allowedlib").mkdir(parents=True)
    (packages / "allowedlib" / "__init__.py").write_text("import deplib\nVALUE = deplib.VALUE\n")
    (packages / "deplib.py").write_text("VALUE = 7\n")
    (packages / "extralib.py").write_text("")
    (packages / "forbiddenlib.py").write_text("")
    (packages / "unclaimed.py").write_text("")
    candidate = tmp_path / "submission"
    candidate.mkdir()
    (candidate / "solution_module.py").write_text("import allowedlib\nVALUE = allowedlib.VALUE\n")
    monkeypatch.syspath_prepend(str(packages))
    monkeypatch.syspath_prepend(str(candidate))
    yield packages
    for name in (
        "allowedlib",
        "deplib",
        "extralib",
        "forbiddenlib",
        "unclaimed",
        "solution_module",
    ):
        sys.modules.pop(name, None)


@pytest.fixture
def install(site: Path) -> Iterator:  # type: ignore[type-arg]
    """Installs a guard over the fake site (first on sys.meta_path) and removes it after."""
    guards: list[ImportGuard] = []

    def _install(requirements: list[str], also: tuple[str, ...] = ()) -> ImportGuard:
        guard = ImportGuard(
            requirements,
            also,
            site_dirs=[str(site)],
            owners=lambda: dict(OWNERS),
            requires=fake_requires,
        )
        sys.meta_path.insert(0, guard)  # type: ignore[arg-type]
        guards.append(guard)
        return guard

    yield _install
    for guard in guards:
        sys.meta_path.remove(guard)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "name", "extras"),
    [
        ("numpy", "numpy", set()),
        ("numpy>=1.26", "numpy", set()),
        ("scikit-learn ~= 1.5", "scikit-learn", set()),
        (
            "pandas[plot, Performance]>=2; python_version > '3.10'",
            "pandas",
            {"plot", "performance"},
        ),
        ("  jupyter_core!=6.0.*,>=5.1", "jupyter_core", set()),
    ],
)
def test_a_requirement_string_gives_its_distribution_name_and_extras(text, name, extras):
    parsed_name, parsed_extras, _ = parse_requirement(text)
    assert (parsed_name, set(parsed_extras)) == (name, extras)


def test_distribution_names_compare_as_pep_503_says():
    assert canonical("Scikit_Learn") == canonical("scikit.learn") == "scikit-learn"


def test_the_closure_follows_dependencies_transitively_and_ends_on_a_cycle():
    closure = dependency_closure(["Allowed_Lib>=2"], fake_requires)
    assert closure == {"allowed-lib", "dep-lib", "other-os-lib"}


def test_the_closure_takes_an_extra_only_when_it_is_requested():
    assert "extra-lib" in dependency_closure(["allowed-lib[plot]"], fake_requires)
    assert "extra-lib" not in dependency_closure(["allowed-lib"], fake_requires)


def test_the_closure_keeps_a_declared_distribution_that_is_not_installed():
    assert dependency_closure(["not-installed"], fake_requires) == {"not-installed"}


def test_an_undeclared_installed_package_is_refused_naming_it_and_the_requirements(install):
    install(["allowed-lib>=1"])
    with pytest.raises(ModuleNotFoundError) as caught:
        import forbiddenlib  # noqa: F401
    assert str(caught.value) == (
        "forbidden-lib is not available in this exercise: its requirements are allowed-lib"
    )
    assert caught.value.name == "forbiddenlib"


def test_import_module_is_refused_the_same_way(install):
    install(["allowed-lib"])
    with pytest.raises(ModuleNotFoundError, match="forbidden-lib is not available"):
        importlib.import_module("forbiddenlib")


def test_a_declared_package_imports_and_its_own_dependencies_import_with_it(install):
    install(["allowed-lib"])
    import allowedlib

    assert allowedlib.VALUE == 7


def test_a_dependency_of_a_declared_package_may_be_imported_directly(install):
    install(["allowed-lib"])
    import deplib

    assert deplib.VALUE == 7


def test_the_candidates_own_modules_and_the_standard_library_import(install):
    install(["allowed-lib"])
    import solution_module

    assert solution_module.VALUE == 7
    assert importlib.import_module("fractions").Fraction(1, 2) == 0.5


def test_a_package_imported_before_the_guard_stays_importable(install):
    import forbiddenlib  # the harness's own import, before candidate code runs

    install(["allowed-lib"])
    assert importlib.import_module("forbiddenlib") is forbiddenlib


def test_an_installed_module_no_distribution_claims_is_not_refused(install):
    install([])
    assert importlib.import_module("unclaimed").__name__ == "unclaimed"


def test_no_requirements_refuses_every_installed_package(install):
    install([])
    with pytest.raises(ModuleNotFoundError, match=r"^allowed-lib .*: it requires no packages$"):
        import allowedlib  # noqa: F401


def test_a_notebook_allowance_imports_and_is_named_in_the_message(install):
    install(["dep-lib"], also=("extra-lib",))
    import extralib  # noqa: F401

    with pytest.raises(ModuleNotFoundError) as caught:
        import forbiddenlib  # noqa: F401
    assert str(caught.value).endswith(
        "its requirements are dep-lib (a notebook may also use extra-lib)"
    )


def test_with_the_real_distribution_map_a_declared_package_imports_and_others_are_refused():
    # jinja2 imports markupsafe (its dependency); click is installed here but not declared.
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(HARNESS)!r})
        import import_guard
        import_guard.install(["Jinja2>=3.1"])
        import jinja2, json
        try:
            import click
        except ModuleNotFoundError as exc:
            print(exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert (
        done.stdout.strip()
        == "click is not available in this exercise: its requirements are Jinja2"
    )
