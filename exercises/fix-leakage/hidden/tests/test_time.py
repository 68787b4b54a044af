"""Leak 4: validation must come after training in time.

The model is trained on the history and used on the following months, so every validation
snapshot must be later than every training snapshot. Tables start in a different month for
every test (often crossing a year), and their rows are shuffled.
"""

from __future__ import annotations

from _support import checked_split, copy, evaluate_result, make_table, month_number


def _overlap_message(table, train, valid, what: str) -> str | None:
    months = [month_number(m) for m in table["snapshot_month"]]
    last_train = max(months[i] for i in train)
    first_valid = min(months[i] for i in valid)
    if first_valid > last_train:
        return None
    names = table["snapshot_month"]
    latest = max(train, key=lambda i: months[i])
    earliest = min(valid, key=lambda i: months[i])
    return (
        f"{what} must validate on months after every training month "
        f"(training reaches {names[latest]}, validation starts {names[earliest]})"
    )


def test_split_validates_on_later_months(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed)
    train, valid = checked_split(mod.split(copy(table)), table, "split")
    problem = _overlap_message(table, train.tolist(), valid.tolist(), "split")
    assert problem is None, problem


def test_evaluate_validates_on_later_months(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed, n_customers=400)
    result = evaluate_result(mod, table)
    train, valid = checked_split(
        (result["train_rows"], result["valid_rows"]), table, "evaluate's rows"
    )
    problem = _overlap_message(table, train.tolist(), valid.tolist(), "evaluate")
    assert problem is None, problem
