"""Churn model for the monthly customer snapshots.

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

TEST_MONTHS = 3
HOLDOUT_MODULUS = 4


def _month_ordinal(months: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` -> number of months since year 0."""
    return np.array([int(m[:4]) * 12 + int(m[5:]) - 1 for m in months])


def _is_holdout(customer_ids: np.ndarray) -> np.ndarray:
    """One customer in ``HOLDOUT_MODULUS``, by the digits of the customer id."""
    return np.array([int(str(c).lstrip("C")) % HOLDOUT_MODULUS == 0 for c in customer_ids])


def split(table: Mapping[str, np.ndarray]) -> tuple[list[int], list[int]]:
    """Time-based split, grouped by customer.

    The last ``TEST_MONTHS`` months of the hold-out customers are validated on; the earlier
    months of the other customers are trained on.
    """
    month = _month_ordinal(np.asarray(table["snapshot_month"]))
    boundary = month.max() - TEST_MONTHS
    holdout = _is_holdout(np.asarray(table["customer_id"]))
    train_rows = np.where((month <= boundary) & ~holdout)[0]
    valid_rows = np.where((month > boundary) & holdout)[0]
    return train_rows.tolist(), valid_rows.tolist()


def _make_model() -> Pipeline:
    """Unfitted preprocessing + logistic regression."""
    numeric = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", add_indicator=True)),
            ("scale", StandardScaler()),
        ]
    )
    columns = ColumnTransformer(
        [
            ("num", numeric, NUMERIC_FEATURES),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
             CATEGORICAL_FEATURES),
        ]
    )
    return Pipeline([("features", columns), ("clf", LogisticRegression(max_iter=1000))])


def _to_frame(table: Mapping[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame({c: np.asarray(table[c]) for c in NUMERIC_FEATURES + CATEGORICAL_FEATURES})


def fit(table: Mapping[str, np.ndarray], rows: Sequence[int]) -> Pipeline:
    """Fit the preprocessing and the classifier on ``rows``."""
    idx = np.asarray(rows, dtype=int)
    return _make_model().fit(_to_frame(table).iloc[idx], np.asarray(table[LABEL])[idx])


def predict(model: Pipeline, table: Mapping[str, np.ndarray]) -> list[float]:
    """Churn probabilities, one per row."""
    return model.predict_proba(_to_frame(table))[:, 1].tolist()


def evaluate(table: Mapping[str, np.ndarray]) -> dict:
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
    """Print the validation AUC on the default table."""
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
