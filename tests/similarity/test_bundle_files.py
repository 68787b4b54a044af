"""Two candidates who both hand back the exported bundle share its public tests: those are the
grader's files, so they never make independent work look copied."""

from __future__ import annotations

from grader.bundle import Bundle
from grader.catalog import Catalog, default_exercises_dir
from grader.round_flags import _bundle_code
from grader.similarity import similarity_flags

from .test_flags import SCALER_ALTERNATIVE, SCALER_SOLUTION

EXERCISE = Catalog(default_exercises_dir()).get("feature-scaler")


def bundle_submission(implementation: str) -> dict[str, str]:
    bundle = Bundle.of(EXERCISE)
    files = {f: bundle.text(f) or "" for f in bundle.sources if f.endswith(".py")}
    return {**files, "scaler.py": implementation}


SHORT_A = "import numpy as np\n\n\ndef centre(x):\n    return np.asarray(x) - np.mean(x)\n"
SHORT_B = "def scale(rows):\n    top = max(rows)\n    return [r / top for r in rows]\n"


def flags(starter: dict[str, str], a: str = SCALER_SOLUTION, b: str = SCALER_ALTERNATIVE):  # type: ignore[no-untyped-def]
    round_code = {"ada": bundle_submission(a), "bo": bundle_submission(b)}
    return similarity_flags(
        "feature-scaler", round_code, starter=starter, reference={"scaler.py": "x = 1\n"}
    )


def test_shared_public_tests_do_not_flag_independent_work():
    assert _bundle_code(EXERCISE).keys() >= {"scaler.py", "public_tests/test_public.py"}
    assert flags(_bundle_code(EXERCISE)) == ()
    assert flags(_bundle_code(EXERCISE), SHORT_A, SHORT_B) == ()


def test_without_removing_the_bundle_the_public_tests_would_flag_them():
    starter_only = {"scaler.py": (EXERCISE.starter_dir / "scaler.py").read_text()}
    assert [f.kind for f in flags(starter_only, SHORT_A, SHORT_B)] == ["pair"]
