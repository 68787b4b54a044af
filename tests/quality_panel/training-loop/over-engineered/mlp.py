"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

Architecture
------------
The implementation is organised in layers so that it can grow with future requirements:

* :class:`Layer` -- abstract base class for differentiable layers (``Dense``, ``Tanh``);
* :class:`LossFunction` -- abstract base class for losses (``SoftmaxCrossEntropy``);
* :class:`Optimizer` -- abstract base class for update rules (``SGD``);
* :class:`Callback` -- hooks run by the :class:`Trainer` (``EarlyStopping``, ``HistoryRecorder``);
* :class:`DataSplitter` / :class:`BatchIterator` -- data handling strategies;
* :class:`ModelFactory` -- builds a :class:`Sequential` model from a plain parameter dict.

The public functions at the bottom are thin adapters over these components and exchange
plain data only.
"""

from __future__ import annotations

import abc
import enum
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Generic, Protocol, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

logger = logging.getLogger(__name__)

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
T = TypeVar("T")

PARAM_KEYS: Final[tuple[str, ...]] = ("W1", "b1", "W2", "b2")
DEFAULT_BIAS_VALUE: Final[float] = 0.0
AXIS_ROWS: Final[int] = 0
AXIS_CLASSES: Final[int] = 1


class InitScheme(enum.Enum):
    """Supported weight initialisation schemes."""

    LECUN = "lecun"
    GLOROT = "glorot"
    HE = "he"


class MLPError(Exception):
    """Base class for errors raised by this module."""


class ConfigurationError(MLPError):
    """Raised when a configuration value is invalid."""


@dataclass(frozen=True)
class TrainingConfig:
    """All hyperparameters of a training run."""

    hidden: int = 32
    lr: float = 0.1
    epochs: int = 100
    batch_size: int = 32
    val_fraction: float = 0.2
    patience: int = 10
    seed: int = 0
    init_scheme: InitScheme = InitScheme.LECUN

    def __post_init__(self) -> None:
        """Validate the configuration eagerly."""
        if self.hidden < 1:
            raise ConfigurationError("hidden must be positive")
        if self.lr <= 0:
            raise ConfigurationError("lr must be positive")
        if self.epochs < 1:
            raise ConfigurationError("epochs must be positive")
        if self.batch_size < 1:
            raise ConfigurationError("batch_size must be positive")
        if not 0 < self.val_fraction < 1:
            raise ConfigurationError("val_fraction must be in (0, 1)")
        if self.patience < 1:
            raise ConfigurationError("patience must be positive")


class Initializer(abc.ABC):
    """Strategy for drawing initial weight matrices."""

    @abc.abstractmethod
    def std(self, fan_in: int, fan_out: int) -> float:
        """Standard deviation of the weights of a layer."""

    def __call__(self, rng: np.random.Generator, fan_in: int, fan_out: int) -> FloatArray:
        """Draw a ``(fan_in, fan_out)`` weight matrix."""
        return rng.normal(0.0, self.std(fan_in, fan_out), size=(fan_in, fan_out))


class LeCunInitializer(Initializer):
    """``N(0, 1 / fan_in)``."""

    def std(self, fan_in: int, fan_out: int) -> float:
        """See :meth:`Initializer.std`."""
        return float(np.sqrt(1.0 / fan_in))


class GlorotInitializer(Initializer):
    """``N(0, 2 / (fan_in + fan_out))``."""

    def std(self, fan_in: int, fan_out: int) -> float:
        """See :meth:`Initializer.std`."""
        return float(np.sqrt(2.0 / (fan_in + fan_out)))


class HeInitializer(Initializer):
    """``N(0, 2 / fan_in)``."""

    def std(self, fan_in: int, fan_out: int) -> float:
        """See :meth:`Initializer.std`."""
        return float(np.sqrt(2.0 / fan_in))


class InitializerRegistry:
    """Maps :class:`InitScheme` values to initializer instances."""

    _registry: dict[InitScheme, Initializer] = {
        InitScheme.LECUN: LeCunInitializer(),
        InitScheme.GLOROT: GlorotInitializer(),
        InitScheme.HE: HeInitializer(),
    }

    @classmethod
    def get(cls, scheme: InitScheme) -> Initializer:
        """Return the initializer registered for ``scheme``."""
        try:
            return cls._registry[scheme]
        except KeyError as exc:  # pragma: no cover - all enum members are registered
            raise ConfigurationError(f"unknown init scheme {scheme}") from exc


class Layer(abc.ABC):
    """A differentiable layer with optional trainable parameters."""

    @abc.abstractmethod
    def forward(self, inputs: FloatArray) -> FloatArray:
        """Compute the layer output and cache what ``backward`` needs."""

    @abc.abstractmethod
    def backward(self, grad_output: FloatArray) -> FloatArray:
        """Given dL/d(output), store parameter gradients and return dL/d(input)."""

    def parameters(self) -> dict[str, FloatArray]:
        """Trainable parameters of the layer, by local name."""
        return {}

    def grads(self) -> dict[str, FloatArray]:
        """Gradients of the trainable parameters, by local name."""
        return {}


class Dense(Layer):
    """Affine layer ``inputs @ W + b``."""

    def __init__(self, weights: FloatArray, bias: FloatArray) -> None:
        """Wrap copies of the given weights and bias."""
        self.W = np.array(weights, dtype=float)
        self.b = np.array(bias, dtype=float)
        self._inputs: FloatArray | None = None
        self._dW: FloatArray | None = None
        self._db: FloatArray | None = None

    def forward(self, inputs: FloatArray) -> FloatArray:
        """See :meth:`Layer.forward`."""
        self._inputs = inputs
        return inputs @ self.W + self.b

    def backward(self, grad_output: FloatArray) -> FloatArray:
        """See :meth:`Layer.backward`."""
        if self._inputs is None:
            raise MLPError("backward called before forward")
        self._dW = self._inputs.T @ grad_output
        self._db = grad_output.sum(axis=AXIS_ROWS)
        return grad_output @ self.W.T

    def parameters(self) -> dict[str, FloatArray]:
        """See :meth:`Layer.parameters`."""
        return {"W": self.W, "b": self.b}

    def grads(self) -> dict[str, FloatArray]:
        """See :meth:`Layer.grads`."""
        if self._dW is None or self._db is None:
            raise MLPError("grads requested before backward")
        return {"W": self._dW, "b": self._db}


class Tanh(Layer):
    """Element-wise hyperbolic tangent."""

    def __init__(self) -> None:
        """Create the activation with an empty cache."""
        self._output: FloatArray | None = None

    def forward(self, inputs: FloatArray) -> FloatArray:
        """See :meth:`Layer.forward`."""
        self._output = np.tanh(inputs)
        return self._output

    def backward(self, grad_output: FloatArray) -> FloatArray:
        """See :meth:`Layer.backward`."""
        if self._output is None:
            raise MLPError("backward called before forward")
        return grad_output * (1.0 - self._output**2)


class Sequential:
    """A stack of layers applied in order."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        """Store the layers."""
        self.layers = list(layers)

    def forward(self, inputs: FloatArray) -> FloatArray:
        """Run every layer in order."""
        out = inputs
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def backward(self, grad_output: FloatArray) -> FloatArray:
        """Back-propagate through every layer in reverse order."""
        grad = grad_output
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad


class LossFunction(abc.ABC):
    """A loss on logits and integer labels."""

    @abc.abstractmethod
    def value(self, logits: FloatArray, labels: IntArray) -> float:
        """Loss value."""

    @abc.abstractmethod
    def gradient(self, logits: FloatArray, labels: IntArray) -> FloatArray:
        """dL/d(logits)."""


class SoftmaxCrossEntropy(LossFunction):
    """Mean cross-entropy of a softmax over logits, computed stably."""

    @staticmethod
    def log_softmax(logits: FloatArray) -> FloatArray:
        """Row-wise log-softmax with the log-sum-exp trick."""
        shifted = logits - logits.max(axis=AXIS_CLASSES, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=AXIS_CLASSES, keepdims=True))

    def probabilities(self, logits: FloatArray) -> FloatArray:
        """Row-wise softmax."""
        return np.exp(self.log_softmax(logits))

    def value(self, logits: FloatArray, labels: IntArray) -> float:
        """See :meth:`LossFunction.value`."""
        log_probs = self.log_softmax(logits)
        return float(-log_probs[np.arange(len(labels)), labels].mean())

    def gradient(self, logits: FloatArray, labels: IntArray) -> FloatArray:
        """See :meth:`LossFunction.gradient`."""
        grad = self.probabilities(logits)
        grad[np.arange(len(labels)), labels] -= 1.0
        return grad / len(labels)


class ModelFactory:
    """Converts between plain parameter dicts and :class:`Sequential` models."""

    @staticmethod
    def from_params(params: Params) -> Sequential:
        """Build a model holding copies of ``params``."""
        return Sequential(
            [Dense(params["W1"], params["b1"]), Tanh(), Dense(params["W2"], params["b2"])]
        )

    @staticmethod
    def dense_layers(model: Sequential) -> list[Dense]:
        """The affine layers of ``model``, in order."""
        return [layer for layer in model.layers if isinstance(layer, Dense)]

    @classmethod
    def to_params(cls, model: Sequential) -> Params:
        """Plain copies of the model's parameters."""
        first, second = cls.dense_layers(model)
        return {"W1": first.W.copy(), "b1": first.b.copy(), "W2": second.W.copy(), "b2": second.b.copy()}

    @classmethod
    def grads_to_params(cls, model: Sequential) -> Params:
        """The model's parameter gradients, keyed like :data:`Params`."""
        first, second = cls.dense_layers(model)
        g1, g2 = first.grads(), second.grads()
        return {"W1": g1["W"], "b1": g1["b"], "W2": g2["W"], "b2": g2["b"]}


class Optimizer(abc.ABC):
    """An update rule for the parameters of a model."""

    @abc.abstractmethod
    def step(self, model: Sequential) -> None:
        """Update the model's parameters in place from their stored gradients."""


class SGD(Optimizer):
    """Plain gradient descent ``param -= lr * grad``."""

    def __init__(self, lr: float) -> None:
        """Store the learning rate."""
        self.lr = lr

    def step(self, model: Sequential) -> None:
        """See :meth:`Optimizer.step`."""
        for layer in model.layers:
            grads = layer.grads()
            for name, value in layer.parameters().items():
                value -= self.lr * grads[name]


class DataSplitter(Protocol):
    """Splits row indices into training and validation parts."""

    def split(self, n_samples: int) -> tuple[IntArray, IntArray]:
        """Return ``(train_indices, val_indices)``."""


@dataclass
class RandomHoldoutSplitter:
    """Random hold-out split with at least one row on each side."""

    val_fraction: float
    rng: np.random.Generator

    def split(self, n_samples: int) -> tuple[IntArray, IntArray]:
        """See :meth:`DataSplitter.split`."""
        n_val = min(max(1, round(self.val_fraction * n_samples)), n_samples - 1)
        order = self.rng.permutation(n_samples)
        return order[n_val:], order[:n_val]


@dataclass
class BatchIterator:
    """Yields shuffled mini-batches of row indices; the last batch may be smaller."""

    batch_size: int
    rng: np.random.Generator

    def __call__(self, n_rows: int) -> Iterator[IntArray]:
        """Iterate over the batches of one epoch."""
        order = self.rng.permutation(n_rows)
        for start in range(0, n_rows, self.batch_size):
            yield order[start : start + self.batch_size]


@dataclass
class EpochState:
    """What callbacks can see at the end of an epoch."""

    epoch: int
    train_loss: float
    val_loss: float
    model: Sequential
    stop_training: bool = False


class Callback(abc.ABC):
    """A hook run by the trainer at the end of every epoch."""

    @abc.abstractmethod
    def on_epoch_end(self, state: EpochState) -> None:
        """React to the end of an epoch; may set ``state.stop_training``."""


@dataclass
class HistoryRecorder(Callback):
    """Records the per-epoch losses."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)

    def on_epoch_end(self, state: EpochState) -> None:
        """See :meth:`Callback.on_epoch_end`."""
        self.train_loss.append(state.train_loss)
        self.val_loss.append(state.val_loss)


@dataclass
class EarlyStopping(Callback):
    """Keeps the best weights and stops after ``patience`` epochs without improvement."""

    patience: int
    best_loss: float = float("inf")
    best_epoch: int = -1
    best_params: Params | None = None

    def on_epoch_end(self, state: EpochState) -> None:
        """See :meth:`Callback.on_epoch_end`."""
        if state.val_loss < self.best_loss:
            self.best_loss = state.val_loss
            self.best_epoch = state.epoch
            self.best_params = ModelFactory.to_params(state.model)
            logger.debug("epoch %d: new best val loss %.6f", state.epoch, state.val_loss)
        elif state.epoch - self.best_epoch >= self.patience:
            logger.info("early stopping at epoch %d", state.epoch)
            state.stop_training = True


class Result(Generic[T]):
    """A tiny container pairing a value with metadata."""

    def __init__(self, value: T, metadata: dict[str, Any]) -> None:
        """Store the value and its metadata."""
        self.value = value
        self.metadata = metadata

    def as_tuple(self) -> tuple[T, dict[str, Any]]:
        """Return ``(value, metadata)``."""
        return self.value, self.metadata


class Trainer:
    """Runs mini-batch training with callbacks."""

    def __init__(
        self,
        model: Sequential,
        loss_fn: LossFunction,
        optimizer: Optimizer,
        batches: BatchIterator,
        callbacks: Sequence[Callback] = (),
    ) -> None:
        """Wire the components together."""
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.batches = batches
        self.callbacks = list(callbacks)

    def _evaluate(self, X: FloatArray, y: IntArray) -> float:
        return self.loss_fn.value(self.model.forward(X), y)

    def _train_step(self, X: FloatArray, y: IntArray) -> None:
        logits = self.model.forward(X)
        self.model.backward(self.loss_fn.gradient(logits, y))
        self.optimizer.step(self.model)

    def fit(
        self, X_train: FloatArray, y_train: IntArray, X_val: FloatArray, y_val: IntArray, epochs: int
    ) -> None:
        """Train for up to ``epochs`` epochs or until a callback stops training."""
        for epoch in range(epochs):
            for batch in self.batches(len(X_train)):
                self._train_step(X_train[batch], y_train[batch])
            state = EpochState(
                epoch=epoch,
                train_loss=self._evaluate(X_train, y_train),
                val_loss=self._evaluate(X_val, y_val),
                model=self.model,
            )
            for callback in self.callbacks:
                callback.on_epoch_end(state)
            if state.stop_training:
                break


def _as_features(X: ArrayLike) -> FloatArray:
    return np.asarray(X, dtype=float)


def _as_labels(y: ArrayLike) -> IntArray:
    return np.asarray(y, dtype=np.int64)


_LOSS: Final[SoftmaxCrossEntropy] = SoftmaxCrossEntropy()


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Random initial parameters, reproducible from ``seed`` (LeCun normal, zero biases)."""
    return _init_params_with_scheme(n_in, n_hidden, n_out, seed, InitScheme.LECUN)


def _init_params_with_scheme(
    n_in: int, n_hidden: int, n_out: int, seed: int, scheme: InitScheme
) -> Params:
    rng = np.random.default_rng(seed)
    initializer = InitializerRegistry.get(scheme)
    return {
        "W1": initializer(rng, n_in, n_hidden),
        "b1": np.full(n_hidden, DEFAULT_BIAS_VALUE),
        "W2": initializer(rng, n_hidden, n_out),
        "b2": np.full(n_out, DEFAULT_BIAS_VALUE),
    }


def forward(params: Params, X: ArrayLike) -> FloatArray:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1."""
    logits = ModelFactory.from_params(params).forward(_as_features(X))
    return _LOSS.probabilities(logits)


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model."""
    logits = ModelFactory.from_params(params).forward(_as_features(X))
    return _LOSS.value(logits, _as_labels(y))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    model = ModelFactory.from_params(params)
    labels = _as_labels(y)
    logits = model.forward(_as_features(X))
    model.backward(_LOSS.gradient(logits, labels))
    return ModelFactory.grads_to_params(model)


def predict(params: Params, X: ArrayLike) -> IntArray:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    logits = ModelFactory.from_params(params).forward(_as_features(X))
    return logits.argmax(axis=AXIS_CLASSES)


def train(
    X: ArrayLike,
    y: ArrayLike,
    *,
    hidden: int = 32,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int = 32,
    val_fraction: float = 0.2,
    patience: int = 10,
    seed: int = 0,
) -> tuple[Params, dict[str, Any]]:
    """Train an MLP with mini-batch gradient descent, a validation split and early stopping.

    Returns ``(params, history)``: the weights of the epoch with the lowest validation loss,
    and ``{"train_loss": [...], "val_loss": [...], "best_epoch": int,
    "val_indices": [...]}``. Never modifies ``X`` or ``y``.
    """
    config = TrainingConfig(
        hidden=hidden,
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        val_fraction=val_fraction,
        patience=patience,
        seed=seed,
    )
    features, labels = _as_features(X), _as_labels(y)
    rng = np.random.default_rng(config.seed)
    splitter: DataSplitter = RandomHoldoutSplitter(config.val_fraction, rng)
    train_idx, val_idx = splitter.split(len(features))

    initial = _init_params_with_scheme(
        features.shape[1], config.hidden, int(labels.max()) + 1, config.seed, config.init_scheme
    )
    recorder = HistoryRecorder()
    stopper = EarlyStopping(config.patience)
    trainer = Trainer(
        model=ModelFactory.from_params(initial),
        loss_fn=_LOSS,
        optimizer=SGD(config.lr),
        batches=BatchIterator(config.batch_size, rng),
        callbacks=[recorder, stopper],
    )
    trainer.fit(
        features[train_idx], labels[train_idx], features[val_idx], labels[val_idx], config.epochs
    )
    if stopper.best_params is None:  # pragma: no cover - the first epoch always improves
        raise MLPError("training produced no finite validation loss")

    history = {
        "train_loss": recorder.train_loss,
        "val_loss": recorder.val_loss,
        "best_epoch": stopper.best_epoch,
        "val_indices": val_idx.tolist(),
    }
    return Result(stopper.best_params, history).as_tuple()
