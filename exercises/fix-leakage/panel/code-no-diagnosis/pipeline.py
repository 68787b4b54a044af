"""Churn model for the monthly customer snapshots.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = [
    "tenure_months",
    "monthly_charge",
    "usage_hours",
    "usage_change",
    "support_calls",
    "late_payments",
    "satisfaction",
]
CATEGORICAL = ["plan", "contract", "payment_method"]
LABEL = "churned"
HORIZON = 3


def split(table: dict[str, np.ndarray]) -> tuple[list[int], list[int]]:
    """Train on earlier months, validate on the last ``HORIZON`` months of unseen customers."""
    months = pd.PeriodIndex(np.asarray(table["snapshot_month"]), freq="M")
    cutoff = months.max() - HORIZON
    groups = np.asarray(table["customer_id"])
    splitter = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
    train_idx, valid_idx = next(splitter.split(groups, groups=groups))
    in_train = np.zeros(len(groups), dtype=bool)
    in_train[train_idx] = True
    before = np.asarray(months <= cutoff)
    train_rows = np.flatnonzero(in_train & before)
    valid_rows = np.flatnonzero(~in_train & ~before)
    return train_rows.tolist(), valid_rows.tolist()


def fit(table: dict[str, np.ndarray], rows: list[int]) -> Pipeline:
    """Fit preprocessing and logistic regression on ``rows``."""
    rows_arr = np.asarray(rows, dtype=int)
    X = pd.DataFrame({c: np.asarray(table[c])[rows_arr] for c in NUMERIC + CATEGORICAL})
    y = np.asarray(table[LABEL])[rows_arr]
    pre = ColumnTransformer(
        [
            (
                "num",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
                        ("scale", StandardScaler()),
                    ]
                ),
                NUMERIC,
            ),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
        ]
    )
    return Pipeline([("pre", pre), ("lr", LogisticRegression(max_iter=1000))]).fit(X, y)


def predict(model: Pipeline, table: dict[str, np.ndarray]) -> list[float]:
    """Churn probability of each row."""
    X = pd.DataFrame({c: np.asarray(table[c]) for c in NUMERIC + CATEGORICAL})
    return model.predict_proba(X)[:, 1].tolist()


def evaluate(table: dict[str, np.ndarray]) -> dict[str, Any]:
    """Train on the training rows, report the AUC on the validation rows."""
    train_rows, valid_rows = split(table)
    model = fit(table, train_rows)
    scores = np.asarray(predict(model, table))[valid_rows]
    labels = np.asarray(table[LABEL])[valid_rows]
    return {
        "valid_auc": float(roc_auc_score(labels, scores)),
        "train_rows": train_rows,
        "valid_rows": valid_rows,
    }


def main() -> None:
    """Print the validation AUC on a generated table."""
    from data import generate_customers

    table = generate_customers(n_customers=3000, seed=7)
    result = evaluate(table)
    print(
        f"rows: {len(table[LABEL])}, train: {len(result['train_rows'])}, "
        f"validation: {len(result['valid_rows'])}"
    )
    print(f"validation AUC: {result['valid_auc']:.3f}")


if __name__ == "__main__":
    main()
