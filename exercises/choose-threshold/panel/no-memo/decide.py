"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import math

import numpy as np

NOTHING = math.inf  # threshold that alerts on no transaction


def _counts_at(y: np.ndarray, s: np.ndarray, threshold: float) -> tuple[int, int]:
    hit = s >= threshold
    return int(hit.sum()), int(y[hit].sum())


def _report(threshold, n, frauds, alerts, tp, cost_fn, cost_fp) -> dict:
    fp, fn = alerts - tp, frauds - tp
    return {
        "threshold": threshold,
        "alerts": alerts,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / alerts if alerts else 0.0,
        "recall": tp / frauds if frauds else 0.0,
        "alert_rate": alerts / n,
        "cost_per_1000": 1000 * (fn * cost_fn + fp * cost_fp) / n,
    }


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    alerts, tp = _counts_at(y, s, threshold)
    return _report(threshold, y.size, int(y.sum()), alerts, tp, cost_fn, cost_fp)


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    n, frauds = y.size, int(y.sum())

    # Ascending distinct scores; for each, how many rows sit at or above it.
    distinct = np.unique(s)
    ranks = np.searchsorted(distinct, s)                   # block index of every row
    rows_per_block = np.bincount(ranks, minlength=distinct.size)
    frauds_per_block = np.bincount(ranks, weights=y, minlength=distinct.size)
    alerts = np.cumsum(rows_per_block[::-1])[::-1]         # alerts if threshold = distinct[i]
    tp = np.rint(np.cumsum(frauds_per_block[::-1])[::-1]).astype(np.int64)

    # Prepend "alert on nothing" and order candidates by increasing alerts.
    thresholds = np.r_[NOTHING, distinct[::-1]]
    alerts = np.r_[0, alerts[::-1]]
    tp = np.r_[0, tp[::-1]]

    cost = (frauds - tp) * cost_fn + (alerts - tp) * cost_fp
    feasible = alerts * 1000 <= max_alerts_per_1000 * n
    i = int(np.argmin(np.where(feasible, cost, np.inf)))   # ties: fewest alerts (first)
    return operating_point(y, s, float(thresholds[i]), cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    candidates = (
        (rank, name, best_threshold(labels, s, cost_fn, cost_fp, max_alerts_per_1000))
        for rank, (name, s) in enumerate(scores_by_model.items())
    )
    rank, name, point = min(candidates, key=lambda c: (c[2]["cost_per_1000"], c[2]["alerts"], c[0]))
    return {**point, "model": name}
