"""Lint the candidate's files inside the sandbox, with the grader's own ruff configuration.

Run by the supervisor as the unprivileged candidate user. ``--isolated`` ignores every
configuration file the candidate shipped, ``--ignore-noqa`` ignores their suppressions, and
``--no-cache`` writes nothing. The host turns the findings into the quality score.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruff import find_ruff_bin

SELECT = ",".join(
    [
        "F", "B", "E", "W", "C90", "PLE", "PLR0912", "PLR0913", "PLR0915", "S102", "S307",
        "I", "UP", "SIM", "N", "RUF", "NPY", "PD", "D1", "ANN0", "ANN2", "ERA", "PERF", "C4",
    ]
)  # fmt: skip
IGNORE = "D105,D107,ANN401,N803,N806"
"""N803/N806: ML code names matrices X, X_train by convention; not a quality problem."""
OPTIONS = ["lint.mccabe.max-complexity = 10", "line-length = 100", "target-version = 'py311'"]
FINDINGS_CAP = 2000
FMT_DIRECTIVE = re.compile(
    rb"(#\s*)(fmt:\s*(?:off|on|skip)|yapf:\s*(?:disable|enable))", re.IGNORECASE
)
"""``# fmt: off`` (or yapf's ``disable``, which ruff honours too) would let a file skip the
format check: the copy we lint has them disarmed."""


class LintFailed(Exception):
    """Ruff could not judge the files (it crashed, or answered with something not JSON)."""


def check_command(ruff: str, files: list[str]) -> list[str]:
    command = [ruff, "check", "--isolated", "--no-cache", "--ignore-noqa"]
    command += ["--exit-zero", "--select", SELECT, "--ignore", IGNORE, "--output-format", "json"]
    for option in OPTIONS:
        command += ["--config", option]
    return [*command, "--", *files]


def format_command(ruff: str, files: list[str]) -> list[str]:
    command = [ruff, "format", "--check", "--isolated", "--no-cache"]
    command += ["--output-format", "json"]
    for option in OPTIONS[1:]:
        command += ["--config", option]
    return [*command, "--", *files]


def findings(output: bytes, root: Path) -> list[dict]:
    """Ruff check's JSON as findings (code, message, file, line, cell, url)."""
    found = []
    for item in json.loads(output or b"[]")[:FINDINGS_CAP]:
        location = item.get("location") or {}
        found.append(
            {
                "code": item.get("code") or "",
                "message": (item.get("message") or "")[:300],
                "file": str(Path(item.get("filename") or "").relative_to(root)),
                "line": int(location.get("row") or 0),
                "cell": int(item.get("cell") or 0),
                "url": item.get("url") or "",
            }
        )
    return found


def unformatted(output: bytes, root: Path) -> list[str]:
    """The files ruff format's JSON says it would change."""
    items = json.loads(output or b"[]")
    return sorted({str(Path(item.get("filename") or "").relative_to(root)) for item in items})


def disarmed_copy(root: Path, files: list[str], into: Path) -> None:
    """Copy ``files`` under ``into`` with format directives disarmed (lines keep their numbers)."""
    for relative in files:
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(FMT_DIRECTIVE.sub(rb"\1disarmed-\2", (root / relative).read_bytes()))


def run_both(root: Path, files: list[str], timeout: float) -> tuple[bytes, bytes]:
    """Ruff check and ruff format --check, side by side; their standard outputs.

    Fails closed: a ruff that exits with an error (a file that crashes it) raises LintFailed,
    so a submission cannot earn a clean report by breaking the linter.
    """
    ruff = find_ruff_bin()
    procs = [
        subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for command in (check_command(ruff, files), format_command(ruff, files))
    ]
    deadline = time.monotonic() + timeout
    outputs = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
            # check runs with --exit-zero and format --check exits 1 for "would reformat":
            # anything above that is ruff's own error.
            if proc.returncode not in (0, 1) or (proc is procs[0] and proc.returncode):
                tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no detail"]
                raise LintFailed(f"ruff exited with {proc.returncode}: {tail[0][:200]}")
            outputs.append(out)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    return outputs[0], outputs[1]


def main() -> None:
    request = json.loads(sys.stdin.read())
    root, files = (
        Path(request["root"]),
        [f for f in request["files"] if f.endswith((".py", ".ipynb"))],
    )
    timeout = float(request.get("timeout", 60))
    result: dict = {"findings": [], "unformatted": [], "error": ""}
    if files:
        scratch = Path(tempfile.mkdtemp(prefix="lint-"))
        try:
            disarmed_copy(root, files, scratch)
            check, fmt = run_both(scratch, files, timeout)
            result["findings"] = findings(check, scratch)
            result["unformatted"] = unformatted(fmt, scratch)
        except (subprocess.TimeoutExpired, OSError, ValueError, LintFailed) as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
