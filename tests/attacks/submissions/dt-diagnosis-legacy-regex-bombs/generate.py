"""Writes this case's 5 MB DIAGNOSIS.md (a good diagnosis, then inputs that make naive
Markdown-cleaning regexes super-linear) into the submission folder given as argv[1]."""

import sys
from pathlib import Path

dest = Path(sys.argv[1])
good = (Path(__file__).parent / "good-diagnosis.md").read_text().rstrip()
parts = [
    good,
    "",
    "## Appendix: notes, e.g. " + "e.g. " * 300_000 + "end.",
    "",
    *[("# note" + " " + "x" + " " * 3000 + "y") for _ in range(300)],
    "",
    *[("see " + "`" * 3000) for _ in range(100)],
    "",
    "a" + "_" * 300_000 + "b",
    "",
    "[" * 400_000,
    "",
    "<a" * 300_000,
    "",
    "x" + " -" * 200_000 + " y",
    "",
    "<!--" * 300_000,
]
(dest / "DIAGNOSIS.md").write_text("\n".join(parts) + "\n")
