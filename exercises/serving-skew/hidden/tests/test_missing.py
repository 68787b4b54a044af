"""Skew 2: missing values. A request without a courier ETA must get the training fill."""

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


def test_missing_eta_gets_the_training_median_online_and_offline(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    median = float(np.nanmedian(world.history["courier_eta_min"]))
    eta = world.orders["courier_eta_min"]
    features = offline(mod, model, world.orders, world.stores)["courier_eta_min"]
    rng = np.random.default_rng(case_seed)
    missing = world.sample(rng, world.fresh_rows[np.isnan(eta[world.fresh_rows])], 25)
    present = world.sample(rng, world.fresh_rows[~np.isnan(eta[world.fresh_rows])], 10)
    assert len(missing) > 0
    for row in missing:
        assert_close(
            float(features[row]),
            median,
            "offline, a missing courier_eta_min must be the median ETA of the training rows",
        )
        got = online(mod, model, world.request(row), world.lookup_for(row))["courier_eta_min"]
        assert_close(
            got,
            median,
            "online, a request with courier_eta_min None must get the training median, as offline",
        )
    for row in present:
        got = online(mod, model, world.request(row), world.lookup_for(row))["courier_eta_min"]
        assert_close(got, float(eta[row]), "online, a known courier_eta_min must be used as is")


def test_a_missing_eta_moves_the_live_score_as_it_moves_training_predictions(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    eta = world.orders["courier_eta_min"]
    rng = np.random.default_rng(case_seed + 1)
    rows = world.sample(rng, world.fresh_rows[~np.isnan(eta[world.fresh_rows])], 15)
    blanked = copy(world.orders)
    blanked["courier_eta_min"][rows] = np.nan
    before = batch_predictions(mod, model, world.orders, world.stores)
    after = batch_predictions(mod, model, blanked, world.stores)
    for row in rows:
        lookup = world.lookup_for(row)
        live = live_score(
            mod, model, world.request(row, courier_eta_min=None), lookup
        ) - live_score(mod, model, world.request(row), lookup)
        assert_close(
            live,
            float(after[row] - before[row]),
            "losing the courier ETA must change the live score exactly as it changes the "
            "batch prediction",
        )
