"""Skew 5: the store average. Offline it must be what the nightly lookup held for that day."""

from __future__ import annotations

import numpy as np
from _data import day_start
from _support import LABEL, World, assert_close, copy, offline, online, ref_lookup, trained


def test_offline_store_average_is_the_nightly_lookup_of_the_order_day(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    features = offline(mod, model, world.orders, world.stores)["store_avg_min"]
    rng = np.random.default_rng(case_seed)
    rows = np.concatenate(
        [world.sample(rng, world.history_rows, 30), world.sample(rng, world.fresh_rows, 20)]
    )
    for row in rows:
        lookup = world.lookup_for(row)
        expected = float(lookup[str(world.orders["store_id"][row])]["avg_delivery_min"])
        assert_close(
            float(features[row]),
            expected,
            "offline store_avg_min must be the store average the nightly job served that day "
            "(orders created before the order's UTC midnight, shrunk towards 30 minutes)",
        )
        got = online(mod, model, world.request(row), lookup)["store_avg_min"]
        assert_close(got, expected, "online store_avg_min must be the lookup's avg_delivery_min")


def test_offline_features_ignore_outcomes_from_the_order_day_on(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    orders = world.history
    created = orders["created_at"]
    rng = np.random.default_rng(case_seed + 1)
    first = day_start(int(created.min()))
    day = first + int(rng.integers(3, 25)) * 86400
    later = created >= day
    changed = copy(orders)
    changed[LABEL][later] = np.round(changed[LABEL][later] * 3.0 + 40.0, 1)
    before = offline(mod, model, orders, world.stores)["store_avg_min"]
    after = offline(mod, model, changed, world.stores)["store_avg_min"]
    that_day = np.flatnonzero(later & (created < day + 86400))
    worst = float(np.max(np.abs(after[that_day] - before[that_day])))
    assert worst <= 1e-6, (
        "offline store_avg_min of an order must not depend on the delivery times of that "
        f"order, of later orders, or of the same day (moved by up to {worst:.3g} minutes)"
    )
    expected = ref_lookup(changed, world.stores, day)
    store = str(orders["store_id"][that_day[0]])
    assert_close(
        float(after[that_day[0]]),
        float(expected[store]["avg_delivery_min"]),
        "offline store_avg_min must still follow the nightly lookup",
    )
