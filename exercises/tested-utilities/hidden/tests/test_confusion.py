"""Hidden tests: confusion_matrix counts (true, predicted) pairs in the right cells."""

from __future__ import annotations

import numpy as np
from _checks import assert_counts, metrics
from _data import noisy_predictions, ref_confusion, rng_for, shuffled_classes


def test_confusion_matches_definition_on_multiclass(candidate, case_seed):
    rng = rng_for(case_seed)
    classes = shuffled_classes(rng, int(rng.integers(4, 7)))
    y_true, y_pred = noisy_predictions(rng, classes, int(rng.integers(60, 150)))
    got = metrics(candidate).confusion_matrix(y_true, y_pred)
    assert_counts(
        got,
        ref_confusion(y_true, y_pred),
        "confusion_matrix must count each (true, predicted) pair in row true, column predicted",
    )


def test_confusion_rows_are_true_columns_are_predicted(candidate, case_seed):
    rng = rng_for(case_seed)
    low, high = sorted(shuffled_classes(rng, 2))
    n_low, n_high = int(rng.integers(8, 15)), int(rng.integers(5, 10))
    missed = int(rng.integers(2, n_low - 2))
    # Some `low` samples are predicted `high`; no `high` sample is predicted `low`.
    y_true = [low] * n_low + [high] * n_high
    y_pred = [high] * missed + [low] * (n_low - missed) + [high] * n_high
    expected = np.array([[n_low - missed, missed], [0, n_high]])
    assert_counts(
        metrics(candidate).confusion_matrix(y_true, y_pred),
        expected,
        "rows must be the true labels and columns the predicted labels",
    )


def test_confusion_labels_argument_sets_rows_and_order(candidate, case_seed):
    rng = rng_for(case_seed)
    classes = shuffled_classes(rng, 5)
    present, unseen = classes[:4], classes[4]
    y_true, y_pred = noisy_predictions(rng, present, int(rng.integers(50, 90)))
    mod = metrics(candidate)

    order = [present[i] for i in rng.permutation(4)] + [unseen]
    if order[:4] == sorted(present):
        order[0], order[1] = order[1], order[0]
    assert_counts(
        mod.confusion_matrix(y_true, y_pred, labels=order),
        ref_confusion(y_true, y_pred, order),
        "labels must give the rows and columns in that order, with a zero row for an unseen label",
    )

    subset = [present[2], present[0]]
    assert_counts(
        mod.confusion_matrix(y_true, y_pred, labels=subset),
        ref_confusion(y_true, y_pred, subset),
        "pairs whose labels are not in labels must not be counted",
    )


def test_confusion_default_labels_are_sorted_union(candidate, case_seed):
    rng = rng_for(case_seed)
    names = shuffled_classes(rng, 5, strings=True)
    only_true, only_pred, shared = names[0], names[1], names[2:]
    y_true, y_pred = noisy_predictions(rng, shared, int(rng.integers(40, 80)))
    # One label appears only in y_true, one only in y_pred; the data starts with the largest
    # label y_true may hold (so a first-seen order shows), never the prediction-only one.
    y_true = [max(n for n in names if n != only_pred), *y_true, only_true, only_true]
    y_pred = [shared[0], *y_pred, shared[1], shared[0]]
    y_true.append(shared[0])
    y_pred.append(only_pred)
    assert_counts(
        metrics(candidate).confusion_matrix(y_true, y_pred),
        ref_confusion(y_true, y_pred),
        "without labels, rows and columns must be the sorted union of y_true and y_pred labels",
    )


def test_confusion_accepts_lists_and_numpy_arrays(candidate, case_seed):
    rng = rng_for(case_seed)
    classes = shuffled_classes(rng, 3)
    y_true, y_pred = noisy_predictions(rng, classes, int(rng.integers(30, 60)))
    mod = metrics(candidate)
    expected = ref_confusion(y_true, y_pred)
    assert_counts(
        mod.confusion_matrix(np.array(y_true), np.array(y_pred)),
        expected,
        "confusion_matrix must accept numpy arrays",
    )
    assert_counts(
        mod.confusion_matrix(y_true, np.array(y_pred)),
        expected,
        "confusion_matrix must accept a list mixed with a numpy array",
    )
    labels = sorted(classes, reverse=True)
    assert_counts(
        mod.confusion_matrix(np.array(y_true), y_pred, labels=np.array(labels)),
        ref_confusion(y_true, y_pred, labels),
        "confusion_matrix must accept labels as a numpy array",
    )
    as_text = [str(v) for v in y_true], [str(v) for v in y_pred]
    assert_counts(
        mod.confusion_matrix(np.array(as_text[0]), as_text[1]),
        ref_confusion(*as_text),
        "confusion_matrix must work on string labels (sorted as strings)",
    )
