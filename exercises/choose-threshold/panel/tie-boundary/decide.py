"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import numpy as np


def _summary(threshold, n, n_pos, alerts, tp, cost_fn, cost_fp) -> dict:
    """Metric dict from raw counts."""
    fp = alerts - tp
    fn = n_pos - tp
    return {
        "threshold": threshold,
        "alerts": int(alerts),
        "true_positives": int(tp),
        "false_positives": int(fp),
        "false_negatives": int(fn),
        "precision": float(tp / alerts) if alerts else 0.0,
        "recall": float(tp / n_pos) if n_pos else 0.0,
        "alert_rate": float(alerts / n),
        "cost_per_1000": float(1000.0 * (fn * cost_fn + fp * cost_fp) / n),
    }


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    y = np.asarray(labels, dtype=int)
    flagged = np.asarray(scores, dtype=float) >= threshold
    return _summary(threshold, y.size, int(y.sum()), int(flagged.sum()),
                    int(y[flagged].sum()), cost_fn, cost_fp)


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    n, n_pos = y.size, int(y.sum())

    # Rank transactions from most to least suspicious. Cutting after the k-th one alerts on
    # the top k, i.e. threshold = k-th highest score. k = 0 means alerting on nothing.
    order = np.argsort(-s, kind="mergesort")
    alerts = np.arange(n + 1)
    tp = np.concatenate([[0], np.cumsum(y[order])])
    cost = (n_pos - tp) * cost_fn + (alerts - tp) * cost_fp

    # Capacity: alerts * 1000 <= max_alerts_per_1000 * n.
    allowed = alerts * 1000 <= max_alerts_per_1000 * n
    cost = np.where(allowed, cost, np.inf)

    k = int(np.argmin(cost))  # first minimum = fewest alerts on a tie in cost
    threshold = float("inf") if k == 0 else float(s[order[k - 1]])
    return _summary(threshold, n, n_pos, alerts[k], tp[k], cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    best_key, best = None, None
    for name, scores in scores_by_model.items():
        point = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        key = (point["cost_per_1000"], point["alerts"])
        if best_key is None or key < best_key:
            best_key, best = key, dict(point, model=name)
    return best
