"""Classification metrics for the team."""

from __future__ import annotations

import numpy as np


def _check(y_true, y_pred):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if len(y_true) == 0:
        raise ValueError("empty input")
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred have different lengths")
    return y_true, y_pred


def confusion_matrix(y_true, y_pred, labels=None):
    """Rows are true labels, columns are predicted labels."""
    y_true, y_pred = _check(y_true, y_pred)
    if labels is None:
        labels = sorted(set(y_true.tolist()) | set(y_pred.tolist()))
    index = {label: i for i, label in enumerate(np.asarray(labels).tolist())}
    matrix = np.zeros((len(index), len(index)), dtype=int)
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        if t in index and p in index:
            matrix[index[t], index[p]] += 1
    return matrix


def precision_recall_f1(y_true, y_pred, average="macro", zero_division=0.0):
    """Precision, recall and F1 (macro, micro, weighted or per class)."""
    matrix = confusion_matrix(y_true, y_pred).astype(float)
    tp = np.diag(matrix)
    if average == "micro":
        accuracy = float(tp.sum() / matrix.sum())
        return accuracy, accuracy, accuracy
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = tp / matrix.sum(axis=0)
        recall = tp / matrix.sum(axis=1)
        f1 = 2 * precision * recall / (precision + recall)
    f1 = np.nan_to_num(f1)
    if average is None:
        return precision, recall, f1
    return float(np.mean(precision)), float(np.mean(recall)), float(np.mean(f1))


def roc_auc(y_true, scores):
    """ROC AUC from the ranks of the scores (Mann-Whitney U)."""
    y_true, scores = _check(y_true, scores)
    positive = y_true == 1
    ranks = np.empty(len(scores))
    ranks[np.argsort(scores)] = np.arange(1, len(scores) + 1)
    n_pos = positive.sum()
    n_neg = len(y_true) - n_pos
    with np.errstate(divide="ignore", invalid="ignore"):
        return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def stratified_split(y, test_size=0.25, seed=0):
    """Split indices into train and test, class by class."""
    y = np.asarray(y)
    if len(y) == 0:
        raise ValueError("empty input")
    if not 0 < test_size < 1:
        raise ValueError("test_size must be between 0 and 1")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        n_test = round(len(idx) * test_size)
        test.extend(idx[:n_test].tolist())
        train.extend(idx[n_test:].tolist())
    return np.array(sorted(train)), np.array(sorted(test))
