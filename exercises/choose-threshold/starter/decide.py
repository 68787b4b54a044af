"""Choose a fraud model and its alert threshold by expected cost, within a review capacity.

A transaction is alerted when its model's score is at or above the threshold
(``score >= threshold``). README.md describes every function, the keys of the dict each one
returns, and how ties and edge cases are handled.
"""

from __future__ import annotations


def operating_point(labels, scores, threshold, cost_fn, cost_fp) -> dict:
    """The metrics of alerting on every transaction whose score is >= ``threshold``.

    Returns a dict with the keys threshold, alerts, true_positives, false_positives,
    false_negatives, precision, recall, alert_rate and cost_per_1000 (see README.md).
    """
    raise NotImplementedError


def best_threshold(labels, scores, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The operating point with the lowest cost per 1000 whose alerts fit the capacity.

    The threshold is one of the scores, or ``float("inf")`` to alert on nothing; on a tie
    in cost, the one with fewer alerts. Same keys as ``operating_point``.
    """
    raise NotImplementedError


def choose_model(labels, scores_by_model, cost_fn, cost_fp, max_alerts_per_1000) -> dict:
    """The cheapest model at its best threshold: its operating point plus a "model" key.

    ``scores_by_model`` maps each model's name to its scores; on a tie in cost, fewer
    alerts win, then the model listed first.
    """
    raise NotImplementedError
