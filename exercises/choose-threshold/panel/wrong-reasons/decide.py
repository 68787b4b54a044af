"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    y = np.asarray(labels, dtype=int)
    pred = np.asarray(scores, dtype=float) >= threshold
    n = len(y)
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    alerts = tp + fp
    positives = tp + fn
    return {
        "threshold": threshold,
        "alerts": alerts,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / alerts if alerts > 0 else 0.0,
        "recall": tp / positives if positives > 0 else 0.0,
        "alert_rate": alerts / n,
        "cost_per_1000": 1000 * (fn * cost_fn + fp * cost_fp) / n,
    }


def _cost_curve(labels, scores, cost_fn, cost_fp) -> pd.DataFrame:
    """One row per candidate threshold (inf first, then distinct scores high to low)."""
    df = pd.DataFrame({"score": np.asarray(scores, dtype=float),
                       "fraud": np.asarray(labels, dtype=int)})
    g = (df.groupby("score")["fraud"].agg(["size", "sum"])
           .sort_index(ascending=False))
    curve = pd.DataFrame({
        "threshold": g.index.to_numpy(),
        "alerts": g["size"].cumsum().to_numpy(),
        "tp": g["sum"].cumsum().to_numpy(),
    })
    nothing = pd.DataFrame({"threshold": [np.inf], "alerts": [0], "tp": [0]})
    curve = pd.concat([nothing, curve], ignore_index=True)
    total_fraud = int(df["fraud"].sum())
    curve["cost"] = ((total_fraud - curve["tp"]) * cost_fn
                     + (curve["alerts"] - curve["tp"]) * cost_fp)
    return curve


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    n = len(labels)
    curve = _cost_curve(labels, scores, cost_fn, cost_fp)
    ok = curve[curve["alerts"] * 1000 <= max_alerts_per_1000 * n]
    best = ok.sort_values(["cost", "alerts"], kind="stable").iloc[0]
    return operating_point(labels, scores, float(best["threshold"]), cost_fn, cost_fp)


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    results = []
    for order, (name, scores) in enumerate(scores_by_model.items()):
        point = best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000)
        results.append((point["cost_per_1000"], point["alerts"], order, name, point))
    cost, alerts, order, name, point = min(results, key=lambda r: r[:3])
    return {**point, "model": name}
