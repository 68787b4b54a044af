"""The fix keeps every feature: predictions still move with each of the skewed features."""

from __future__ import annotations

import numpy as np
import pytest
from _data import day_start
from _support import (
    FEATURES,
    LABEL,
    World,
    batch_predictions,
    copy,
    live_score,
    offset_of,
    ref_lookup,
    trained,
)

MOVES = {
    "distance": 4.0,
    "courier_eta": 4.0,
    "vehicle": 2.0,
    "peak": 3.0,
    "store_history": 3.0,
}
"""The least average change in minutes each probe must cause (the data's effects are larger)."""


def _at_local_hour(world: World, row: int, hour: int) -> int:
    created = int(world.orders["created_at"][row])
    utc_hour = (hour - offset_of(world, row)) % 24
    return day_start(created) + utc_hour * 3600 + created % 3600


def _probe(world: World, name: str, rows: np.ndarray):
    """Two versions of the order table that differ only in one feature of ``rows``."""
    low, high = copy(world.orders), copy(world.orders)
    if name == "distance":
        low["distance_km"][rows], high["distance_km"][rows] = 1.0, 5.0
    elif name == "courier_eta":
        low["courier_eta_min"][rows], high["courier_eta_min"][rows] = 1.0, 15.0
    elif name == "vehicle":
        low["vehicle"][rows], high["vehicle"][rows] = "scooter", "bike"
    elif name == "peak":
        for row in rows:
            low["created_at"][row] = _at_local_hour(world, row, 16)
            high["created_at"][row] = _at_local_hour(world, row, 19)
    else:
        stores = set(world.orders["store_id"][rows].tolist())
        mine = np.isin(world.orders["store_id"], list(stores)) & np.isin(
            np.arange(len(world.orders[LABEL])), world.history_rows
        )
        high[LABEL][mine] = high[LABEL][mine] + 20.0
    return low, high


@pytest.mark.parametrize("name", sorted(MOVES))
def test_batch_predictions_move_with_each_feature(candidate, case_seed, name):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    rng = np.random.default_rng(case_seed)
    rows = world.sample(rng, world.fresh_rows, 30)
    low, high = _probe(world, name, rows)
    moved = (
        batch_predictions(mod, model, high, world.stores)[rows]
        - batch_predictions(mod, model, low, world.stores)[rows]
    )
    assert float(np.mean(moved)) >= MOVES[name], (
        f"the model must still use {name}: changing it must raise the predictions by at "
        f"least {MOVES[name]} minutes on average (moved {float(np.mean(moved)):.2f})"
    )


def test_live_score_moves_with_each_feature(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    rng = np.random.default_rng(case_seed + 1)
    row = int(world.sample(rng, world.fresh_rows, 1)[0])
    lookup = world.lookup_for(row)
    base = live_score(mod, model, world.request(row), lookup)
    store = str(world.orders["store_id"][row])
    slower = {key: dict(entry) for key, entry in lookup.items()}
    slower[store]["avg_delivery_min"] += 20.0
    probes = {
        "distance_m": world.request(row, distance_m=9000),
        "courier_eta_min": world.request(row, courier_eta_min=25.0),
        "vehicle": world.request(
            row, vehicle="car" if world.request(row)["vehicle"] == "bike" else "bike"
        ),
    }
    for field, request in probes.items():
        assert abs(live_score(mod, model, request, lookup) - base) > 0.5, (
            f"the live score must still move with the request's {field}"
        )
    assert live_score(mod, model, world.request(row), slower) - base > 2.0, (
        "the live score must still rise with the lookup's avg_delivery_min"
    )
    features = dict(mod.online_features(model, world.request(row), lookup))
    missing = [name for name in FEATURES if name not in features]
    assert not missing, f"online_features must keep every feature (missing: {missing})"


def test_the_nightly_job_is_kept(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed, n_stores=40)
    rng = np.random.default_rng(case_seed)
    created = world.orders["created_at"]
    for cutoff in (
        day_start(int(created.min())),
        day_start(int(rng.choice(created))),
        int(created.max()) + 1,
    ):
        got = mod.build_store_lookup(copy(world.orders), copy(world.stores), int(cutoff))
        expected = ref_lookup(world.orders, world.stores, int(cutoff))
        assert set(got) == set(expected), "build_store_lookup must keep an entry for every store"
        for store, entry in expected.items():
            mine = dict(got[store])
            assert int(mine["n_orders"]) == entry["n_orders"], (
                "build_store_lookup must keep counting the store's orders before the cutoff"
            )
            assert int(mine["utc_offset_hours"]) == entry["utc_offset_hours"], (
                "build_store_lookup must keep the store's utc_offset_hours"
            )
            assert abs(float(mine["avg_delivery_min"]) - entry["avg_delivery_min"]) <= 1e-6, (
                "build_store_lookup must keep its shrunk store average"
            )
