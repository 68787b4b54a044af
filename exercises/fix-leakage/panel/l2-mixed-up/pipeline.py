"""Churn model for the monthly customer snapshots.

The validation mirrors how the model is used: it is trained on the history up to a cut-off
month, then scores customers it has never seen over the three months that follow.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# Only what is known about a customer on the day they are scored. Left out on purpose:
# ``days_since_cancellation`` and ``retention_offer`` (CRM fields written after the
# cancellation, i.e. the label itself) and ``campaign`` (a fresh batch of codes every
# month, so a code seen in training never comes back at scoring time).
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
"""Length of the validation window: the model is used for the next three months."""
VALIDATION_CUSTOMER_SHARE = 0.25
"""Share of customers held out, so the validation customers are never seen in training."""

Table = Mapping[str, Sequence | np.ndarray]


def _held_out_customers(customer_ids: np.ndarray) -> np.ndarray:
    """Whether each customer is held out for validation (a stable hash of the id)."""
    buckets = np.array([zlib.crc32(str(cid).encode()) % 1000 for cid in customer_ids])
    return buckets < VALIDATION_CUSTOMER_SHARE * 1000


def split(table: Table) -> tuple[list[int], list[int]]:
    """Split the rows the way the model is deployed: past vs. future, known vs. new customers.

    Validation rows are the snapshots of the last ``VALIDATION_MONTHS`` months of held-out
    customers; training rows are the snapshots before that window of the other customers.
    Held-out customers' earlier rows and the other customers' rows inside the window are
    left out of both.
    """
    months = np.asarray(table["snapshot_month"]).astype(str)
    cutoff = np.unique(months)[-VALIDATION_MONTHS]
    in_window = months >= cutoff
    held_out = _held_out_customers(np.asarray(table["customer_id"]))
    train_rows = np.flatnonzero(~in_window & ~held_out)
    valid_rows = np.flatnonzero(in_window & held_out)
    return train_rows.tolist(), valid_rows.tolist()


def _make_model() -> Pipeline:
    """Preprocessing and classifier in one estimator, so every step is fitted together."""
    preprocess = ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
                ),
                NUMERIC_FEATURES,
            ),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL_FEATURES),
        ]
    )
    return make_pipeline(preprocess, LogisticRegression(max_iter=1000))


def _frame(table: Table) -> pd.DataFrame:
    """The feature columns of ``table`` as a DataFrame."""
    return pd.DataFrame({name: table[name] for name in NUMERIC_FEATURES + CATEGORICAL_FEATURES})


def fit(table: Table, rows: Sequence[int]) -> Pipeline:
    """Fit every step of the model (imputation, scaling, encoding, classifier) on ``rows`` only."""
    rows = np.asarray(rows, dtype=int)
    frame = _frame(table).iloc[rows]
    labels = np.asarray(table[LABEL])[rows]
    return _make_model().fit(frame, labels)


def predict(model: Pipeline, table: Table) -> list[float]:
    """Churn probability of every row of ``table``, in order (the label is not needed)."""
    return model.predict_proba(_frame(table))[:, 1].tolist()


def evaluate(table: Table) -> dict:
    """Train on the training rows, report the AUC on the validation rows."""
    train_rows, valid_rows = split(table)
    model = fit(table, train_rows)
    valid = {name: np.asarray(values)[valid_rows] for name, values in table.items()}
    scores = predict(model, valid)
    return {
        "valid_auc": float(roc_auc_score(valid[LABEL], scores)),
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
