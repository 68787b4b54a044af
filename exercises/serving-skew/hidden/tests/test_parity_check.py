"""The candidate's parity check: parity_mismatches must name the features that disagree."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _support import FEATURES


def _rows(seed: int, n: int = 12) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        row = {name: float(np.round(rng.uniform(0, 40), 3)) for name in FEATURES}
        if rng.random() < 0.4:
            row["courier_eta_min"] = math.nan
        rows.append(row)
    return rows


def _twin(rows: list[dict]) -> list[dict]:
    return [dict(row) for row in rows]


def test_identical_rows_have_no_mismatch(candidate, case_seed):
    mod = candidate.module("delivery")
    rows = _rows(case_seed)
    rows[0]["courier_eta_min"] = math.nan
    got = list(mod.parity_mismatches(_twin(rows), _twin(rows)))
    assert got == [], f"identical rows (NaN in the same places) must give no mismatch (got {got})"


def test_each_skewed_feature_is_named_once_sorted(candidate, case_seed):
    mod = candidate.module("delivery")
    offline = _rows(case_seed)
    online = _twin(offline)
    for row in online:
        row["distance_km"] = row["distance_km"] * 1000.0 + 1.0
    online[3]["vehicle_code"] = offline[3]["vehicle_code"] + 1.0
    got = list(mod.parity_mismatches(offline, online))
    assert got == ["distance_km", "vehicle_code"], (
        f"must name each feature that differs on any row, once, sorted (got {got})"
    )


def test_nan_on_one_side_only_is_a_mismatch(candidate, case_seed):
    mod = candidate.module("delivery")
    offline = _rows(case_seed)
    offline[2]["courier_eta_min"] = 7.5
    online = _twin(offline)
    online[2]["courier_eta_min"] = math.nan
    got = list(mod.parity_mismatches(offline, online))
    assert got == ["courier_eta_min"], f"a value against NaN must be a mismatch (got {got})"
    got = list(mod.parity_mismatches(online, offline))
    assert got == ["courier_eta_min"], f"NaN against a value must be a mismatch (got {got})"


def test_tolerance_is_absolute_and_adjustable(candidate, case_seed):
    mod = candidate.module("delivery")
    offline = _rows(case_seed)
    tiny, small = _twin(offline), _twin(offline)
    tiny[1]["store_avg_min"] += 1e-9
    small[1]["store_avg_min"] += 1e-3
    assert list(mod.parity_mismatches(offline, tiny)) == [], (
        "a difference of 1e-9 is within the default atol of 1e-6"
    )
    assert list(mod.parity_mismatches(offline, small)) == ["store_avg_min"], (
        "a difference of 1e-3 is beyond the default atol of 1e-6"
    )
    assert list(mod.parity_mismatches(offline, small, atol=0.01)) == [], (
        "a difference of 1e-3 is within atol=0.01"
    )
    edge, over = _twin(offline), _twin(offline)
    for rows in (offline, edge, over):
        rows[5]["basket_value"] = 10.0
    edge[5]["basket_value"], over[5]["basket_value"] = 10.5, 10.0 + 1.5e-6
    assert list(mod.parity_mismatches(offline, edge, atol=0.5)) == [], (
        "a difference of exactly atol is not a mismatch (only abs(a - b) > atol is)"
    )
    assert list(mod.parity_mismatches(offline, over)) == ["basket_value"], (
        "a difference of 1.5e-6 is beyond the default atol of 1e-6"
    )


def test_a_feature_missing_on_one_side_is_a_mismatch(candidate, case_seed):
    mod = candidate.module("delivery")
    offline = _rows(case_seed)
    online = _twin(offline)
    del online[4]["is_peak"]
    got = list(mod.parity_mismatches(offline, online))
    assert got == ["is_peak"], f"a feature only one side has must be a mismatch (got {got})"


def test_rows_of_different_counts_raise_value_error(candidate, case_seed):
    mod = candidate.module("delivery")
    offline = _rows(case_seed)
    assert list(mod.parity_mismatches(offline, _twin(offline))) == [], (
        "equal lists must be compared (no error)"
    )
    with pytest.raises(ValueError):
        mod.parity_mismatches(offline, _twin(offline)[:-1])
