"""The decision minimises expected cost: on the validation data, and on fresh data too.

Capacity never binds here (1000 per 1000) and scores have no ties, so only the search for
the cheapest threshold is measured.
"""

from __future__ import annotations

import numpy as np
from _data import sample
from _support import UNLIMITED, as_lists, best_total_cost, per_1000, reported, total_cost

MODEL = {"model": {"separation": 3.0}}
SCENARIOS = ((120.0, 5.0, 0.02), (50.0, 5.0, 0.02), (200.0, 2.0, 0.01))
"""(cost of a missed fraud, cost of a false alarm, fraud rate) of the three data sets."""
VALIDATION = 20_000
FRESH = 200_000
TOLERANCE = 0.15
"""Fresh-data cost may be this much above the best achievable (an exact search: at most ~9 %)."""


def test_fresh_data_cost_is_near_the_optimum(candidate, case_seed):
    mod = candidate.module("decide")
    rng = np.random.default_rng(case_seed)
    chosen = best = 0.0
    for cost_fn, cost_fp, rate in SCENARIOS:
        seed = int(rng.integers(2**31))
        labels, scores = sample(seed, VALIDATION, rate, MODEL)
        fresh_labels, fresh = sample(seed + 1, FRESH, rate, MODEL)
        best += 1000.0 * best_total_cost(fresh_labels, fresh["model"], cost_fn, cost_fp, UNLIMITED)
        y, s = as_lists(labels, scores)
        point = reported(
            mod.best_threshold(y, s["model"], cost_fn, cost_fp, UNLIMITED), "best_threshold"
        )
        chosen += 1000.0 * total_cost(
            fresh_labels, fresh["model"], point["threshold"], cost_fn, cost_fp
        )
    assert chosen <= (1 + TOLERANCE) * best, (
        f"the chosen thresholds must cost at most {TOLERANCE:.0%} more than the best ones on "
        f"fresh data from the same distribution (cost {chosen / FRESH:.1f} vs best "
        f"{best / FRESH:.1f} per 1000, summed over three data sets)"
    )


def test_no_threshold_is_cheaper_on_the_validation_data(candidate, case_seed):
    mod = candidate.module("decide")
    rng = np.random.default_rng(case_seed)
    for cost_fn, cost_fp, rate in SCENARIOS:
        labels, scores = sample(int(rng.integers(2**31)), 4000, rate, MODEL)
        best = best_total_cost(labels, scores["model"], cost_fn, cost_fp, UNLIMITED)
        y, s = as_lists(labels, scores)
        point = reported(
            mod.best_threshold(y, s["model"], cost_fn, cost_fp, UNLIMITED), "best_threshold"
        )
        got = total_cost(labels, scores["model"], point["threshold"], cost_fn, cost_fp)
        chosen = per_1000(labels, scores["model"], point["threshold"], cost_fn, cost_fp)
        assert got <= best + 1e-9, (
            f"the threshold must be the cheapest on the validation data (costs {cost_fn:g}/"
            f"{cost_fp:g}: {chosen:.2f} per 1000, the best is {1000 * best / len(labels):.2f})"
        )


def test_choose_model_takes_the_cheaper_model(candidate, case_seed):
    mod = candidate.module("decide")
    shapes = {"weaker": {"separation": 2.0}, "stronger": {"separation": 3.5}}
    labels, scores = sample(case_seed, 10_000, 0.02, shapes)
    costs = {m: best_total_cost(labels, s, 120.0, 5.0, UNLIMITED) for m, s in scores.items()}
    want = min(costs, key=costs.get)
    y, s = as_lists(labels, scores)
    got = reported(mod.choose_model(y, s, 120.0, 5.0, UNLIMITED), "choose_model")
    assert got.get("model") == want, (
        f"choose_model must pick the model with the lower expected cost ('{want}'), "
        f"got '{got.get('model')}'"
    )
