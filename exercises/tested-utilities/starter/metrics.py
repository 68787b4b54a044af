"""Classification metrics and a stratified train/test split, shared by every team pipeline.

Implement the four public functions below; README.md has the full
rules. Only numpy and the Python standard library are available. You may add private
helpers. Every function accepts plain Python lists or 1-D numpy arrays.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["macro", "micro", "weighted"] | None


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: Sequence[Hashable] | None = None
) -> NDArray[np.int64]:
    """Count how often each true label (row) was predicted as each label (column).

    ``result[i][j]`` is the number of samples whose true label is ``labels[i]`` and whose
    predicted label is ``labels[j]``. ``labels`` fixes the classes and their order; by
    default it is the sorted union of the labels in ``y_true`` and ``y_pred``. Pairs whose
    true or predicted label is not in ``labels`` are not counted.

    Raises ``ValueError`` for empty input or inputs of different lengths.
    """
    raise NotImplementedError("confusion_matrix is not written yet")


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: Average = "macro",
    zero_division: float = 0.0,
) -> tuple[float, float, float] | tuple[NDArray[np.float64], ...]:
    """Return ``(precision, recall, f1)`` over the sorted union of the labels in the data.

    ``average`` is ``"macro"``, ``"micro"``, ``"weighted"`` (three floats) or ``None``
    (three arrays, one value per class in sorted label order). A ratio whose denominator is
    0 is set to ``zero_division``.

    Raises ``ValueError`` for empty input, inputs of different lengths, or another
    ``average``.
    """
    raise NotImplementedError("precision_recall_f1 is not written yet")


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve for binary ``y_true`` (the larger label is the positive class).

    The probability that a random positive scores higher than a random negative; a tie
    counts one half.

    Raises ``ValueError`` for empty input, inputs of different lengths, or a ``y_true`` that
    does not hold exactly two distinct labels.
    """
    raise NotImplementedError("roc_auc is not written yet")


def stratified_split(
    y: ArrayLike, test_size: float = 0.25, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Split the indices ``0..len(y)-1`` into ``(train_idx, test_idx)``, stratified by ``y``.

    The test part holds ``ceil(test_size * n)`` indices; each class puts
    ``n_class * test_size`` of its samples (within one sample) into it. The same ``seed``
    gives the same split.

    Raises ``ValueError`` for empty ``y``, a ``test_size`` outside ``(0, 1)``, or a split
    that would leave the train or the test part empty.
    """
    raise NotImplementedError("stratified_split is not written yet")
