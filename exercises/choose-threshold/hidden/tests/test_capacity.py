"""The review team's capacity: never more alerts than it can handle, and the best within it.

Scores have no ties here; the capacity is set below what the cost-optimal point would alert.
"""

from __future__ import annotations

import pytest
from _data import sample
from _support import (
    UNLIMITED,
    as_lists,
    best_total_cost,
    counts,
    fits,
    reported,
    total_cost,
)

SHAPES = {"a": {"separation": 3.0}, "b": {"separation": 2.5, "blind_share": 0.1}}
NEAR_BEST = 0.05
"""With a binding capacity, the cost may be this much above the best within it."""


def _binding_case(seed: int):
    """Labels, scores and a capacity well below what the cost-optimal point alerts."""
    labels, scores = sample(seed, 10_000, 0.03, SHAPES)
    return labels, scores, 12  # the cost-optimal points alert on about 40-60 per 1000


@pytest.mark.parametrize("function", ["best_threshold", "choose_model"])
def test_alerts_never_exceed_the_capacity(candidate, case_seed, function):
    mod = candidate.module("decide")
    labels, scores, capacity = _binding_case(case_seed)
    free = min(best_total_cost(labels, s, 120.0, 5.0, UNLIMITED) for s in scores.values())
    y, s = as_lists(labels, scores)
    if function == "best_threshold":
        point = reported(mod.best_threshold(y, s["a"], 120.0, 5.0, capacity), function)
        model = "a"
    else:
        point = reported(mod.choose_model(y, s, 120.0, 5.0, capacity), function)
        model = point.get("model", "a")
    assert model in scores, f"choose_model must name one of the models given (got '{model}')"
    ok, alerts = fits(labels, scores[model], point["threshold"], capacity)
    assert ok, (
        f"{function} must alert on at most {capacity} per 1000 transactions (its threshold "
        f"alerts on {1000 * alerts / len(labels):.1f} per 1000)"
    )
    assert free < total_cost(labels, scores[model], point["threshold"], 120.0, 5.0), (
        "the test's capacity must bind (test set-up)"
    )


def test_binding_capacity_still_picks_a_cheap_point(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores, capacity = _binding_case(case_seed + 1)
    best = best_total_cost(labels, scores["a"], 120.0, 5.0, capacity)
    y, s = as_lists(labels, scores)
    point = reported(mod.best_threshold(y, s["a"], 120.0, 5.0, capacity), "best_threshold")
    got = total_cost(labels, scores["a"], point["threshold"], 120.0, 5.0)
    assert got <= (1 + NEAR_BEST) * best, (
        f"within the capacity, the threshold must be (nearly) the cheapest one: costs "
        f"{1000 * got / len(labels):.1f} per 1000, the best within capacity is "
        f"{1000 * best / len(labels):.1f}"
    )


def test_capacity_can_be_used_to_the_last_alert(candidate, case_seed):
    mod = candidate.module("decide")
    # 2000 transactions, 40 frauds all scored above every legitimate one: the best use of
    # a capacity of 10 per 1000 is exactly 20 alerts, all frauds.
    labels = [1] * 40 + [0] * 1960
    scores = [0.6 + 0.01 * (i % 40) + 1e-5 * i for i in range(40)] + [
        0.5 * (j + 1) / 1961 for j in range(1960)
    ]
    point = reported(
        mod.best_threshold(list(labels), list(scores), 120.0, 5.0, 10), "best_threshold"
    )
    c = counts(labels, scores, point["threshold"])
    assert c["alerts"] == 20, (
        f"a capacity of 10 per 1000 on 2000 transactions allows exactly 20 alerts, and the "
        f"20 highest scores are all frauds: alert on all 20 (got {c['alerts']})"
    )


def test_zero_capacity_alerts_on_nothing(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores = sample(case_seed, 3000, 0.05, SHAPES)
    y, s = as_lists(labels, scores)
    for function, result in (
        ("best_threshold", mod.best_threshold(y, s["a"], 120.0, 5.0, 0)),
        ("choose_model", mod.choose_model(y, s, 120.0, 5.0, 0)),
    ):
        point = reported(result, function)
        ok, alerts = fits(labels, scores["a"], point["threshold"], 0)
        assert ok and point["threshold"] == float("inf"), (
            f"with a capacity of 0, {function} must alert on nothing (threshold inf; got "
            f"{point['threshold']:g}, {alerts} alerts)"
        )
