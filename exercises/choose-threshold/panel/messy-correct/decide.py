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
    tp = 0
    fp = 0
    fn = 0
    for i in range(len(labels)):
        if scores[i] >= threshold:
            if labels[i] == 1:
                tp += 1
            else:
                fp += 1
        else:
            if labels[i] == 1:
                fn += 1
    d = {}
    d["threshold"] = threshold
    d["alerts"] = tp + fp
    d["true_positives"] = tp
    d["false_positives"] = fp
    d["false_negatives"] = fn
    if tp + fp > 0:
        d["precision"] = tp / (tp + fp)
    else:
        d["precision"] = 0.0
    if tp + fn > 0:
        d["recall"] = tp / (tp + fn)
    else:
        d["recall"] = 0.0
    d["alert_rate"] = (tp + fp) / len(labels)
    d["cost_per_1000"] = 1000 * (fn * cost_fn + fp * cost_fp) / len(labels)
    return d


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    labels = list(labels)
    scores = list(scores)
    N = len(labels)
    pairs = sorted(zip(scores, labels), key=lambda x: -x[0])
    total_fraud = sum(labels)

    # start with alert nothing
    best_t = float("inf")
    best_c = total_fraud * cost_fn
    best_a = 0

    tp = 0
    fp = 0
    i = 0
    while i < N:
        s = pairs[i][0]
        # take the whole block of equal scores
        while i < N and pairs[i][0] == s:
            if pairs[i][1] == 1:
                tp = tp + 1
            else:
                fp = fp + 1
            i = i + 1
        a = tp + fp
        if a * 1000 > max_alerts_per_1000 * N:
            break  # more alerts from here on
        c = (total_fraud - tp) * cost_fn + fp * cost_fp
        # print(s, a, c)
        if c < best_c:
            best_c = c
            best_t = s
            best_a = a

    # recompute everything for the threshold (same as operating_point)
    tp2 = 0
    fp2 = 0
    fn2 = 0
    for j in range(N):
        if scores[j] >= best_t:
            if labels[j] == 1:
                tp2 += 1
            else:
                fp2 += 1
        elif labels[j] == 1:
            fn2 += 1
    res = {"threshold": best_t, "alerts": tp2 + fp2, "true_positives": tp2,
           "false_positives": fp2, "false_negatives": fn2}
    res["precision"] = tp2 / (tp2 + fp2) if tp2 + fp2 > 0 else 0.0
    res["recall"] = tp2 / (tp2 + fn2) if tp2 + fn2 > 0 else 0.0
    res["alert_rate"] = (tp2 + fp2) / N
    res["cost_per_1000"] = 1000 * (fn2 * cost_fn + fp2 * cost_fp) / N
    return res


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    out = None
    for m in scores_by_model:
        r = best_threshold(labels, scores_by_model[m], cost_fn, cost_fp, max_alerts_per_1000)
        r["model"] = m
        if out == None:
            out = r
        elif r["cost_per_1000"] < out["cost_per_1000"]:
            out = r
        elif r["cost_per_1000"] == out["cost_per_1000"] and r["alerts"] < out["alerts"]:
            out = r
    return out
