"""Churn model for the monthly customer snapshots.

The validation imitates how the model is used: it is trained on the history up to a
cut-off month, then scores the next three months for customers it has never seen.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

import hashlib
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

Table = Mapping[str, Any]

# Only what is known about a customer on the day their snapshot is scored. Left out on
# purpose: `days_since_cancellation` and `retention_offer` (CRM fields written after the
# cancellation, i.e. the label itself) and `campaign` (codes are new every month, so a
# code seen in training never appears at scoring time; target-encoding them only
# memorises the labels of the ~3 snapshots that share a code).
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
"""The model is used for the next three months after each retraining."""
VALIDATION_CUSTOMER_SHARE = 0.25
"""Share of customers held out entirely, standing in for the acquired customers."""


def _month_index(months: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` strings as a month count, so months can be compared and subtracted."""
    years = np.array([int(m[:4]) for m in months])
    numbers = np.array([int(m[5:7]) for m in months])
    return years * 12 + numbers - 1


def _held_out(customer_ids: np.ndarray) -> np.ndarray:
    """Deterministically assign about a quarter of customers to validation (stable hash)."""

    def bucket(customer_id: str) -> float:
        digest = hashlib.sha256(str(customer_id).encode()).hexdigest()
        return int(digest[:8], 16) / 0xFFFFFFFF

    return np.array([bucket(c) < VALIDATION_CUSTOMER_SHARE for c in customer_ids])


def split(table: Table) -> tuple[list[int], list[int]]:
    """Split by time and by customer.

    Validation: the last ``VALIDATION_MONTHS`` months of the table, for held-out
    customers only. Training: the months before, for the other customers. Rows of
    held-out customers before the cut-off and rows of training customers after it are
    used by neither.
    """
    month = _month_index(np.asarray(table["snapshot_month"]))
    cutoff = month.max() - VALIDATION_MONTHS + 1
    held_out = _held_out(np.asarray(table["customer_id"]))
    train_rows = np.flatnonzero((month < cutoff) & ~held_out)
    valid_rows = np.flatnonzero((month >= cutoff) & held_out)
    return train_rows.tolist(), valid_rows.tolist()


def _build_pipeline() -> Pipeline:
    """Preprocessing and classifier, unfitted; every learned step sits inside it."""
    preprocess = ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
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
    return make_pipeline(preprocess, LogisticRegression(max_iter=1000))


def _frame(table: Table) -> pd.DataFrame:
    """The feature columns of ``table`` as a DataFrame (the label is not needed)."""
    columns = NUMERIC_FEATURES + CATEGORICAL_FEATURES
    return pd.DataFrame({name: np.asarray(table[name]) for name in columns})


def fit(table: Table, rows: Sequence[int]) -> Pipeline:
    """Fit the whole model (imputer, scaler, encoder, classifier) on ``rows`` only."""
    index = np.asarray(rows, dtype=int)
    frame = _frame(table).iloc[index]
    labels = np.asarray(table[LABEL])[index]
    return _build_pipeline().fit(frame, labels)


def predict(model: Pipeline, table: Table) -> list[float]:
    """Churn probability of every row of ``table`` (no ``churned`` column needed)."""
    return model.predict_proba(_frame(table))[:, 1].tolist()


def evaluate(table: Table) -> dict[str, Any]:
    """Split, fit on the training rows, and report the AUC on the validation rows."""
    train_rows, valid_rows = split(table)
    model = fit(table, train_rows)
    valid_table = {name: np.asarray(values)[valid_rows] for name, values in table.items()}
    scores = predict(model, valid_table)
    labels = np.asarray(table[LABEL])[valid_rows]
    return {
        "valid_auc": float(roc_auc_score(labels, scores)),
        "train_rows": train_rows,
        "valid_rows": valid_rows,
    }


def main() -> None:
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
