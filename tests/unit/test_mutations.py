"""In-place changes candidate code makes to its arguments are recorded, never written back.

These tests start a real candidate server process (no container, no privilege drop) on a
small module and call it through the judge's ``Candidate``, as hidden tests do.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sandbox" / "harness"))

from mutations import MutationLog, same_value
from remote import Candidate, CandidateError

MODULE = """
import numpy as np

def zero(X):
    X[...] = 0.0
    return float(X.sum())

def zero_and_return(X):
    X *= 0.0
    return X

def identity(X):
    return X

def mean(X):
    return float(np.mean(X))

def zero_w1(params):
    params["W1"][...] = 0.0
    return None

def grow(items, extra=None):
    items.append(99)
    if extra is not None:
        extra["new"] = 1

def draw(rng):
    return float(rng.random())
"""

FORGER = """
import sys

_server = sys.modules["__main__"].Server
_real = _server.call

def _forged(self, target, args, kwargs):
    header, blobs = _real(self, target, args, kwargs)
    header["mutations"] = [{"arg": 5, "value": {"t": "v", "v": None}}]
    return header, blobs

_server.call = _forged

def noop(X):
    return 1
"""


@pytest.fixture
def candidate(tmp_path: Path) -> Iterator[Candidate]:
    (tmp_path / "subject.py").write_text(textwrap.dedent(MODULE))
    (tmp_path / "forger.py").write_text(textwrap.dedent(FORGER))
    handle = Candidate(tmp_path, None, None)
    yield handle
    handle.close()


def test_the_tests_array_keeps_its_values_when_candidate_code_zeroes_it(candidate):
    X = np.arange(6, dtype=float).reshape(2, 3)
    kept = X.copy()
    assert candidate.module("subject").zero(X) == 0.0
    assert np.array_equal(X, kept)
    assert candidate.changed(X)


def test_left_gives_the_value_the_candidate_left_as_a_separate_object(candidate):
    X = np.ones((2, 2))
    candidate.module("subject").zero(X)
    left = candidate.left(X)
    assert left is not X
    assert np.array_equal(left, np.zeros((2, 2)))


def test_an_argument_that_was_only_read_is_not_changed(candidate):
    X = np.ones((3, 3))
    candidate.module("subject").mean(X)
    assert not candidate.changed(X)
    assert candidate.left(X) is X


def test_returning_an_unchanged_argument_gives_back_the_tests_own_object(candidate):
    X = np.ones(4)
    assert candidate.module("subject").identity(X) is X


def test_returning_a_changed_argument_gives_its_new_value_and_leaves_the_test_object(candidate):
    X = np.full(4, 3.0)
    out = candidate.module("subject").zero_and_return(X)
    assert out is not X
    assert np.array_equal(out, np.zeros(4))
    assert np.array_equal(X, np.full(4, 3.0))
    assert candidate.changed(X)


def test_a_changed_array_inside_a_dict_is_named_and_its_siblings_are_not(candidate):
    params = {"W1": np.ones((2, 2)), "b1": np.ones(2)}
    candidate.module("subject").zero_w1(params)
    assert np.array_equal(params["W1"], np.ones((2, 2)))
    assert candidate.changed(params)
    assert candidate.changed(params["W1"])
    assert not candidate.changed(params["b1"])


def test_lists_and_keyword_dicts_are_recorded_not_extended(candidate):
    items, extra = [1, 2], {"a": 1}
    candidate.module("subject").grow(items, extra=extra)
    assert items == [1, 2] and extra == {"a": 1}
    assert candidate.changed(items) and candidate.changed(extra)
    assert candidate.left(items) == [1, 2, 99]


def test_a_generator_passed_in_is_not_advanced_in_the_test(candidate):
    rng = np.random.default_rng(3)
    candidate.module("subject").draw(rng)
    assert rng.random() == np.random.default_rng(3).random()
    assert candidate.changed(rng)


def test_a_forged_mutation_of_no_argument_is_an_unreadable_reply(candidate):
    with pytest.raises(CandidateError, match="unreadable reply"):
        candidate.module("forger").noop(np.zeros(2))


def test_clearing_the_log_forgets_earlier_calls(candidate):
    X = np.ones(2)
    candidate.module("subject").zero(X)
    candidate.mutations.clear()
    assert not candidate.changed(X)


def test_same_value_treats_nan_as_equal_and_dtype_as_significant():
    assert same_value(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))
    assert not same_value(np.array([1, 2]), np.array([1.0, 2.0]))
    assert same_value({"a": [1, np.ones(2)]}, {"a": [1, np.ones(2)]})
    assert not same_value([1], (1,))


def test_an_unchanged_immutable_inside_a_changed_list_is_never_named():
    log = MutationLog()
    original = [1, np.zeros(2)]
    log.record(original, [1, np.ones(2)])
    assert log.changed(original) and log.changed(original[1])
    assert not log.changed(1)
