"""What one container costs the machine before any grading: CPU seconds per container.

Creates, starts, waits for and removes containers of the sandbox image that run only
``/bin/true``, and reads the machine's busy time (``cpu.py``) around each batch. Variants add
the sandbox's options one group at a time, so the cost of each (tmpfs mounts, limits,
capabilities, log driver) shows, and the floor a grade's container cannot go under.

    .venv/bin/python benchmarks/container_cost.py [--count 30]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import cpu
from common import warm_lookup
from docker.types import LogConfig
from rich.console import Console
from rich.table import Table

from grader.runner.docker_runner import connect

TMPFS = {"/work": "size=64m", "/tmp": "size=64m", "/judge": "size=64m", "/grader": "size=128m"}
STEPS: list[tuple[str, dict[str, Any]]] = [
    ("defaults", {}),
    ("no network, read-only root", {"network_mode": "none", "read_only": True}),
    ("+ tmpfs mounts", {"tmpfs": TMPFS}),
    ("+ limits", {"mem_limit": "512m", "memswap_limit": "512m", "nano_cpus": 10**9,
                  "pids_limit": 128}),
    ("+ capabilities (the sandbox's set)", {"cap_drop": ["ALL"],
        "cap_add": ["SETUID", "SETGID", "KILL"], "security_opt": ["no-new-privileges:true"]}),
    ("+ no log driver", {"log_config": LogConfig(type="none")}),
]  # fmt: skip
"""Each step keeps the options of the steps before it and adds its own."""


def cost(api: Any, image: str, options: dict[str, Any], count: int) -> tuple[float, float]:
    """CPU seconds and wall seconds per container for ``count`` containers run one by one."""
    before, started = cpu.snapshot(), time.perf_counter()
    for _ in range(count):
        host_config = api.create_host_config(**options)
        container = api.create_container(image, entrypoint=["/bin/true"], host_config=host_config)
        api.start(container["Id"])
        api.wait(container["Id"])
        api.remove_container(container["Id"], v=True, force=True)
    wall = time.perf_counter() - started
    after = cpu.snapshot()
    if before is None or after is None:
        raise SystemExit("this script reads /proc/stat: Linux only")
    return (after.busy_s - before.busy_s) / count, wall / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="containers per variant")
    args = parser.parse_args()
    client = connect()
    image, _ = warm_lookup(client)
    table = Table(title=f"One container running /bin/true, {args.count} per variant")
    for column in ("options", "CPU s / container", "wall s / container"):
        table.add_column(column, justify="left" if column == "options" else "right")
    options: dict[str, Any] = {}
    for name, added in STEPS:
        options = {**options, **added}
        spent, wall = cost(client.api, image, options, args.count)
        table.add_row(name, f"{spent:.3f}", f"{wall:.3f}")
    Console().print(table)


if __name__ == "__main__":
    main()
