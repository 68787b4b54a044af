"""Print the parity between offline and online features over a replayed week."""

import numpy as np

from data import day_start, generate_orders, to_request
from delivery import (
    build_store_lookup,
    evaluate,
    offline_features,
    online_features,
    parity_mismatches,
    predict_offline,
    score,
    train,
)

orders, stores = generate_orders(n_stores=150, days=35, seed=7)
cut = day_start(int(orders["created_at"][0])) + 28 * 86400
history = {k: v[orders["created_at"] < cut] for k, v in orders.items()}
model = train(history, stores)
feats = offline_features(model, orders, stores)
preds = predict_offline(model, orders, stores)
off, on, errors, gap = [], [], [], 0.0
for i in np.flatnonzero(orders["created_at"] >= cut):
    lookup = build_store_lookup(orders, stores, day_start(int(orders["created_at"][i])))
    request = to_request(orders, int(i))
    off.append({k: feats[k][i] for k in feats})
    on.append(online_features(model, request, lookup))
    live = score(model, request, lookup)
    gap = max(gap, abs(live - preds[i]))
    errors.append(abs(live - orders["delivery_min"][i]))
print("mismatches:", parity_mismatches(off, on), f"max pred gap {gap:.1e}")
print(f"offline MAE {evaluate(history, stores)['mae']:.2f}, live MAE {np.mean(errors):.2f}")
