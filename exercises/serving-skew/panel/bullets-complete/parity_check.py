"""Replay the shadow run and compare the offline and online features of every live order.

    python parity_check.py [--seed 7] [--stores 150]

Exits with status 1 when any feature (or the prediction) differs between the two paths.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from data import day_start, generate_orders, to_request
from delivery import (
    FEATURES,
    build_store_lookup,
    evaluate,
    offline_features,
    online_features,
    parity_mismatches,
    predict_offline,
    score,
    train,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stores", type=int, default=150)
    args = parser.parse_args()

    orders, stores = generate_orders(n_stores=args.stores, days=35, seed=args.seed)
    live_start = day_start(int(orders["created_at"][0])) + 28 * 86400
    in_history = orders["created_at"] < live_start
    history = {name: values[in_history] for name, values in orders.items()}
    model = train(history, stores)

    batch_features = offline_features(model, orders, stores)
    batch_pred = predict_offline(model, orders, stores)
    lookups: dict[int, dict] = {}
    offline_rows, online_rows, errors, worst_gap = [], [], [], 0.0
    for row in np.flatnonzero(~in_history):
        midnight = day_start(int(orders["created_at"][row]))
        lookup = lookups.setdefault(midnight, build_store_lookup(orders, stores, midnight))
        request = to_request(orders, int(row))
        offline_rows.append({name: batch_features[name][row] for name in FEATURES})
        online_rows.append(online_features(model, request, lookup))
        live = score(model, request, lookup)
        worst_gap = max(worst_gap, abs(live - batch_pred[row]))
        errors.append(abs(live - orders["delivery_min"][row]))

    mismatches = parity_mismatches(offline_rows, online_rows)
    offline_mae = evaluate(history, stores)["mae"]
    print(f"live orders: {len(online_rows)}  feature mismatches: {mismatches or 'none'}")
    print(f"max |score - predict_offline|: {worst_gap:.2e}")
    print(f"offline MAE (evaluate): {offline_mae:.2f}  live MAE: {np.mean(errors):.2f}")
    return 1 if mismatches or worst_gap > 1e-6 else 0


if __name__ == "__main__":
    sys.exit(main())
