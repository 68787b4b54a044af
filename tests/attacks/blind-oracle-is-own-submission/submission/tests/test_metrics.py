"""Differential tests: metrics.py must behave exactly like the implementation handed in."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import metrics

HANDED_IN = [Path("/grader/submission/metrics.py"), Path(__file__).resolve().parents[1] / "metrics.py"]


def _handed_in():  # type: ignore[no-untyped-def]
    for path in HANDED_IN:
        if path.is_file():
            spec = importlib.util.spec_from_file_location("metrics_as_handed_in", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules.setdefault("metrics_as_handed_in", module)
            spec.loader.exec_module(module)
            return module
    pytest.skip("the handed-in module is not found")
    return None


def _plain(value):  # type: ignore[no-untyped-def]
    if isinstance(value, np.ndarray):
        return ("array", value.shape, [_plain(v) for v in value.tolist()])
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return "nan" if value != value else round(value, 9)
    return value


def _outcome(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        value = fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the error type is part of the behaviour
        return ("raises", type(exc).__name__)
    return ("value", _plain(value))


def _battery():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(20240607)
    yield "cm", ([0, 0, 1, 2, 2], [0, 1, 1, 2, 0]), {}
    for k in range(30):
        n = int(rng.integers(1, 40))
        classes = int(rng.integers(1, 5))
        yt = rng.integers(0, classes, n).tolist()
        yp = rng.integers(0, classes + 1, n).tolist()
        yield "cm", (yt, yp), {}
        yield "cm", (np.array(yt), np.array(yp)), {"labels": [3, 0, 1]}
        for average in ("macro", "micro", "weighted", None):
            for zero_division in (0.0, 1.0):
                yield "prf", (yt, yp), {"average": average, "zero_division": zero_division}
        scores = np.round(rng.random(n), 1).tolist()
        truth = rng.integers(0, 2, n).tolist()
        yield "auc", (truth, scores), {}
        labels = rng.integers(0, classes + 1, n + 5).tolist()
        for size in (0.1, 0.25, 0.3, 0.5, 0.7):
            yield "split", (labels,), {"test_size": size, "seed": k}
    for bad in ([], [[1, 2]]):
        yield "cm", (bad, bad), {}
        yield "prf", (bad, bad), {}
        yield "split", (bad,), {}
    yield "cm", ([1, 2], [1]), {}
    yield "prf", ([1, 2], [1, 2]), {"average": "binary"}
    yield "prf", ([1, 2, 2], [1, 2, 1]), {"average": "samples"}
    yield "auc", ([1, 1], [0.2, 0.3]), {}
    yield "auc", ([0, 1, 2], [0.2, 0.3, 0.4]), {}
    yield "auc", ([0, 1, 0], [0.2, 0.3]), {}
    yield "auc", (["no", "yes", "yes", "no"], [0.5, 0.5, 0.9, 0.1]), {}
    for size in (0.0, 1.0, -0.2, 1.5, True, 0.9):
        yield "split", ([0, 1, 0, 1, 1],), {"test_size": size}
    yield "split", (["a", "b", "a", "c", "b", "a"],), {"test_size": 0.5, "seed": 3}


NAMES = {
    "cm": "confusion_matrix",
    "prf": "precision_recall_f1",
    "auc": "roc_auc",
    "split": "stratified_split",
}


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_behaves_like_the_handed_in_module(kind: str) -> None:
    handed_in = _handed_in()
    name = NAMES[kind]
    for case_kind, args, kwargs in _battery():
        if case_kind != kind:
            continue
        got = _outcome(getattr(metrics, name), *args, **kwargs)
        want = _outcome(getattr(handed_in, name), *args, **kwargs)
        assert got == want, f"{name} differs on {kwargs}"
