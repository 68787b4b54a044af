"""Find, load and validate exercise packages (``exercises/<id>/exercise.toml``)."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

from grader.bundle import MARKER_FILE
from grader.errors import CatalogError, UnknownExerciseError
from grader.model import (
    Exercise,
    ExerciseKind,
    GroupSpec,
    Limits,
    MutantSpec,
    OwnTestsSpec,
    SampleSpec,
    TestSpec,
    VariantSpec,
    Workspace,
)
from grader.scoring.rubric import check_groups, load_rubric
from grader.tomlfields import TomlTable

log = logging.getLogger(__name__)

"""Written into every candidate bundle so ``grade submission/`` knows the exercise."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_LIMIT_FIELDS = {f.name: f.type for f in fields(Limits)}


def default_exercises_dir() -> Path:
    """The ``exercises/`` folder that ships beside the ``grader`` package."""
    return Path(__file__).resolve().parent.parent / "exercises"


def _limits(doc: TomlTable) -> Limits:
    table = doc.get("limits", dict, {})
    lim = TomlTable(doc.source, table, "limits.")
    unknown = sorted(set(table) - set(_LIMIT_FIELDS))
    if unknown:
        raise lim.fail(unknown[0], f"is not a known limit (known: {', '.join(_LIMIT_FIELDS)})")
    values: dict[str, Any] = {}
    for name in table:
        value = lim.number(name)
        if value <= 0:
            raise lim.fail(name, "must be positive")
        values[name] = int(value) if _LIMIT_FIELDS[name] == "int" else float(value)
    return Limits(**values)


def _groups(doc: TomlTable) -> tuple[GroupSpec, ...]:
    groups = tuple(GroupSpec(id=g.text("id"), title=g.text("title")) for g in doc.tables("groups"))
    _unique(doc, "groups", [g.id for g in groups])
    if not groups:
        raise doc.fail("groups", "must list at least one group")
    return groups


def _tests(
    doc: TomlTable, groups: tuple[GroupSpec, ...], kind: ExerciseKind
) -> tuple[TestSpec, ...]:
    known = {g.id for g in groups}
    tests = []
    for t in doc.tables("tests"):
        spec = TestSpec(
            id=t.text("id"),
            group=t.text("group"),
            weight=float(t.number("weight")),
            description=t.text("description"),
            question=t.text("question", ""),
            requirement=" ".join(t.text("requirement", "").split()),
        )
        if spec.group not in known:
            raise t.fail("group", f"names unknown group '{spec.group}'")
        if spec.weight <= 0:
            raise t.fail("weight", "must be positive")
        if "::" not in spec.id:
            raise t.fail("id", "must be a pytest node id like 'test_x.py::test_y'")
        tests.append(spec)
    if kind is ExerciseKind.MEMO and tests:
        raise doc.fail("tests", "a memo exercise runs no code: its groups are the rubric's areas")
    if not tests and kind is not ExerciseKind.MEMO:
        raise doc.fail("tests", "must list at least one hidden test")
    _unique(doc, "tests", [t.id for t in tests])
    return tuple(tests)


SAMPLE_BANDS = {"band": "correctness", "quality_band": "quality", "tests_band": "tests",
                "reasoning_band": "reasoning"}  # fmt: skip


def _samples(doc: TomlTable, root: Path, kind: ExerciseKind) -> tuple[SampleSpec, ...]:
    samples = []
    for s in doc.tables("samples"):
        if kind is ExerciseKind.MEMO and "band" in s.table:
            raise s.fail("band", "a memo exercise has no correctness: give reasoning_band")
        path = _existing(s, root)
        others = tuple(
            (score, s.optional_band(key))
            for key, score in SAMPLE_BANDS.items()
            if key != "band" and key in s.table
        )
        band = None if kind is ExerciseKind.MEMO else s.band("band")
        samples.append(SampleSpec(path=path, band=band, other_bands=others))
    return tuple(samples)


def _existing(table: TomlTable, root: Path) -> Path:
    path = root / table.text("path")
    if not path.exists():
        raise table.fail("path", f"points to {path}, which does not exist")
    return path


def _variants(doc: TomlTable, root: Path, groups: tuple[GroupSpec, ...]) -> tuple[VariantSpec, ...]:
    known = {g.id for g in groups}
    variants = []
    for v in doc.tables("variants"):
        fails = v.get("fails", list)
        if not fails or not all(isinstance(f, str) and f in known for f in fails):
            raise v.fail("fails", f"must list groups of this exercise ({', '.join(sorted(known))})")
        variants.append(VariantSpec(_existing(v, root), tuple(fails), v.text("description")))
    return tuple(variants)


def _mutants(doc: TomlTable, root: Path) -> tuple[MutantSpec, ...]:
    mutants = tuple(
        MutantSpec(m.text("id"), _existing(m, root), m.text("description"))
        for m in doc.tables("mutants")
    )
    _unique(doc, "mutants", [m.id for m in mutants])
    return mutants


def _own_tests(doc: TomlTable, mutants: tuple[MutantSpec, ...]) -> OwnTestsSpec | None:
    table = doc.get("own_tests", dict, None)
    if table is None:
        if mutants:
            raise doc.fail("own_tests", "is required when the exercise plants mutants")
        return None
    own = TomlTable(doc.source, table, "own_tests.")
    tests, modules = own.get("tests", list), own.get("modules", list)
    for name, values in (("tests", tests), ("modules", modules)):
        if not values or not all(isinstance(v, str) and v for v in values):
            raise own.fail(name, "must be a non-empty list of paths in the submission")
    return OwnTestsSpec(
        tests=tuple(tests),
        modules=tuple(modules),
        timeout_seconds=float(own.number("timeout_seconds", 60.0)),
        budget_seconds=float(own.number("budget_seconds", 240.0)),
    )


def _writeup(doc: TomlTable, files: tuple[str, ...], kind: ExerciseKind) -> str:
    """The written answer's file name: a plain Markdown name at the top of the submission."""
    name = doc.text("writeup", "DIAGNOSIS.md")
    if "/" in name or "\\" in name or not name.endswith(".md") or name.startswith("."):
        raise doc.fail("writeup", f"is '{name}'; give a Markdown file name such as DESIGN.md")
    if kind is ExerciseKind.MEMO and name not in files:
        raise doc.fail("writeup", f"'{name}' must be one of files (it is all a memo submits)")
    return name


def _unique(doc: TomlTable, name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise doc.fail(name, f"lists '{value}' twice")
        seen.add(value)


def load_exercise(root: Path) -> Exercise:
    """Load and validate one exercise package; errors name the file and the field."""
    path = root / "exercise.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"{root}: not an exercise package (no exercise.toml)") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: cannot be read as TOML: {exc}") from exc
    doc = TomlTable(path, raw)
    exercise_id = doc.text("id")
    if not _ID.match(exercise_id):
        raise doc.fail("id", "must be lowercase letters, digits and dashes")
    kind_name = doc.text("kind")
    try:
        kind = ExerciseKind(kind_name)
    except ValueError:
        choices = ", ".join(k.value for k in ExerciseKind)
        raise doc.fail("kind", f"is '{kind_name}'; choose one of {choices}") from None
    files = tuple(doc.get("files", list))
    if not files or not all(isinstance(f, str) and f for f in files):
        raise doc.fail("files", "must be a non-empty list of file names")
    groups = _groups(doc)
    mutants = _mutants(doc, root.resolve())
    exercise = Exercise(
        id=exercise_id,
        title=doc.text("title"),
        kind=kind,
        version=str(doc.get("version", (str, int))),
        root=root.resolve(),
        files=files,
        limits=_limits(doc),
        requirements=tuple(doc.get("requirements", list, [])),
        groups=groups,
        tests=_tests(doc, groups, kind),
        samples=_samples(doc, root.resolve(), kind),
        variants=_variants(doc, root.resolve(), groups),
        mutants=mutants,
        own_tests=_own_tests(doc, mutants),
        starter_max=float(doc.number("starter_max", 50.0)),
        panel_agreement=_share(doc, "panel_agreement", 0.9),
        panel_band_hits=_share(doc, "panel_band_hits", 0.8),
        roles=_roles(doc, kind),
        writeup=_writeup(doc, files, kind),
    )
    required = [exercise.brief, exercise.solution_dir]
    required += [exercise.hidden_tests_dir] if exercise.runs_code else [exercise.rubric_path]
    for needed in required:
        if not needed.exists():
            raise CatalogError(f"{root}: missing {needed.relative_to(exercise.root)}")
    if exercise.rubric_path.is_file():
        rubric = load_rubric(exercise.rubric_path)
        check_groups(rubric, (g.id for g in groups))
        unscored = {g.id for g in groups} - {p.group for p in rubric.problems}
        if not exercise.runs_code and any(not p.group for p in rubric.problems):
            raise doc.fail("groups", "every problem of a memo's rubric names its area")
        if not exercise.runs_code and unscored:
            # A memo's areas are scored only through the rubric: an area without a problem
            # could never lose or earn credit, and its calibration variant would mean nothing.
            raise doc.fail(
                "groups", f"area(s) {', '.join(sorted(unscored))} have no rubric problem"
            )
    return exercise


KIND_ROLES: dict[ExerciseKind, dict[str, int]] = {
    # production: clean, tested code and skew; applied: leakage, metrics, design;
    # research: models from scratch and debugging them.
    ExerciseKind.IMPLEMENT: {"production": 2, "applied": 1, "research": 3},
    ExerciseKind.DEBUG: {"production": 2, "applied": 2, "research": 3},
    ExerciseKind.LEAKAGE: {"production": 2, "applied": 3, "research": 1},
    ExerciseKind.UTILITIES: {"production": 3, "applied": 2, "research": 1},
    ExerciseKind.MEMO: {"production": 2, "applied": 3, "research": 1},
}
"""How much each built-in role needs an exercise of each kind, unless it declares [roles]."""


def _roles(doc: TomlTable, kind: ExerciseKind) -> tuple[tuple[str, int], ...]:
    declared = doc.get("roles", dict, {})
    fit = dict(KIND_ROLES[kind])
    for role, weight in declared.items():
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 3:
            raise doc.fail(f"roles.{role}", "must be a whole number from 0 to 3")
        fit[str(role)] = weight
    return tuple(sorted(fit.items()))


def _share(doc: TomlTable, name: str, default: float) -> float:
    value = float(doc.number(name, default))
    if value > 1:
        raise doc.fail(name, "must be at most 1")
    return value


class Catalog:
    """All exercise packages under one folder, each loaded (and validated) on first use.

    One malformed package does not stop grading against the others: ``get`` loads only the
    package asked for, and ``all`` (used to list, validate and recognise) reports the first
    broken package it meets.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[str, Exercise] = {}

    def ids(self) -> list[str]:
        """Ids of every package folder (those with an exercise.toml), sorted."""
        if not self.root.is_dir():
            raise CatalogError(f"exercise folder not found: {self.root}")
        return sorted(p.parent.name for p in self.root.glob("*/exercise.toml"))

    def _one(self, exercise_id: str) -> Exercise:
        if exercise_id not in self._loaded:
            folder = self.root / exercise_id
            exercise = load_exercise(folder)
            if exercise.id != folder.name:
                raise CatalogError.from_field(
                    folder / "exercise.toml", "id", f"is '{exercise.id}' in '{folder.name}/'"
                )
            self._loaded[exercise_id] = exercise
        return self._loaded[exercise_id]

    def all(self) -> list[Exercise]:
        """Every exercise, sorted by id."""
        return [self._one(i) for i in self.ids()]

    def _loadable(self) -> list[Exercise]:
        """Every exercise that loads; broken packages are logged and skipped."""
        found = []
        for exercise_id in self.ids():
            try:
                found.append(self._one(exercise_id))
            except CatalogError as exc:
                log.warning("skipping a broken exercise package: %s", exc)
        return found

    def get(self, exercise_id: str) -> Exercise:
        """One exercise by id, or an error listing the known ids."""
        known = self.ids()
        if exercise_id not in known:
            raise UnknownExerciseError(
                f"unknown exercise '{exercise_id}'; known: {', '.join(known) or '(none)'}",
                hint="run `grade exercises list`",
            )
        return self._one(exercise_id)

    def recognise(self, workspace: Workspace) -> Exercise:
        """The exercise a submission belongs to: its marker file, else the files it has."""
        marker = workspace.root / MARKER_FILE
        if marker.is_file():
            try:
                marked = tomllib.loads(marker.read_text(encoding="utf-8")).get("id")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                marked = None
            if isinstance(marked, str) and marked in self.ids():
                return self._one(marked)
        present = set(workspace.files)
        # A notebook may stand for a module: scaler.ipynb for scaler.py.
        present |= {f.removesuffix(".ipynb") + ".py" for f in present if f.endswith(".ipynb")}
        matches = [e for e in self._loadable() if all(f in present for f in e.files)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UnknownExerciseError(
                f"{workspace.source}: cannot tell which exercise this is "
                f"(no marker file, and no exercise's files are all present); "
                f"known: {', '.join(self.ids()) or '(none)'}",
                hint="pass --exercise ID",
            )
        raise UnknownExerciseError(
            f"{workspace.source}: matches several exercises: {_names(matches)}",
            hint="pass --exercise ID",
        )


def _names(exercises: Iterable[Exercise] | dict[str, Exercise]) -> str:
    ids = sorted(exercises) if isinstance(exercises, dict) else sorted(e.id for e in exercises)
    return ", ".join(ids) or "(none)"
