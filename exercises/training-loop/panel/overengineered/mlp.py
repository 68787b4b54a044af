"""A one-hidden-layer MLP classifier in plain numpy, with its own training loop.

Design
------
A miniature deep-learning framework is built first (layers with forward/backward, a loss
module, an optimiser, a data loader and a callback system), and the public functions at
the bottom are thin, plain-data adapters over it. This keeps every concern swappable:
new activations, optimisers or stopping rules plug in without touching ``train``.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Generic, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

Params = dict[str, NDArray[np.float64]]
"""``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``"""

Tensor = NDArray[np.float64]
T = TypeVar("T")

PARAM_KEYS: Final[tuple[str, ...]] = ("W1", "b1", "W2", "b2")


# --------------------------------------------------------------------------- framework
class Module(abc.ABC):
    """A differentiable computation with optional named parameters."""

    @abc.abstractmethod
    def forward(self, inputs: Tensor) -> Tensor:
        """Compute the output and cache what :meth:`backward` needs."""

    @abc.abstractmethod
    def backward(self, grad_output: Tensor) -> Tensor:
        """Propagate ``grad_output`` and accumulate parameter gradients."""

    def parameters(self) -> dict[str, Tensor]:
        """Named parameters owned by this module."""
        return {}

    def grads(self) -> dict[str, Tensor]:
        """Gradients of the named parameters after :meth:`backward`."""
        return {}


class Dense(Module):
    """Affine layer ``inputs @ W + b``."""

    def __init__(self, weight: Tensor, bias: Tensor, weight_name: str, bias_name: str) -> None:
        self.weight = weight
        self.bias = bias
        self.names = (weight_name, bias_name)
        self._inputs: Tensor | None = None
        self._grads: dict[str, Tensor] = {}

    def forward(self, inputs: Tensor) -> Tensor:
        self._inputs = inputs
        return inputs @ self.weight + self.bias

    def backward(self, grad_output: Tensor) -> Tensor:
        assert self._inputs is not None, "forward must run before backward"
        self._grads = {
            self.names[0]: self._inputs.T @ grad_output,
            self.names[1]: grad_output.sum(axis=0),
        }
        return grad_output @ self.weight.T

    def parameters(self) -> dict[str, Tensor]:
        return {self.names[0]: self.weight, self.names[1]: self.bias}

    def grads(self) -> dict[str, Tensor]:
        return dict(self._grads)


class Tanh(Module):
    """Element-wise hyperbolic tangent."""

    def __init__(self) -> None:
        self._out: Tensor | None = None

    def forward(self, inputs: Tensor) -> Tensor:
        self._out = np.tanh(inputs)
        return self._out

    def backward(self, grad_output: Tensor) -> Tensor:
        assert self._out is not None
        return grad_output * (1.0 - self._out**2)


class Sequential(Module):
    """Chain of modules applied in order."""

    def __init__(self, modules: Sequence[Module]) -> None:
        self.modules = list(modules)

    def forward(self, inputs: Tensor) -> Tensor:
        for module in self.modules:
            inputs = module.forward(inputs)
        return inputs

    def backward(self, grad_output: Tensor) -> Tensor:
        for module in reversed(self.modules):
            grad_output = module.backward(grad_output)
        return grad_output

    def parameters(self) -> dict[str, Tensor]:
        return {k: v for m in self.modules for k, v in m.parameters().items()}

    def grads(self) -> dict[str, Tensor]:
        return {k: v for m in self.modules for k, v in m.grads().items()}


class LogSoftmax:
    """Numerically stable row-wise log-softmax (log-sum-exp trick)."""

    @staticmethod
    def __call__(logits: Tensor) -> Tensor:
        peak = logits.max(axis=1, keepdims=True)
        return logits - peak - np.log(np.exp(logits - peak).sum(axis=1, keepdims=True))


class Reduction(enum.Enum):
    """How per-row losses are combined."""

    MEAN = "mean"
    SUM = "sum"


@dataclass
class CrossEntropyLoss:
    """Cross-entropy on logits, with its gradient w.r.t. the logits."""

    reduction: Reduction = Reduction.MEAN
    log_softmax: LogSoftmax = field(default_factory=LogSoftmax)

    def value(self, logits: Tensor, labels: NDArray[np.int64]) -> float:
        picked = self.log_softmax(logits)[np.arange(labels.size), labels]
        total = -picked.sum()
        return float(total / labels.size if self.reduction is Reduction.MEAN else total)

    def grad(self, logits: Tensor, labels: NDArray[np.int64]) -> Tensor:
        grad = np.exp(self.log_softmax(logits))
        grad[np.arange(labels.size), labels] -= 1.0
        return grad / labels.size if self.reduction is Reduction.MEAN else grad


class Optimizer(abc.ABC):
    """Parameter update rule."""

    @abc.abstractmethod
    def step(self, params: Params, grads: Params) -> Params:
        """Return updated parameters (new arrays)."""


@dataclass
class SGD(Optimizer):
    """Plain gradient descent: ``p - lr * g``."""

    lr: float

    def step(self, params: Params, grads: Params) -> Params:
        return {k: params[k] - self.lr * grads[k] for k in params}


class DataLoader:
    """Yields shuffled mini-batches of row indices; the last batch is kept."""

    def __init__(self, indices: NDArray[np.int64], batch_size: int, rng: np.random.Generator):
        self.indices = indices
        self.batch_size = batch_size
        self.rng = rng

    def __iter__(self) -> Iterator[NDArray[np.int64]]:
        order = self.rng.permutation(self.indices.size)
        for start in range(0, order.size, self.batch_size):
            yield self.indices[order[start : start + self.batch_size]]


class Callback(abc.ABC, Generic[T]):
    """Hook called at the end of each epoch."""

    @abc.abstractmethod
    def on_epoch_end(self, epoch: int, logs: dict[str, float], params: Params) -> bool:
        """Return True to request that training stops."""

    @abc.abstractmethod
    def result(self) -> T:
        """What the callback contributes to the final outcome."""


@dataclass
class HistoryRecorder(Callback[dict[str, list[float]]]):
    """Stores the per-epoch logs."""

    logs: dict[str, list[float]] = field(default_factory=dict)

    def on_epoch_end(self, epoch: int, logs: dict[str, float], params: Params) -> bool:
        for key, value in logs.items():
            self.logs.setdefault(key, []).append(value)
        return False

    def result(self) -> dict[str, list[float]]:
        return self.logs


@dataclass
class EarlyStopping(Callback[tuple[int, Params]]):
    """Stops after ``patience`` epochs without a strict improvement of ``monitor``."""

    patience: int
    monitor: str = "val_loss"
    best_value: float = float("inf")
    best_epoch: int = 0
    best_params: Params = field(default_factory=dict)
    MODE: ClassVar[str] = "min"

    def on_epoch_end(self, epoch: int, logs: dict[str, float], params: Params) -> bool:
        value = logs[self.monitor]
        if value < self.best_value or not self.best_params:
            self.best_value, self.best_epoch = value, epoch
            self.best_params = {k: v.copy() for k, v in params.items()}
            return False
        return epoch - self.best_epoch >= self.patience

    def result(self) -> tuple[int, Params]:
        return self.best_epoch, self.best_params


@dataclass(frozen=True)
class TrainingConfig:
    """All hyper-parameters of a run."""

    hidden: int
    lr: float
    epochs: int
    batch_size: int
    val_fraction: float
    patience: int
    seed: int


class Model:
    """The MLP as a :class:`Sequential` built from a plain parameter dict."""

    def __init__(self, params: Params) -> None:
        self.network = Sequential(
            [
                Dense(params["W1"], params["b1"], "W1", "b1"),
                Tanh(),
                Dense(params["W2"], params["b2"], "W2", "b2"),
            ]
        )
        self.criterion = CrossEntropyLoss()

    def logits(self, X: ArrayLike) -> Tensor:
        return self.network.forward(np.asarray(X, dtype=np.float64))

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike) -> tuple[float, Params]:
        labels = np.asarray(y, dtype=np.int64)
        logits = self.logits(X)
        self.network.backward(self.criterion.grad(logits, labels))
        grads = self.network.grads()
        return self.criterion.value(logits, labels), {k: grads[k] for k in PARAM_KEYS}


class Trainer:
    """Runs the epoch loop, dispatching to the optimiser and callbacks."""

    def __init__(self, config: TrainingConfig) -> None:
        self.config = config
        self.rng = np.random.default_rng(config.seed)
        self.optimizer: Optimizer = SGD(config.lr)
        self.recorder = HistoryRecorder()
        self.stopper = EarlyStopping(config.patience)
        self.callbacks: list[Callback[Any]] = [self.recorder, self.stopper]

    def split(self, n_rows: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        n_val = int(np.clip(round(self.config.val_fraction * n_rows), 1, n_rows - 1))
        order = self.rng.permutation(n_rows)
        return order[n_val:], order[:n_val]

    def fit(self, X: Tensor, y: NDArray[np.int64]) -> tuple[Params, dict[str, Any]]:
        train_idx, val_idx = self.split(X.shape[0])
        params = init_params(X.shape[1], self.config.hidden, int(y.max()) + 1, self.config.seed)
        loader = DataLoader(train_idx, self.config.batch_size, self.rng)
        for epoch in range(self.config.epochs):
            for rows in loader:
                _, grads = Model(params).loss_and_grads(X[rows], y[rows])
                params = self.optimizer.step(params, grads)
            logs = {
                "train_loss": loss(params, X[train_idx], y[train_idx]),
                "val_loss": loss(params, X[val_idx], y[val_idx]),
            }
            if any([cb.on_epoch_end(epoch, logs, params) for cb in self.callbacks]):
                break
        best_epoch, best_params = self.stopper.result()
        history: dict[str, Any] = dict(self.recorder.result())
        history["best_epoch"] = best_epoch
        history["val_indices"] = val_idx.tolist()
        return best_params, history


# --------------------------------------------------------------------------- public API
def init_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """Random initial parameters, reproducible from ``seed`` (LeCun normal, zero biases)."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, n_in**-0.5, (n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, n_hidden**-0.5, (n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def forward(params: Params, X: ArrayLike) -> Tensor:
    """Class probabilities of every row, shape ``(n_samples, n_out)``; rows sum to 1."""
    return np.exp(LogSoftmax()(Model(params).logits(X)))


def loss(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Mean cross-entropy of the integer labels ``y`` under the model."""
    return CrossEntropyLoss().value(Model(params).logits(X), np.asarray(y, dtype=np.int64))


def gradients(params: Params, X: ArrayLike, y: ArrayLike) -> Params:
    """Gradient of :func:`loss` with respect to each parameter (same keys and shapes)."""
    return Model(params).loss_and_grads(X, y)[1]


def predict(params: Params, X: ArrayLike) -> NDArray[np.int64]:
    """The most probable class of every row, as an integer array of shape ``(n_samples,)``."""
    return Model(params).logits(X).argmax(axis=1).astype(np.int64)


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
    """Train an MLP with mini-batch gradient descent, a validation split and early stopping."""
    config = TrainingConfig(hidden, lr, epochs, batch_size, val_fraction, patience, seed)
    return Trainer(config).fit(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64))
