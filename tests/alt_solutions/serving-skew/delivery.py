"""Delivery-time model: offline features for training, online features for the live service.

The model predicts how many minutes an order takes from checkout to the customer's door.
It is trained offline on the warehouse's order table and served online by ``score``, which
rebuilds the same features from one checkout request and the nightly store lookup table.
Offline validation MAE: about 6.4 minutes once the store average stopped peeking at the
answers (see DIAGNOSIS.md).

Run ``python delivery.py`` to print the offline validation MAE on a generated table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

FEATURES = (
    "distance_km",
    "basket_value",
    "n_items",
    "courier_eta_min",
    "vehicle_code",
    "is_peak",
    "store_avg_min",
)
PEAK_HOURS = (11, 12, 13, 18, 19, 20)
"""Local hours of the lunch and dinner rush."""
PRIOR_MINUTES = 30.0
PRIOR_WEIGHT = 5.0
"""The store average is shrunk towards PRIOR_MINUTES as if the store had 5 such orders."""
VALID_DAYS = 7
SECONDS_PER_DAY = 86400
LABEL = "delivery_min"


@dataclass(frozen=True)
class DeliveryModel:
    """What scoring needs: the fitted feature statistics and the linear model's weights."""

    eta_median: float
    """Median courier ETA of the training rows: the value of a missing ETA."""
    vehicle_levels: tuple[str, ...]
    """The vehicles of the training rows, sorted: a vehicle's code is its position here."""
    weights: tuple[float, ...]
    intercept: float


def build_store_lookup(orders: dict, stores: dict, cutoff: int) -> dict[str, dict]:
    """The nightly job: per store, its UTC offset and average delivery time before ``cutoff``.

    Production runs this at every UTC midnight over all orders created before it and serves
    the result to ``score`` for the whole following day.
    """
    before = np.asarray(orders["created_at"]) < cutoff
    minutes = pd.Series(np.asarray(orders[LABEL], dtype=float)[before])
    by_store = minutes.groupby(np.asarray(orders["store_id"])[before])
    totals, counts = by_store.sum(), by_store.count()
    lookup = {}
    for store_id, offset in zip(stores["store_id"], stores["utc_offset_hours"], strict=True):
        n = int(counts.get(store_id, 0))
        total = float(totals.get(store_id, 0.0))
        lookup[str(store_id)] = {
            "utc_offset_hours": int(offset),
            "avg_delivery_min": (total + PRIOR_WEIGHT * PRIOR_MINUTES) / (n + PRIOR_WEIGHT),
            "n_orders": n,
        }
    return lookup


def day_start(created_at: int) -> int:
    """The UTC midnight that starts the day of ``created_at`` (epoch seconds)."""
    return int(created_at) - int(created_at) % SECONDS_PER_DAY


def is_peak(created_at: int, utc_offset_hours: int) -> float:
    """1.0 when the order is placed during a local lunch or dinner rush hour, else 0.0."""
    local_hour = (int(created_at) // 3600 + int(utc_offset_hours)) % 24
    return 1.0 if local_hour in PEAK_HOURS else 0.0


def vehicle_code(model: DeliveryModel, vehicle: str) -> float:
    """The vehicle's position in the training vehicles (sorted), -1 for one never seen."""
    levels = model.vehicle_levels
    return float(levels.index(vehicle)) if vehicle in levels else -1.0


def fill_eta(model: DeliveryModel, eta: float | None) -> float:
    """The courier ETA, or the training median when there is none (None online, NaN offline)."""
    if eta is None or eta != eta:  # eta != eta only for NaN
        return model.eta_median
    return float(eta)


def _store_averages(orders: dict) -> np.ndarray:
    """Each order's store average as the nightly job would have served it that day.

    Only orders created before the UTC midnight that starts the order's day count, with the
    same pull towards PRIOR_MINUTES as ``build_store_lookup``.
    """
    store_col = [str(s) for s in orders["store_id"]]
    days = [day_start(c) for c in orders["created_at"]]
    minutes = np.asarray(orders[LABEL], dtype=float)

    day_totals: dict[tuple[str, int], list[float]] = {}
    for store, day, value in zip(store_col, days, minutes, strict=True):
        total = day_totals.setdefault((store, day), [0.0, 0.0])
        total[0] += value
        total[1] += 1

    known_at_midnight: dict[tuple[str, int], tuple[float, float]] = {}
    so_far: dict[str, tuple[float, float]] = {}
    for store, day in sorted(day_totals):
        total, count = so_far.get(store, (0.0, 0.0))
        known_at_midnight[(store, day)] = (total, count)
        day_total, day_count = day_totals[(store, day)]
        so_far[store] = (total + day_total, count + day_count)

    averages = []
    for store, day in zip(store_col, days, strict=True):
        total, count = known_at_midnight[(store, day)]
        averages.append((total + PRIOR_WEIGHT * PRIOR_MINUTES) / (count + PRIOR_WEIGHT))
    return np.array(averages)


def _offline_columns(orders: dict, stores: dict, eta_median: float, levels: tuple[str, ...]):
    """The feature columns of every order of the warehouse table."""
    offsets = dict(zip(stores["store_id"], stores["utc_offset_hours"], strict=True))
    eta = np.asarray(orders["courier_eta_min"], dtype=float)
    model = DeliveryModel(eta_median, levels, (), 0.0)
    return {
        "distance_km": np.asarray(orders["distance_km"], dtype=float),
        "basket_value": np.asarray(orders["basket_value"], dtype=float),
        "n_items": np.asarray(orders["n_items"], dtype=float),
        "courier_eta_min": np.where(np.isnan(eta), eta_median, eta),
        "vehicle_code": np.array([vehicle_code(model, str(v)) for v in orders["vehicle"]]),
        "is_peak": np.array(
            [
                is_peak(t, offsets[s])
                for t, s in zip(orders["created_at"], orders["store_id"], strict=True)
            ]
        ),
        "store_avg_min": _store_averages(orders),
    }


def offline_features(model: DeliveryModel, orders: dict, stores: dict) -> dict[str, list[float]]:
    """The features of every order of the warehouse table, one list per feature."""
    columns = _offline_columns(orders, stores, model.eta_median, model.vehicle_levels)
    return {name: columns[name].tolist() for name in FEATURES}


def _design(columns: dict, n_levels: int) -> np.ndarray:
    """The matrix the linear model sees: numeric features, then the vehicle one-hot."""
    numeric = [
        np.asarray(columns[name], dtype=float) for name in FEATURES if name != "vehicle_code"
    ]
    codes = np.asarray(columns["vehicle_code"], dtype=int)
    one_hot = (codes[:, None] == np.arange(n_levels)[None, :]).astype(float)
    return np.column_stack([*numeric, one_hot])


def train(orders: dict, stores: dict, rows: list[int] | None = None) -> DeliveryModel:
    """Fit the feature statistics and a least-squares linear model on ``rows`` (default all)."""
    n = len(orders[LABEL])
    picked = np.arange(n) if rows is None else np.asarray(rows, dtype=int)
    eta = np.asarray(orders["courier_eta_min"], dtype=float)[picked]
    eta_median = float(np.nanmedian(eta)) if np.any(~np.isnan(eta)) else 0.0
    levels = tuple(sorted({str(v) for v in np.asarray(orders["vehicle"])[picked]}))
    columns = _offline_columns(orders, stores, eta_median, levels)
    X = _design(columns, len(levels))[picked]
    y = np.asarray(orders[LABEL], dtype=float)[picked]
    A = np.column_stack([X, np.ones(len(picked))])
    solution, *_ = np.linalg.lstsq(A, y, rcond=None)
    return DeliveryModel(eta_median, levels, tuple(solution[:-1].tolist()), float(solution[-1]))


def _predict(model: DeliveryModel, columns: dict) -> np.ndarray:
    X = _design(columns, len(model.vehicle_levels))
    return X @ np.asarray(model.weights) + model.intercept


def predict_offline(model: DeliveryModel, orders: dict, stores: dict) -> list[float]:
    """Predicted minutes for every order of the warehouse table (batch scoring)."""
    columns = _offline_columns(orders, stores, model.eta_median, model.vehicle_levels)
    return _predict(model, columns).tolist()


def online_features(model: DeliveryModel, request: dict, lookup: dict) -> dict[str, float]:
    """The features of one checkout request, with the nightly store lookup table."""
    store = lookup[request["store_id"]]
    return {
        "distance_km": request["distance_m"] / 1000.0,  # the request has metres
        "basket_value": float(request["basket_value"]),
        "n_items": float(request["n_items"]),
        "courier_eta_min": fill_eta(model, request.get("courier_eta_min")),
        "vehicle_code": vehicle_code(model, request["vehicle"]),
        "is_peak": is_peak(request["created_at"], store["utc_offset_hours"]),
        "store_avg_min": float(store["avg_delivery_min"]),
    }


def score(model: DeliveryModel, request: dict, lookup: dict) -> float:
    """Predicted minutes for one checkout request (the live service)."""
    features = online_features(model, request, lookup)
    columns = {name: [value] for name, value in features.items()}
    return float(_predict(model, columns)[0])


def evaluate(orders: dict, stores: dict) -> dict:
    """Train on all days but the last seven, report the MAE on the last seven days."""
    created = np.asarray(orders["created_at"], dtype=np.int64)
    first_valid_day = day_start(int(created.max())) - (VALID_DAYS - 1) * SECONDS_PER_DAY
    train_rows = np.flatnonzero(created < first_valid_day).tolist()
    valid_rows = np.flatnonzero(created >= first_valid_day).tolist()
    model = train(orders, stores, train_rows)
    predicted = np.asarray(predict_offline(model, orders, stores))[valid_rows]
    actual = np.asarray(orders[LABEL], dtype=float)[valid_rows]
    return {
        "mae": float(np.mean(np.abs(predicted - actual))),
        "train_rows": train_rows,
        "valid_rows": valid_rows,
    }


def parity_mismatches(
    offline_rows: list[dict], online_rows: list[dict], atol: float = 1e-6
) -> list[str]:
    """The names of the features whose offline and online values disagree (see README.md)."""
    if len(offline_rows) != len(online_rows):
        raise ValueError("the two lists must have one row per order each")
    different = set()
    for offline, online in zip(offline_rows, online_rows, strict=True):
        for name in set(offline) | set(online):
            if name not in offline or name not in online:
                different.add(name)
                continue
            a, b = float(offline[name]), float(online[name])
            if math.isnan(a) != math.isnan(b) or abs(a - b) > atol:
                different.add(name)
    return sorted(different)


def main() -> None:
    from data import generate_orders

    orders, stores = generate_orders(n_stores=150, days=28, seed=7)
    result = evaluate(orders, stores)
    print(
        f"orders: {len(orders[LABEL])}, train: {len(result['train_rows'])}, "
        f"validation: {len(result['valid_rows'])}"
    )
    print(f"offline validation MAE: {result['mae']:.2f} minutes")


if __name__ == "__main__":
    main()
