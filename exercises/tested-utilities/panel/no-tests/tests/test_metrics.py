"""Your tests for metrics.py. Run them from the folder that holds metrics.py:

    python -m pytest tests

This file is part of what you deliver: we also run it against deliberately broken versions
of metrics.py, and a good suite fails on each of them (see README.md). One example is below;
replace or extend it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import confusion_matrix  # found through the sys.path line above


def test_confusion_matrix_small_example() -> None:
    y_true = [0, 0, 1, 1, 1]
    y_pred = [0, 1, 1, 1, 0]
    # rows: true label 0, 1; columns: predicted label 0, 1
    assert np.asarray(confusion_matrix(y_true, y_pred)).tolist() == [[1, 1], [1, 2]]
