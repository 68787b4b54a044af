"""Writes the large and oddly named files of this case into the submission folder given as
argv[1] (generated at test time rather than stored: 17 MB and names with control characters)."""

import json
import sys
from pathlib import Path

dest = Path(sys.argv[1])
cells = [
    {"cell_type": "markdown", "id": f"m{i}", "metadata": {}, "source": "x"} for i in range(260_000)
]
deep: dict = {}
node = deep
for _ in range(60):
    node["k"] = {}
    node = node["k"]
cells[0]["metadata"] = {"deep": deep}
kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb = {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
(dest / "scratch \u202egnp.\x1b[31mred\x1b[0m.ipynb").write_text(json.dumps(nb, separators=(",", ":")))
(dest / "odd\nname\x1b]0;owned\x07\u202e.py").write_text('"""Helper."""\n\nimport os\n\nVALUE = 1\n')
