"""Churn model for the monthly customer snapshots.

The model is checked the way it will be used: it learns from the past months of some
customers and is scored on the last three months of other customers.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
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

MONTHS_AHEAD = 3
NEW_CUSTOMER_SHARE = 0.25
RANDOM_SEED = 0


def _month_numbers(snapshot_month: Sequence[str]) -> np.ndarray:
    """Turn ``YYYY-MM`` into a running month number so that months can be ordered."""
    return np.array([int(value[:4]) * 12 + int(value[5:7]) for value in snapshot_month])


def _pick_new_customers(customer_ids: np.ndarray) -> set[str]:
    """Choose the customers that play the part of customers the model has never met."""
    customers = np.unique(customer_ids)  # sorted, so row order does not matter
    rng = np.random.default_rng(RANDOM_SEED)
    count = int(round(NEW_CUSTOMER_SHARE * len(customers)))
    return set(rng.choice(customers, size=count, replace=False).tolist())


def split(table: Mapping[str, np.ndarray]) -> tuple[list[int], list[int]]:
    """Train on earlier months of known customers, validate on the last months of others."""
    months = _month_numbers(table["snapshot_month"])
    first_valid = months.max() - MONTHS_AHEAD + 1
    new_customers = _pick_new_customers(np.asarray(table["customer_id"]))
    is_new = np.array([cid in new_customers for cid in table["customer_id"]], dtype=bool)
    train_rows = np.flatnonzero(~is_new & (months < first_valid))
    valid_rows = np.flatnonzero(is_new & (months >= first_valid))
    return train_rows.tolist(), valid_rows.tolist()


def _inputs(table: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The columns the model looks at, as a DataFrame."""
    return pd.DataFrame({col: table[col] for col in NUMERIC_FEATURES + CATEGORICAL_FEATURES})


def fit(table: Mapping[str, np.ndarray], rows: Sequence[int]) -> Pipeline:
    """Fit every step of the model on the given rows only."""
    rows = np.asarray(rows, dtype=int)
    prepare = make_column_transformer(
        (
            make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
            NUMERIC_FEATURES,
        ),
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL_FEATURES),
    )
    model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
    model.fit(_inputs(table).iloc[rows], np.asarray(table[LABEL])[rows])
    return model


def predict(model: Pipeline, table: Mapping[str, np.ndarray]) -> list[float]:
    """Churn probability of every row, in the table's order."""
    return model.predict_proba(_inputs(table))[:, 1].tolist()


def evaluate(table: Mapping[str, np.ndarray]) -> dict:
    """Split, fit on the training rows and report the AUC on the validation rows."""
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
