"""The reported metrics are those of the chosen operating point, computed correctly.

Scores have no ties here, so a threshold alerts on exactly the scores at or above it.
"""

from __future__ import annotations

import math

import numpy as np
from _data import sample
from _support import UNLIMITED, as_lists, counts, reported, same

SHAPES = {"a": {"separation": 3.0}, "b": {"separation": 2.0, "blind_share": 0.1}}


def _expected(labels, scores, threshold: float, cost_fn: float, cost_fp: float) -> dict:
    c = counts(labels, scores, threshold)
    return {
        "alerts": c["alerts"],
        "true_positives": c["tp"],
        "false_positives": c["fp"],
        "false_negatives": c["fn"],
        "precision": c["tp"] / c["alerts"] if c["alerts"] else 0.0,
        "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0,
        "alert_rate": c["alerts"] / c["n"],
        "cost_per_1000": 1000.0 * (c["fn"] * cost_fn + c["fp"] * cost_fp) / c["n"],
    }


def _check(point: dict, want: dict, what: str) -> None:
    wrong = [k for k, v in want.items() if not same(point[k], v)]
    assert not wrong, (
        f"{what} must report the metrics of alerting on every score >= its threshold: wrong "
        + ", ".join(f"{k} (got {point[k]:g}, expected {want[k]:g})" for k in wrong)
    )


def test_operating_point_reports_counts_rates_and_cost(candidate, case_seed):
    mod = candidate.module("decide")
    rng = np.random.default_rng(case_seed)
    labels, scores = sample(case_seed, 3000, 0.03, SHAPES)
    y, s = as_lists(labels, scores)
    frauds = np.sort(scores["a"][labels == 1])[::-1]
    half = frauds[len(frauds) // 2 - 1]  # catches exactly as many frauds as it misses (even count)
    for threshold in (*rng.choice(scores["a"], size=3), 0.35, half):
        cost_fn, cost_fp = float(rng.integers(20, 200)), float(rng.integers(1, 20))
        point = reported(
            mod.operating_point(y, s["a"], float(threshold), cost_fn, cost_fp), "operating_point"
        )
        assert same(point["threshold"], float(threshold)), (
            "operating_point must report the threshold it was given"
        )
        _check(
            point,
            _expected(labels, scores["a"], float(threshold), cost_fn, cost_fp),
            "operating_point",
        )


def test_operating_point_at_the_extremes(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores = sample(case_seed, 2000, 0.02, SHAPES)
    y, s = as_lists(labels, scores)
    for threshold in (math.inf, float(np.min(scores["a"]))):
        point = reported(mod.operating_point(y, s["a"], threshold, 120.0, 5.0), "operating_point")
        _check(
            point,
            _expected(labels, scores["a"], threshold, 120.0, 5.0),
            f"operating_point at {threshold:g}",
        )
    honest = [0] * len(y)  # no fraud at all: recall is 0.0 by the README's convention
    point = reported(mod.operating_point(honest, s["a"], 0.5, 120.0, 5.0), "operating_point")
    _check(point, _expected(honest, scores["a"], 0.5, 120.0, 5.0), "operating_point without frauds")


def test_reported_metrics_are_those_of_the_chosen_threshold(candidate, case_seed):
    mod = candidate.module("decide")
    rng = np.random.default_rng(case_seed)
    for capacity in (UNLIMITED, 15):
        labels, scores = sample(int(rng.integers(2**31)), 8000, 0.02, SHAPES)
        y, s = as_lists(labels, scores)
        point = reported(mod.best_threshold(y, s["b"], 120.0, 5.0, capacity), "best_threshold")
        want = _expected(labels, scores["b"], point["threshold"], 120.0, 5.0)
        _check(point, want, "best_threshold")
        chosen = reported(mod.choose_model(y, s, 120.0, 5.0, capacity), "choose_model")
        model = chosen.get("model")
        assert model in scores, f"choose_model must name one of the models given (got '{model}')"
        want = _expected(labels, scores[model], chosen["threshold"], 120.0, 5.0)
        _check(chosen, want, "choose_model")


def _legit_on_top(labels, scores) -> None:
    """Scores that say nothing can still rank a fraud first, and an alert on it alone saves a
    missed fraud at no false alarm (about one seed in 25 did): put a legitimate transaction
    on top instead, so no threshold is worth an alert whatever the seed."""
    top = int(np.argmax(scores))
    if labels[top]:
        legit = np.flatnonzero(np.asarray(labels) == 0)
        best = int(legit[np.argmax(np.asarray(scores)[legit])])
        scores[top], scores[best] = scores[best], scores[top]


def test_reported_metrics_when_nothing_is_worth_alerting(candidate, case_seed):
    mod = candidate.module("decide")
    labels, scores = sample(
        case_seed, 3000, 0.02, {"x": {"separation": 0.0}, "y": {"separation": 0.0}}
    )
    for name in scores:
        _legit_on_top(labels, scores[name])
    y, s = as_lists(labels, scores)
    # A false alarm costs more than a missed fraud and the scores say nothing: no alerts.
    want = _expected(labels, scores["x"], math.inf, 5.0, 20.0)
    point = reported(mod.best_threshold(y, s["x"], 5.0, 20.0, UNLIMITED), "best_threshold")
    _check(point, want, "best_threshold with nothing worth alerting")
    chosen = reported(mod.choose_model(y, s, 5.0, 20.0, UNLIMITED), "choose_model")
    _check(chosen, want, "choose_model with nothing worth alerting")
