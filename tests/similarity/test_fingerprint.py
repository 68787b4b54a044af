"""Fingerprints: what normalisation ignores, what it keeps, and that it never crashes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from grader.similarity import fingerprint_files
from tests.similarity.synthetic import KMEANS, KMEANS_DISGUISED, SPLIT

ROOT = Path(__file__).resolve().parents[2]


def test_renaming_comments_docstrings_and_layout_leave_the_hashes_unchanged() -> None:
    original = fingerprint_files({"kmeans.py": KMEANS})
    disguised = fingerprint_files({"kmeans.py": KMEANS_DISGUISED})

    assert len(original) > 15
    assert original.hashes == disguised.hashes


def test_changing_the_code_changes_the_hashes() -> None:
    original = fingerprint_files({"kmeans.py": KMEANS})
    edited = fingerprint_files({"kmeans.py": KMEANS.replace("** 2", "* 2")})

    assert original.hashes != edited.hashes


def test_only_python_files_are_fingerprinted() -> None:
    fingerprint = fingerprint_files({"notes.md": KMEANS, "data.csv": KMEANS, "split.py": SPLIT})

    assert {span.path for span in fingerprint.locations.values()} == {"split.py"}


def test_each_hash_points_at_the_lines_it_covers() -> None:
    fingerprint = fingerprint_files({"kmeans.py": KMEANS})
    last_line = KMEANS.count("\n")

    for span in fingerprint.locations.values():
        assert 1 <= span.first_line <= span.last_line <= last_line


def test_source_that_does_not_tokenize_is_still_fingerprinted() -> None:
    broken = KMEANS + "\ndef unfinished(:\n    return 'no end\n"

    fingerprint = fingerprint_files({"kmeans.py": broken})

    assert fingerprint.hashes >= fingerprint_files({"kmeans.py": KMEANS}).hashes


def test_binary_junk_decoded_with_replacement_does_not_crash() -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(20_000)) + b"\x00\xff\xfe'''\"\\"

    fingerprint = fingerprint_files({"junk.py": junk.decode("utf-8", errors="replace")})

    assert all(span.path == "junk.py" for span in fingerprint.locations.values())


def test_hashes_do_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import json; from grader.similarity import fingerprint_files;"
        "from tests.similarity.synthetic import KMEANS;"
        "print(json.dumps(sorted(fingerprint_files({'k.py': KMEANS}).hashes)))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]

    assert (
        json.loads(runs[0])
        == json.loads(runs[1])
        == sorted(fingerprint_files({"k.py": KMEANS}).hashes)
    )
