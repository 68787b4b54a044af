"""Rare frauds: accuracy is not the criterion, and a lower fraud rate moves the threshold up.

At a fraud rate of 1 %, alerting on nothing is already 99 % accurate: accuracy rewards the
model that stays quiet, while the costs reward the one that catches frauds.
"""

from __future__ import annotations

from _data import sample
from _support import UNLIMITED, as_lists, best_total_cost, counts, reported

SHAPES = {
    # Very precise but blind to 45 % of frauds: the higher accuracy and precision.
    "precise": {"separation": 5.0, "blind_share": 0.45},
    # Sees every fraud less sharply: more false alarms, fewer missed frauds, lower cost.
    "sensitive": {"separation": 3.0},
}


def test_the_cheaper_model_wins_over_the_more_accurate_one(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores = sample(case_seed, 20_000, 0.01, SHAPES)
    costs = {m: best_total_cost(labels, s, 120.0, 5.0, UNLIMITED) for m, s in scores.items()}
    assert costs["sensitive"] < costs["precise"], "test set-up: 'sensitive' must be cheaper"
    y, s = as_lists(labels, scores)
    got = reported(mod.choose_model(y, s, 120.0, 5.0, UNLIMITED), "choose_model")
    assert got.get("model") == "sensitive", (
        "choose_model must pick the model with the lower expected cost ('sensitive'), even "
        f"though 'precise' is more accurate and more precise (got '{got.get('model')}')"
    )


def test_a_lower_fraud_rate_raises_the_threshold(candidate, case_seed):
    mod = candidate.module("decide")
    model = {"m": {"separation": 2.5}}
    thresholds, rates = {}, {}
    for name, rate, n in (("common", 0.05, 20_000), ("rare", 0.005, 40_000)):
        labels, scores = sample(case_seed + n, n, rate, model)
        y, s = as_lists(labels, scores)
        point = reported(mod.best_threshold(y, s["m"], 120.0, 5.0, UNLIMITED), "best_threshold")
        thresholds[name] = point["threshold"]
        rates[name] = counts(labels, scores["m"], point["threshold"])["alerts"] / n
    assert thresholds["rare"] > thresholds["common"], (
        "with the same model and costs, a ten times lower fraud rate must raise the threshold "
        f"(fraud rate 5 %: {thresholds['common']:.3f}; 0.5 %: {thresholds['rare']:.3f})"
    )
    assert 0 < rates["rare"] < rates["common"], (
        "at a lower fraud rate the model should alert on fewer transactions, but still on some "
        f"(5 %: {rates['common']:.2%} alerted; 0.5 %: {rates['rare']:.2%})"
    )
