"""The own-tests zygote: pytest, coverage and the exercise's libraries imported once, a fresh
forked child per run of the candidate's suite.

Started by the supervisor (root) for the own-tests phase only, after every process of the
judging phase is gone, as ``python -I -B own_zygote.py``; it never runs candidate code, so
each child starts from the same clean memory as a new interpreter would, without paying for
the interpreter and the imports again (most of a small suite's run). Each request on stdin is
one JSON line: the run's user, process cap, environment, the run's request, and the root-only
file that holds the implementation under test. The child, still root, reads that file, makes
itself a new session with no inherited descriptors, caps its processes and becomes the run's
user for good (groups, gid, uid), then runs the suite as ``own_run.run_suite`` does for a
standalone run. The zygote answers ``{"pid": N}`` at once and ``{"exit": code}`` when the child
is gone; the supervisor enforces the timeout by killing the child's processes. The zygote
never reads an implementation's source itself, so no run can find another's in its memory.
Standard library here; pytest and coverage are the image's.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
from pathlib import Path

HARNESS = str(Path(__file__).resolve().parent)
PRELOAD = ("pytest", "_pytest.python", "_pytest.assertion.rewrite", "coverage")
CHILD_FAILED = 70
CACHE_SECONDS = 2.0
"""The most the rewrite cache may take (pytest's rewrite of a long boolean chain is quadratic):
past it there is no cache, and each run's pytest rewrites as usual, inside the run's limit."""
CACHE: dict = {}
"""The suite's test modules, assertion-rewritten once (``rewrite_cache``), shared by every run."""


def preload(extra: list[str]) -> None:
    """Import the tools and the exercise's libraries from the image (never the submission:
    nothing of it is on ``sys.path`` here); a library that fails to import is left out."""
    import importlib

    for name in (*PRELOAD, *extra):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the run imports it again and reports the error
            continue


def become(uid: int, cap: int) -> None:
    """In the forked child: a session of its own, only /dev/null inherited, at most ``cap``
    processes, then the run's user with no way back (setuid as root drops all three ids)."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, 4096)
    os.chdir("/")
    resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def child(message: dict) -> int:
    """One run: read the implementation (as root), drop to the run's user, run the suite."""
    import tempfile

    import own_run
    import rewrite_cache

    run_suite = own_run.run_suite
    # Nothing of the harness may shadow the submission's modules: off the path and the cache.
    request = dict(message["request"])
    rewrite_cache.install(CACHE, Path(request["private"]) / "submission")
    sys.path[:] = [p for p in sys.path if p != HARNESS]
    for name in ("own_run", "rewrite_cache", "asuser"):
        sys.modules.pop(name, None)
    modules_file = message.get("modules_file")
    if modules_file:
        request["modules"] = json.loads(Path(modules_file).read_text(encoding="utf-8"))
    become(int(message["uid"]), int(message["cap"]))
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in message["env"].items()})
    tempfile.tempdir = None  # TMPDIR is the run's own folder: read it afresh
    os.umask(0o077)
    return run_suite(request)


def serve() -> None:
    """Answer requests until stdin closes: fork, report the child's pid, then its exit."""
    out = sys.stdout
    for line in sys.stdin:
        message = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = CHILD_FAILED
            try:
                code = child(message)
            finally:
                os._exit(code)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        out.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")
        out.flush()


def main() -> int:
    global CACHE
    sys.path.insert(0, HARNESS)  # -I leaves the harness off sys.path: own_run lives here
    preload(json.loads(sys.argv[1]) if len(sys.argv) > 1 else [])
    if len(sys.argv) > 2:
        import rewrite_cache as cache_module

        suite = json.loads(sys.argv[2])
        CACHE = cache_module.build_within(
            str(suite["submission"]), [str(t) for t in suite["tests"]], CACHE_SECONDS
        )
    # What is imported now lives as long as every child: out of the collector's sight, a
    # child's collections (pytest runs several per session) walk only what the run made,
    # about a third of a small suite's run otherwise.
    gc.freeze()
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
