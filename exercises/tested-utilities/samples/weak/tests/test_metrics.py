import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import metrics


def test_functions_exist():
    assert metrics.confusion_matrix
    assert metrics.roc_auc


def test_split_runs():
    train, test = metrics.stratified_split([0, 1, 0, 1, 0, 1, 0, 1])
    assert len(train) + len(test) == 8
