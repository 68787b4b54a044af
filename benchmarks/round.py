"""Measure a round: --jobs 1 against --jobs N, peak RSS of the grader, growth with size.

Generates rounds from feature-scaler's samples (tests/rounds.py), grades each with the real
CLI into a fresh output folder, and prints a table plus JSON (benchmarks/results/round.json).

    .venv/bin/python benchmarks/round.py --size 60 --scaling 50,100,200
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.rounds import make_round  # noqa: E402


def grade_round(source: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `grade batch` process over ``source``."""
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "batch", str(source), "--out", str(out),
         "-j", str(jobs)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"grade batch failed: {proc.stderr[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far; it only grows, so report the larger.
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--scaling", default="", help="comma-separated round sizes, e.g. 50,100")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="bench-round-"))
    make_round(base / "round", args.size)
    one, rss_one = grade_round(base / "round", 1)
    many, rss_many = grade_round(base / "round", args.jobs)
    speedup = one / many
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "size": args.size,
        "jobs_1_s": round(one, 2),
        f"jobs_{args.jobs}_s": round(many, 2),
        "speedup": round(speedup, 2),
        "parallel_efficiency": round(one / (many * args.jobs), 2),
        "peak_rss_mb": round(max(rss_one, rss_many), 1),
        "scaling": [],
    }
    print(f"{args.size} submissions: jobs=1 {one:.1f} s, jobs={args.jobs} {many:.1f} s, "
          f"speedup {speedup:.2f}x, efficiency {report['parallel_efficiency']:.2f}")  # fmt: skip
    for size in [int(s) for s in args.scaling.split(",") if s.strip()]:
        folder = base / f"round{size}"
        make_round(folder, size)
        elapsed, rss = grade_round(folder, args.jobs)
        report["scaling"].append(
            {"size": size, "seconds": round(elapsed, 2), "rss_mb": round(rss, 1)}
        )
        print(f"{size:>5} submissions: {elapsed:7.1f} s  {elapsed / size:.2f} s each  "
              f"peak RSS so far {rss:.0f} MB")  # fmt: skip
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "round.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
