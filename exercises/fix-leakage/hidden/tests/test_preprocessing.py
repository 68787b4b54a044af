"""Leak 1: preprocessing (imputer, scaler, target encoding) must learn from training rows only.

``fit(table, rows)`` is called on rows the test picks; then everything outside those rows is
changed. A model whose preprocessing only ever saw ``rows`` cannot tell the difference.
"""

from __future__ import annotations

import numpy as np
from _support import (
    LABEL,
    assert_same_scores,
    copy,
    make_table,
    n_rows,
    perturb_other_rows,
    random_rows,
    scores,
    take,
    without_label,
)


def test_fit_ignores_labels_outside_its_rows(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed)
    rows = random_rows(table, case_seed + 1)
    flipped = copy(table)
    outside = np.ones(n_rows(table), dtype=bool)
    outside[rows] = False
    flipped[LABEL][outside] = 1 - flipped[LABEL][outside]
    probe = without_label(table)
    n = n_rows(table)
    before = scores(mod.predict(mod.fit(copy(table), list(rows)), copy(probe)), n, "predict")
    after = scores(mod.predict(mod.fit(flipped, list(rows)), copy(probe)), n, "predict")
    assert_same_scores(
        after,
        before,
        "fit(table, rows) must not learn from the labels of rows outside `rows`",
    )


def test_fit_ignores_features_outside_its_rows(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed)
    rows = random_rows(table, case_seed + 2)
    changed = perturb_other_rows(table, rows, case_seed + 3)
    probe = without_label(table)
    n = n_rows(table)
    before = scores(mod.predict(mod.fit(copy(table), list(rows)), copy(probe)), n, "predict")
    after = scores(mod.predict(mod.fit(changed, list(rows)), copy(probe)), n, "predict")
    assert_same_scores(
        after,
        before,
        "fit(table, rows) must not learn from the features of rows outside `rows` "
        "(imputer, scaler and encoders included)",
    )


def test_predict_scores_each_row_on_its_own(candidate, case_seed):
    mod = candidate.module("pipeline")
    table = make_table(case_seed)
    model = mod.fit(copy(table), random_rows(table, case_seed + 4))
    probe = without_label(table)
    n = n_rows(table)
    everything = scores(mod.predict(model, copy(probe)), n, "predict")
    rng = np.random.default_rng(case_seed + 5)
    for size in (25, 3):
        subset = rng.choice(n, size=size, replace=False)
        alone = scores(mod.predict(model, take(probe, subset)), size, "predict")
        assert_same_scores(
            alone,
            everything[subset],
            "predict must score each row from the fitted model alone, "
            "not from statistics of the table it is given",
        )
