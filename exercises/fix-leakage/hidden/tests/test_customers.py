"""Leak 3: a customer's snapshots must all be on the same side of the split.

The model will score customers it has never seen, so no validation customer may have rows
in training. The rows are shuffled so a split by position cannot pass by luck.
"""

from __future__ import annotations

from _support import checked_split, copy, evaluate_result, make_table


def _shared_customers(table, train, valid) -> set[str]:
    ids = table["customer_id"]
    return {ids[i] for i in train} & {ids[i] for i in valid}


def test_split_keeps_each_customer_on_one_side(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed)
    train, valid = checked_split(mod.split(copy(table)), table, "split")
    shared = _shared_customers(table, train, valid)
    assert not shared, (
        f"split must not put a customer in both training and validation "
        f"({len(shared)} customers are on both sides)"
    )


def test_evaluate_keeps_each_customer_on_one_side(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed, n_customers=400)
    result = evaluate_result(mod, table)
    train, valid = checked_split(
        (result["train_rows"], result["valid_rows"]), table, "evaluate's rows"
    )
    shared = _shared_customers(table, train, valid)
    assert not shared, (
        f"evaluate must not train and validate on the same customer "
        f"({len(shared)} customers are on both sides)"
    )
