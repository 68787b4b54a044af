"""Offline/online parity on a replayed week."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data import day_start, generate_orders, to_request  # noqa: E402
from delivery import (  # noqa: E402
    build_store_lookup,
    offline_features,
    online_features,
    parity_mismatches,
    train,
)

KNOWN_OPEN = {"store_avg_min", "vehicle_code"}  # see DIAGNOSIS.md


def test_no_new_mismatches():
    orders, stores = generate_orders(n_stores=40, days=35, seed=9)
    cut = day_start(int(orders["created_at"][0])) + 28 * 86400
    model = train({k: v[orders["created_at"] < cut] for k, v in orders.items()}, stores)
    feats = offline_features(model, orders, stores)
    off, on = [], []
    for i in np.flatnonzero(orders["created_at"] >= cut):
        lookup = build_store_lookup(orders, stores, day_start(int(orders["created_at"][i])))
        off.append({k: feats[k][i] for k in feats})
        on.append(online_features(model, to_request(orders, int(i)), lookup))
    assert set(parity_mismatches(off, on)) <= KNOWN_OPEN
