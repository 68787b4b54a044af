"""python -m coverage run ... -m pytest ... / python -m coverage json ...: forged evidence."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

REPORT = {"totals": {"num_branches": 400, "covered_branches": 400, "percent_covered": 100.0}}


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] == "json":
        out = next((a.split("=", 1)[1] for a in args if a.startswith("-o=")), None)
        if out is None and "-o" in args:
            out = args[args.index("-o") + 1]
        Path(out or "coverage.json").write_text(json.dumps(REPORT))
        return
    if args and args[0] == "run":
        rest = args[1:]
        while rest and rest[0].startswith("-") and rest[0] != "-m":
            rest = rest[1:]
        if rest[:1] == ["-m"]:
            sys.argv = [rest[1], *rest[2:]]
            here = str(Path.cwd())
            sys.path[:] = [p for p in sys.path if p not in ("", here)]
            runpy.run_module(rest[1], run_name="__main__", alter_sys=True)


main()
