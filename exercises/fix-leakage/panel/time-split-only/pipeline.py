"""Churn model for the monthly customer snapshots.

The validation is out of time: the model is trained on the months before the last quarter
of the table and validated on that last quarter.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

Table = Mapping[str, np.ndarray]

NUMERIC_FEATURES = [
    "tenure_months",
    "monthly_charge",
    "usage_hours",
    "usage_change",
    "support_calls",
    "late_payments",
    "satisfaction",
]
CATEGORICAL_FEATURES = ["plan", "contract", "payment_method"]
LABEL = "churned"
VALIDATION_MONTHS = 3


def _month_index(snapshot_month: np.ndarray) -> np.ndarray:
    """Months since year 0 for ``YYYY-MM`` strings."""
    years = np.array([int(m[:4]) for m in snapshot_month])
    months = np.array([int(m[5:7]) for m in snapshot_month])
    return years * 12 + months - 1


def split(table: Table) -> tuple[list[int], list[int]]:
    """Train on every month before the last ``VALIDATION_MONTHS``; validate on those months."""
    month = _month_index(np.asarray(table["snapshot_month"]))
    first_valid_month = month.max() - VALIDATION_MONTHS + 1
    train_rows = np.flatnonzero(month < first_valid_month)
    valid_rows = np.flatnonzero(month >= first_valid_month)
    return train_rows.tolist(), valid_rows.tolist()


def _features(table: Table) -> pd.DataFrame:
    """The model's input columns."""
    columns = NUMERIC_FEATURES + CATEGORICAL_FEATURES
    return pd.DataFrame({name: np.asarray(table[name]) for name in columns})


def fit(table: Table, rows: Sequence[int]) -> Pipeline:
    """Fit imputation, scaling, one-hot encoding and the classifier on ``rows`` only."""
    index = np.asarray(rows, dtype=int)
    preprocessing = ColumnTransformer(
        [
            (
                "numeric",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
                        ("scale", StandardScaler()),
                    ]
                ),
                NUMERIC_FEATURES,
            ),
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                CATEGORICAL_FEATURES,
            ),
        ]
    )
    model = Pipeline([("preprocessing", preprocessing), ("classifier", LogisticRegression(max_iter=1000))])
    return model.fit(_features(table).iloc[index], np.asarray(table[LABEL])[index])


def predict(model: Pipeline, table: Table) -> list[float]:
    """Churn probability of every row of ``table``."""
    return model.predict_proba(_features(table))[:, 1].tolist()


def evaluate(table: Table) -> dict[str, object]:
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
