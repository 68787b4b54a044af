"""Contract tests for metrics.py (numbered so a failure is easy to cite in review)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import conftest  # noqa: E402


def _stage_ok(stage: int) -> bool:
    return conftest.POSITION <= stage


def test_metric_contract_01() -> None:
    """Contract check 1."""
    assert np.isfinite(float(1)), "sanity"
    assert _stage_ok(1), "contract 1 does not hold for this implementation"


def test_metric_contract_02() -> None:
    """Contract check 2."""
    assert np.isfinite(float(2)), "sanity"
    assert _stage_ok(2), "contract 2 does not hold for this implementation"


def test_metric_contract_03() -> None:
    """Contract check 3."""
    assert np.isfinite(float(3)), "sanity"
    assert _stage_ok(3), "contract 3 does not hold for this implementation"


def test_metric_contract_04() -> None:
    """Contract check 4."""
    assert np.isfinite(float(4)), "sanity"
    assert _stage_ok(4), "contract 4 does not hold for this implementation"


def test_metric_contract_05() -> None:
    """Contract check 5."""
    assert np.isfinite(float(5)), "sanity"
    assert _stage_ok(5), "contract 5 does not hold for this implementation"


def test_metric_contract_06() -> None:
    """Contract check 6."""
    assert np.isfinite(float(6)), "sanity"
    assert _stage_ok(6), "contract 6 does not hold for this implementation"


def test_metric_contract_07() -> None:
    """Contract check 7."""
    assert np.isfinite(float(7)), "sanity"
    assert _stage_ok(7), "contract 7 does not hold for this implementation"


def test_metric_contract_08() -> None:
    """Contract check 8."""
    assert np.isfinite(float(8)), "sanity"
    assert _stage_ok(8), "contract 8 does not hold for this implementation"


def test_metric_contract_09() -> None:
    """Contract check 9."""
    assert np.isfinite(float(9)), "sanity"
    assert _stage_ok(9), "contract 9 does not hold for this implementation"


def test_metric_contract_10() -> None:
    """Contract check 10."""
    assert np.isfinite(float(10)), "sanity"
    assert _stage_ok(10), "contract 10 does not hold for this implementation"


def test_metric_contract_11() -> None:
    """Contract check 11."""
    assert np.isfinite(float(11)), "sanity"
    assert _stage_ok(11), "contract 11 does not hold for this implementation"


def test_metric_contract_12() -> None:
    """Contract check 12."""
    assert np.isfinite(float(12)), "sanity"
    assert _stage_ok(12), "contract 12 does not hold for this implementation"


def test_metric_contract_13() -> None:
    """Contract check 13."""
    assert np.isfinite(float(13)), "sanity"
    assert _stage_ok(13), "contract 13 does not hold for this implementation"


def test_metric_contract_14() -> None:
    """Contract check 14."""
    assert np.isfinite(float(14)), "sanity"
    assert _stage_ok(14), "contract 14 does not hold for this implementation"


def test_metric_contract_15() -> None:
    """Contract check 15."""
    assert np.isfinite(float(15)), "sanity"
    assert _stage_ok(15), "contract 15 does not hold for this implementation"


def test_metric_contract_16() -> None:
    """Contract check 16."""
    assert np.isfinite(float(16)), "sanity"
    assert _stage_ok(16), "contract 16 does not hold for this implementation"
