"""Hidden tests: precision_recall_f1 per class, its three averages and zero_division."""

from __future__ import annotations

import numpy as np
from _checks import assert_close, metrics, prf_arrays, prf_triple
from _data import noisy_predictions, ref_per_class, ref_prf, rng_for, shuffled_classes


def multiclass(case_seed: int, strings: bool = False) -> tuple[list, list]:
    """Imbalanced multiclass labels where every class is both present and predicted."""
    rng = rng_for(case_seed)
    classes = shuffled_classes(rng, int(rng.integers(3, 6)), strings=strings)
    y_true, y_pred = noisy_predictions(rng, classes, int(rng.integers(80, 160)))
    # Every class once correctly, so no ratio is 0/0 here (zero_division has its own tests).
    return y_true + classes, y_pred + classes


def test_prf_macro_matches_definition(candidate, case_seed):
    y_true, y_pred = multiclass(case_seed)
    mod = metrics(candidate)
    expected = ref_prf(y_true, y_pred, "macro")
    got = prf_triple(mod.precision_recall_f1(y_true, y_pred, average="macro"), "macro average")
    assert_close(got, expected, "macro (precision, recall, f1) must be the unweighted class means")
    default = prf_triple(mod.precision_recall_f1(y_true, y_pred), "the default average")
    assert_close(default, expected, "the default average must be macro")


def test_prf_micro_matches_definition(candidate, case_seed):
    y_true, y_pred = multiclass(case_seed)
    got = prf_triple(
        metrics(candidate).precision_recall_f1(y_true, y_pred, average="micro"), "micro average"
    )
    assert_close(
        got,
        ref_prf(y_true, y_pred, "micro"),
        "micro (precision, recall, f1) must come from pooled counts (= accuracy here)",
    )


def test_prf_weighted_matches_definition(candidate, case_seed):
    y_true, y_pred = multiclass(case_seed)
    got = prf_triple(
        metrics(candidate).precision_recall_f1(
            np.array(y_true), np.array(y_pred), average="weighted"
        ),
        "weighted average",
    )
    assert_close(
        got,
        ref_prf(y_true, y_pred, "weighted"),
        "weighted (precision, recall, f1) must weight each class by its support in y_true",
    )


def test_prf_per_class_with_average_none(candidate, case_seed):
    y_true, y_pred = multiclass(case_seed, strings=True)
    per = ref_per_class(y_true, y_pred)
    got = prf_arrays(
        metrics(candidate).precision_recall_f1(y_true, y_pred, average=None),
        len(per["labels"]),
        "average=None",
    )
    for name, values in zip(("precision", "recall", "f1"), got, strict=True):
        assert_close(
            values,
            per[name],
            f"average=None must give per-class {name} in sorted label order",
        )


def undefined_ratios(case_seed: int) -> tuple[list, list]:
    """Data where one class is never predicted and one never occurs in y_true."""
    rng = rng_for(case_seed, 1)
    classes = shuffled_classes(rng, 5)
    shared, never_predicted, never_true = classes[:3], classes[3], classes[4]
    y_true, y_pred = noisy_predictions(rng, shared, int(rng.integers(40, 80)))
    y_true = y_true + shared + [never_predicted] * 3 + [shared[0]] * 2
    y_pred = y_pred + shared + [shared[1]] * 3 + [never_true] * 2
    return y_true, y_pred


def test_prf_zero_division_defaults_to_zero(candidate, case_seed):
    y_true, y_pred = undefined_ratios(case_seed)
    mod = metrics(candidate)
    per = ref_per_class(y_true, y_pred, zero_division=0.0)
    got = prf_arrays(
        mod.precision_recall_f1(y_true, y_pred, average=None), len(per["labels"]), "average=None"
    )
    assert all(np.all(np.isfinite(v)) for v in got), (
        "0/0 precision or recall must become zero_division (0.0), not NaN or inf"
    )
    for name, values in zip(("precision", "recall", "f1"), got, strict=True):
        assert_close(values, per[name], f"per-class {name} with a 0/0 ratio must use 0.0")
    for average in ("macro", "weighted"):
        assert_close(
            prf_triple(mod.precision_recall_f1(y_true, y_pred, average=average), average),
            ref_prf(y_true, y_pred, average, 0.0),
            f"{average} average must include the 0.0 of undefined ratios",
        )


def test_prf_zero_division_one(candidate, case_seed):
    y_true, y_pred = undefined_ratios(case_seed)
    mod = metrics(candidate)
    per = ref_per_class(y_true, y_pred, zero_division=1.0)
    got = prf_arrays(
        mod.precision_recall_f1(y_true, y_pred, average=None, zero_division=1.0),
        len(per["labels"]),
        "average=None",
    )
    for name, values in zip(("precision", "recall", "f1"), got, strict=True):
        assert_close(values, per[name], f"per-class {name} must use zero_division=1.0 for 0/0")
    assert_close(
        prf_triple(mod.precision_recall_f1(y_true, y_pred, zero_division=1.0), "macro"),
        ref_prf(y_true, y_pred, "macro", 1.0),
        "macro average must use zero_division=1.0 for 0/0 ratios",
    )
