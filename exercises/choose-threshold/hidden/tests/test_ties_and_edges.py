"""Tied scores, thresholds at the extremes, and models that are never worth alerting with.

Scores here are rounded to two decimals (one in places), as scoring services report them, so most
values are shared by many transactions: a threshold alerts on a whole block of ties or on
none of it.
"""

from __future__ import annotations

import numpy as np
from _data import fraud_labels, model_scores, sample
from _support import UNLIMITED, as_lists, best_total_cost, reported, total_cost

SHAPES = {"a": {"separation": 3.0}, "b": {"separation": 2.5}}


def _tied(seed: int, n: int = 5000, rate: float = 0.04, decimals: int = 2):
    labels, scores = sample(seed, n, rate, SHAPES)
    return labels, {m: np.round(s, decimals) for m, s in scores.items()}


def test_tied_scores_cost_what_the_threshold_really_alerts(candidate, case_seed):
    mod = candidate.module("decide")
    rng = np.random.default_rng(case_seed)
    for frauds_first, decimals in ((True, 1), (False, 2), (True, 1), (False, 2)):
        labels, scores = _tied(int(rng.integers(2**31)), decimals=decimals)
        if frauds_first:
            # The row order must not matter: list every fraud before the legitimate rows, so
            # a search that cuts a block of ties in two finds its cheapest cuts inside blocks.
            order = np.argsort(-labels, kind="stable")
            labels, scores = labels[order], {m: s[order] for m, s in scores.items()}
        best = best_total_cost(labels, scores["b"], 120.0, 5.0, UNLIMITED)
        y, s = as_lists(labels, scores)
        point = reported(mod.best_threshold(y, s["b"], 120.0, 5.0, UNLIMITED), "best_threshold")
        got = total_cost(labels, scores["b"], point["threshold"], 120.0, 5.0)
        assert got <= best + 1e-9, (
            f"with tied scores, alerting on every score >= the threshold must be the cheapest "
            f"choice (costs {1000 * got / len(labels):.2f} per 1000, the best is "
            f"{1000 * best / len(labels):.2f})"
        )


def test_equal_costs_prefer_fewer_alerts(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores = _tied(case_seed)
    labels, s = list(labels), [float(v) for v in scores["a"]]
    # Find the best threshold, then add a block of 1 fraud and 4 legitimate transactions
    # just below it: with a miss costing 4 and a false alarm 1, alerting on that block too
    # costs exactly the same (-4 + 4), so the answer must stay the threshold above it.
    values = np.unique(s)
    costs = [total_cost(labels, s, t, 4.0, 1.0) for t in values]
    low = float(values[int(np.argmin(costs))])
    block = low - 0.005
    labels += [1, 0, 0, 0, 0]
    s += [block] * 5
    order = np.random.default_rng(case_seed).permutation(len(labels))
    y = [labels[i] for i in order]
    sc = [s[i] for i in order]
    best = best_total_cost(y, sc, 4.0, 1.0, UNLIMITED)
    point = reported(mod.best_threshold(list(y), list(sc), 4.0, 1.0, UNLIMITED), "best_threshold")
    got = total_cost(y, sc, point["threshold"], 4.0, 1.0)
    assert got <= best + 1e-9 and point["threshold"] > block, (
        "when two thresholds cost exactly the same, the one with fewer alerts must win "
        f"(got {point['threshold']:g}; the block of ties at {block:g} adds cost 0)"
    )


def test_a_model_never_worth_alerting_with_gets_threshold_inf(candidate, case_seed):
    mod = candidate.module("decide")
    rng = np.random.default_rng(case_seed)
    labels = fraud_labels(rng, 4000, 0.01)
    useless = {
        "coin": np.round(model_scores(rng, labels, 0.0), 2),
        "dice": np.round(model_scores(rng, labels, 0.0), 2),
    }
    y, s = as_lists(labels, useless)
    # A false alarm costs more than a missed fraud: every alert loses money on average.
    point = reported(mod.best_threshold(y, s["coin"], 5.0, 20.0, UNLIMITED), "best_threshold")
    assert point["threshold"] == float("inf"), (
        "a model whose alerts never pay must get the threshold inf (alert on nothing), "
        f"got {point['threshold']:g}"
    )
    chosen = reported(mod.choose_model(y, s, 5.0, 20.0, UNLIMITED), "choose_model")
    assert chosen["threshold"] == float("inf") and chosen.get("model") == "coin", (
        "when no model is worth alerting with, choose_model must alert on nothing and, the "
        f"costs being equal, name the first model (got '{chosen.get('model')}', "
        f"threshold {chosen['threshold']:g})"
    )


def test_alerts_on_everything_when_every_catch_pays(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores = _tied(case_seed, n=2000, rate=0.05)
    y, s = list(labels), [float(v) for v in scores["a"]]
    lowest = int(np.argmin(s))
    y[lowest] = 1  # a fraud among the lowest scores: only alerting on everything catches it
    point = reported(
        mod.best_threshold(list(y), list(s), 1000.0, 0.01, UNLIMITED), "best_threshold"
    )
    ok = point["threshold"] <= min(s)
    assert ok, (
        "when a missed fraud costs 100,000 times a false alarm and a fraud has the lowest "
        f"score, the threshold must alert on every transaction (got {point['threshold']:g}, "
        f"lowest score {min(s):g})"
    )
