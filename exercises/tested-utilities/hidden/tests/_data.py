"""Data generators and by-the-definition reference values for the hidden tests.

The references are deliberately naive (loops over samples and over pairs) so that they
follow the definitions in brief.md literally; they were cross-checked against
scikit-learn's ``confusion_matrix``, ``precision_recall_fscore_support`` and
``roc_auc_score`` while the exercise was written. Everything is seeded from the test's
``case_seed`` so a regrade sees the same data.
"""

from __future__ import annotations

import math

import numpy as np

NAMES = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu"]


def rng_for(case_seed: int, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng([case_seed, salt])


def shuffled_classes(rng: np.random.Generator, k: int, strings: bool = False) -> list:
    """``k`` class labels in random (so unsorted) order: ints with gaps, or names."""
    if strings:
        chosen = rng.choice(len(NAMES), size=k, replace=False)
        return [NAMES[int(i)] for i in chosen]
    return [int(v) for v in rng.choice(np.arange(-3, 12), size=k, replace=False)]


def noisy_predictions(
    rng: np.random.Generator, classes: list, n: int, accuracy: float = 0.6
) -> tuple[list, list]:
    """Imbalanced ``y_true`` over ``classes`` and a ``y_pred`` that is right ~``accuracy``."""
    k = len(classes)
    weights = rng.dirichlet(np.full(k, 1.5)) * 0.7 + 0.3 / k
    true_idx = rng.choice(k, size=n, p=weights)
    # Mistakes are biased towards the "next" class, so the confusion matrix is asymmetric.
    wrong = (true_idx + 1 + rng.binomial(1, 0.25, size=n) * rng.integers(1, max(k, 2), size=n)) % k
    pred_idx = np.where(rng.random(n) < accuracy, true_idx, wrong)
    return [classes[i] for i in true_idx], [classes[i] for i in pred_idx]


def ref_labels(y_true: list, y_pred: list) -> list:
    return sorted(set(y_true) | set(y_pred))


def ref_confusion(y_true: list, y_pred: list, labels: list | None = None) -> np.ndarray:
    """Row = true label, column = predicted label; pairs outside ``labels`` are skipped."""
    labels = ref_labels(y_true, y_pred) if labels is None else list(labels)
    out = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for t, p in zip(y_true, y_pred, strict=True):
        if t in labels and p in labels:
            out[labels.index(t), labels.index(p)] += 1
    return out


def ref_per_class(y_true: list, y_pred: list, zero_division: float = 0.0) -> dict:
    """Per-class precision, recall, F1 and support, over the sorted union of labels."""
    labels = ref_labels(y_true, y_pred)
    precision, recall, f1, support = [], [], [], []
    for c in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p != c)
        precision.append(tp / (tp + fp) if tp + fp else zero_division)
        recall.append(tp / (tp + fn) if tp + fn else zero_division)
        f1.append(2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else zero_division)
        support.append(tp + fn)
    return {
        "labels": labels,
        "precision": np.array(precision, dtype=float),
        "recall": np.array(recall, dtype=float),
        "f1": np.array(f1, dtype=float),
        "support": np.array(support, dtype=float),
    }


def ref_prf(y_true: list, y_pred: list, average: str | None, zero_division: float = 0.0):
    """What ``precision_recall_f1`` must return, by the definitions in brief.md."""
    per = ref_per_class(y_true, y_pred, zero_division)
    metrics = (per["precision"], per["recall"], per["f1"])
    if average is None:
        return metrics
    if average == "macro":
        return tuple(float(np.mean(m)) for m in metrics)
    if average == "weighted":
        w = per["support"]
        return tuple(float(np.sum(m * w) / np.sum(w)) for m in metrics)
    if average == "micro":
        accuracy = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == p) / len(y_true)
        return (accuracy, accuracy, accuracy)
    raise AssertionError(f"unknown average {average!r} in the reference")


def ref_auc(y_true, scores) -> float:
    """Pairwise definition: P(score_pos > score_neg) + 1/2 P(score_pos == score_neg)."""
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    positive = y == max(set(y.tolist()))
    pos, neg = s[positive], s[~positive]
    wins = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((wins + 0.5 * ties) / (len(pos) * len(neg)))


def binary_scores(
    rng: np.random.Generator, n: int, levels: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """0/1 labels (both present) and informative scores; ``levels`` buckets them into ties."""
    y = rng.binomial(1, rng.uniform(0.25, 0.6), size=n)
    y[:2] = [0, 1]
    rng.shuffle(y)
    scores = rng.normal(size=n) + rng.uniform(0.3, 1.5) * y
    if levels is not None:
        # A coarse score, e.g. a rounded probability: many ties, inside and across classes.
        edges = np.quantile(scores, np.linspace(0, 1, levels + 1)[1:-1])
        scores = np.digitize(scores, edges) / levels
    return y, scores


def bucket_auc(y: np.ndarray, bucket: np.ndarray) -> float:
    """Exact AUC for integer score buckets, from per-bucket counts (no pairs needed)."""
    size = int(bucket.max()) + 1
    pos = np.bincount(bucket[y == 1], minlength=size).astype(float)
    neg = np.bincount(bucket[y == 0], minlength=size).astype(float)
    neg_below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
    return float(np.sum(pos * neg_below + 0.5 * pos * neg) / (pos.sum() * neg.sum()))


def split_labels(rng: np.random.Generator, strings: bool = False) -> tuple[list, float]:
    """Imbalanced labels (a big, a medium, a small and a tiny class) and a test_size.

    ``test_size * n`` and each ``test_size * n_class`` are kept clearly away from whole
    numbers where it matters, so rounding mistakes show and float noise does not.
    """
    classes = shuffled_classes(rng, 4, strings=strings)
    test_size = float(rng.choice([0.2, 0.25, 0.3, 0.35]))
    while True:
        sizes = [int(rng.integers(120, 220)), int(rng.integers(40, 80)), 13, 6]
        n = sum(sizes)
        fraction = test_size * n - math.floor(test_size * n)
        if 0.1 < fraction < 0.45:
            break
    y = [c for c, size in zip(classes, sizes, strict=True) for _ in range(size)]
    order = rng.permutation(n)
    return [y[i] for i in order], test_size
