"""Pick the fraud model and threshold."""

from __future__ import annotations

import numpy as np


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """Metrics when alerting on score >= threshold."""
    y = np.asarray(labels)
    flagged = np.asarray(scores) >= threshold
    tp = int(((y == 1) & flagged).sum())
    fp = int(((y == 0) & flagged).sum())
    fn = int(((y == 1) & ~flagged).sum())
    n = len(y)
    return {
        "threshold": threshold,
        "alerts": tp + fp,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "alert_rate": (tp + fp) / n,
        "cost_per_1000": 1000 * (fn * cost_fn + fp * cost_fp) / n,
    }


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """Try thresholds from 1.0 down to 0.0 in steps of 0.01 and keep the cheapest."""
    best = operating_point(labels, scores, float("inf"), cost_fn, cost_fp)
    for t in np.round(np.arange(100, -1, -1) / 100, 2):
        p = operating_point(labels, scores, float(t), cost_fn, cost_fp)
        if p["cost_per_1000"] < best["cost_per_1000"]:
            best = p
    return best


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """Best threshold per model, then the most accurate model."""
    results = []
    for name, scores in scores_by_model.items():
        p = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        accuracy = 1 - (p["false_positives"] + p["false_negatives"]) / len(labels)
        results.append((-accuracy, len(results), {"model": name, **p}))
    return min(results)[2]
