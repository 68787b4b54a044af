"""My parity test: the live service must see exactly what the model was trained on."""

import numpy as np

from data import day_start, generate_orders, to_request
from delivery import (
    build_store_lookup,
    offline_features,
    online_features,
    parity_mismatches,
    score,
    predict_offline,
    train,
)


def test_live_week_matches_batch():
    orders, stores = generate_orders(n_stores=50, days=35, seed=42)
    live_from = day_start(int(orders["created_at"][0])) + 28 * 86400
    old = orders["created_at"] < live_from
    model = train({k: v[old] for k, v in orders.items()}, stores)
    batch = offline_features(model, orders, stores)
    batch_pred = predict_offline(model, orders, stores)
    offline_rows, online_rows = [], []
    for i in np.flatnonzero(~old):
        lookup = build_store_lookup(orders, stores, day_start(int(orders["created_at"][i])))
        request = to_request(orders, int(i))
        offline_rows.append({k: batch[k][i] for k in batch})
        online_rows.append(online_features(model, request, lookup))
        assert abs(score(model, request, lookup) - batch_pred[i]) < 1e-6
    assert parity_mismatches(offline_rows, online_rows) == []


def test_parity_mismatches_spots_a_broken_feature():
    good = {"distance_km": 2.5, "is_peak": 0.0}
    assert parity_mismatches([good], [dict(good)]) == []
    assert parity_mismatches([good], [{"distance_km": 2500.0, "is_peak": 0.0}]) == ["distance_km"]
    assert parity_mismatches([{"x": float("nan")}], [{"x": float("nan")}]) == []
