"""Hidden tests: invalid arguments raise ValueError instead of giving a quiet wrong number.

Every test also makes the same calls with valid arguments, which must not raise: a function
that raises ValueError whatever it is given earns nothing here.
"""

from __future__ import annotations

from _checks import expect_accepted, expect_value_error, metrics
from _data import binary_scores, noisy_predictions, rng_for, shuffled_classes, split_labels


def test_rejects_mismatched_lengths(candidate, case_seed):
    rng = rng_for(case_seed)
    mod = metrics(candidate)
    y_true, y_pred = noisy_predictions(rng, shuffled_classes(rng, 3), int(rng.integers(20, 40)))
    y, scores = binary_scores(rng, int(rng.integers(20, 40)))
    expect_accepted(lambda: mod.confusion_matrix(y_true, y_pred), "confusion_matrix")
    expect_accepted(lambda: mod.precision_recall_f1(y_true, y_pred), "precision_recall_f1")
    expect_accepted(lambda: mod.roc_auc(y, scores), "roc_auc")
    shorter = y_pred[:-1]
    expect_value_error(
        lambda: mod.confusion_matrix(y_true, shorter),
        "confusion_matrix with y_pred one shorter than y_true",
    )
    expect_value_error(
        lambda: mod.precision_recall_f1(y_true[:-1], y_pred),
        "precision_recall_f1 with y_true one shorter than y_pred",
    )
    expect_value_error(
        lambda: mod.roc_auc(y, scores[:-1]), "roc_auc with one score fewer than labels"
    )
    expect_value_error(
        lambda: mod.roc_auc(y.tolist()[:-1], scores.tolist()),
        "roc_auc with one label fewer than scores",
    )


def test_rejects_empty_input(candidate, case_seed):
    rng = rng_for(case_seed)
    mod = metrics(candidate)
    y_true, y_pred = noisy_predictions(rng, shuffled_classes(rng, 3), int(rng.integers(20, 40)))
    y, scores = binary_scores(rng, int(rng.integers(20, 40)))
    labels, test_size = split_labels(rng)
    expect_accepted(lambda: mod.confusion_matrix(y_true, y_pred), "confusion_matrix")
    expect_accepted(lambda: mod.precision_recall_f1(y_true, y_pred), "precision_recall_f1")
    expect_accepted(lambda: mod.roc_auc(y, scores), "roc_auc")
    expect_accepted(
        lambda: mod.stratified_split(labels, test_size=test_size, seed=0), "stratified_split"
    )
    expect_value_error(lambda: mod.confusion_matrix([], []), "confusion_matrix on empty input")
    expect_value_error(
        lambda: mod.precision_recall_f1([], []), "precision_recall_f1 on empty input"
    )
    expect_value_error(lambda: mod.roc_auc([], []), "roc_auc on empty input")
    expect_value_error(lambda: mod.stratified_split([]), "stratified_split on empty input")


def test_rejects_unknown_average(candidate, case_seed):
    rng = rng_for(case_seed)
    mod = metrics(candidate)
    y_true, y_pred = noisy_predictions(rng, shuffled_classes(rng, 3), 30)
    for average in ("macro", "micro", "weighted", None):
        expect_accepted(
            lambda average=average: mod.precision_recall_f1(y_true, y_pred, average=average),
            f"precision_recall_f1 with average={average!r}",
        )
    for average in ("binary", "samples", "mean"):
        expect_value_error(
            lambda average=average: mod.precision_recall_f1(y_true, y_pred, average=average),
            f"precision_recall_f1 with average={average!r}",
        )


def test_rejects_test_size_outside_open_unit_interval(candidate, case_seed):
    rng = rng_for(case_seed)
    mod = metrics(candidate)
    y, valid_size = split_labels(rng)
    expect_accepted(
        lambda: mod.stratified_split(y, test_size=valid_size, seed=0),
        f"stratified_split with test_size={valid_size!r}",
    )
    for test_size in (0, 0.0, 1, 1.0, -0.25, 1.5):
        expect_value_error(
            lambda test_size=test_size: mod.stratified_split(y, test_size=test_size, seed=0),
            f"stratified_split with test_size={test_size!r}",
        )


def test_split_rejects_a_split_with_an_empty_side(candidate, case_seed):
    mod = metrics(candidate)
    expect_accepted(
        lambda: mod.stratified_split([0, 1, 1, 0, 1, 0], test_size=0.5, seed=0),
        "stratified_split of 6 samples with test_size=0.5",
    )
    expect_value_error(
        lambda: mod.stratified_split([0, 1, 1], test_size=0.9, seed=0),
        "stratified_split of 3 samples with test_size=0.9 (ceil(2.7) = 3 leaves no train)",
    )
    expect_value_error(
        lambda: mod.stratified_split(["a"], test_size=0.5, seed=0),
        "stratified_split of a single sample",
    )


def test_roc_auc_rejects_labels_that_are_not_two_classes(candidate, case_seed):
    rng = rng_for(case_seed)
    mod = metrics(candidate)
    n = int(rng.integers(10, 30))
    scores = rng.random(n).tolist()
    expect_accepted(lambda: mod.roc_auc([i % 2 for i in range(n)], scores), "roc_auc")
    expect_value_error(lambda: mod.roc_auc([1] * n, scores), "roc_auc with only positives")
    expect_value_error(lambda: mod.roc_auc([0] * n, scores), "roc_auc with only negatives")
    three = [i % 3 for i in range(n)]
    expect_value_error(lambda: mod.roc_auc(three, scores), "roc_auc with three classes")
