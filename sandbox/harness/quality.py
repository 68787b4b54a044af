"""Lint the candidate's files inside the sandbox, with the grader's own ruff configuration.

Run by the supervisor as the unprivileged candidate user. ``--isolated`` ignores every
configuration file the candidate shipped, ``--ignore-noqa`` ignores their suppressions, and
``--no-cache`` writes nothing. The host turns the findings into the quality score.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RUFF = [sys.executable, "-m", "ruff"]
SELECT = ",".join(
    [
        "F", "B", "E", "W", "C90", "PLE", "PLR0912", "PLR0913", "PLR0915", "S102", "S307",
        "I", "UP", "SIM", "N", "RUF", "NPY", "PD", "D1", "ANN0", "ANN2",
    ]
)  # fmt: skip
IGNORE = "D105,D107,ANN401,N803,N806"
"""N803/N806: ML code names matrices X, X_train by convention; not a quality problem."""
OPTIONS = ["lint.mccabe.max-complexity = 10", "line-length = 100", "target-version = 'py311'"]
FINDINGS_CAP = 2000


def ruff_check(root: Path, files: list[str], timeout: float) -> list[dict]:
    """Ruff findings (code, message, file, line, url) for the given files."""
    command = [*RUFF, "check", "--isolated", "--no-cache", "--ignore-noqa", "--exit-zero"]
    command += ["--select", SELECT, "--ignore", IGNORE, "--output-format", "json"]
    for option in OPTIONS:
        command += ["--config", option]
    proc = subprocess.run(
        [*command, "--", *files], cwd=root, capture_output=True, timeout=timeout, check=False
    )
    findings = []
    for item in json.loads(proc.stdout or b"[]")[:FINDINGS_CAP]:
        location = item.get("location") or {}
        findings.append(
            {
                "code": item.get("code") or "",
                "message": (item.get("message") or "")[:300],
                "file": str(Path(item.get("filename") or "").relative_to(root)),
                "line": int(location.get("row") or 0),
                "cell": int(item.get("cell") or 0),
                "url": item.get("url") or "",
            }
        )
    return findings


def ruff_format_check(root: Path, files: list[str], timeout: float) -> list[str]:
    """The files ``ruff format`` would change."""
    command = [*RUFF, "format", "--check", "--isolated", "--no-cache", "--output-format", "json"]
    for option in OPTIONS[1:]:
        command += ["--config", option]
    proc = subprocess.run(
        [*command, "--", *files], cwd=root, capture_output=True, text=True, timeout=timeout,
        check=False,
    )  # fmt: skip
    items = json.loads(proc.stdout or "[]")
    return sorted({str(Path(item.get("filename") or "").relative_to(root)) for item in items})


def main() -> None:
    request = json.loads(sys.stdin.read())
    root, files = (
        Path(request["root"]),
        [f for f in request["files"] if f.endswith((".py", ".ipynb"))],
    )
    timeout = float(request.get("timeout", 60))
    result: dict = {"findings": [], "unformatted": [], "error": ""}
    if files:
        try:
            result["findings"] = ruff_check(root, files, timeout)
            result["unformatted"] = ruff_format_check(root, files, timeout)
        except (subprocess.TimeoutExpired, OSError, ValueError) as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"[:300]
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
