"""Public tests: quick checks of the interface, run with ``python -m pytest public_tests``.

They pass on the pipeline you were given: they check the shape of the answers, not whether
the validation is honest. The hidden tests check much more (see README.md), on other data.
"""

from __future__ import annotations

import numpy as np
from data import generate_customers
from pipeline import evaluate, fit, predict, split

TABLE = generate_customers(n_customers=300, seed=3)
N_ROWS = len(TABLE["churned"])


def test_split_returns_two_disjoint_lists_of_row_numbers() -> None:
    train_rows, valid_rows = split(TABLE)
    assert len(train_rows) > 0 and len(valid_rows) > 0
    assert not set(train_rows) & set(valid_rows)
    assert all(0 <= int(row) < N_ROWS for row in [*train_rows, *valid_rows])


def test_predict_scores_every_row_without_the_label() -> None:
    model = fit(TABLE, list(range(0, N_ROWS, 2)))
    unlabelled = {name: values for name, values in TABLE.items() if name != "churned"}
    scores = np.asarray(predict(model, unlabelled), dtype=float)
    assert scores.shape == (N_ROWS,)
    assert np.all((scores >= 0.0) & (scores <= 1.0))


def test_evaluate_reports_the_auc_and_the_rows_it_used() -> None:
    result = evaluate(TABLE)
    assert 0.0 <= float(result["valid_auc"]) <= 1.0
    assert list(result["train_rows"]), "evaluate must report its training rows"
    assert list(result["valid_rows"]), "evaluate must report its validation rows"


def test_evaluate_is_deterministic() -> None:
    first, second = evaluate(TABLE), evaluate(TABLE)
    assert float(first["valid_auc"]) == float(second["valid_auc"])
    assert list(first["valid_rows"]) == list(second["valid_rows"])
