"""A feature scaler that learns column statistics on training data and reuses them.

Design
------
The scaler is assembled from small, independently testable pieces:

* :class:`InputValidator` implementations check incoming arrays (chain of responsibility);
* :class:`StatisticsEstimator` computes the location and scale of each column;
* :class:`ScalingStep` objects form a pipeline applied forwards by ``transform`` and
  backwards by ``inverse_transform``;
* :class:`FittedState` is an immutable snapshot of everything ``fit`` learned.
"""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass
from typing import ClassVar, Final, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

REQUIRED_NDIM: Final[int] = 2
FEATURE_AXIS: Final[int] = 1
SAMPLE_AXIS: Final[int] = 0
CONSTANT_COLUMN_SCALE: Final[float] = 1.0
POPULATION_DDOF: Final[int] = 0


class ScalerError(Exception):
    """Base class for scaler errors."""


class NotFittedError(ScalerError, RuntimeError):
    """Raised when the scaler is used before ``fit``."""


class InvalidInputError(ScalerError, ValueError):
    """Raised when an input array has the wrong shape."""


class Direction(enum.Enum):
    """Which way a pipeline is applied."""

    FORWARD = "forward"
    INVERSE = "inverse"


class Operation(enum.Enum):
    """The operation an input is validated for (used in error messages)."""

    FIT = "fit"
    TRANSFORM = "transform"
    INVERSE_TRANSFORM = "inverse_transform"


@dataclass(frozen=True)
class FittedState:
    """Everything learned by :meth:`StandardScaler.fit`."""

    mean: FloatArray
    scale: FloatArray
    n_features: int


class InputValidator(abc.ABC):
    """One check in a chain of input validators."""

    def __init__(self, successor: InputValidator | None = None) -> None:
        """Link this validator to the next one in the chain."""
        self._successor = successor

    def validate(self, data: FloatArray, operation: Operation, state: FittedState | None) -> None:
        """Run this check, then the rest of the chain."""
        self._check(data, operation, state)
        if self._successor is not None:
            self._successor.validate(data, operation, state)

    @abc.abstractmethod
    def _check(self, data: FloatArray, operation: Operation, state: FittedState | None) -> None:
        """Raise if ``data`` is not acceptable."""


class DimensionalityValidator(InputValidator):
    """The input must be 2-D."""

    def _check(self, data: FloatArray, operation: Operation, state: FittedState | None) -> None:
        if data.ndim != REQUIRED_NDIM:
            raise InvalidInputError(
                f"{operation.value} expects a {REQUIRED_NDIM}-D array, got {data.ndim}-D"
            )


class NonEmptyValidator(InputValidator):
    """``fit`` needs at least one row."""

    def _check(self, data: FloatArray, operation: Operation, state: FittedState | None) -> None:
        if operation is Operation.FIT and data.shape[SAMPLE_AXIS] == 0:
            raise InvalidInputError("fit expects at least one row")


class FeatureCountValidator(InputValidator):
    """After ``fit``, inputs must have the number of columns seen by ``fit``."""

    def _check(self, data: FloatArray, operation: Operation, state: FittedState | None) -> None:
        if operation is Operation.FIT or state is None:
            return
        if data.shape[FEATURE_AXIS] != state.n_features:
            raise InvalidInputError(
                f"{operation.value} expects {state.n_features} features, "
                f"got {data.shape[FEATURE_AXIS]}"
            )


class StatisticsEstimator(Protocol):
    """Computes per-column statistics."""

    def estimate(self, data: FloatArray) -> FittedState:
        """Return the fitted state for ``data``."""


class NanAwareMomentEstimator:
    """Column mean and population standard deviation, ignoring NaN values."""

    def estimate(self, data: FloatArray) -> FittedState:
        """See :meth:`StatisticsEstimator.estimate`."""
        mean = np.nanmean(data, axis=SAMPLE_AXIS)
        std = np.nanstd(data, axis=SAMPLE_AXIS, ddof=POPULATION_DDOF)
        constant = self._constant_columns(data)
        scale = np.where(constant, CONSTANT_COLUMN_SCALE, std)
        return FittedState(mean=mean, scale=scale, n_features=int(data.shape[FEATURE_AXIS]))

    @staticmethod
    def _constant_columns(data: FloatArray) -> NDArray[np.bool_]:
        return np.nanmax(data, axis=SAMPLE_AXIS) == np.nanmin(data, axis=SAMPLE_AXIS)


class ScalingStep(abc.ABC):
    """One invertible element-wise step of the scaling pipeline."""

    @abc.abstractmethod
    def apply(self, data: FloatArray, state: FittedState) -> FloatArray:
        """Apply the step."""

    @abc.abstractmethod
    def invert(self, data: FloatArray, state: FittedState) -> FloatArray:
        """Undo the step."""


class CenteringStep(ScalingStep):
    """Subtract the column means."""

    def apply(self, data: FloatArray, state: FittedState) -> FloatArray:
        """See :meth:`ScalingStep.apply`."""
        return data - state.mean

    def invert(self, data: FloatArray, state: FittedState) -> FloatArray:
        """See :meth:`ScalingStep.invert`."""
        return data + state.mean


class ScalingByStdStep(ScalingStep):
    """Divide by the column standard deviations."""

    def apply(self, data: FloatArray, state: FittedState) -> FloatArray:
        """See :meth:`ScalingStep.apply`."""
        return data / state.scale

    def invert(self, data: FloatArray, state: FittedState) -> FloatArray:
        """See :meth:`ScalingStep.invert`."""
        return data * state.scale


class ScalingPipeline:
    """An ordered list of steps applied forwards or backwards."""

    def __init__(self, steps: list[ScalingStep]) -> None:
        """Store the steps in forward order."""
        self._steps = steps

    def run(self, data: FloatArray, state: FittedState, direction: Direction) -> FloatArray:
        """Apply every step (forwards) or undo them in reverse order (inverse)."""
        result = data.copy()
        if direction is Direction.FORWARD:
            for step in self._steps:
                result = step.apply(result, state)
        else:
            for step in reversed(self._steps):
                result = step.invert(result, state)
        return result


class StandardScaler:
    """Standardise features column by column: ``z = (x - mean_) / scale_``.

    After :meth:`fit` the scaler has:

    - ``mean_``: 1-D float array, the mean of each column (NaN values ignored);
    - ``scale_``: 1-D float array, the population standard deviation of each column
      (``ddof=0``, NaN values ignored), with 1.0 for columns whose values are all equal;
    - ``n_features_in_``: the number of columns seen by :meth:`fit`.
    """

    _validator: ClassVar[InputValidator] = DimensionalityValidator(
        NonEmptyValidator(FeatureCountValidator())
    )

    def __init__(
        self,
        with_mean: bool = True,
        with_std: bool = True,
    ) -> None:
        """Choose which steps :meth:`transform` applies (both by default)."""
        self.with_mean = with_mean
        self.with_std = with_std
        self._estimator: StatisticsEstimator = NanAwareMomentEstimator()
        self._state: FittedState | None = None

    @property
    def mean_(self) -> FloatArray:
        """Column means learned by :meth:`fit`."""
        return self._require_state().mean

    @property
    def scale_(self) -> FloatArray:
        """Column scales learned by :meth:`fit`."""
        return self._require_state().scale

    @property
    def n_features_in_(self) -> int:
        """Number of columns seen by :meth:`fit`."""
        return self._require_state().n_features

    def _require_state(self) -> FittedState:
        if self._state is None:
            raise NotFittedError("this StandardScaler is not fitted yet; call fit first")
        return self._state

    def _build_pipeline(self) -> ScalingPipeline:
        steps: list[ScalingStep] = []
        if self.with_mean:
            steps.append(CenteringStep())
        if self.with_std:
            steps.append(ScalingByStdStep())
        return ScalingPipeline(steps)

    @staticmethod
    def _to_float_array(X: ArrayLike) -> FloatArray:
        return np.array(X, dtype=float)

    def _prepare(self, X: ArrayLike, operation: Operation) -> FloatArray:
        state = None if operation is Operation.FIT else self._require_state()
        data = self._to_float_array(X)
        self._validator.validate(data, operation, state)
        return data

    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        data = self._prepare(X, Operation.FIT)
        self._state = self._estimator.estimate(data)
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        data = self._prepare(X, Operation.TRANSFORM)
        return self._build_pipeline().run(data, self._require_state(), Direction.FORWARD)

    def fit_transform(self, X: ArrayLike) -> FloatArray:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        data = self._prepare(X, Operation.INVERSE_TRANSFORM)
        return self._build_pipeline().run(data, self._require_state(), Direction.INVERSE)
