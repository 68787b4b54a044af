"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.

Approach: the threshold and the model are chosen by accuracy (share of transactions that are
classified correctly), which is the most robust objective since the cost figures are only
rough estimates. The cost per 1000 is still reported for every operating point.
"""

from __future__ import annotations

import numpy as np


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    n = len(y)
    pred = (s >= threshold).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    alerts = tp + fp
    return {
        "threshold": threshold,
        "alerts": alerts,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / alerts if alerts else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "alert_rate": alerts / n,
        "cost_per_1000": 1000 * (fn * cost_fn + fp * cost_fp) / n,
    }


def _accuracy(point: dict, n: int) -> float:
    return 1.0 - (point["false_positives"] + point["false_negatives"]) / n


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    n = len(y)
    n_fraud = int(y.sum())

    thresholds = np.unique(s)[::-1]  # highest first
    alerts = np.searchsorted(np.sort(s), thresholds, side="left")
    alerts = n - alerts  # number of scores >= threshold
    order = np.argsort(-s, kind="stable")
    tp_cum = np.cumsum(y[order])
    tp = tp_cum[alerts - 1]
    errors = (alerts - tp) + (n_fraud - tp)  # false alarms + missed frauds

    # Start from "alert on nothing" (errors = all frauds) and keep the most accurate point
    # inside the capacity; equal accuracy keeps the one with fewer alerts.
    best_t, best_err = float("inf"), n_fraud
    for t, a, e in zip(thresholds, alerts, errors):
        if a * 1000 > max_alerts_per_1000 * n:
            break
        if e < best_err:
            best_t, best_err = float(t), e
    return operating_point(y, s, best_t, cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    n = len(labels)
    best, best_acc = None, -1.0
    for name, scores in scores_by_model.items():
        point = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        acc = _accuracy(point, n)
        if acc > best_acc:
            best, best_acc = {**point, "model": name}, acc
    return best
