"""Role profiles: how correctness, quality, the candidate's tests and reasoning combine.

Profiles are data. The built-in ones can be overridden or extended by an organisation's TOML
file (``[profiles.<name>]`` with weights for ``correctness``, ``quality``, ``tests`` and
``reasoning``). Scores an exercise does not have (no rubric, no mutants) drop out and the
remaining weights are renormalised, so every total is on the same 0–100 scale.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from grader.errors import CatalogError
from grader.model import TotalScore

SCORES = ("correctness", "quality", "tests", "reasoning")
BUILT_IN: dict[str, dict[str, float]] = {
    # Engineering weighs most: working, clean, tested code.
    "production": {"correctness": 0.40, "quality": 0.30, "tests": 0.20, "reasoning": 0.10},
    # Balanced; judgement and diagnosis weigh more.
    "applied": {"correctness": 0.35, "quality": 0.15, "tests": 0.15, "reasoning": 0.35},
    # Correctness and reasoning weigh most.
    "research": {"correctness": 0.45, "quality": 0.05, "tests": 0.05, "reasoning": 0.45},
}
DEFAULT_PROFILE = "applied"


def load_profiles(path: Path | None = None) -> dict[str, dict[str, float]]:
    """The built-in profiles, overridden or extended by ``path`` when given."""
    profiles = {name: dict(weights) for name, weights in BUILT_IN.items()}
    if path is None:
        return profiles
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read the profiles file: {exc}") from exc
    for name, weights in (data.get("profiles") or {}).items():
        if not isinstance(weights, dict) or set(weights) - set(SCORES):
            raise CatalogError.from_field(path, f"profiles.{name}", f"may only weigh {SCORES}")
        if not all(isinstance(w, (int, float)) and w >= 0 for w in weights.values()):
            raise CatalogError.from_field(path, f"profiles.{name}", "weights must be >= 0")
        if sum(weights.values()) <= 0:
            raise CatalogError.from_field(path, f"profiles.{name}", "needs a positive weight")
        profiles[name] = {s: float(weights.get(s, 0.0)) for s in SCORES}
    return profiles


def combine(
    profile: str, weights: dict[str, float], scores: dict[str, float | None]
) -> TotalScore | None:
    """The weighted total over the scores that exist (None when none has weight)."""
    present = {k: w for k, w in weights.items() if w > 0 and scores.get(k) is not None}
    total_weight = sum(present.values())
    if total_weight <= 0:
        return None
    used = {k: w / total_weight for k, w in present.items()}
    value = sum(used[k] * float(scores[k] or 0.0) for k in used)
    return TotalScore(
        profile=profile,
        score=round(value, 2),
        weights=tuple((k, round(used[k], 4)) for k in SCORES if k in used),
    )
