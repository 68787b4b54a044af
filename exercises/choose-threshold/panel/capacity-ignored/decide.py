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
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    n = labels.size
    alerted = scores >= threshold
    tp = int(labels[alerted].sum())
    alerts = int(alerted.sum())
    fp = alerts - tp
    fn = int(labels.sum()) - tp
    return dict(
        threshold=threshold,
        alerts=alerts,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        precision=(tp / alerts) if alerts else 0.0,
        recall=(tp / (tp + fn)) if (tp + fn) else 0.0,
        alert_rate=alerts / n,
        cost_per_1000=1000.0 * (fn * cost_fn + fp * cost_fp) / n,
    )


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)

    # sort high -> low, and keep only the last row of each block of tied scores
    idx = np.argsort(scores)[::-1]
    s, y = scores[idx], labels[idx]
    last_of_block = np.append(s[1:] < s[:-1], True)
    cum_alerts = np.arange(1, len(s) + 1)[last_of_block]
    cum_tp = np.cumsum(y)[last_of_block]
    thresholds = s[last_of_block]

    n_fraud = labels.sum()
    cost = (n_fraud - cum_tp) * cost_fn + (cum_alerts - cum_tp) * cost_fp

    # alerting on nothing: every fraud is missed
    best_t, best_cost = float("inf"), n_fraud * cost_fn
    i = int(np.argmin(cost))  # first minimum -> highest threshold -> fewest alerts
    if cost[i] < best_cost:
        best_t = float(thresholds[i])
    return operating_point(labels, scores, best_t, cost_fn, cost_fp)


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
