"""Churn model for the monthly customer snapshots, with a validation that mimics deployment.

Deployment: retrained at the end of a quarter, then used for three months on customers the
model has never seen (Nordlink's). So the validation trains on the months before the last
quarter of the table and validates on the last quarter, with the customers split in two so
that nobody is on both sides. Every learned transformation sits inside the scikit-learn
pipeline and therefore only sees the training rows.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

Table = dict[str, "np.ndarray | list"]

LABEL = "churned"
NUMERIC = (
    "tenure_months",
    "monthly_charge",
    "usage_hours",
    "usage_change",
    "support_calls",
    "late_payments",
    "satisfaction",
)
CATEGORICAL = ("plan", "contract", "payment_method")
HIGH_CARDINALITY = ("campaign",)
# Known only after the outcome, so never inputs: the CRM writes them when a customer calls
# to cancel (retention_offer) or has cancelled (days_since_cancellation).
POST_OUTCOME = ("days_since_cancellation", "retention_offer")


@dataclass(frozen=True)
class SplitPolicy:
    """How the validation mirrors deployment."""

    horizon_months: int = 3
    """The model is used for the three months after it is trained."""
    holdout_buckets: int = 4
    """Customers whose id hashes into buckets 0..holdout_buckets-1 (of 10) are held out."""


POLICY = SplitPolicy()


def _held_out(customer_ids: pd.Series, policy: SplitPolicy) -> np.ndarray:
    """True for customers reserved for validation; a stable hash, so no random state."""
    buckets = customer_ids.map(lambda cid: zlib.crc32(str(cid).encode()) % 10)
    return (buckets < policy.holdout_buckets).to_numpy()


def split(table: Table, policy: SplitPolicy = POLICY) -> tuple[list[int], list[int]]:
    """(training rows, validation rows): early months of some customers, last quarter of others."""
    months = pd.PeriodIndex(pd.Series(table["snapshot_month"], dtype="string"), freq="M")
    cutoff = months.max() - policy.horizon_months  # last training month
    in_horizon = np.asarray(months > cutoff)
    held_out = _held_out(pd.Series(table["customer_id"]), policy)
    train = np.flatnonzero(~in_horizon & ~held_out)
    valid = np.flatnonzero(in_horizon & held_out)
    return train.tolist(), valid.tolist()


def _inputs(table: Table) -> pd.DataFrame:
    """The model's input columns; the label and the post-outcome fields never get in."""
    columns = (*NUMERIC, *CATEGORICAL, *HIGH_CARDINALITY)
    return pd.DataFrame({name: table[name] for name in columns})


def make_model() -> Pipeline:
    """Unfitted: per-column preprocessing followed by a logistic regression."""
    columns = ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
                ),
                list(NUMERIC),
            ),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL)),
            # Cross-fitted target encoding: a training row never sees its own label.
            (
                "campaign",
                TargetEncoder(cv=KFold(5, shuffle=True, random_state=0)),
                list(HIGH_CARDINALITY),
            ),
        ]
    )
    return Pipeline([("columns", columns), ("model", LogisticRegression(max_iter=2000))])


def fit(table: Table, rows: list[int]) -> Pipeline:
    """Fit preprocessing and classifier on ``rows`` of ``table``; other rows are never read."""
    index = np.asarray(rows, dtype=int)
    inputs = _inputs(table).iloc[index]
    labels = np.asarray(table[LABEL], dtype=int)[index]
    return make_model().fit(inputs, labels)


def predict(model: Pipeline, table: Table) -> np.ndarray:
    """Churn probability per row; works on tables without the label."""
    return model.predict_proba(_inputs(table))[:, 1]


def evaluate(table: Table) -> dict[str, object]:
    """Validation AUC of the model trained on the training rows of ``split``."""
    train, valid = split(table)
    model = fit(table, train)
    valid_table = {name: np.asarray(values)[valid] for name, values in table.items()}
    auc = roc_auc_score(valid_table[LABEL], predict(model, valid_table))
    return {"valid_auc": float(auc), "train_rows": train, "valid_rows": valid}


if __name__ == "__main__":
    from data import generate_customers

    result = evaluate(generate_customers(n_customers=3000, seed=7))
    print(f"validation AUC: {result['valid_auc']:.3f}")
