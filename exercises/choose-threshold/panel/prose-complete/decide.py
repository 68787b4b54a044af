"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import math

import numpy as np


def _as_arrays(labels, scores):
    y = np.asarray(labels, dtype=int).ravel()
    s = np.asarray(scores, dtype=float).ravel()
    return y, s


def _metrics(threshold, n, frauds, alerts, tp, cost_fn, cost_fp) -> dict:
    fp = alerts - tp
    fn = frauds - tp
    return {
        "threshold": threshold,
        "alerts": int(alerts),
        "true_positives": int(tp),
        "false_positives": int(fp),
        "false_negatives": int(fn),
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
    y, s = _as_arrays(labels, scores)
    alerted = s >= threshold
    alerts = int(alerted.sum())
    tp = int(y[alerted].sum())
    return _metrics(threshold, len(y), int(y.sum()), alerts, tp, cost_fn, cost_fp)


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    y, s = _as_arrays(labels, scores)
    n = len(y)

    # Distinct scores, highest first; alerting at a score takes its whole block of ties.
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    block_end = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    thresholds = s_sorted[block_end]
    alerts = np.flatnonzero(block_end) + 1
    tp = np.cumsum(y_sorted)[block_end]

    # Candidate 0 is "alert on nothing"; the rest in order of increasing alerts.
    thresholds = np.r_[math.inf, thresholds]
    alerts = np.r_[0, alerts]
    tp = np.r_[0, tp]
    frauds = int(y.sum())
    cost = (frauds - tp) * cost_fn + (alerts - tp) * cost_fp

    within = alerts * 1000 <= max_alerts_per_1000 * n
    cost = np.where(within, cost, np.inf)
    best = int(np.argmin(cost))  # first minimum = fewest alerts among equal costs

    threshold = math.inf if best == 0 else float(thresholds[best])
    return operating_point(y, s, threshold, cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    winner = None
    for name, scores in scores_by_model.items():
        point = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        key = (point["cost_per_1000"], point["alerts"])
        if winner is None or key < winner[0]:  # strict: the earlier model keeps a tie
            winner = (key, {**point, "model": name})
    return winner[1]
