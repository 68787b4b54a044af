"""Generate the delivery platform's order history and the requests the live service receives.

Two views of the same orders, the way the platform really has them:

- the **warehouse table** the model is trained on: one row per delivered order, as a dict
  that maps each column name to a 1-D numpy array, sorted by ``created_at``;
- the **checkout request**: the JSON body the scoring service receives when an order is
  placed (``to_request``), before anyone knows how long the delivery will take.

    from data import generate_orders, to_request

    orders, stores = generate_orders(n_stores=150, days=28, seed=7)
    request = to_request(orders, 0)

The generator is seeded: the same arguments always give the same tables. README.md
describes every column and every request field.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np

VEHICLES = ("bike", "scooter", "car")
VEHICLE_SHARE = (0.45, 0.35, 0.20)
VEHICLE_EXTRA_MIN = {"bike": 6.0, "scooter": 1.0, "car": 3.5}
"""Minutes a vehicle adds on top of the ride (bikes are slow, cars have to park)."""
UTC_OFFSETS = (-8, -6, -5, -3, 0, 1, 2, 3, 5, 8, 9)
PEAK_HOURS = (11, 12, 13, 18, 19, 20)
"""Local hours of the lunch and dinner rush."""
_HOUR_WEIGHTS = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1, 1.5, 1.8, 2.2, 4.5,
     6, 5, 3, 2.2, 2.2, 3, 5.5, 6.5, 5, 3, 2, 1.4]
)  # fmt: skip


def generate_orders(
    n_stores: int = 150, days: int = 28, start: str = "2024-03-04", seed: int = 0
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Delivered orders of ``n_stores`` stores over ``days`` days from ``start`` (UTC).

    Returns ``(orders, stores)``: the warehouse's order table, sorted by ``created_at``, and
    the store table (``store_id``, ``utc_offset_hours``). Stores drift over the weeks (new
    staff, busier kitchens), so a store's recent orders say more about it than old ones.
    """
    if n_stores < 1 or days < 1:
        raise ValueError("need at least one store and one day")
    rng = np.random.default_rng(seed)
    day0 = int(datetime.fromisoformat(start).replace(tzinfo=UTC).timestamp())
    store_ids = np.array([f"S{k:04d}" for k in range(n_stores)])
    offsets = rng.choice(UTC_OFFSETS, size=n_stores)
    base_prep = np.clip(rng.normal(15.0, 6.0, size=n_stores), 4.0, None)
    drift = np.cumsum(rng.normal(0.0, 1.2, size=(n_stores, days)), axis=1)
    per_day = rng.lognormal(-0.4, 0.6, size=n_stores)

    counts = rng.poisson(per_day[:, None], size=(n_stores, days))
    store, day = np.nonzero(counts)
    repeats = counts[store, day]
    store, day = np.repeat(store, repeats), np.repeat(day, repeats)
    n = len(store)
    local_hour = rng.choice(24, size=n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    seconds = ((local_hour - offsets[store]) % 24) * 3600 + rng.integers(0, 3600, size=n)
    created_at = day0 + day * 86400 + seconds

    distance_km = np.round(np.clip(rng.lognormal(1.0, 0.5, size=n), 0.3, 15.0), 3)
    basket_value = np.round(rng.lognormal(3.2, 0.5, size=n), 2)
    n_items = 1 + rng.poisson(1.0 + basket_value / 20.0)
    courier_wait = rng.exponential(6.0, size=n)
    no_courier = rng.random(n) < 0.25
    courier_eta_min = np.where(no_courier, np.nan, np.round(courier_wait, 1))
    wait = np.where(no_courier, 9.0 + rng.exponential(4.0, size=n), courier_wait)
    vehicle = np.array(VEHICLES)[rng.choice(len(VEHICLES), size=n, p=VEHICLE_SHARE)]
    peak = np.isin(local_hour, PEAK_HOURS)
    minutes = (
        base_prep[store]
        + drift[store, day]
        + 0.8 * n_items
        + wait
        + 3.2 * distance_km
        + np.array([VEHICLE_EXTRA_MIN[v] for v in vehicle])
        + 8.0 * peak
        + rng.normal(0.0, 3.0, size=n)
    )
    delivery_min = np.round(np.clip(minutes, 8.0, None), 1)

    order = np.argsort(created_at, kind="stable")
    orders = {
        "order_id": np.array([f"O{k:07d}" for k in range(n)]),
        "store_id": store_ids[store][order],
        "created_at": created_at[order].astype(np.int64),
        "distance_km": distance_km[order],
        "basket_value": basket_value[order],
        "n_items": n_items[order].astype(np.int64),
        "courier_eta_min": courier_eta_min[order],
        "vehicle": vehicle[order],
        "delivery_min": delivery_min[order],
    }
    stores = {"store_id": store_ids, "utc_offset_hours": offsets.astype(np.int64)}
    return orders, stores


def to_request(orders: dict[str, np.ndarray], row: int) -> dict:
    """The checkout service's request for order ``row``, as the scoring service receives it.

    The routing API gives the distance in whole metres; ``courier_eta_min`` is ``None``
    when no courier is near the store. There is no ``delivery_min``: it is not known yet.
    """
    eta = float(orders["courier_eta_min"][row])
    return {
        "order_id": str(orders["order_id"][row]),
        "store_id": str(orders["store_id"][row]),
        "created_at": int(orders["created_at"][row]),
        "distance_m": round(float(orders["distance_km"][row]) * 1000),
        "basket_value": float(orders["basket_value"][row]),
        "n_items": int(orders["n_items"][row]),
        "courier_eta_min": None if math.isnan(eta) else eta,
        "vehicle": str(orders["vehicle"][row]),
    }


def day_start(created_at: int) -> int:
    """The UTC midnight (epoch seconds) that starts the day of ``created_at``."""
    return int(created_at) - int(created_at) % 86400


if __name__ == "__main__":
    example, shops = generate_orders(n_stores=5, days=3, seed=1)
    for name, values in example.items():
        print(f"{name:>16}: {values[:5]}")
    print(to_request(example, 0))
