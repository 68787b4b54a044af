"""Shared helpers for the fix-leakage hidden tests: tables, perturbations and checks.

Tables come from ``_data`` (a copy of the starter's ``data.py``), so the hidden tests never
depend on the candidate's copy of the generator. Everything that crosses into candidate code
is a plain dict of lists; everything that comes back is converted before it is compared.
Candidate code always gets copies (``copy``, ``take``, ``without_label`` return new arrays):
what a test compares against is never an object it handed over.
"""

from __future__ import annotations

import numpy as np
from _data import generate_customers
from sklearn.metrics import roc_auc_score

LABEL = "churned"
POST_OUTCOME = ("days_since_cancellation", "retention_offer")
INTEGER_COLUMNS = ("tenure_months", "support_calls", "late_payments")
FLOAT_COLUMNS = ("monthly_charge", "usage_hours", "usage_change", "satisfaction")
MAY_BE_MISSING = ("usage_change", "satisfaction")
LEVELS = {
    "plan": ("basic", "standard", "premium"),
    "contract": ("monthly", "annual"),
    "payment_method": ("card", "direct_debit", "invoice"),
}
SAME = 1e-6
"""Predictions that must not change may differ by this much (floating-point noise)."""


# --- tables -------------------------------------------------------------------------------
# A table is a dict of 1-D numpy arrays, one value per row, as ``_data`` generates it.
# Every helper returns new arrays: what a test hands to the candidate is never shared.


def random_start(rng: np.random.Generator) -> str:
    """A first month (YYYY-MM) that differs between tests, so no cut-off can be hard-coded."""
    return f"{int(rng.integers(2019, 2025))}-{int(rng.integers(1, 13)):02d}"


def make_table(seed: int, n_customers: int = 300, n_months: int = 12) -> dict[str, np.ndarray]:
    """A generated table with a random first month, its rows in random order."""
    rng = np.random.default_rng(seed)
    table = generate_customers(n_customers, n_months, random_start(rng), seed=seed)
    return take(table, rng.permutation(n_rows(table)))


def n_rows(table: dict[str, np.ndarray]) -> int:
    return len(table[LABEL])


def copy(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: np.array(values, copy=True) for name, values in table.items()}


def take(table: dict[str, np.ndarray], rows) -> dict[str, np.ndarray]:
    """The given rows of ``table``, in that order."""
    rows = np.asarray(rows, dtype=int)
    return {name: values[rows].copy() for name, values in table.items()}


def without_label(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What the model gets at scoring time: everything but ``churned``."""
    return {name: values.copy() for name, values in table.items() if name != LABEL}


def at_scoring_time(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The table as it looks when the model scores it: no label, no cancellation yet."""
    scored = without_label(table)
    scored["days_since_cancellation"] = np.full(n_rows(table), np.nan)
    scored["retention_offer"] = np.full(n_rows(table), "none")
    return scored


def future_customers(seed: int, start: str, n_customers: int, n_months: int = 12):
    """New customers in the three months after a table of ``n_months`` from ``start``.

    Returns the table as the model would score it and the outcomes the test keeps aside.
    """
    table = generate_customers(n_customers, n_months + 3, start, seed=seed)
    later = np.sort(np.unique(table["snapshot_month"]))[-3:]
    future = take(table, np.flatnonzero(np.isin(table["snapshot_month"], later)))
    return at_scoring_time(future), future[LABEL].astype(int)


def random_rows(table: dict[str, np.ndarray], seed: int, share: float = 0.5) -> list[int]:
    """A random subset of row numbers (independent of the candidate's split)."""
    rng = np.random.default_rng(seed)
    n = n_rows(table)
    return sorted(rng.choice(n, size=int(n * share), replace=False).tolist())


def perturb_other_rows(table: dict[str, np.ndarray], keep: list[int], seed: int):
    """Change every feature of the rows that are not in ``keep``; the kept rows stay as is.

    Numbers are stretched and shifted, some values that may be missing go missing, and
    categories move to another valid level. Types stay what the brief promises.
    """
    rng = np.random.default_rng(seed)
    other = np.ones(n_rows(table), dtype=bool)
    other[np.asarray(keep, dtype=int)] = False
    m = int(other.sum())
    out = copy(table)
    for name in INTEGER_COLUMNS:
        out[name][other] = out[name][other] * 3 + rng.integers(5, 40, size=m)
    for name in FLOAT_COLUMNS:
        out[name][other] = out[name][other] * rng.uniform(2.0, 6.0, m) + rng.uniform(5, 50, m)
        if name in MAY_BE_MISSING:
            gone = other & (rng.random(len(other)) < 0.3)
            out[name][gone] = np.nan
    for name, levels in LEVELS.items():
        out[name][other] = np.asarray(levels)[rng.integers(len(levels), size=m)]
    return out


# --- talking to the candidate -----------------------------------------------------------


def scores(values, n: int, what: str) -> np.ndarray:
    """``predict``'s answer as floats: one probability per row."""
    out = np.asarray(values, dtype=float).ravel()
    assert out.shape == (n,), f"{what} must return one score per row (got {out.shape[0]})"
    assert np.all(np.isfinite(out)), f"{what} must return finite scores"
    return out


def row_numbers(values, n: int, what: str) -> np.ndarray:
    """A list of row numbers: integers in range, no repeats."""
    out = np.asarray(list(values))
    assert out.ndim == 1, f"{what} must be a flat list of row numbers"
    if out.size:
        assert np.issubdtype(out.dtype, np.integer), f"{what} must hold integer row numbers"
    out = out.astype(int)
    assert np.all((out >= 0) & (out < n)), f"{what} holds row numbers outside the table"
    assert len(set(out.tolist())) == out.size, f"{what} lists a row more than once"
    return out


def checked_split(result, table: dict[str, list], what: str) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, validation rows) from ``split`` or ``evaluate``, sanity-checked."""
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        f"{what} must give two lists: training rows and validation rows"
    )
    n = n_rows(table)
    train = row_numbers(result[0], n, f"{what}: the training rows")
    valid = row_numbers(result[1], n, f"{what}: the validation rows")
    assert not set(train.tolist()) & set(valid.tolist()), (
        f"{what}: no row may be both a training and a validation row"
    )
    labels = table[LABEL].astype(int)
    assert train.size >= n // 10, f"{what} must train on a real share of the rows"
    assert len(set(labels[train].tolist())) == 2, f"{what}: training rows need both classes"
    assert len(set(labels[valid].tolist())) == 2, f"{what}: validation rows need both classes"
    return train, valid


def evaluate_result(mod, table: dict[str, list]) -> dict:
    """``evaluate(table)`` as a plain dict with the three promised keys checked."""
    result = mod.evaluate(copy(table))
    assert isinstance(result, dict), "evaluate must return a dict"
    for key in ("valid_auc", "train_rows", "valid_rows"):
        assert key in result, f"evaluate must return '{key}'"
    auc = float(result["valid_auc"])
    assert 0.0 <= auc <= 1.0, "evaluate's valid_auc must be an AUC between 0 and 1"
    return result


def auc(labels, values) -> float:
    return float(roc_auc_score(np.asarray(labels, dtype=int), np.asarray(values, dtype=float)))


def month_number(name: str) -> int:
    """'YYYY-MM' as a count of months, so months compare across years."""
    year, month = name.split("-")
    return int(year) * 12 + int(month) - 1


def assert_same_scores(actual: np.ndarray, expected: np.ndarray, message: str) -> None:
    """Scores must agree to floating-point noise; ``message`` is the grader's first line."""
    worst = float(np.max(np.abs(actual - expected))) if actual.size else 0.0
    assert worst <= SAME, f"{message} (scores moved by up to {worst:.2g})"
