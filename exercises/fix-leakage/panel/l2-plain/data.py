"""Generate the monthly customer snapshot table the churn pipeline works on.

The table has one row per customer per month (a "snapshot"), the way the data warehouse
exports it, as a dict that maps each column name to a 1-D numpy array (one value per row):

    from data import generate_customers

    table = generate_customers(n_customers=3000, seed=7)
    len(table["churned"])       # number of snapshots (rows)

The generator is seeded: the same arguments always give the same table. README.md describes
every column.
"""

from __future__ import annotations

import numpy as np

PLAN_PRICES = {"basic": 19.0, "standard": 34.0, "premium": 54.0}
PAYMENT_METHODS = ("card", "direct_debit", "invoice")
COMPETITOR_LAUNCH = 8
"""Months after the first snapshot when a competitor launched its cheaper offer."""
SNAPSHOTS_PER_CAMPAIGN = 3
"""Campaigns are small: about this many snapshots share one campaign code."""
CODE_LETTERS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))


def generate_customers(
    n_customers: int = 3000, n_months: int = 12, start: str = "2023-01", seed: int = 0
) -> dict[str, np.ndarray]:
    """Snapshots of ``n_customers`` customers over ``n_months`` months from ``start`` (YYYY-MM).

    Rows are ordered by customer, then by month. A customer has a snapshot for every month
    from the first month of the table (or the month they signed up) up to the month they
    cancel, or the last month of the table.
    """
    if n_customers < 1 or n_months < 2:
        raise ValueError("need at least one customer and two months")
    rng = np.random.default_rng(seed)
    n = n_customers
    month = np.arange(n_months)[None, :]

    # Who the customers are (fixed over time).
    risk = rng.normal(size=n)  # unobserved: how inclined the customer is to leave
    joined_earlier = rng.random(n) < 0.75
    first = np.where(joined_earlier, 0, rng.integers(1, n_months, size=n))
    tenure_at_first = np.where(joined_earlier, rng.integers(1, 61, size=n), 0)
    plan = np.array(list(PLAN_PRICES))[rng.choice(3, size=n, p=[0.5, 0.3, 0.2])]
    monthly = rng.random(n) < _sigmoid(0.2 + 0.6 * risk)
    contract = np.where(monthly, "monthly", "annual")
    payment = np.array(PAYMENT_METHODS)[rng.choice(3, size=n, p=[0.45, 0.4, 0.15])]
    list_price = np.array([PLAN_PRICES[p] for p in plan])
    charge = np.round(list_price + rng.normal(0.0, 4.0, size=n), 2)
    typical_usage = rng.lognormal(3.0, 0.5, size=n)

    # When they leave: the usual slow disengagement, plus, once the competitor has
    # launched, sudden switches.
    tenure = tenure_at_first[:, None] + month - first[:, None]
    subscribed = month >= first[:, None]
    leave_logit = (
        -2.3
        + 0.9 * risk[:, None]
        + 0.8 * monthly[:, None]
        - 0.3 * np.log1p(np.maximum(tenure, 0))
        + 0.02 * (charge[:, None] - 34.0)
        + 0.4 * (payment == "invoice")[:, None]
    )
    switch_hazard = np.where(
        month >= COMPETITOR_LAUNCH, 0.07 * np.exp(0.02 * (charge[:, None] - 34.0)), 0.0
    )
    leaves = subscribed & (rng.random((n, n_months)) < _sigmoid(leave_logit))
    switches = subscribed & ~leaves & (rng.random((n, n_months)) < switch_hazard)
    cancels = leaves | switches
    has_cancelled = cancels.any(axis=1)
    cancel_month = np.where(has_cancelled, cancels.argmax(axis=1), n_months + 100)
    last_index = np.minimum(cancel_month, n_months - 1)
    disengaged = has_cancelled & leaves[np.arange(n), last_index]
    active = subscribed & (month <= cancel_month[:, None])
    months_left = cancel_month[:, None] - month
    fading = np.where(disengaged[:, None], np.clip(3 - months_left, 0, 3), 0)

    # What the warehouse records each month.
    history = typical_usage[:, None] * np.exp(rng.normal(0.0, 0.15, size=(n, 3)))
    usage = typical_usage[:, None] * np.exp(
        -0.35 * fading + rng.normal(0.0, 0.15, size=(n, n_months))
    )
    series = np.hstack([history, usage])
    previous = np.stack([series[:, t : t + 3].mean(axis=1) for t in range(n_months)], axis=1)
    usage_change = np.where(tenure >= 3, usage / previous - 1.0, np.nan)
    support_calls = rng.poisson(0.3 * np.exp(0.35 * risk[:, None]) * (1.0 + 0.6 * fading))
    late_payments = rng.poisson(
        0.1 + 0.3 * (payment == "invoice")[:, None] + 0.15 * np.maximum(risk, 0.0)[:, None],
        size=(n, n_months),
    )
    satisfaction = np.clip(
        np.round(7.0 - 0.9 * risk[:, None] - 0.3 * fading + rng.normal(0, 1.5, (n, n_months))),
        0,
        10,
    )
    satisfaction = np.where(rng.random((n, n_months)) < 0.5, np.nan, satisfaction)
    churned = active & (months_left == 0)

    # CRM fields, joined on every snapshot of the customer at extraction time (the end of
    # the last month of the table).
    cancelled = cancel_month < n_months
    days_since_cancellation = np.where(
        cancelled, (n_months - 1 - cancel_month) * 30 + rng.integers(1, 31, size=n), np.nan
    )
    draw = rng.random(n)
    retention_offer = np.where(
        cancelled,
        np.where(draw < 0.7, "declined", "none"),
        np.where(draw < 0.06, "accepted", "none"),
    )

    ids = rng.choice(9_000_000, size=n, replace=False) + 1_000_000
    who, when = np.nonzero(active)
    return {
        "customer_id": np.char.add("C", ids[who].astype(str)),
        "snapshot_month": _month_names(start, when),
        "tenure_months": tenure[who, when].astype(np.int64),
        "plan": plan[who],
        "contract": contract[who],
        "payment_method": payment[who],
        "monthly_charge": charge[who],
        "usage_hours": np.round(usage[who, when], 1),
        "usage_change": np.round(usage_change[who, when], 3),
        "support_calls": support_calls[who, when].astype(np.int64),
        "late_payments": late_payments[who, when].astype(np.int64),
        "satisfaction": satisfaction[who, when],
        "campaign": _campaign_codes(rng, when, n_months),
        "days_since_cancellation": days_since_cancellation[who],
        "retention_offer": retention_offer[who],
        "churned": churned[who, when].astype(np.int64),
    }


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _month_names(start: str, offsets: np.ndarray) -> np.ndarray:
    """``start`` (YYYY-MM) shifted by each offset, as YYYY-MM strings."""
    year, month = (int(part) for part in start.split("-"))
    index = year * 12 + (month - 1) + offsets
    years = np.char.zfill((index // 12).astype(str), 4)
    months = np.char.zfill((index % 12 + 1).astype(str), 2)
    return np.char.add(np.char.add(years, "-"), months)


def _campaign_codes(rng: np.random.Generator, when: np.ndarray, n_months: int) -> np.ndarray:
    """A fresh batch of small campaigns every month: two letters for the batch, then a number."""
    pairs = np.char.add(CODE_LETTERS[:, None], CODE_LETTERS[None, :]).ravel()
    batch = rng.permutation(pairs)[:n_months]
    per_month = max(1, len(when) // (SNAPSHOTS_PER_CAMPAIGN * n_months))
    numbers = np.char.zfill(rng.integers(0, per_month, size=len(when)).astype(str), 3)
    return np.char.add(batch[when], numbers)


if __name__ == "__main__":
    example = generate_customers(n_customers=5, n_months=4, seed=1)
    for name, values in example.items():
        print(f"{name:>24}: {values[:6]}")
