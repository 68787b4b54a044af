"""Shared helpers for the serving-skew hidden tests: worlds, lookups, requests and checks.

A *world* is a generated order table of 35 days: the first 28 days are the history the
model is trained on, the last 7 are the "fresh" traffic the live service scores. Online
lookups are built here with the production copy of the nightly job (``ref_lookup``), never
with the candidate's, exactly as the live service would get them. Everything handed to the
candidate is a fresh copy; everything that comes back is converted before it is compared.
"""

from __future__ import annotations

import math

import numpy as np
from _data import PEAK_HOURS, day_start, generate_orders, to_request

LABEL = "delivery_min"
FEATURES = (
    "distance_km",
    "basket_value",
    "n_items",
    "courier_eta_min",
    "vehicle_code",
    "is_peak",
    "store_avg_min",
)
HISTORY_DAYS = 28
FRESH_DAYS = 7
PRIOR_MINUTES = 30.0
PRIOR_WEIGHT = 5.0
SAME = 1e-6
"""Values that must agree may differ by this much (floating-point noise)."""


class World:
    """One generated table: the history, the fresh days after it and the store table."""

    def __init__(self, seed: int, n_stores: int = 120) -> None:
        rng = np.random.default_rng(seed)
        start = f"2024-{int(rng.integers(1, 12)):02d}-{int(rng.integers(1, 28)):02d}"
        self.orders, self.stores = generate_orders(
            n_stores, HISTORY_DAYS + FRESH_DAYS, start, seed=seed
        )
        created = self.orders["created_at"]
        cut = day_start(int(created.min())) + HISTORY_DAYS * 86400
        self.history_rows = np.flatnonzero(created < cut)
        self.fresh_rows = np.flatnonzero(created >= cut)
        self.history = take(self.orders, self.history_rows)
        self._lookups: dict[int, dict] = {}

    def lookup_for(self, row: int) -> dict:
        """The online lookup table the live service holds when order ``row`` arrives."""
        midnight = day_start(int(self.orders["created_at"][row]))
        if midnight not in self._lookups:
            self._lookups[midnight] = ref_lookup(self.orders, self.stores, midnight)
        return self._lookups[midnight]

    def request(self, row: int, **changes) -> dict:
        """The checkout request for order ``row``, with some fields changed."""
        out = to_request(self.orders, row)
        out.update(changes)
        return out

    def sample(self, rng: np.random.Generator, rows: np.ndarray, k: int) -> np.ndarray:
        return np.sort(rng.choice(rows, size=min(k, len(rows)), replace=False))


def ref_lookup(orders: dict, stores: dict, cutoff: int) -> dict[str, dict]:
    """The production nightly job (the brief's definition of ``build_store_lookup``)."""
    before = orders["created_at"] < cutoff
    lookup = {}
    for store_id, offset in zip(stores["store_id"], stores["utc_offset_hours"], strict=True):
        mine = before & (orders["store_id"] == store_id)
        minutes = orders[LABEL][mine]
        lookup[str(store_id)] = {
            "utc_offset_hours": int(offset),
            "avg_delivery_min": (float(minutes.sum()) + PRIOR_WEIGHT * PRIOR_MINUTES)
            / (len(minutes) + PRIOR_WEIGHT),
            "n_orders": len(minutes),
        }
    return lookup


def ref_is_peak(created_at: int, offset: int) -> float:
    return 1.0 if (int(created_at) // 3600 + int(offset)) % 24 in PEAK_HOURS else 0.0


def offset_of(world: World, row: int) -> int:
    stores = world.stores
    k = int(np.flatnonzero(stores["store_id"] == world.orders["store_id"][row])[0])
    return int(stores["utc_offset_hours"][k])


def copy(table: dict) -> dict:
    return {name: np.array(values, copy=True) for name, values in table.items()}


def take(table: dict, rows) -> dict:
    rows = np.asarray(rows, dtype=int)
    return {name: values[rows].copy() for name, values in table.items()}


# --- talking to the candidate -----------------------------------------------------------


def trained(mod, world: World):
    """The candidate's model, trained on the world's history (every history row)."""
    return mod.train(copy(world.history), copy(world.stores))


def offline(mod, model, table: dict, stores: dict) -> dict[str, np.ndarray]:
    """``offline_features`` as float arrays, one per feature, checked for shape."""
    raw = mod.offline_features(model, copy(table), copy(stores))
    n = len(table[LABEL])
    out = {}
    for name in FEATURES:
        assert name in raw, f"offline_features must return the feature '{name}'"
        values = np.asarray(raw[name], dtype=float).ravel()
        assert values.shape == (n,), f"offline_features['{name}'] must hold one value per order"
        out[name] = values
    return out


def online(mod, model, request: dict, lookup: dict) -> dict[str, float]:
    """``online_features`` as a dict of floats with every feature."""
    raw = dict(mod.online_features(model, dict(request), _copy_lookup(lookup)))
    for name in FEATURES:
        assert name in raw, f"online_features must return the feature '{name}'"
    return {name: float(raw[name]) for name in FEATURES}


def live_score(mod, model, request: dict, lookup: dict) -> float:
    value = float(mod.score(model, dict(request), _copy_lookup(lookup)))
    assert math.isfinite(value), "score must return a finite number of minutes"
    return value


def batch_predictions(mod, model, table: dict, stores: dict) -> np.ndarray:
    out = np.asarray(mod.predict_offline(model, copy(table), copy(stores)), dtype=float).ravel()
    n = len(table[LABEL])
    assert out.shape == (n,), (
        f"predict_offline must return one prediction per order (got {out.shape[0]})"
    )
    assert np.all(np.isfinite(out)), "predict_offline must return finite predictions"
    return out


def _copy_lookup(lookup: dict) -> dict:
    return {store: dict(entry) for store, entry in lookup.items()}


def assert_close(actual: float, expected: float, message: str, tol: float = SAME) -> None:
    """``actual`` must equal ``expected`` to ``tol`` (scaled for large values)."""
    limit = tol * max(1.0, abs(expected))
    assert abs(actual - expected) <= limit, f"{message} (got {actual:.6g}, expected {expected:.6g})"
