"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import numpy as np

INF = float("inf")


def _point(threshold, n, n_fraud, alerts, tp, cost_fn, cost_fp):
    fp, fn = alerts - tp, n_fraud - tp
    return {
        "threshold": threshold,
        "alerts": alerts,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / alerts if alerts > 0 else 0.0,
        "recall": tp / n_fraud if n_fraud > 0 else 0.0,
        "alert_rate": alerts / n,
        "cost_per_1000": 1000.0 * (fn * cost_fn + fp * cost_fp) / n,
    }


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    y = np.asarray(labels, dtype=np.int64)
    hit = np.asarray(scores, dtype=float) >= threshold
    return _point(threshold, y.size, int(y.sum()), int(hit.sum()), int(y[hit].sum()),
                  cost_fn, cost_fp)


def _candidates(labels, scores):
    """Every distinct score (ascending) with the alerts / frauds caught at that threshold."""
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=float)
    uniq, inverse = np.unique(s, return_inverse=True)
    per_score = np.bincount(inverse, minlength=uniq.size)
    frauds_per_score = np.bincount(inverse, weights=y, minlength=uniq.size).astype(np.int64)
    # alerts at uniq[i] = everything with score >= uniq[i]  ->  suffix sums
    alerts = np.cumsum(per_score[::-1])[::-1]
    tp = np.cumsum(frauds_per_score[::-1])[::-1]
    return uniq, alerts, tp


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    y = np.asarray(labels, dtype=np.int64)
    n, n_fraud = y.size, int(y.sum())
    uniq, alerts, tp = _candidates(y, scores)

    # "alert on nothing" is always allowed: start from it.
    best_t, best_cost, best_alerts = INF, n_fraud * cost_fn, 0
    cost = (n_fraud - tp) * cost_fn + (alerts - tp) * cost_fp
    fits = alerts * 1000 <= max_alerts_per_1000 * n
    # Walk from the highest threshold down, i.e. in increasing number of alerts, and only
    # move on a strict improvement: an equal cost keeps the point with fewer alerts.
    for i in np.flatnonzero(fits)[::-1]:
        if cost[i] < best_cost:
            best_t, best_cost, best_alerts = float(uniq[i]), cost[i], alerts[i]

    return operating_point(y, scores, best_t, cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    points = [
        {**best_threshold(labels, s, cost_fn, cost_fp, max_alerts_per_1000), "model": name}
        for name, s in scores_by_model.items()
    ]
    # min() keeps the first of equal keys, i.e. the model listed first.
    return min(points, key=lambda p: (p["cost_per_1000"], p["alerts"]))
