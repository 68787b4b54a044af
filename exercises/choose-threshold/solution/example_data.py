"""Example validation data: fraud labels and the scores of two models, to try decide.py on.

    from example_data import make_validation
    labels, scores = make_validation()          # 20,000 transactions, about 1 % fraud
    scores["model_a"][:3], scores["model_b"][:3]

The hidden tests draw their own data (other sizes, fraud rates, costs and models); nothing in
this file is used to grade you. The generator is seeded: the same arguments give the same data.
"""

from __future__ import annotations

import numpy as np

MODELS = {
    # Sharp on the frauds it recognises, blind to almost half of them.
    "model_a": {"separation": 5.0, "blind_share": 0.45},
    # Recognises every kind of fraud, less sharply.
    "model_b": {"separation": 3.0, "blind_share": 0.0},
}


def make_validation(
    n: int = 20_000, fraud_rate: float = 0.01, seed: int = 2024
) -> tuple[list[int], dict[str, list[float]]]:
    """``n`` labels (1 = fraud) and each model's score (0 to 1, higher = more suspicious)."""
    rng = np.random.default_rng(seed)
    frauds = max(1, min(n - 1, round(n * fraud_rate)))
    labels = rng.permutation(np.r_[np.ones(frauds, dtype=int), np.zeros(n - frauds, dtype=int)])
    scores = {}
    for name, shape in MODELS.items():
        seen = (labels == 1) & (rng.random(n) >= shape["blind_share"])
        suspicion = rng.normal(size=n) + shape["separation"] * seen
        scores[name] = (1.0 / (1.0 + np.exp(-(suspicion - 2.5)))).tolist()
    return labels.tolist(), scores
