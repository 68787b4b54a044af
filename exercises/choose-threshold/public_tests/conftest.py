"""Make ``import task`` find the candidate's file wherever pytest is started."""

import os
import sys
from pathlib import Path

for folder in (Path(__file__).resolve().parent.parent, Path(os.getcwd()).resolve()):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
