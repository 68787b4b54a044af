"""The candidate process imports only what the exercise declares, when the judge says so.

A real candidate server process (no container, no privilege drop) started through the judge's
``Candidate``, with and without the exercise's requirements.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sandbox" / "harness"))

from remote import Candidate, CandidateImportError

WRAPPER = "import numpy as np\nimport sklearn\n\ndef version():\n    return sklearn.__version__\n"
SCIPY_USER = "import sklearn\nimport scipy\n\ndef name():\n    return scipy.__name__\n"


def start(folder: Path, source: str, requirements: list[str] | None) -> Candidate:
    (folder / "subject.py").write_text(source, encoding="utf-8")
    return Candidate(folder, None, None, requirements=requirements)


def test_an_undeclared_package_fails_the_import_with_the_reason(tmp_path):
    handle = start(tmp_path, WRAPPER, ["numpy"])
    try:
        with pytest.raises(CandidateImportError) as caught:
            handle.module("subject")
    finally:
        handle.close()
    assert "ModuleNotFoundError: scikit-learn is not available in this exercise: its " in str(
        caught.value
    )
    assert str(caught.value).endswith("requirements are numpy")


def test_a_declared_package_and_its_dependencies_import(tmp_path):
    handle = start(tmp_path, SCIPY_USER, ["numpy", "scikit-learn>=1.5"])
    try:
        assert handle.module("subject").name() == "scipy"
    finally:
        handle.close()


def test_without_requirements_nothing_is_limited(tmp_path):
    handle = start(tmp_path, WRAPPER, None)
    try:
        assert isinstance(handle.module("subject").version(), str)
    finally:
        handle.close()
