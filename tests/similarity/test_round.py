"""A round of 500: the inverted index finds exactly the disguised copies among random work."""

from __future__ import annotations

import random
from itertools import combinations

from grader.similarity import similarity_flags
from tests.similarity.synthetic import STARTER, TEMPLATES, disguise, random_program

GROUP_SIZES = (3, 3, 4)
"""How many candidates share each template."""


def test_round_of_500_synthetic_submissions_flags_exactly_the_copies() -> None:
    rng = random.Random(2024)
    submissions: dict[str, dict[str, str]] = {}
    copiers: list[list[str]] = []
    for template, size in zip(TEMPLATES, GROUP_SIZES, strict=True):
        group = [f"copy-{len(submissions) + i:03}" for i in range(size)]
        for name in group:
            submissions[name] = {"main.py": STARTER + disguise(template, rng)}
        copiers.append(group)
    while len(submissions) < 500:
        submissions[f"own-{len(submissions):03}"] = {"main.py": STARTER + random_program(rng)}

    flags = similarity_flags("clusters", submissions, starter={"main.py": STARTER}, reference={})

    expected = {pair for group in copiers for pair in combinations(sorted(group), 2)}
    assert {f.candidates for f in flags} == expected
    assert all(f.kind == "pair" and f.score >= 0.9 for f in flags)
