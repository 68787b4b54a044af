"""Churn pipeline, alternative style: hand-written preprocessing in numpy, a small model class.

Validation = deployment in miniature. The last three months of the table play "next
quarter", and a GroupShuffleSplit over customer ids plays "Nordlink's customers": 40% of
the customers are only ever seen in those last three months, the other 60% only before.
Every statistic the model uses (medians, means, standard deviations, category levels) is
computed inside ``ChurnModel.fit`` from the training rows it is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit

NUMBERS = (
    "tenure_months",
    "monthly_charge",
    "usage_hours",
    "usage_change",
    "support_calls",
    "late_payments",
    "satisfaction",
)
CATEGORIES = ("plan", "contract", "payment_method")
HORIZON = 3
VALID_SHARE = 0.4


def _month_index(values: Sequence[str]) -> np.ndarray:
    """'YYYY-MM' -> months since year 0, so months compare and subtract across years."""
    text = np.asarray(values, dtype=str)
    years = np.array([int(v[:4]) for v in text])
    months = np.array([int(v[5:7]) for v in text])
    return years * 12 + months - 1


def split(table: Mapping[str, Sequence]) -> tuple[list[int], list[int]]:
    """(train rows, valid rows): earlier months of 60% of the customers, last 3 of the rest."""
    month = _month_index(table["snapshot_month"])
    customers = np.asarray(table["customer_id"], dtype=str)
    late = month > month.max() - HORIZON

    # Whole customers go to one side: the groups of the split are the customer ids.
    splitter = GroupShuffleSplit(n_splits=1, test_size=VALID_SHARE, random_state=7)
    _, valid_index = next(splitter.split(np.zeros(len(customers)), groups=customers))
    held_out = np.zeros(len(customers), dtype=bool)
    held_out[valid_index] = True

    train_rows = np.nonzero(~late & ~held_out)[0]
    valid_rows = np.nonzero(late & held_out)[0]
    return [int(i) for i in train_rows], [int(i) for i in valid_rows]


class ChurnModel:
    """Impute, standardise and one-hot encode with training statistics, then a logistic fit."""

    def __init__(self) -> None:
        self.medians: np.ndarray | None = None
        self.means: np.ndarray | None = None
        self.stds: np.ndarray | None = None
        self.levels: dict[str, np.ndarray] = {}
        self.classifier = LogisticRegression(C=1.0, max_iter=2000)

    def _numbers(self, table: Mapping[str, Sequence]) -> np.ndarray:
        return np.column_stack([np.asarray(table[n], dtype=float) for n in NUMBERS])

    def _design(self, table: Mapping[str, Sequence]) -> np.ndarray:
        raw = self._numbers(table)
        missing = np.isnan(raw)
        filled = np.where(missing, self.medians, raw)
        scaled = (filled - self.means) / self.stds
        one_hot = [
            (np.asarray(table[name], dtype=str)[:, None] == self.levels[name]).astype(float)
            for name in CATEGORIES
        ]
        return np.hstack([scaled, missing.astype(float), *one_hot])

    def fit(self, table: Mapping[str, Sequence], labels: np.ndarray) -> ChurnModel:
        """Learn every statistic from ``table`` (the training rows only), then the weights."""
        raw = self._numbers(table)
        medians = np.nanmedian(raw, axis=0)
        self.medians = np.where(np.isnan(medians), 0.0, medians)
        filled = np.where(np.isnan(raw), self.medians, raw)
        self.means = filled.mean(axis=0)
        stds = filled.std(axis=0)
        self.stds = np.where(stds > 0, stds, 1.0)
        self.levels = {n: np.unique(np.asarray(table[n], dtype=str)) for n in CATEGORIES}
        self.classifier.fit(self._design(table), labels)
        return self

    def churn_probability(self, table: Mapping[str, Sequence]) -> np.ndarray:
        """One probability per row, each computed from that row and the fitted statistics."""
        return self.classifier.predict_proba(self._design(table))[:, 1]


def _rows(table: Mapping[str, Sequence], rows: Sequence[int]) -> dict[str, np.ndarray]:
    index = np.asarray(rows, dtype=int)
    return {name: np.asarray(values)[index] for name, values in table.items()}


def fit(table: Mapping[str, Sequence], rows: Sequence[int]) -> ChurnModel:
    """A ChurnModel fitted on the listed rows; the rest of ``table`` is never looked at."""
    training = _rows(table, rows)
    return ChurnModel().fit(training, np.asarray(training["churned"], dtype=int))


def predict(model: ChurnModel, table: Mapping[str, Sequence]) -> list[float]:
    """Churn probabilities, in row order; ``table`` needs no ``churned`` column."""
    return model.churn_probability(table).tolist()


def evaluate(table: Mapping[str, Sequence]) -> dict:
    """Split, fit on the training rows, and report the AUC on the validation rows."""
    train_rows, valid_rows = split(table)
    model = fit(table, train_rows)
    validation = _rows(table, valid_rows)
    auc = roc_auc_score(validation["churned"], predict(model, validation))
    return {"valid_auc": float(auc), "train_rows": train_rows, "valid_rows": valid_rows}


if __name__ == "__main__":
    from data import generate_customers

    print(evaluate(generate_customers(seed=7))["valid_auc"])
