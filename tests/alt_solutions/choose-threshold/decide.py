"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import numpy as np


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, dtype=float)
    n = len(labels)
    flagged = scores >= threshold

    alerts = int(np.count_nonzero(flagged))
    tp = int(np.count_nonzero(flagged & labels))
    fp = alerts - tp
    fn = int(np.count_nonzero(labels)) - tp

    return {
        "threshold": threshold,
        "alerts": alerts,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / alerts if alerts else 0.0,
        "recall": tp / (tp + fn) if (tp + fn) else 0.0,
        "alert_rate": alerts / n,
        "cost_per_1000": 1000 * (fn * cost_fn + fp * cost_fp) / n,
    }


def _within_capacity(point: dict, n: int, max_alerts_per_1000) -> bool:
    return point["alerts"] * 1000 <= max_alerts_per_1000 * n


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=float)
    n = len(labels)

    # Alerting on nothing is always possible and always within capacity.
    best = operating_point(labels, scores, float("inf"), cost_fn, cost_fp)

    # Highest score first: each step adds a whole block of tied scores, so alerts only grow.
    # Once a threshold is over capacity every lower one is too, and we can stop.
    for t in np.unique(scores)[::-1]:
        point = operating_point(labels, scores, float(t), cost_fn, cost_fp)
        if not _within_capacity(point, n, max_alerts_per_1000):
            break
        if point["cost_per_1000"] < best["cost_per_1000"]:  # ties keep the fewer alerts
            best = point
    return best


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    best = None
    for name, scores in scores_by_model.items():
        point = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        point["model"] = name
        if best is None or (point["cost_per_1000"], point["alerts"]) < (
            best["cost_per_1000"],
            best["alerts"],
        ):
            best = point
    return best
