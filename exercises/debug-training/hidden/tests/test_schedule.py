"""Group "schedule": the learning rate decays once per epoch, not once per step."""

from __future__ import annotations

import numpy as np
from _data import as_floats, assert_close, sensor_data


def test_rate_decays_once_per_epoch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    lr_at = candidate.module("train").lr_at
    base_lr, decay = float(rng.uniform(0.05, 2.0)), float(rng.uniform(0.5, 0.95))
    steps_per_epoch = int(rng.integers(5, 30))
    for epoch in range(5):
        for offset in (0, 1, steps_per_epoch - 1):
            step = epoch * steps_per_epoch + offset
            got = float(lr_at(epoch, step, base_lr=base_lr, decay=decay))
            assert_close(
                got,
                base_lr * decay**epoch,
                "without warmup the rate must be base_lr * decay ** epoch at every step",
            )


def test_warmup_ramps_over_the_first_steps(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    lr_at = candidate.module("train").lr_at
    base_lr, decay = float(rng.uniform(0.05, 2.0)), float(rng.uniform(0.5, 0.95))
    warmup, steps_per_epoch = int(rng.integers(8, 15)), 4
    for step in range(warmup + 6):
        epoch = step // steps_per_epoch
        ramp = min(1.0, (step + 1) / warmup)
        got = float(lr_at(epoch, step, base_lr=base_lr, decay=decay, warmup_steps=warmup))
        assert_close(
            got,
            base_lr * ramp * decay**epoch,
            "with warmup the rate must be base_lr * (step + 1) / warmup_steps * decay ** epoch",
        )


def test_training_uses_one_rate_per_epoch(candidate, case_seed):
    rng = np.random.default_rng(case_seed)
    X, y = sensor_data(rng, (34, 33, 33))
    X_val, y_val = sensor_data(rng, (5, 5, 5))
    epochs, batch_size, base_lr, decay = 4, 16, 0.2, 0.5
    steps = -(-len(y) // batch_size)
    result = dict(
        candidate.module("train").train(
            X,
            y,
            X_val,
            y_val,
            seed=case_seed % 1000,
            epochs=epochs,
            batch_size=batch_size,
            base_lr=base_lr,
            decay=decay,
        )
    )
    lrs = as_floats(result["lrs"])
    assert lrs.shape == (epochs * steps,), (
        f"lrs must hold one rate per step: {epochs} epochs x {steps} batches"
    )
    want = np.repeat(base_lr * decay ** np.arange(epochs), steps)
    assert_close(
        lrs, want, "every step of epoch e must use base_lr * decay ** e (decay once per epoch)"
    )
