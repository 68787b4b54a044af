"""Assertion helpers: every failure starts with a message the grade can show."""

from __future__ import annotations

import copy

import numpy as np

RTOL = 1e-9
ATOL = 1e-12


class GivesCopies:
    """The candidate's module, whose functions are always called with deep copies.

    A test computes its expectations from its own data, so the data must never be the very
    object handed to candidate code (which could change it in place).
    """

    def __init__(self, module) -> None:
        self._module = module

    def __getattr__(self, name: str):
        function = getattr(self._module, name)

        def call(*args, **kwargs):
            return function(*copy.deepcopy(args), **copy.deepcopy(kwargs))

        return call


def metrics(candidate) -> GivesCopies:
    """The candidate's ``metrics`` module (called with copies of the test's data)."""
    return GivesCopies(candidate.module("metrics"))


def as_floats(value, what: str) -> np.ndarray:
    """What the candidate returned, as a float array, or a clear failure."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"{what} must be numeric, got {type(value).__name__}") from exc


def assert_close(actual, expected, message: str) -> None:
    """Element-wise equality within float noise; NaN never equals a number."""
    got = as_floats(actual, message)
    want = np.asarray(expected, dtype=float)
    assert got.shape == want.shape, f"{message} (expected shape {want.shape}, got {got.shape})"
    assert np.allclose(got, want, rtol=RTOL, atol=ATOL), (
        f"{message} (expected {np.round(want, 6).tolist()}, got {np.round(got, 6).tolist()})"
    )


def assert_counts(actual, expected: np.ndarray, message: str) -> None:
    """A confusion matrix equal to ``expected`` (any integer-valued numeric container)."""
    got = as_floats(actual, message)
    assert got.shape == expected.shape, (
        f"{message} (expected shape {expected.shape}, got {got.shape})"
    )
    assert np.array_equal(got, expected), (
        f"{message} (expected {expected.tolist()}, got {got.astype(int).tolist()})"
    )


def prf_triple(result, what: str) -> tuple[float, float, float]:
    """An averaged ``precision_recall_f1`` result as three floats."""
    assert len(result) == 3, f"{what} must return (precision, recall, f1)"
    values = tuple(float(as_floats(v, what)) for v in result)
    return values  # type: ignore[return-value]


def prf_arrays(result, n_classes: int, what: str) -> tuple[np.ndarray, ...]:
    """A per-class (``average=None``) result as three float arrays."""
    assert len(result) == 3, f"{what} must return (precision, recall, f1)"
    arrays = tuple(as_floats(v, what) for v in result)
    for array in arrays:
        assert array.shape == (n_classes,), (
            f"{what} must give one value per class ({n_classes}), got shape {array.shape}"
        )
    return arrays


def expect_accepted(call, what: str):
    """``call()`` on valid input must not raise: an error test rewards only a real check."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - any exception on valid input fails the same way
        raise AssertionError(
            f"{what} must work on valid input, got {type(exc).__name__}: {exc}"
        ) from None


def expect_value_error(call, what: str) -> None:
    """``call()`` must raise ValueError; anything else (or nothing) fails with ``what``."""
    try:
        call()
    except ValueError:
        return
    except Exception as exc:  # noqa: BLE001 - any other exception is the wrong contract
        raise AssertionError(
            f"{what} must raise ValueError, got {type(exc).__name__}: {exc}"
        ) from None
    raise AssertionError(f"{what} must raise ValueError, nothing was raised")
