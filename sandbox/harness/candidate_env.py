"""The environment every candidate process starts with, wherever it is started from: the
judge's ``remote.CandidateProcess``, or the supervisor's warm notebook runner (``warm``).
Standard library only (the supervisor imports it)."""

from __future__ import annotations

from pathlib import Path

CANDIDATE_ENV = {
    "PATH": "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "TMPDIR": "/tmp",
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}


def candidate_env(home: Path) -> dict[str, str]:
    """``CANDIDATE_ENV`` with ``HOME`` (the work folder, or the submission without one)."""
    return {**CANDIDATE_ENV, "HOME": str(home)}
