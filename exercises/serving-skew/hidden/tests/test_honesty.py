"""The reported number: evaluate's offline MAE must be what the live service really achieves.

The model is trained on the whole 28-day history and the 7 days that follow are replayed
through ``score``, request by request, with the lookup the nightly job served that day.
"""

from __future__ import annotations

import numpy as np
from _data import day_start
from _support import LABEL, World, batch_predictions, copy, live_score, trained

TABLES = 3
TOLERANCE = 0.45
"""Minutes between the reported and the live MAE (the reference: about 0.15 on average)."""


def _live_mae(mod, world: World, model) -> float:
    errors = [
        abs(
            live_score(mod, model, world.request(row), world.lookup_for(row))
            - world.orders[LABEL][row]
        )
        for row in world.fresh_rows
    ]
    return float(np.mean(errors))


def test_reported_mae_matches_the_live_service(candidate, case_seed):
    mod = candidate.module("delivery")
    rng = np.random.default_rng(case_seed)
    reported, live = [], []
    for _ in range(TABLES):
        world = World(int(rng.integers(2**31)), n_stores=150)
        result = mod.evaluate(copy(world.history), copy(world.stores))
        assert isinstance(result, dict) and "mae" in result, (
            "evaluate must return a dict with 'mae'"
        )
        reported.append(float(result["mae"]))
        live.append(_live_mae(mod, world, trained(mod, world)))
    said, real = float(np.mean(reported)), float(np.mean(live))
    assert abs(said - real) <= TOLERANCE, (
        f"evaluate's MAE must match the live service's MAE on the following week within "
        f"{TOLERANCE} minutes (reported {said:.2f}, live {real:.2f})"
    )


def test_live_scores_equal_batch_predictions(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed)
    model = trained(mod, world)
    batch = batch_predictions(mod, model, world.orders, world.stores)
    rng = np.random.default_rng(case_seed)
    rows = world.sample(rng, world.fresh_rows, 120)
    live = np.array([live_score(mod, model, world.request(r), world.lookup_for(r)) for r in rows])
    worst = float(np.max(np.abs(live - batch[rows])))
    assert worst <= 1e-6 * max(1.0, float(np.max(np.abs(batch[rows])))), (
        "score(request, lookup) must equal predict_offline for the same orders "
        f"(differs by up to {worst:.3g} minutes)"
    )


def test_evaluate_validates_on_the_last_seven_days(candidate, case_seed):
    mod = candidate.module("delivery")
    world = World(case_seed, n_stores=60)
    orders = copy(world.history)
    created = orders["created_at"]
    first_valid = day_start(int(created.max())) - 6 * 86400
    # An order placed exactly at the first validation midnight belongs to validation.
    created[int(np.argmax(created >= first_valid))] = first_valid
    result = mod.evaluate(copy(orders), copy(world.stores))
    expected_valid = np.flatnonzero(created >= first_valid).tolist()
    expected_train = np.flatnonzero(created < first_valid).tolist()
    assert sorted(int(r) for r in result["valid_rows"]) == expected_valid, (
        "evaluate must validate on every order of the last seven UTC days"
    )
    assert sorted(int(r) for r in result["train_rows"]) == expected_train, (
        "evaluate must train on every order before the last seven UTC days"
    )
    model = mod.train(copy(orders), copy(world.stores), expected_train)
    predicted = batch_predictions(mod, model, orders, world.stores)[expected_valid]
    mae = float(np.mean(np.abs(predicted - orders[LABEL][expected_valid])))
    assert abs(float(result["mae"]) - mae) <= 1e-6, (
        f"evaluate's mae must be the MAE of train(orders, stores, train_rows) on the last "
        f"seven days (reported {float(result['mae']):.4f}, recomputed {mae:.4f})"
    )
