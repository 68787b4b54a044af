"""A feature scaler that learns column statistics on training data and reuses them.

Architecture
------------
The scaler is composed of small, independently testable pieces:

* ``InputValidator`` implementations form a chain of responsibility that checks inputs;
* ``StatisticsEstimator`` strategies compute location / spread statistics;
* ``TransformStep`` objects form a reversible pipeline that ``transform`` runs forwards
  and ``inverse_transform`` runs backwards;
* ``FittedState`` is an immutable record of everything learned by ``fit``.
"""

from __future__ import annotations

import abc
import enum
import functools
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Protocol, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatMatrix = NDArray[np.float64]
FloatVector = NDArray[np.float64]
_F = TypeVar("_F", bound=Callable[..., object])


class Phase(enum.Enum):
    """Which public operation a validator runs for."""

    FIT = "fit"
    APPLY = "apply"


class ScalerNotFittedError(RuntimeError):
    """Raised when a transform is requested before ``fit`` was called."""


class InputValidator(Protocol):
    """A single link in the validation chain."""

    def __call__(self, matrix: FloatMatrix, phase: Phase, state: FittedState | None) -> None:
        """Raise if ``matrix`` is unacceptable in ``phase``."""


def _dimensionality_validator(
    matrix: FloatMatrix, phase: Phase, state: FittedState | None
) -> None:
    del phase, state
    if matrix.ndim != 2:
        raise ValueError(f"Expected 2-D input (n_samples, n_features); got ndim={matrix.ndim}")


def _non_empty_validator(matrix: FloatMatrix, phase: Phase, state: FittedState | None) -> None:
    del state
    if phase is Phase.FIT and matrix.shape[0] == 0:
        raise ValueError("Cannot fit on 0 samples")


def _feature_count_validator(
    matrix: FloatMatrix, phase: Phase, state: FittedState | None
) -> None:
    if phase is Phase.APPLY and state is not None and matrix.shape[1] != state.n_features:
        raise ValueError(
            f"Feature count mismatch: fitted with {state.n_features}, got {matrix.shape[1]}"
        )


class StatisticsEstimator(abc.ABC):
    """Strategy interface for per-column statistics."""

    @abc.abstractmethod
    def estimate(self, matrix: FloatMatrix) -> FloatVector:
        """Return one statistic per column."""


class NanMeanEstimator(StatisticsEstimator):
    """Column mean, ignoring missing values."""

    def estimate(self, matrix: FloatMatrix) -> FloatVector:
        """Return the NaN-aware column means."""
        return cast(FloatVector, np.nanmean(matrix, axis=0))


class NanPopulationStdEstimator(StatisticsEstimator):
    """Population (ddof=0) standard deviation, ignoring NaN, with 1.0 for flat columns."""

    ZERO_SPREAD_RTOL: ClassVar[float] = 1e-12

    def estimate(self, matrix: FloatMatrix) -> FloatVector:
        """Return the NaN-aware column standard deviations, safe to divide by."""
        spread = np.nanstd(matrix, axis=0, ddof=0)
        reference = np.maximum(np.abs(np.nanmean(matrix, axis=0)), 1.0)
        return cast(FloatVector, np.where(spread <= self.ZERO_SPREAD_RTOL * reference, 1.0, spread))


@dataclass(frozen=True)
class FittedState:
    """Everything ``fit`` learns."""

    mean: FloatVector
    scale: FloatVector
    n_features: int


class TransformStep(abc.ABC):
    """A reversible, column-wise affine operation."""

    @abc.abstractmethod
    def forward(self, matrix: FloatMatrix, state: FittedState) -> FloatMatrix:
        """Apply the step."""

    @abc.abstractmethod
    def backward(self, matrix: FloatMatrix, state: FittedState) -> FloatMatrix:
        """Undo the step."""


class CenteringStep(TransformStep):
    """Subtract the learned mean."""

    def forward(self, matrix: FloatMatrix, state: FittedState) -> FloatMatrix:
        """Return ``matrix - mean``."""
        return matrix - state.mean

    def backward(self, matrix: FloatMatrix, state: FittedState) -> FloatMatrix:
        """Return ``matrix + mean``."""
        return matrix + state.mean


class ScalingStep(TransformStep):
    """Divide by the learned scale."""

    def forward(self, matrix: FloatMatrix, state: FittedState) -> FloatMatrix:
        """Return ``matrix / scale``."""
        return matrix / state.scale

    def backward(self, matrix: FloatMatrix, state: FittedState) -> FloatMatrix:
        """Return ``matrix * scale``."""
        return matrix * state.scale


def _requires_fit(method: _F) -> _F:
    """Decorator: raise :class:`ScalerNotFittedError` when the scaler has no state yet."""

    @functools.wraps(method)
    def wrapper(self: StandardScaler, *args: object, **kwargs: object) -> object:
        if self._state is None:
            raise ScalerNotFittedError(
                f"{type(self).__name__}.{method.__name__} called before fit; call fit(X) first"
            )
        return method(self, *args, **kwargs)

    return cast(_F, wrapper)


@dataclass
class StandardScaler:
    """Standardise features column by column: ``z = (x - mean_) / scale_``.

    After :meth:`fit` the scaler has:

    - ``mean_``: 1-D float array, the mean of each column (NaN values ignored);
    - ``scale_``: 1-D float array, the population standard deviation of each column
      (``ddof=0``, NaN values ignored), with 1.0 for columns whose values are all equal;
    - ``n_features_in_``: the number of columns seen by :meth:`fit`.
    """

    with_mean: bool = True
    with_std: bool = True
    location_estimator: StatisticsEstimator = field(default_factory=NanMeanEstimator)
    spread_estimator: StatisticsEstimator = field(default_factory=NanPopulationStdEstimator)
    validators: tuple[InputValidator, ...] = field(
        default=(_dimensionality_validator, _non_empty_validator, _feature_count_validator)
    )
    _state: FittedState | None = field(default=None, init=False, repr=False)

    # ------------------------------------------------------------------ public attributes
    @property
    def mean_(self) -> FloatVector:
        """Learned column means."""
        return self._fitted_state().mean

    @property
    def scale_(self) -> FloatVector:
        """Learned column scales."""
        return self._fitted_state().scale

    @property
    def n_features_in_(self) -> int:
        """Number of columns seen in fit."""
        return self._fitted_state().n_features

    # ------------------------------------------------------------------ public API
    def fit(self, X: ArrayLike) -> StandardScaler:
        """Learn ``mean_``, ``scale_`` and ``n_features_in_`` from ``X`` and return ``self``.

        Raises ``ValueError`` if ``X`` is not 2-D or has no rows. Never modifies ``X``.
        """
        matrix = self._prepare(X, Phase.FIT)
        self._state = FittedState(
            mean=self.location_estimator.estimate(matrix),
            scale=self.spread_estimator.estimate(matrix),
            n_features=int(matrix.shape[1]),
        )
        return self

    @_requires_fit
    def transform(self, X: ArrayLike) -> FloatMatrix:
        """Return a new float array ``(X - mean_) / scale_`` using the learned statistics.

        NaN stays NaN. Raises ``RuntimeError`` before the scaler is fitted and
        ``ValueError`` if ``X`` is not 2-D or has the wrong number of columns.
        """
        matrix = self._prepare(X, Phase.APPLY)
        state = self._fitted_state()
        return functools.reduce(lambda acc, step: step.forward(acc, state), self._pipeline(), matrix)

    def fit_transform(self, X: ArrayLike) -> FloatMatrix:
        """Learn the statistics from ``X``, then return ``X`` transformed with them."""
        return self.fit(X).transform(X)

    @_requires_fit
    def inverse_transform(self, X: ArrayLike) -> FloatMatrix:
        """Undo :meth:`transform`: return a new float array ``X * scale_ + mean_``.

        Raises the same errors as :meth:`transform`.
        """
        matrix = self._prepare(X, Phase.APPLY)
        state = self._fitted_state()
        return functools.reduce(
            lambda acc, step: step.backward(acc, state), reversed(self._pipeline()), matrix
        )

    # ------------------------------------------------------------------ internals
    def _pipeline(self) -> list[TransformStep]:
        steps: list[TransformStep] = []
        if self.with_mean:
            steps.append(CenteringStep())
        if self.with_std:
            steps.append(ScalingStep())
        return steps

    def _prepare(self, X: ArrayLike, phase: Phase) -> FloatMatrix:
        matrix = np.array(X, dtype=np.float64, copy=True)
        for validator in self.validators:
            validator(matrix, phase, self._state)
        return matrix

    def _fitted_state(self) -> FittedState:
        if self._state is None:
            raise ScalerNotFittedError("StandardScaler is not fitted yet; call fit(X) first")
        return self._state
