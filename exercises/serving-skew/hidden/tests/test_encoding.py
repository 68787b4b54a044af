"""Skew 3: category encoding. A vehicle's code online must be its code in training."""

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
    take,
    trained,
)


def test_vehicle_codes_agree_online_and_offline(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    levels = sorted(set(world.history["vehicle"].tolist()))
    features = offline(mod, model, world.orders, world.stores)["vehicle_code"]
    rng = np.random.default_rng(case_seed)
    for vehicle in levels:
        mine = world.fresh_rows[world.orders["vehicle"][world.fresh_rows] == vehicle]
        for row in world.sample(rng, mine, 8):
            expected = float(levels.index(vehicle))
            assert_close(
                float(features[row]),
                expected,
                f"offline vehicle_code of '{vehicle}' must be its position in the sorted "
                "training vehicles",
            )
            got = online(mod, model, world.request(row), world.lookup_for(row))["vehicle_code"]
            assert_close(
                got, expected, f"online vehicle_code of '{vehicle}' must be its offline code"
            )


def test_codes_follow_the_training_vehicles_when_one_is_absent(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    keep = np.flatnonzero(world.history["vehicle"] != "bike")
    history = take(world.history, keep)
    model = mod.train(copy(history), copy(world.stores))
    rng = np.random.default_rng(case_seed + 2)
    for vehicle, expected in (("car", 0.0), ("scooter", 1.0)):
        mine = world.fresh_rows[world.orders["vehicle"][world.fresh_rows] == vehicle]
        for row in world.sample(rng, mine, 4):
            got = online(mod, model, world.request(row), world.lookup_for(row))["vehicle_code"]
            assert_close(
                got,
                expected,
                f"trained without bikes, online vehicle_code of '{vehicle}' must be its position "
                "in the sorted training vehicles (car, scooter)",
            )


def test_switching_vehicle_moves_the_live_score_as_it_moves_training_predictions(
    candidate, case_seed
):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    rng = np.random.default_rng(case_seed + 1)
    rows = world.sample(rng, world.fresh_rows, 18)
    before = batch_predictions(mod, model, world.orders, world.stores)
    for new in ("bike", "scooter", "car"):
        switched = copy(world.orders)
        switched["vehicle"][rows] = new
        after = batch_predictions(mod, model, switched, world.stores)
        for row in rows:
            lookup = world.lookup_for(row)
            live = live_score(mod, model, world.request(row, vehicle=new), lookup) - live_score(
                mod, model, world.request(row), lookup
            )
            assert_close(
                live,
                float(after[row] - before[row]),
                f"switching to '{new}' must change the live score exactly as it changes the "
                "batch prediction",
            )
