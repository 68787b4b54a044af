"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its score is at or above the threshold (``score >= threshold``).
Every function takes plain data (lists or numpy arrays) and returns a plain dict.
"""

from __future__ import annotations

import math

import numpy as np

NEVER = math.inf
"""The threshold that alerts on nothing: no score reaches it."""


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``."""
    y = np.asarray(labels, dtype=int)
    alerted = np.asarray(scores, dtype=float) >= threshold
    tp = int(np.sum(alerted & (y == 1)))
    fp = int(np.sum(alerted & (y == 0)))
    fn = int(np.sum(~alerted & (y == 1)))
    return _point(float(threshold), tp, fp, fn, len(y), cost_fn, cost_fp)


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest expected cost whose alerts fit the capacity.

    Candidates are every distinct score (alert on it and everything above) and ``inf``
    (alert on nothing); on a tie in cost the one with fewer alerts wins.
    """
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=float)
    n = len(y)
    order = np.argsort(-s, kind="stable")
    ranked, hits = s[order], y[order]
    # A threshold alerts on a whole block of tied scores or on none of it: keep the last
    # position of each block, where the counts include every tied row.
    ends = np.flatnonzero(np.append(ranked[1:] != ranked[:-1], True))
    thresholds = np.concatenate(([NEVER], ranked[ends]))
    tp = np.concatenate(([0], np.cumsum(hits)[ends]))
    fp = np.concatenate(([0], np.cumsum(1 - hits)[ends]))
    fn = int(hits.sum()) - tp
    alerts = tp + fp
    cost = np.where(alerts * 1000 <= max_alerts_per_1000 * n, cost_fn * fn + cost_fp * fp, np.inf)
    best = int(np.argmin(cost))  # the first minimum: candidates run from fewest alerts up
    return _point(
        float(thresholds[best]), int(tp[best]), int(fp[best]), int(fn[best]), n, cost_fn, cost_fp
    )


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus ``"model"``.

    Ties in cost go to fewer alerts, then to the model listed first.
    """
    chosen: dict | None = None
    for name, scores in scores_by_model.items():
        point = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        if chosen is None or (point["cost_per_1000"], point["alerts"]) < (
            chosen["cost_per_1000"],
            chosen["alerts"],
        ):
            chosen = {"model": name, **point}
    if chosen is None:
        raise ValueError("scores_by_model must hold at least one model")
    return chosen


def _point(threshold: float, tp: int, fp: int, fn: int, n: int, cost_fn, cost_fp) -> dict:
    """The reported metrics of one operating point, from its counts."""
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
        "cost_per_1000": 1000.0 * (fn * cost_fn + fp * cost_fp) / n,
    }
