"""``grade exercises new``: a package that validates as it stands, for the author to replace.

Every kind gets the same small task (min-max scaling fitted on a training array), so the
package is complete: brief, starter, public test, one hidden test per group, the reference,
one calibration variant per group, and what the kind needs on top (a rubric for debug and
leakage, the candidate's own tests and mutants for utilities). A written exercise (memo) has
no code: its package is in ``grader.scaffold_memo``. Lines the author must rewrite
carry ``TODO(author)``; ``grade exercises validate`` lists the files that still hold one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from grader.errors import CatalogError
from grader.model import ExerciseKind
from grader.scaffold_memo import memo_package_files

TODO = "TODO(author)"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_GUARD = """    if fit.size == 0:
        raise ValueError("train is empty: there is nothing to fit the scaling on")
"""
_NO_GUARD = """    if fit.size == 0:
        return np.zeros_like(values)
"""
_FIT_TRAIN = "    low, high = fit.min(), fit.max()\n"
_FIT_BOTH = "    both = np.concatenate([fit, values])\n    low, high = both.min(), both.max()\n"
_MODULE = '''"""Min-max scaling fitted on a training array. {todo}: replace with your task."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def scale(train: ArrayLike, test: ArrayLike) -> NDArray[np.float64]:
    """Scale ``test`` with the minimum and range of ``train`` (0 where train is constant)."""
    fit = np.asarray(train, dtype=float)
    values = np.asarray(test, dtype=float)
{guard}{fit}    span = high - low
    return (values - low) / span if span else np.zeros_like(values)
'''
_STUB = '''"""Min-max scaling fitted on a training array. {todo}: replace with your task."""

from __future__ import annotations

from numpy.typing import ArrayLike, NDArray


def scale(train: ArrayLike, test: ArrayLike) -> NDArray:
    """Scale ``test`` with the minimum and range of ``train`` (README.md says how)."""
    raise NotImplementedError
'''
_HIDDEN = '''"""Hidden tests, one per group. {todo}: write the tests of your exercise."""

import numpy as np
import pytest


def test_scale_uses_train_statistics_only(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    train = rng.normal(0.0, 1.0, size=40).tolist()
    test = rng.normal(3.0, 2.0, size=20).tolist()  # shifted: a fit that sees it differs
    fit = np.asarray(train)
    want = (np.asarray(test) - fit.min()) / (fit.max() - fit.min())
    got = np.asarray(candidate.module("task").scale(train, test), dtype=float)
    assert got.shape == want.shape, f"scale must return {{want.shape[0]}} values"
    assert np.allclose(got, want), "test values must be scaled with train's minimum and range"


def test_scale_rejects_an_empty_train(candidate):
    module = candidate.module("task")
    with pytest.raises(ValueError):
        module.scale([], [1.0, 2.0])
    assert len(module.scale([0.0, 1.0], [0.5])) == 1, "a non-empty train must be accepted"
'''
_PUBLIC = '''"""A public test the candidate can run: ``python -m pytest public_tests``."""

from task import scale


def test_train_range_maps_to_zero_and_one():
    assert [float(v) for v in scale([0.0, 2.0, 4.0], [0.0, 2.0, 4.0])] == [0.0, 0.5, 1.0]
'''
_CONFTEST = '''"""Make ``import task`` find the candidate's file wherever pytest is started."""

import os
import sys
from pathlib import Path

for folder in (Path(__file__).resolve().parent.parent, Path(os.getcwd()).resolve()):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
'''
_OWN_TESTS = '''"""The reference suite: catches every planted mutant."""

import pytest
from task import scale


def test_uses_only_train_statistics():
    assert [float(v) for v in scale([0.0, 10.0], [5.0, 20.0])] == [0.5, 2.0]


def test_empty_train_raises():
    with pytest.raises(ValueError):
        scale([], [1.0])
'''
_STARTER_TESTS = '''"""Your tests of task.py (run: python -m pytest tests)."""

from task import scale


def test_constant_train_gives_zeros():
    assert [float(v) for v in scale([1.0, 1.0], [3.0])] == [0.0]
'''
_RUBRIC = """# {todo}: one [[problems]] per planted problem; see docs/exercise-format.md.

[[problems]]
id = "fits-on-both"
group = "fit"
title = "the scaling is fitted on train and test together"
locations = ["scale", "task.py"]

[[problems.concepts]]
kind = "mechanism"
weight = 2
phrases = [
    "minimum|range computed|fitted on train and test together",
    "test data leaks into the fit",
]

[[problems.concepts]]
kind = "fix"
weight = 1
phrases = ["fit on train only", "use the minimum and range of train"]

[[problems]]
id = "empty-train-accepted"
group = "validation"
title = "an empty train is accepted and scales to zeros"
locations = ["scale"]

[[problems.concepts]]
kind = "consequence"
weight = 2
phrases = ["empty train returns|gives zeros instead of an error"]

[[problems.concepts]]
kind = "fix"
weight = 1
phrases = ["raise ValueError on an empty train"]
"""
_DIAGNOSIS = """# Diagnosis

- `scale` fitted the minimum and range on train and test together, so the test data leaked
  into the fit; it now uses the minimum and range of train only.
- An empty train gave zeros instead of an error; `scale` now raises ValueError on an empty train.
"""


def _module(guard: bool, fit_on_train: bool) -> str:
    return _MODULE.format(
        todo=TODO,
        guard=_GUARD if guard else _NO_GUARD,
        fit=_FIT_TRAIN if fit_on_train else _FIT_BOTH,
    )


def _toml(exercise_id: str, kind: ExerciseKind) -> str:
    extra = {
        ExerciseKind.UTILITIES: ["tests/test_task.py"],
        ExerciseKind.DEBUG: ["DIAGNOSIS.md"],
        ExerciseKind.LEAKAGE: ["DIAGNOSIS.md"],
    }
    files = ["task.py", *extra.get(kind, [])]
    text = f'''id = "{exercise_id}"
title = "{TODO}: one line a candidate reads first"
kind = "{kind.value}"
version = "1"
files = {json.dumps(files)}
requirements = ["numpy"]
starter_max = 10

[limits]
time_seconds = 60
test_timeout_seconds = 10
memory_mb = 512

[[groups]]
id = "fit"
title = "Fitted on train only"

[[groups]]
id = "validation"
title = "An empty train fails loudly"

[[tests]]
id = "test_task.py::test_scale_uses_train_statistics_only"
group = "fit"
weight = 2
description = "test values are scaled with the minimum and range of train only"
question = "{TODO}: a follow-up question for a candidate who failed this test"

[[tests]]
id = "test_task.py::test_scale_rejects_an_empty_train"
group = "validation"
weight = 1
description = "an empty train raises ValueError; a non-empty one works"

[[samples]]
path = "samples/strong"
band = [100, 100]

[[samples]]
path = "samples/weak"
band = [0, 10]

[[variants]]
path = "hidden/variants/fits-on-both"
fails = ["fit"]
description = "the scaling is fitted on train and test together"

[[variants]]
path = "hidden/variants/empty-train-accepted"
fails = ["validation"]
description = "an empty train is accepted and scales to zeros"
'''
    if kind is ExerciseKind.UTILITIES:
        text += """
[own_tests]
tests = ["tests"]
modules = ["task.py"]

[[mutants]]
id = "M1"
path = "hidden/mutants/fits-on-both"
description = "the scaling is fitted on train and test together"

[[mutants]]
id = "M2"
path = "hidden/mutants/empty-train-accepted"
description = "an empty train is accepted and scales to zeros"
"""
    return text


def package_files(exercise_id: str, kind: ExerciseKind) -> dict[str, str]:
    """Every file of a new package of ``kind``, by path inside it."""
    if kind is ExerciseKind.MEMO:
        return memo_package_files(exercise_id, TODO)
    fixing = kind in (ExerciseKind.DEBUG, ExerciseKind.LEAKAGE)
    what = (
        "fix the two problems in task.py and explain them in DIAGNOSIS.md"
        if fixing
        else (
            "implement task.py"
            + (" and test it in tests/test_task.py" if kind is ExerciseKind.UTILITIES else "")
        )
    )
    files = {
        "exercise.toml": _toml(exercise_id, kind),
        "brief.md": f"# {TODO}: title\n\n{TODO}: what the candidate must do: {what}.\n\n"
        "`scale(train, test)` scales `test` with the minimum and range of `train`, returns 0\n"
        "where train is constant, and raises `ValueError` when train is empty.\n",
        "starter/task.py": _module(False, False) if fixing else _STUB.format(todo=TODO),
        "public_tests/test_public.py": _PUBLIC,
        "public_tests/conftest.py": _CONFTEST,
        "hidden/tests/test_task.py": _HIDDEN.format(todo=TODO),
        "solution/task.py": _module(True, True),
        "hidden/variants/fits-on-both/task.py": _module(True, False),
        "hidden/variants/empty-train-accepted/task.py": _module(False, True),
    }
    if fixing:
        files["hidden/rubric.toml"] = _RUBRIC.format(todo=TODO)
        files["solution/DIAGNOSIS.md"] = _DIAGNOSIS
    if kind is ExerciseKind.UTILITIES:
        files["starter/tests/test_task.py"] = _STARTER_TESTS
        files["solution/tests/test_task.py"] = _OWN_TESTS
        files["hidden/mutants/fits-on-both/task.py"] = _module(True, False)
        files["hidden/mutants/empty-train-accepted/task.py"] = _module(False, True)
    # Samples to replace with realistic submissions: the reference and the starter as given.
    for sample, source in (("strong", "solution/"), ("weak", "starter/")):
        for relative in [f for f in files if f.startswith(source)]:
            files[f"samples/{sample}/{relative.removeprefix(source)}"] = files[relative]
    return files


def write_package(root: Path, exercise_id: str, kind: ExerciseKind) -> Path:
    """Write a new package ``root/exercise_id``; refuse a bad id or an existing folder."""
    if not ID_PATTERN.match(exercise_id):
        raise CatalogError(
            f"'{exercise_id}' is not a valid exercise id",
            hint="use lowercase letters, digits and single dashes, e.g. churn-features",
        )
    target = root / exercise_id
    if target.exists():
        raise CatalogError(f"{target} already exists", hint="choose another id or folder")
    for relative, text in package_files(exercise_id, kind).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


def todo_markers(root: Path) -> list[str]:
    """Files of a package that still hold a TODO(author) marker, in path order."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".md", ".toml")
        and TODO in p.read_text(errors="replace")
    )
