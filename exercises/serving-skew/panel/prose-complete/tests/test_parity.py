"""Parity between the offline and the online feature paths, replayed like the shadow run.

Run from the folder that holds delivery.py: ``python -m pytest tests``.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data import day_start, generate_orders, to_request  # noqa: E402
from delivery import (  # noqa: E402
    FEATURES,
    build_store_lookup,
    offline_features,
    online_features,
    parity_mismatches,
    predict_offline,
    score,
    train,
)

HISTORY_DAYS = 28


@pytest.fixture(scope="module", params=[5, 21])
def replay(request):
    """Train on 28 days, then featurise the next 7 days both ways, lookup per UTC midnight."""
    orders, stores = generate_orders(n_stores=60, days=35, seed=request.param)
    cutoff = day_start(int(orders["created_at"].min())) + HISTORY_DAYS * 86400
    history = {name: column[orders["created_at"] < cutoff] for name, column in orders.items()}
    model = train(history, stores)
    offline = offline_features(model, orders, stores)
    batch = predict_offline(model, orders, stores)
    live = np.flatnonzero(orders["created_at"] >= cutoff)
    lookups: dict[int, dict] = {}
    offline_rows, online_rows, pairs = [], [], []
    for row in live:
        midnight = day_start(int(orders["created_at"][row]))
        if midnight not in lookups:
            lookups[midnight] = build_store_lookup(orders, stores, midnight)
        req = to_request(orders, int(row))
        offline_rows.append({name: offline[name][row] for name in FEATURES})
        online_rows.append(online_features(model, req, lookups[midnight]))
        pairs.append((batch[row], score(model, req, lookups[midnight])))
    return offline_rows, online_rows, pairs


def test_offline_and_online_features_agree(replay) -> None:
    offline_rows, online_rows, _ = replay
    assert parity_mismatches(offline_rows, online_rows) == []


def test_score_equals_batch_prediction(replay) -> None:
    *_, pairs = replay
    assert max(abs(batch - live) for batch, live in pairs) < 1e-6


def test_replay_covers_the_tricky_cases(replay) -> None:
    """The replay must contain missing ETAs, every vehicle and both peak values."""
    _, online_rows, _ = replay
    assert {row["vehicle_code"] for row in online_rows} == {0.0, 1.0, 2.0}
    assert {row["is_peak"] for row in online_rows} == {0.0, 1.0}


def test_parity_mismatches_rules() -> None:
    nan = math.nan
    assert parity_mismatches([{"a": 1.0, "b": nan}], [{"a": 1.0 + 1e-9, "b": nan}]) == []
    assert parity_mismatches([{"a": 1.0, "b": nan}], [{"a": 1.1, "b": 2.0}]) == ["a", "b"]
    assert parity_mismatches([{"z": 1.0}, {"a": 1.0}], [{"z": 2.0}, {"a": 1.0, "c": 0}]) == [
        "c",
        "z",
    ]
    with pytest.raises(ValueError):
        parity_mismatches([{"a": 1.0}], [])
