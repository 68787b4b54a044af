"""Public tests: quick checks of the interface, run with ``python -m pytest public_tests``.

Most of them pass on the code you were given: they check the shape of the answers, not
whether the two paths agree. The hidden tests check much more (see README.md), on other data.
"""

from __future__ import annotations

import math

from data import day_start, generate_orders, to_request
from delivery import (
    build_store_lookup,
    evaluate,
    offline_features,
    online_features,
    parity_mismatches,
    score,
    train,
)

FEATURES = {
    "distance_km",
    "basket_value",
    "n_items",
    "courier_eta_min",
    "vehicle_code",
    "is_peak",
    "store_avg_min",
}
ORDERS, STORES = generate_orders(n_stores=40, days=14, seed=3)
N = len(ORDERS["delivery_min"])


def test_offline_features_give_every_feature_for_every_order() -> None:
    model = train(ORDERS, STORES)
    features = offline_features(model, ORDERS, STORES)
    assert set(features) == FEATURES
    assert all(len(list(values)) == N for values in features.values())


def test_online_features_and_score_take_one_request() -> None:
    model = train(ORDERS, STORES)
    row = N - 1
    lookup = build_store_lookup(ORDERS, STORES, day_start(int(ORDERS["created_at"][row])))
    features = online_features(model, to_request(ORDERS, row), lookup)
    assert set(features) == FEATURES
    assert math.isfinite(float(score(model, to_request(ORDERS, row), lookup)))


def test_evaluate_reports_the_mae_and_its_rows() -> None:
    result = evaluate(ORDERS, STORES)
    assert float(result["mae"]) > 0
    assert not set(result["train_rows"]) & set(result["valid_rows"])


def test_parity_mismatches_names_a_feature_that_differs() -> None:
    offline = [{"distance_km": 3.2, "is_peak": 1.0}]
    online = [{"distance_km": 3200.0, "is_peak": 1.0}]
    assert list(parity_mismatches(offline, online)) == ["distance_km"]
