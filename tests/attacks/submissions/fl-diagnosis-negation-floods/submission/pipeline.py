"""Churn model for the monthly customer snapshots, validated the way it will be used.

The model is retrained every quarter and then scores, for the next three months, customers
it has never seen. The validation mirrors that: it trains on earlier months of one set of
customers and validates on the last three months of other customers. All preprocessing
lives inside one scikit-learn pipeline, so it only ever learns from the training rows.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
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
FEATURES = NUMERIC_FEATURES + CATEGORICAL_FEATURES
# Not features: the identifiers, the label, `campaign` (a new batch of codes every month, so
# a code seen in training never comes back), and the CRM fields `days_since_cancellation`
# and `retention_offer`, which are only written once a customer has called to cancel.
LABEL = "churned"

VALIDATION_MONTHS = 3
"""The model is used for the three months after it is trained."""
VALIDATION_CUSTOMER_SHARE = 0.5
SPLIT_SEED = 20240101


def split(table: dict[str, list]) -> tuple[list[int], list[int]]:
    """Row numbers to train on and row numbers to validate on.

    Validation rows are the last ``VALIDATION_MONTHS`` months of a random half of the
    customers; training rows are the earlier months of the other half. Every validation
    snapshot is later than every training snapshot and no customer is on both sides. The
    remaining rows (the other half's last months, the first half's earlier months) are
    left out on purpose.
    """
    months = pd.Series(table["snapshot_month"], dtype="string")
    customers = pd.Series(table["customer_id"], dtype="string")
    first_valid_month = sorted(months.unique())[-VALIDATION_MONTHS]
    later = (months >= first_valid_month).to_numpy()

    ids = np.array(sorted(customers.unique()))
    rng = np.random.default_rng(SPLIT_SEED)
    n_valid = round(len(ids) * VALIDATION_CUSTOMER_SHARE)
    valid_ids = rng.choice(ids, size=n_valid, replace=False)
    held_out = customers.isin(valid_ids).to_numpy()

    train_rows = np.flatnonzero(~later & ~held_out)
    valid_rows = np.flatnonzero(later & held_out)
    return train_rows.tolist(), valid_rows.tolist()


def build_model() -> Pipeline:
    """The unfitted model: imputation, scaling and one-hot encoding, then a logistic regression."""
    numeric = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True),
        StandardScaler(),
    )
    preprocess = ColumnTransformer(
        [
            ("numeric", numeric, NUMERIC_FEATURES),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL_FEATURES),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("classify", LogisticRegression(max_iter=1000))])


def fit(table: dict[str, list], rows: list[int]) -> Pipeline:
    """Fit the whole model, preprocessing included, on the given rows of ``table`` only."""
    frame = pd.DataFrame(table).iloc[np.asarray(rows, dtype=int)]
    model = build_model()
    model.fit(frame[FEATURES], frame[LABEL].astype(int))
    return model


def predict(model: Pipeline, table: dict[str, list]) -> list[float]:
    """Churn probability for every row of ``table``; ``churned`` is not needed."""
    frame = pd.DataFrame(table)
    return model.predict_proba(frame[FEATURES])[:, 1].tolist()


def evaluate(table: dict[str, list]) -> dict:
    """Train on the training rows, report the AUC on the validation rows."""
    train_rows, valid_rows = split(table)
    model = fit(table, train_rows)
    scores = np.asarray(predict(model, table))[valid_rows]
    labels = np.asarray(table[LABEL], dtype=int)[valid_rows]
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
