"""Compare offline vs online features on the last 7 days of a 35-day table."""

import numpy as np

from data import day_start, generate_orders, to_request
from delivery import build_store_lookup, offline_features, online_features, parity_mismatches, train

orders, stores = generate_orders(n_stores=100, days=35, seed=1)
start = day_start(int(orders["created_at"][0])) + 28 * 86400
hist = {k: v[orders["created_at"] < start] for k, v in orders.items()}
model = train(hist, stores)
feats = offline_features(model, orders, stores)
off, on = [], []
for i in np.flatnonzero(orders["created_at"] >= start):
    lk = build_store_lookup(orders, stores, day_start(int(orders["created_at"][i])))
    off.append({k: feats[k][i] for k in feats})
    on.append(online_features(model, to_request(orders, int(i)), lk))
print("mismatched features:", parity_mismatches(off, on))
