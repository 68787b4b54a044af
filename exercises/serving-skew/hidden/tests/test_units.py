"""Skew 1: units. The routing API sends whole metres; the model was trained on kilometres."""

from __future__ import annotations

import numpy as np
from _support import (
    World,
    assert_close,
    batch_predictions,
    copy,
    live_score,
    offline,
    online,
    trained,
)


def test_online_distance_is_in_kilometres_like_offline(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    rng = np.random.default_rng(case_seed)
    rows = world.sample(rng, world.fresh_rows, 40)
    expected = world.orders["distance_km"].astype(float)
    features = offline(mod, model, world.orders, world.stores)["distance_km"]
    for row in rows:
        assert_close(
            float(features[row]),
            float(expected[row]),
            "offline distance_km must be the warehouse distance in kilometres",
        )
        got = online(mod, model, world.request(row), world.lookup_for(row))["distance_km"]
        assert_close(
            got,
            float(expected[row]),
            "online distance_km must be the request's distance_m in kilometres, as offline",
        )


def test_distance_moves_the_live_score_as_it_moves_training_predictions(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    rng = np.random.default_rng(case_seed + 1)
    rows = world.sample(rng, world.fresh_rows, 15)
    longer = copy(world.orders)
    longer["distance_km"][rows] = np.round(longer["distance_km"][rows] + 2.5, 3)
    before = batch_predictions(mod, model, world.orders, world.stores)
    after = batch_predictions(mod, model, longer, world.stores)
    for row in rows:
        metres = round(float(longer["distance_km"][row]) * 1000)
        lookup = world.lookup_for(row)
        live = live_score(mod, model, world.request(row, distance_m=metres), lookup) - live_score(
            mod, model, world.request(row), lookup
        )
        assert_close(
            live,
            float(after[row] - before[row]),
            "2.5 km more must change the live score exactly as it changes the batch prediction",
        )
