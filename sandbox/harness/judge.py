"""Judge entry point: run the hidden tests with pytest under a grader-owned configuration.

Started by the supervisor as ``python -I -B judge.py JOB FD``. The judge never imports
candidate code (the ``candidate`` fixture talks to a separate process), and candidate config
files (conftest.py, pytest.ini, pyproject.toml, setup.cfg, sitecustomize) are never read.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_args(job: dict, results_fd: int) -> list[str]:
    """The full pytest command line; nothing comes from the candidate's files."""
    tests = str(job["tests_dir"])
    return [
        tests,
        "-c",
        str(HERE / "pytest.ini"),
        "--rootdir",
        tests,
        "--noconftest",
        "-p",
        "no:cacheprovider",
        "-qq",
        "--tb=line",
        "-rN",
        "-p",
        "mlgrade_plugin",
        "-p",
        "pytest_timeout",
        "--timeout",
        str(job["test_timeout_seconds"]),
        "--timeout-method",
        "signal",
        "--capture",
        "no",
        "--mlgrade-submission",
        str(job["submission_dir"]),
        "--mlgrade-seed",
        str(int(job["seed"])),
        "--mlgrade-results-fd",
        str(results_fd),
        "--mlgrade-workdir",
        str(job["work_dir"]),
        "--mlgrade-candidate-user",
        str(job["candidate_user"]),
        *(["--mlgrade-notebook", json.dumps(job["notebook"])] if job.get("notebook") else []),
        *(["--mlgrade-warm", json.dumps(job["warm"])] if job.get("warm") else []),
        *(
            ["--mlgrade-requirements", json.dumps(job["requirements"])]
            if job.get("requirements") is not None
            else []
        ),
    ]


def main() -> int:
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    results_fd = int(sys.argv[2])
    # -I leaves the script's folder off sys.path; the plugin lives beside this file.
    sys.path.insert(0, str(HERE))
    os.chdir(job["judge_dir"])
    import pytest

    # pytest's terminal reporter binds sys.stdout when it is configured: point it at devnull
    # so only the candidate's own output reaches the captured stdout (the plugin restores it).
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives for the run
    return int(pytest.main(pytest_args(job, results_fd)))


if __name__ == "__main__":
    sys.exit(main())
