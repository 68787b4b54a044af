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
import selectors
import sys
from pathlib import Path

HARNESS = str(Path(__file__).resolve().parent)
PRELOAD = ("pytest", "_pytest.python", "_pytest.assertion.rewrite", "coverage")
CHILD_FAILED = 70
LIVE_FD = 3
"""Where a run's child finds the pipe it reports failing test ids on (see ``relay``)."""
CACHE: dict = {}
"""The suite's test modules, assertion-rewritten once (``rewrite_cache``), shared by every run."""
LIVE_LINE = 400
LIVE_RELAYED = 1000


def preload(extra: list[str]) -> None:
    """Import the tools and the exercise's libraries from the image (never the submission:
    nothing of it is on ``sys.path`` here); a library that fails to import is left out."""
    import importlib

    for name in (*PRELOAD, *extra):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the run imports it again and reports the error
            continue


def become(uid: int, cap: int, live: int) -> None:
    """In the forked child: a session of its own, only /dev/null and the live pipe (as
    ``LIVE_FD``) inherited, at most ``cap`` processes, then the run's user with no way back
    (setuid as root drops all three ids)."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if live != LIVE_FD:
        os.dup2(live, LIVE_FD)
    os.closerange(LIVE_FD + 1, 4096)
    os.chdir("/")
    resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def child(message: dict, live: int) -> int:
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
    request["live"] = LIVE_FD  # the same in every run: failing ids as they happen
    become(int(message["uid"]), int(message["cap"]), live)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in message["env"].items()})
    tempfile.tempdir = None  # TMPDIR is the run's own folder: read it afresh
    os.umask(0o077)
    return run_suite(request)


def serve() -> None:
    """Answer requests until stdin closes: fork, report the child's pid, relay the failing
    test ids the run reports on its live pipe, then its exit."""
    out = sys.stdout
    for line in sys.stdin:
        message = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = CHILD_FAILED
            try:
                os.close(read_end)
                code = child(message, write_end)
            finally:
                os._exit(code)
        os.close(write_end)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        relay(pid, read_end, out)
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        out.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")
        out.flush()


def relay(pid: int, pipe: int, out) -> None:  # type: ignore[no-untyped-def]
    """Pass the run's failing ids on as ``{"failed": id}`` lines until the child is gone (not
    until the pipe closes: a daemon of the run may hold it). What comes on the pipe is the
    run's to write, so it is only split, capped and quoted, never interpreted; the
    supervisor decides from it whether to stop the run early, and counts nothing from it."""
    try:
        exited = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return  # no pidfd: no early news; the run goes to its end
    relayed, buffer = 0, b""
    with selectors.DefaultSelector() as sel:
        sel.register(exited, selectors.EVENT_READ)
        sel.register(pipe, selectors.EVENT_READ)
        while True:
            ready = {key.fd for key, _ in sel.select()}
            if pipe in ready:
                chunk = os.read(pipe, 65536)
                if not chunk:
                    sel.unregister(pipe)
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                buffer = buffer[-LIVE_LINE:]
                for raw in lines[: max(0, LIVE_RELAYED - relayed)]:
                    out.write(json.dumps({"failed": raw[:LIVE_LINE].decode("utf-8", "replace")}))
                    out.write("\n")
                    relayed += 1
                out.flush()
            if exited in ready:
                break
    os.close(exited)


def main() -> int:
    global CACHE
    sys.path.insert(0, HARNESS)  # -I leaves the harness off sys.path: own_run lives here
    preload(json.loads(sys.argv[1]) if len(sys.argv) > 1 else [])
    if len(sys.argv) > 2:
        import rewrite_cache as cache_module

        suite = json.loads(sys.argv[2])
        CACHE = cache_module.build(str(suite["submission"]), [str(t) for t in suite["tests"]])
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
