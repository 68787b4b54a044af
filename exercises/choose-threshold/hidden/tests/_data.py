"""Seeded validation data for the hidden tests: fraud labels and the scores of model variants.

A model's score is a logistic squash of a normal "suspicion" that is ``separation`` higher for
frauds; a share of frauds (``blind_share``) look exactly like legitimate transactions to it,
so it misses them at any threshold. Scores are continuous (no ties) unless rounded.
"""

from __future__ import annotations

import numpy as np


def fraud_labels(rng: np.random.Generator, n: int, base_rate: float) -> np.ndarray:
    """``n`` labels (1 = fraud) with about ``base_rate`` frauds, at least one of each class."""
    frauds = int(np.clip(round(n * base_rate), 1, n - 1))
    labels = np.zeros(n, dtype=int)
    labels[:frauds] = 1
    return rng.permutation(labels)


def model_scores(
    rng: np.random.Generator,
    labels: np.ndarray,
    separation: float,
    blind_share: float = 0.0,
    offset: float = 2.5,
) -> np.ndarray:
    """Scores in (0, 1): higher for frauds the model sees, as for legitimate ones otherwise."""
    labels = np.asarray(labels)
    seen = (labels == 1) & (rng.random(len(labels)) >= blind_share)
    suspicion = rng.normal(size=len(labels)) + separation * seen
    return 1.0 / (1.0 + np.exp(-(suspicion - offset)))


def sample(seed: int, n: int, base_rate: float, models: dict[str, dict]) -> tuple:
    """(labels, {model: scores}) drawn from one seed; ``models`` maps a name to its shape."""
    rng = np.random.default_rng(seed)
    labels = fraud_labels(rng, n, base_rate)
    return labels, {name: model_scores(rng, labels, **shape) for name, shape in models.items()}
