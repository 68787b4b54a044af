"""Fraud model choice."""

from __future__ import annotations


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """Metrics at a threshold."""
    tp = fp = fn = 0
    for label, score in zip(labels, scores):
        if score >= threshold and label == 1:
            tp += 1
        elif score >= threshold:
            fp += 1
        elif label == 1:
            fn += 1
    n = len(labels)
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


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """Use the usual 0.5 threshold."""
    return operating_point(labels, scores, 0.5, cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The model with the highest accuracy."""
    best = None
    for name, scores in scores_by_model.items():
        p = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        accuracy = 1 - (p["false_positives"] + p["false_negatives"]) / len(labels)
        if best is None or accuracy > best[0]:
            best = (accuracy, {"model": name, **p})
    return best[1]
