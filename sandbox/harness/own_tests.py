"""Run the candidate's own test suite against one implementation (theirs, ours, a mutant).

Started by the supervisor as the separate ``tester`` user, after every candidate process of
the judging phase is gone. Reads a JSON request on stdin, works in a private temp folder,
and prints a JSON summary: which of the candidate's tests failed. The result is only ever a
statement about the candidate's tests; it never touches the correctness verdict.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cells import notebook_as_module

ENV = {
    "PATH": "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
}


def failing_tests(junit: Path) -> tuple[int, list[str]]:
    """Number of tests run and the ids of those that failed or errored."""
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError):
        return 0, []
    total, failed = 0, []
    for case in root.iter("testcase"):
        total += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname', '')}::{case.get('name', '')}")
    return total, sorted(failed)


def coverage_of(work: Path, measure: list[str]) -> dict:
    data = work / ".coverage"
    out = work / "coverage.json"
    subprocess.run(
        [sys.executable, "-B", "-m", "coverage", "json", f"--data-file={data}", "-o", str(out),
         "--include", ",".join(str(work / m) for m in measure)],
        cwd=work, env=ENV, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    try:
        totals = json.loads(out.read_text())["totals"]
    except (OSError, ValueError, KeyError):
        return {}
    return {
        "branches": int(totals.get("num_branches", 0)),
        "covered_branches": int(totals.get("covered_branches", 0)),
        "percent": float(totals.get("percent_covered", 0.0)),
    }


def run(request: dict) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="own-tests-"))
    work = scratch / "submission"
    shutil.copytree(request["submission"], work, symlinks=False)
    notebook = request.get("notebook")
    if notebook:  # the implementation is a notebook: the tests import it as a module
        (work / notebook["module"]).write_text(
            notebook_as_module(work / notebook["path"]), encoding="utf-8"
        )
    for relative, source in (request.get("modules") or {}).items():
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_text(source, encoding="utf-8")
    junit = scratch / "junit.xml"
    pytest_args = ["-m", "pytest", *request["tests"], "-q", "-p", "no:cacheprovider",
                   f"--junitxml={junit}"]  # fmt: skip
    if request.get("coverage"):
        command = [sys.executable, "-B", "-m", "coverage", "run", "--branch",
                   f"--data-file={work / '.coverage'}", *pytest_args]  # fmt: skip
    else:
        command = [sys.executable, "-B", *pytest_args]
    env = {**ENV, "HOME": str(scratch), "TMPDIR": str(scratch)}
    timed_out = False
    try:
        proc = subprocess.run(
            command, cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True,
            timeout=float(request["timeout"]), check=False, start_new_session=True,
        )  # fmt: skip
        code = proc.returncode
    except subprocess.TimeoutExpired:
        timed_out, code = True, -1
    total, failed = failing_tests(junit)
    result = {"exit": code, "timed_out": timed_out, "tests": total, "failed": failed}
    if request.get("coverage") and not timed_out:
        result["coverage"] = coverage_of(work, list(request.get("measure") or []))
    return result


def main() -> None:
    os.umask(0o077)
    sys.stdout.write(json.dumps(run(json.loads(sys.stdin.read()))))


if __name__ == "__main__":
    main()
