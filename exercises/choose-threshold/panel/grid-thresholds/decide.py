"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import numpy as np

# Candidate thresholds: scores are probabilities in [0, 1], a 0.01 grid is fine-grained
# enough for a business decision and keeps the search cheap.
GRID = np.round(np.linspace(0.0, 1.0, 101), 2)


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    n = len(y)
    alert = s >= threshold
    tp = int(np.sum(alert & (y == 1)))
    fp = int(np.sum(alert & (y == 0)))
    fn = int(np.sum(~alert & (y == 1)))
    a = tp + fp
    return {
        "threshold": threshold,
        "alerts": a,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / a if a else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "alert_rate": a / n,
        "cost_per_1000": 1000 * (fn * cost_fn + fp * cost_fp) / n,
    }


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    n = len(labels)
    best = operating_point(labels, scores, float("inf"), cost_fn, cost_fp)
    for t in GRID[::-1]:  # high to low: fewer alerts first, so ties keep fewer alerts
        p = operating_point(labels, scores, float(t), cost_fn, cost_fp)
        if p["alerts"] * 1000 > max_alerts_per_1000 * n:
            continue
        if p["cost_per_1000"] < best["cost_per_1000"]:
            best = p
    return best


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    best = None
    for name, scores in scores_by_model.items():
        p = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        if best is None or (p["cost_per_1000"], p["alerts"]) < (best["cost_per_1000"], best["alerts"]):
            best = {**p, "model": name}
    return best
