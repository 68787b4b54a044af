"""Public tests the candidate can run: ``python -m pytest public_tests``.

They check the interface on a tiny hand-made example, not the hidden cases (README.md lists
what those check).
"""

import math

from decide import best_threshold, choose_model, operating_point

LABELS = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0]
SCORES = [0.9, 0.8, 0.7, 0.4, 0.3, 0.3, 0.2, 0.2, 0.1, 0.0]
KEYS = {
    "threshold",
    "alerts",
    "true_positives",
    "false_positives",
    "false_negatives",
    "precision",
    "recall",
    "alert_rate",
    "cost_per_1000",
}


def test_operating_point_counts_the_alerts_at_or_above_the_threshold():
    point = operating_point(LABELS, SCORES, 0.7, 100.0, 10.0)
    assert set(point) >= KEYS
    assert point["alerts"] == 3
    counts = (point["true_positives"], point["false_positives"], point["false_negatives"])
    assert counts == (2, 1, 0)
    assert math.isclose(point["precision"], 2 / 3)
    assert math.isclose(point["recall"], 1.0)
    assert math.isclose(point["alert_rate"], 0.3)
    assert math.isclose(point["cost_per_1000"], 1000 * 10.0 / 10)


def test_best_threshold_weighs_missed_frauds_against_false_alarms():
    # Missing a fraud costs 100, a false alarm 10: alerting down to 0.7 catches both frauds.
    assert best_threshold(LABELS, SCORES, 100.0, 10.0, 1000)["threshold"] == 0.7
    # A false alarm now costs more than a missed fraud: alert only where it pays.
    assert best_threshold(LABELS, SCORES, 100.0, 150.0, 1000)["threshold"] == 0.9


def test_best_threshold_respects_the_capacity():
    # At most 100 alerts per 1000 transactions: one alert out of these ten.
    point = best_threshold(LABELS, SCORES, 100.0, 10.0, 100)
    assert point["threshold"] == 0.9 and point["alerts"] == 1
    assert best_threshold(LABELS, SCORES, 100.0, 10.0, 0)["threshold"] == math.inf


def test_choose_model_names_the_cheaper_model():
    other = [0.5, 0.9, 0.1, 0.8, 0.3, 0.2, 0.7, 0.6, 0.4, 0.0]
    result = choose_model(LABELS, {"other": other, "ours": SCORES}, 100.0, 10.0, 1000)
    assert result["model"] == "ours"
    assert result["threshold"] == 0.7
