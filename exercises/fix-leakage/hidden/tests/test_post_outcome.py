"""Leak 2: CRM fields written after the cancellation must not be used.

``days_since_cancellation`` and ``retention_offer`` are only filled once a customer has
called to cancel, so the model can neither learn from them nor score with them. Each test
blanks the field in training and scrambles it at scoring time: the scores must not move.
"""

from __future__ import annotations

import numpy as np
from _support import (
    assert_same_scores,
    copy,
    make_table,
    n_rows,
    random_rows,
    scores,
    without_label,
)


def _check_field_is_ignored(mod, case_seed: int, field: str, blank, scramble) -> None:
    table = make_table(case_seed)
    rows = random_rows(table, case_seed + 1)
    n = n_rows(table)
    blanked = copy(table)
    blanked[field] = np.full(n, blank)
    probe = without_label(table)
    scrambled = without_label(table)
    scrambled[field] = scramble(np.random.default_rng(case_seed + 2), n)

    model = mod.fit(copy(table), list(rows))
    reference = scores(mod.predict(model, copy(probe)), n, "predict")
    assert_same_scores(
        scores(mod.predict(mod.fit(blanked, list(rows)), copy(probe)), n, "predict"),
        reference,
        f"the model must not learn from '{field}' (it is only known after the outcome)",
    )
    assert_same_scores(
        scores(mod.predict(model, scrambled), n, "predict"),
        reference,
        f"the scores must not depend on '{field}' (it is only known after the outcome)",
    )


def _days(rng: np.random.Generator, n: int) -> np.ndarray:
    days = rng.integers(1, 365, size=n).astype(float)
    return np.where(rng.random(n) < 0.5, days, np.nan)


def _offer(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.array(["none", "declined", "accepted"])[rng.integers(3, size=n)]


def test_days_since_cancellation_is_not_used(candidate, case_seed):
    mod = candidate.module("pipeline")
    _check_field_is_ignored(mod, case_seed, "days_since_cancellation", np.nan, _days)


def test_retention_offer_is_not_used(candidate, case_seed):
    mod = candidate.module("pipeline")
    _check_field_is_ignored(mod, case_seed, "retention_offer", "none", _offer)
