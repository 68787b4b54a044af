"""Make ``import pipeline`` and ``import data`` find the candidate's files from anywhere."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The working directory first (``cd solution && pytest ../public_tests``), then the folder
# that holds public_tests/ (``python -m pytest public_tests`` in the candidate bundle).
for folder in (Path(__file__).resolve().parent.parent, Path(os.getcwd()).resolve()):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
