"""Shared helpers for the choose-threshold hidden tests: the test's own arithmetic and checks.

Expectations are computed here, independently of the candidate, from plain numpy arrays.
Candidate code gets lists (``as_lists``) so it never holds an object a test compares against;
what comes back is converted before it is compared.
"""

from __future__ import annotations

import math

import numpy as np

KEYS = (
    "threshold",
    "alerts",
    "true_positives",
    "false_positives",
    "false_negatives",
    "precision",
    "recall",
    "alert_rate",
    "cost_per_1000",
)
UNLIMITED = 1000
"""A capacity of 1000 alerts per 1000 transactions never binds."""
CLOSE = 1e-9
"""Reported rates and costs may differ from the test's own arithmetic by this much (relative)."""


def as_lists(labels, scores_by_model: dict) -> tuple[list[int], dict[str, list[float]]]:
    """Fresh plain lists for the candidate."""
    return [int(v) for v in labels], {m: [float(v) for v in s] for m, s in scores_by_model.items()}


def reported(result, what: str) -> dict:
    """The candidate's dict with every promised key, numbers as Python floats."""
    assert isinstance(result, dict), f"{what} must return a dict"
    missing = [key for key in KEYS if key not in result]
    assert not missing, f"{what} must return the keys {', '.join(missing)}"
    out = {key: float(result[key]) for key in KEYS}
    assert not math.isnan(out["threshold"]), f"{what} must return a number as the threshold"
    if "model" in result:
        out["model"] = str(result["model"])
    return out


def counts(labels, scores, threshold: float) -> dict:
    """What alerting on every score >= ``threshold`` does, in the test's own arithmetic."""
    y = np.asarray(labels, dtype=int)
    alerted = np.asarray(scores, dtype=float) >= threshold
    tp = int(np.sum(alerted & (y == 1)))
    fp = int(np.sum(alerted & (y == 0)))
    return {"alerts": tp + fp, "tp": tp, "fp": fp, "fn": int(np.sum(y == 1)) - tp, "n": len(y)}


def total_cost(labels, scores, threshold: float, cost_fn: float, cost_fp: float) -> float:
    """Cost of all the errors (not per 1000) when alerting at ``threshold``."""
    c = counts(labels, scores, threshold)
    return c["fn"] * cost_fn + c["fp"] * cost_fp


def per_1000(labels, scores, threshold: float, cost_fn: float, cost_fp: float) -> float:
    """Expected cost per 1000 transactions when alerting at ``threshold``."""
    return 1000.0 * total_cost(labels, scores, threshold, cost_fn, cost_fp) / len(labels)


def best_total_cost(labels, scores, cost_fn: float, cost_fp: float, capacity: float) -> float:
    """The lowest total cost over every threshold whose alerts fit ``capacity`` per 1000.

    Every distinct score is a threshold (it alerts on its whole block of ties), and so is
    ``inf`` (no alerts): the counts come from the distinct values in descending order.
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    values, block = np.unique(-s, return_inverse=True)  # ascending -s: highest score first
    frauds = np.bincount(block, weights=y, minlength=len(values))
    sizes = np.bincount(block, minlength=len(values))
    tp = np.concatenate(([0.0], np.cumsum(frauds)))
    alerts = np.concatenate(([0], np.cumsum(sizes)))
    cost = (y.sum() - tp) * cost_fn + (alerts - tp) * cost_fp
    allowed = alerts * 1000 <= capacity * len(y)
    return float(np.min(cost[allowed]))


def fits(labels, scores, threshold: float, capacity: float) -> tuple[bool, int]:
    """(alerts fit the capacity, how many alerts) at ``threshold`` on these scores."""
    c = counts(labels, scores, threshold)
    return c["alerts"] * 1000 <= capacity * c["n"], c["alerts"]


def same(actual: float, expected: float) -> bool:
    """Equal up to floating-point noise."""
    return math.isclose(actual, expected, rel_tol=CLOSE, abs_tol=CLOSE)
