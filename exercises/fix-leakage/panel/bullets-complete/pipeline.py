"""Churn model for the monthly customer snapshots.

Validation mirrors deployment: train on the months before a cut-off, validate on the
following three months, on customers that have no row in the training set.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# Features available on the scoring day. Removed: days_since_cancellation and
# retention_offer (CRM, filled in after the cancellation) and campaign (a fresh set of
# codes every month, so its target encoding cannot carry over to future months).
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

HORIZON_MONTHS = 3
HOLDOUT_PERCENT = 30
SEED = 0

Table = Mapping[str, np.ndarray]


@dataclass
class ChurnModel:
    """The fitted preprocessing steps and the classifier, all fitted on the same rows."""

    imputer: SimpleImputer
    scaler: StandardScaler
    encoder: OneHotEncoder
    classifier: LogisticRegression


def month_number(snapshot_month: np.ndarray) -> np.ndarray:
    """Convert ``YYYY-MM`` strings to consecutive integers (months since year 0)."""
    parts = np.char.partition(np.asarray(snapshot_month, dtype=str), "-")
    return parts[:, 0].astype(int) * 12 + parts[:, 2].astype(int) - 1


def is_holdout_customer(customer_ids: np.ndarray) -> np.ndarray:
    """Stable per-customer coin flip (CRC32 of the id), independent of row order."""
    buckets = [zlib.crc32(str(cid).encode()) % 100 for cid in customer_ids]
    return np.asarray(buckets) < HOLDOUT_PERCENT


def split(table: Table) -> tuple[list[int], list[int]]:
    """Out-of-time and out-of-customer split.

    Train: snapshots before the last ``HORIZON_MONTHS`` months, of non-holdout customers.
    Valid: snapshots in the last ``HORIZON_MONTHS`` months, of holdout customers.
    """
    months = month_number(table["snapshot_month"])
    first_valid_month = months.max() - HORIZON_MONTHS + 1
    holdout = is_holdout_customer(table["customer_id"])
    train = np.flatnonzero((months < first_valid_month) & ~holdout)
    valid = np.flatnonzero((months >= first_valid_month) & holdout)
    return train.tolist(), valid.tolist()


def _numeric(table: Table) -> pd.DataFrame:
    return pd.DataFrame({col: np.asarray(table[col], dtype=float) for col in NUMERIC_FEATURES})


def _categorical(table: Table) -> pd.DataFrame:
    return pd.DataFrame({col: np.asarray(table[col], dtype=str) for col in CATEGORICAL_FEATURES})


def _take(table: Table, rows: list[int]) -> dict[str, np.ndarray]:
    index = np.asarray(rows, dtype=int)
    return {name: np.asarray(values)[index] for name, values in table.items()}


def fit(table: Table, rows: list[int]) -> ChurnModel:
    """Fit imputer, scaler, encoder and classifier on ``rows`` of ``table`` and nothing else."""
    train = _take(table, rows)
    imputer = SimpleImputer(strategy="median", add_indicator=True).fit(_numeric(train))
    scaler = StandardScaler().fit(imputer.transform(_numeric(train)))
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(_categorical(train))
    model = ChurnModel(imputer, scaler, encoder, LogisticRegression(max_iter=1000, random_state=SEED))
    model.classifier.fit(_features(model, train), np.asarray(train[LABEL], dtype=int))
    return model


def _features(model: ChurnModel, table: Table) -> np.ndarray:
    numeric = model.scaler.transform(model.imputer.transform(_numeric(table)))
    return np.hstack([numeric, model.encoder.transform(_categorical(table))])


def predict(model: ChurnModel, table: Table) -> list[float]:
    """Churn probability of each row of ``table``, in order."""
    return model.classifier.predict_proba(_features(model, table))[:, 1].tolist()


def evaluate(table: Table) -> dict[str, object]:
    """Split, fit on the training rows, return the validation AUC and the rows used."""
    train_rows, valid_rows = split(table)
    model = fit(table, train_rows)
    scores = predict(model, _take(table, valid_rows))
    labels = np.asarray(table[LABEL])[valid_rows]
    return {
        "valid_auc": float(roc_auc_score(labels, scores)),
        "train_rows": train_rows,
        "valid_rows": valid_rows,
    }


def main() -> None:
    """Print the validation AUC on the default generated table."""
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
