"""Skew 4: time zones. The rush hour is a local hour; requests carry a UTC timestamp."""

from __future__ import annotations

import numpy as np
from _data import day_start
from _support import (
    World,
    assert_close,
    batch_predictions,
    copy,
    live_score,
    offline,
    offset_of,
    online,
    ref_is_peak,
    trained,
)


def test_peak_flag_uses_the_store_local_hour_online_and_offline(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    features = offline(mod, model, world.orders, world.stores)["is_peak"]
    rng = np.random.default_rng(case_seed)
    for row in world.sample(rng, world.fresh_rows, 60):
        expected = ref_is_peak(int(world.orders["created_at"][row]), offset_of(world, row))
        assert_close(
            float(features[row]),
            expected,
            "offline is_peak must be 1 when the store's local hour is a rush hour, else 0",
        )
        got = online(mod, model, world.request(row), world.lookup_for(row))["is_peak"]
        assert_close(
            got,
            expected,
            "online is_peak must use the store's local hour (UTC time plus utc_offset_hours), "
            "as offline",
        )


def test_time_of_day_moves_the_live_score_as_it_moves_training_predictions(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    rng = np.random.default_rng(case_seed + 1)
    rows = world.sample(rng, world.fresh_rows, 20)
    created = world.orders["created_at"]
    # Another time on the same UTC day, so the nightly lookup stays the same.
    shifted = np.array(
        [
            day_start(int(created[r])) + (int(created[r]) % 86400 + int(h) * 3600) % 86400
            for r, h in zip(rows, rng.integers(1, 24, size=len(rows)), strict=True)
        ]
    )
    moved = copy(world.orders)
    moved["created_at"][rows] = shifted
    before = batch_predictions(mod, model, world.orders, world.stores)
    after = batch_predictions(mod, model, moved, world.stores)
    for row, when in zip(rows, shifted, strict=True):
        lookup = world.lookup_for(row)
        live = live_score(
            mod, model, world.request(row, created_at=int(when)), lookup
        ) - live_score(mod, model, world.request(row), lookup)
        assert_close(
            live,
            float(after[row] - before[row]),
            "moving an order to another hour of the day must change the live score exactly as "
            "it changes the batch prediction",
        )
