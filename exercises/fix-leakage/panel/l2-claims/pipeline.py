"""Churn model for the monthly customer snapshots.

Leaky CRM columns removed; see DIAGNOSIS.md.

Run ``python pipeline.py`` to print the validation AUC on a generated table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC_FEATURES = [
    "tenure_months",
    "monthly_charge",
    "usage_hours",
    "usage_change",
    "support_calls",
    "late_payments",
    "satisfaction",
    "campaign_churn_rate",
]
# days_since_cancellation and retention_offer removed: they come from the CRM extract.
CATEGORICAL_FEATURES = ["plan", "contract", "payment_method"]
LABEL = "churned"


class ChurnModel:
    """Everything `predict` needs: the fitted encoders and the classifier."""

    def __init__(self, campaign_rates, default_rate, imputer, scaler, encoder, classifier):
        self.campaign_rates = campaign_rates
        self.default_rate = default_rate
        self.imputer = imputer
        self.scaler = scaler
        self.encoder = encoder
        self.classifier = classifier


def split(table):
    """Row numbers to train on and row numbers to validate on (75% / 25%)."""
    rows = np.arange(len(table[LABEL]))
    train_rows, valid_rows = train_test_split(
        rows, test_size=0.25, random_state=0, stratify=table[LABEL]
    )
    return sorted(train_rows.tolist()), sorted(valid_rows.tolist())


def add_campaign_rate(frame, campaign_rates, default_rate):
    """Target-encode the campaign code: the churn rate of the campaign's customers."""
    frame = frame.copy()
    rate = frame["campaign"].map(campaign_rates)
    frame["campaign_churn_rate"] = rate.astype(float).fillna(default_rate)
    return frame


def features(frame, model):
    """The numeric matrix the classifier sees."""
    frame = add_campaign_rate(frame, model.campaign_rates, model.default_rate)
    numeric = model.scaler.transform(model.imputer.transform(frame[NUMERIC_FEATURES]))
    categorical = model.encoder.transform(frame[CATEGORICAL_FEATURES])
    return np.hstack([numeric, categorical])


def fit(table, rows):
    """Prepare the features on the whole table, then train the classifier on `rows`."""
    frame = pd.DataFrame(table)
    campaign_rates = frame.groupby("campaign")[LABEL].mean()
    default_rate = frame[LABEL].mean()
    frame = add_campaign_rate(frame, campaign_rates, default_rate)

    imputer = SimpleImputer(strategy="median", add_indicator=True).fit(frame[NUMERIC_FEATURES])
    scaler = StandardScaler().fit(imputer.transform(frame[NUMERIC_FEATURES]))
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    encoder.fit(frame[CATEGORICAL_FEATURES])

    model = ChurnModel(campaign_rates, default_rate, imputer, scaler, encoder, None)
    X = features(frame, model)
    y = frame[LABEL].to_numpy()
    model.classifier = LogisticRegression(max_iter=1000).fit(X[rows], y[rows])
    return model


def predict(model, table):
    """Churn probability for every row of the table."""
    X = features(pd.DataFrame(table), model)
    return model.classifier.predict_proba(X)[:, 1].tolist()


def evaluate(table):
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


def main():
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
