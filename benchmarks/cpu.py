"""Where a run's CPU time goes, read from the kernel's own counters (Linux only).

A snapshot before and after a `grade batch` run gives the CPU seconds the whole machine was
busy, split into: the sandbox containers (the engine's parent control group, which keeps the
time of containers already removed), the engine's daemons (dockerd, containerd), the grader
process (its resource usage, from ``os.wait4``) and the rest (container shims, runc, kernel
threads). Anything a counter cannot be read from is ``None``, never a guess.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
ENGINE_DAEMONS = ("dockerd", "containerd")
CONTAINER_GROUPS = (
    (Path("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage"), 1e-9),  # v1, nanoseconds
    (Path("/sys/fs/cgroup/docker/cpu.stat"), 1e-6),  # v2 with the cgroupfs driver, usage_usec
)


@dataclass(frozen=True)
class CpuSnapshot:
    busy_s: float
    containers_s: float | None
    engine_s: float | None


def _busy_seconds() -> float:
    """CPU seconds the machine spent not idle since boot (all cores)."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / TICKS  # minus idle and iowait


def _containers_seconds() -> float | None:
    for path, unit in CONTAINER_GROUPS:
        try:
            text = path.read_text(encoding="ascii")
        except OSError:
            continue
        if path.name == "cpu.stat":
            values = dict(line.split() for line in text.splitlines() if line.strip())
            return int(values["usage_usec"]) * unit
        return int(text) * unit
    return None


def _engine_seconds() -> float | None:
    """User and system time of the engine's daemons and the children they reaped."""
    total, found = 0.0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text(encoding="ascii").strip() not in ENGINE_DAEMONS:
                continue
            stat = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in stat[11:15]) / TICKS  # utime, stime, cutime, cstime
        found = True
    return total if found else None


def snapshot() -> CpuSnapshot | None:
    """The counters now, or None where /proc/stat is not there (not Linux)."""
    try:
        return CpuSnapshot(_busy_seconds(), _containers_seconds(), _engine_seconds())
    except OSError:
        return None


def _delta(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else round(after - before, 2)


def split(
    before: CpuSnapshot | None, after: CpuSnapshot | None, grader_s: float, wall_s: float
) -> dict[str, float | None]:
    """CPU seconds between two snapshots, by who spent them, and the cores kept busy."""
    if before is None or after is None:
        return {"grader_s": round(grader_s, 2)}
    busy = after.busy_s - before.busy_s
    parts = {
        "containers_s": _delta(after.containers_s, before.containers_s),
        "engine_s": _delta(after.engine_s, before.engine_s),
        "grader_s": round(grader_s, 2),
    }
    known = sum(v for v in parts.values() if v is not None)
    return {
        "busy_s": round(busy, 2),
        **parts,
        "other_s": round(busy - known, 2),
        "busy_cores": round(busy / wall_s, 2) if wall_s > 0 else None,
    }
