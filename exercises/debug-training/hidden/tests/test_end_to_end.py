"""Group "end_to_end": the script as shipped trains a good model and reports it honestly."""

from __future__ import annotations

import numpy as np
from _data import as_floats, model_of, ref_standardize, train_and_validation


def run_default_training(candidate, case_seed) -> tuple[dict, tuple[np.ndarray, ...]]:
    """``train`` with its default settings on a training month and a later validation month.

    The submission gets copies; the data returned for the expectations is the test's own.
    """
    data = train_and_validation(np.random.default_rng(case_seed))
    given = [part.copy() for part in data]
    result = dict(candidate.module("train").train(*given, seed=case_seed % 1000))
    return result, data


def test_training_reaches_good_validation_accuracy(candidate, case_seed):
    result, (_, _, _, y_val) = run_default_training(candidate, case_seed)
    losses = as_floats(result["train_loss"])
    assert losses.ndim == 1 and len(losses) > 0, "train_loss must hold one value per epoch"
    assert np.isfinite(losses[-1]) and losses[-1] <= 0.5 * np.log(3), (
        f"the final training loss must fall well below chance, log(3) = 1.10 (got {losses[-1]:.3f})"
    )
    val_pred = np.asarray(result["val_pred"])
    accuracy = float(result["val_accuracy"])
    assert abs(accuracy - float(np.mean(val_pred == y_val))) < 1e-9, (
        "val_accuracy must be the share of val_pred equal to y_val"
    )
    assert accuracy >= 0.85, (
        f"the trained model must reach at least 85% validation accuracy (got {accuracy:.1%})"
    )


def test_reported_predictions_match_the_returned_model(candidate, case_seed):
    result, (X, _, X_val, y_val) = run_default_training(candidate, case_seed)
    W, b = model_of(result)
    _, X_val_scaled = ref_standardize(X, X_val)
    want = np.argmax(X_val_scaled @ W + b, axis=1)
    val_pred = np.asarray(result["val_pred"])
    assert val_pred.shape == y_val.shape, "val_pred must hold one prediction per validation row"
    agree = float(np.mean(val_pred == want))
    assert agree >= 0.98, (
        f"val_pred must be the returned model's predictions on validation data scaled with "
        f"the training statistics (they agree on {agree:.0%} of the rows)"
    )
