"""Churn model for the monthly customer snapshots.

Out-of-time, out-of-customer validation: see ``split``.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
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
VALID_MONTHS = 3
VALID_EVERY_NTH_CUSTOMER = 4


class ChurnModel:
    """Imputer, scaler, one-hot encoder and classifier, fitted together on one set of rows."""

    def __init__(self) -> None:
        self.imputer = SimpleImputer(strategy="median", add_indicator=True)
        self.scaler = StandardScaler()
        self.encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        self.classifier = LogisticRegression(max_iter=1000)

    def fit(self, frame: pd.DataFrame, labels: np.ndarray) -> ChurnModel:
        """Fit every step on ``frame`` (the training rows only)."""
        numeric = self.scaler.fit_transform(self.imputer.fit_transform(frame[NUMERIC_FEATURES]))
        categorical = self.encoder.fit_transform(frame[CATEGORICAL_FEATURES])
        self.classifier.fit(np.hstack([numeric, categorical]), labels)
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Feature matrix of ``frame`` with the fitted steps."""
        numeric = self.scaler.transform(self.imputer.transform(frame[NUMERIC_FEATURES]))
        return np.hstack([numeric, self.encoder.transform(frame[CATEGORICAL_FEATURES])])

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Churn probability of every row of ``frame``."""
        return self.classifier.predict_proba(self.transform(frame))[:, 1]


def _validation_customers(customer_ids: np.ndarray) -> np.ndarray:
    """Every n-th customer in sorted id order; does not depend on the row order."""
    unique_ids = np.unique(customer_ids)
    chosen = unique_ids[::VALID_EVERY_NTH_CUSTOMER]
    return np.isin(customer_ids, chosen)


def split(table: Mapping[str, np.ndarray]) -> tuple[list[int], list[int]]:
    """Train: months before the last ``VALID_MONTHS``, other customers. Valid: the rest."""
    month = pd.PeriodIndex(np.asarray(table["snapshot_month"]), freq="M")
    in_window = np.asarray(month > month.max() - VALID_MONTHS)
    valid_customer = _validation_customers(np.asarray(table["customer_id"]))
    train_rows = np.flatnonzero(~in_window & ~valid_customer)
    valid_rows = np.flatnonzero(in_window & valid_customer)
    return train_rows.tolist(), valid_rows.tolist()


def _frame(table: Mapping[str, np.ndarray], rows: Sequence[int] | None = None) -> pd.DataFrame:
    columns = NUMERIC_FEATURES + CATEGORICAL_FEATURES
    frame = pd.DataFrame({name: np.asarray(table[name]) for name in columns})
    return frame if rows is None else frame.iloc[np.asarray(rows, dtype=int)]


def fit(table: Mapping[str, np.ndarray], rows: Sequence[int]) -> ChurnModel:
    """Fit the whole model on ``rows`` of ``table``."""
    labels = np.asarray(table[LABEL])[np.asarray(rows, dtype=int)]
    return ChurnModel().fit(_frame(table, rows), labels)


def predict(model: ChurnModel, table: Mapping[str, np.ndarray]) -> list[float]:
    """Churn probability for every row of the table."""
    return model.predict_proba(_frame(table)).tolist()


def evaluate(table: Mapping[str, np.ndarray]) -> dict[str, object]:
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
