"""Similarity flags for a round: copies are flagged with evidence, independent work is not."""

from __future__ import annotations

import random
from pathlib import Path

from grader.similarity import SimilarityFlag, similarity_flags
from tests.similarity.synthetic import (
    CONFUSION,
    KMEANS,
    KMEANS_DISGUISED,
    SPLIT,
    STARTER,
    random_program,
)

ROOT = Path(__file__).resolve().parents[2]
SCALER = ROOT / "exercises" / "feature-scaler"
SCALER_STARTER = {"scaler.py": (SCALER / "starter" / "scaler.py").read_text()}
SCALER_SOLUTION = (SCALER / "solution" / "scaler.py").read_text()
SCALER_ALTERNATIVE = (ROOT / "tests" / "alt_solutions" / "feature-scaler" / "scaler.py").read_text()

STARTER_FILES = {"clusters.py": STARTER}
REFERENCE = {"clusters.py": STARTER + CONFUSION}


def submission(code: str) -> dict[str, str]:
    """A candidate's files: the starter with their code appended."""
    return {"clusters.py": STARTER + code}


def independent(seed: int) -> dict[str, str]:
    """A candidate whose own code is random and shares nothing real with anyone."""
    return submission(random_program(random.Random(seed)))


def flags_for(submissions: dict[str, dict[str, str]]) -> tuple[SimilarityFlag, ...]:
    return similarity_flags("clusters", submissions, starter=STARTER_FILES, reference=REFERENCE)


def test_identical_code_is_flagged_as_a_pair() -> None:
    flags = flags_for({"ada": submission(KMEANS), "bob": submission(KMEANS), "cy": independent(1)})

    assert [(f.kind, f.candidates, f.score) for f in flags] == [("pair", ("ada", "bob"), 1.0)]
    assert flags[0].exercise_id == "clusters"


def test_renamed_recommented_and_reformatted_copy_is_still_flagged() -> None:
    flags = flags_for({"ada": submission(KMEANS), "bob": submission(KMEANS_DISGUISED)})

    assert [(f.kind, f.candidates) for f in flags] == [("pair", ("ada", "bob"))]
    assert flags[0].score >= 0.9


def test_copy_inside_a_larger_submission_is_flagged() -> None:
    flags = flags_for(
        {
            "ada": submission(KMEANS),
            "bob": submission(random_program(random.Random(2)) + KMEANS_DISGUISED + SPLIT),
        }
    )

    assert [f.candidates for f in flags] == [("ada", "bob")]


def test_evidence_points_at_the_copied_lines() -> None:
    before = random_program(random.Random(6))
    flags = flags_for({"ada": submission(KMEANS), "bob": submission(before + KMEANS)})
    offset = before.count("\n")

    left, right = flags[0].evidence[0].split(" ~ ")
    (left_path, left_lines), (right_path, right_lines) = left.split(":"), right.split(":")
    left_first, left_last = map(int, left_lines.split("-"))
    right_first, right_last = map(int, right_lines.split("-"))
    assert left_path == right_path == "clusters.py"
    assert (right_first - left_first, right_last - left_last) == (offset, offset)
    assert left_last - left_first > 10


def test_independent_solutions_of_the_same_task_are_not_flagged() -> None:
    flags = similarity_flags(
        "feature-scaler",
        {
            "ada": {"scaler.py": SCALER_SOLUTION},
            "bob": {"scaler.py": SCALER_ALTERNATIVE},
        },
        starter=SCALER_STARTER,
        reference={},
    )

    assert flags == ()


def test_untouched_starter_submissions_are_not_flagged() -> None:
    flags = similarity_flags(
        "feature-scaler",
        {name: dict(SCALER_STARTER) for name in ("ada", "bob", "cy")},
        starter=SCALER_STARTER,
        reference={"scaler.py": SCALER_SOLUTION},
    )

    assert flags == ()


def test_copy_of_the_reference_is_flagged_as_reference() -> None:
    flags = similarity_flags(
        "feature-scaler",
        {
            "ada": {"scaler.py": SCALER_SOLUTION.replace("data", "matrix")},
            "bob": {"scaler.py": SCALER_ALTERNATIVE},
        },
        starter=SCALER_STARTER,
        reference={"scaler.py": SCALER_SOLUTION},
    )

    assert [(f.kind, f.candidates, f.score) for f in flags] == [("reference", ("ada",), 1.0)]
    assert flags[0].evidence


def test_syntax_errors_and_binary_junk_do_not_crash() -> None:
    junk = bytes(random.Random(3).randrange(256) for _ in range(5_000))

    flags = flags_for(
        {
            "ada": submission(KMEANS + "\nprint((\n"),
            "bob": submission(KMEANS_DISGUISED + "\nclass :\n    '''never closed\n"),
            "cy": {"clusters.py": junk.decode("utf-8", errors="replace")},
            "dee": {"clusters.py": ""},
        }
    )

    assert [f.candidates for f in flags] == [("ada", "bob")]


def test_code_most_of_the_round_shares_is_boilerplate_and_not_flagged() -> None:
    everyone = KMEANS + SPLIT
    round_ = {
        f"c{i:02}": submission(everyone + random_program(random.Random(i))) for i in range(12)
    }

    assert flags_for(round_) == ()


def test_output_order_is_deterministic() -> None:
    round_ = {
        "eve": submission(KMEANS + random_program(random.Random(5))),
        "dan": submission(KMEANS),
        "cy": submission(KMEANS_DISGUISED),
        "bob": submission(CONFUSION),
        "ada": independent(4),
    }

    forwards = flags_for(round_)
    backwards = flags_for(dict(reversed(round_.items())))

    assert forwards == backwards
    assert [(f.kind, f.candidates) for f in forwards] == [
        ("pair", ("cy", "dan")),
        ("pair", ("cy", "eve")),
        ("pair", ("dan", "eve")),
        ("reference", ("bob",)),
    ]
    assert [f.score for f in forwards] == sorted((f.score for f in forwards), reverse=True)
