"""The reported number: evaluate's AUC must be what the model really achieves.

The honest question is how the model does in the months after it is trained, on customers
it has never seen. The test asks for that directly: it trains the candidate's model on the
candidate's own training rows, scores brand-new customers in the three months that follow
the table (as they look at scoring time: no label, no cancellation yet), and compares that
AUC with the one ``evaluate`` reported. Averaging over a few tables keeps the check steady.
"""

from __future__ import annotations

import numpy as np
from _data import generate_customers
from _support import (
    LABEL,
    auc,
    checked_split,
    copy,
    evaluate_result,
    future_customers,
    make_table,
    month_number,
    n_rows,
    random_start,
    scores,
    without_label,
)

TABLES = 3
TABLE_CUSTOMERS = 4000
FRESH_CUSTOMERS = 8000
TOLERANCE = 0.06
"""How far the reported AUC may be from the AUC on fresh data (an honest pipeline: within ~0.03)."""
USEFUL_AUC = 0.62
"""A model trained on the history must still rank fresh churners (the reference: ~0.71)."""


def test_reported_auc_matches_fresh_customers(candidate, case_seed):
    mod = candidate.module("pipeline")
    rng = np.random.default_rng(case_seed)
    reported, fresh = [], []
    for _ in range(TABLES):
        seed, start = int(rng.integers(2**31)), random_start(rng)
        table = generate_customers(TABLE_CUSTOMERS, 12, start, seed=seed)
        result = evaluate_result(mod, table)
        train, _ = checked_split(
            (result["train_rows"], result["valid_rows"]), table, "evaluate's rows"
        )
        model = mod.fit(copy(table), train.tolist())
        future, outcome = future_customers(seed + 1, start, FRESH_CUSTOMERS)
        predicted = scores(mod.predict(model, future), len(outcome), "predict")
        reported.append(float(result["valid_auc"]))
        fresh.append(auc(outcome, predicted))
    said, real = float(np.mean(reported)), float(np.mean(fresh))
    assert abs(said - real) <= TOLERANCE, (
        f"evaluate's AUC must match the model's AUC on new customers in the following months "
        f"within {TOLERANCE} (reported {said:.3f}, fresh data {real:.3f})"
    )


def test_evaluate_reports_the_model_fit_returns(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed, n_customers=400)
    result = evaluate_result(mod, table)
    train, valid = checked_split(
        (result["train_rows"], result["valid_rows"]), table, "evaluate's rows"
    )
    model = mod.fit(copy(table), train.tolist())
    predicted = scores(mod.predict(model, without_label(table)), n_rows(table), "predict")
    labels = table[LABEL].astype(int)
    recomputed = auc(labels[valid], predicted[valid])
    assert abs(recomputed - float(result["valid_auc"])) <= 1e-6, (
        f"evaluate's valid_auc must be the AUC of fit(table, train_rows) on its validation "
        f"rows (reported {float(result['valid_auc']):.4f}, recomputed {recomputed:.4f})"
    )


def test_model_still_ranks_fresh_churners(candidate, case_seed):
    mod = candidate.module("pipeline")
    rng = np.random.default_rng(case_seed)
    start = random_start(rng)
    table = generate_customers(2000, 12, start, seed=case_seed)
    months = np.array([month_number(m) for m in table["snapshot_month"]])
    history = np.flatnonzero(months <= months.max() - 3).tolist()
    model = mod.fit(copy(table), list(history))
    future, outcome = future_customers(case_seed + 1, start, 6000)
    real = auc(outcome, scores(mod.predict(model, future), len(outcome), "predict"))
    assert real >= USEFUL_AUC, (
        f"a model trained on the history must reach an AUC of at least {USEFUL_AUC} on new "
        f"customers in the following months (got {real:.3f})"
    )
