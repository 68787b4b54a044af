"""The candidate's test modules, assertion-rewritten once per phase instead of once per run.

pytest rewrites the ``assert`` statements of every test module it imports (parse, rewrite,
compile): about a quarter of a small suite's run, repeated identically in each of the
phase's runs, since each run has a fresh copy of the submission and cannot keep pytest's
bytecode cache. The own-tests zygote calls ``build`` once, before it serves any run: it reads
the submission's test modules (root-owned copies, opened without following links, capped)
and rewrites them as pytest would with no configuration, compiling only, never executing.
Each run's child then calls ``install``: pytest's ``_rewrite_test`` returns the cached code,
its file name set to the run's copy, when the copy's bytes are the cached ones and the run's
configuration is one the cache was built for; otherwise pytest rewrites as usual. Every run
(own, reach, reference, planted bug) installs the same cache, so it tells a run nothing.
A module whose rewrite warns (an always-true tuple assert) is left to pytest so the run still
shows the warning. Standard library plus the image's pytest.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import signal
import sys
import types
import warnings
from pathlib import Path

from asuser import open_regular

PATTERNS = ("test_*.py", "*_test.py", "conftest.py")
"""pytest's default test-module names and conftest: the files it rewrites by default."""
FILE_CAP = 1024 * 1024
FILES_CAP = 64
PLACEHOLDER = "/mlgrade-rewrite-cache"

Cache = dict[str, tuple[bytes, types.CodeType]]


def build(submission: str, tests: list[str]) -> Cache:
    """Relative path -> (source bytes, rewritten code) for the test modules under ``tests``."""
    from _pytest.assertion.rewrite import rewrite_asserts

    cache: Cache = {}
    root = Path(submission)
    for relative in _candidates(root, tests):
        try:
            source = open_regular(str(root / relative), FILE_CAP)
            placeholder = f"{PLACEHOLDER}/{relative}"
            tree = ast.parse(source, filename=placeholder)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rewrite_asserts(tree, source, placeholder, None)
            if caught:
                continue
            cache[relative] = (source, compile(tree, placeholder, "exec", dont_inherit=True))
        except Exception:  # noqa: BLE001 - pytest meets the same file in the run, reports it
            continue
    return cache


def build_within(submission: str, tests: list[str], seconds: float) -> Cache:
    """``build``, given up (no cache at all) past ``seconds``: a suite written to make
    pytest's rewrite slow must not hold the phase up before its first run."""

    def expired(signum: int, frame: object) -> None:
        raise Expired

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return build(submission, tests)
    except Expired:
        return {}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Expired(BaseException):
    """The cache's time is up (a BaseException: the per-file ``except Exception`` lets it by)."""


def _candidates(root: Path, tests: list[str]) -> list[str]:
    """Test-module paths under the ``tests`` entries, relative to ``root``; never following a
    link out of the submission, at most ``FILES_CAP`` of them."""
    found: list[str] = []
    for entry in tests:
        start = root / entry
        if start.is_symlink():
            continue
        if start.is_file():
            paths = [start]
        else:
            paths = []
            for folder, dirs, files in os.walk(start):
                dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
                paths += [Path(folder) / f for f in sorted(files)]
        for path in paths:
            if any(fnmatch.fnmatch(path.name, p) for p in PATTERNS):
                found.append(str(path.relative_to(root)))
            if len(found) >= FILES_CAP:
                return found
    return found


def retarget(code: types.CodeType, filename: str) -> types.CodeType:
    """``code`` and every code object inside it, with ``co_filename`` set to ``filename``."""
    consts = tuple(
        retarget(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


def install(cache: Cache, work: Path) -> None:
    """In a run's child: let pytest take a module's rewrite from ``cache`` when it applies.
    Only where pytest writes no bytecode cache (``-B``, as every run): the first item it gets
    back is then never used (pytest 9.0 returns the file's stat there, 9.2 its hash)."""
    if not cache or not sys.dont_write_bytecode:
        return
    try:
        import _pytest.assertion.rewrite as rewrite
        from _pytest.config import Config

        original = rewrite._rewrite_test
        verbosity = Config.VERBOSITY_ASSERTIONS
    except (ImportError, AttributeError):
        return  # another pytest: it rewrites every module itself

    def cached(fn: Path, config: Config) -> tuple[os.stat_result, types.CodeType]:
        try:
            entry = cache.get(str(Path(fn).relative_to(work)))
        except ValueError:
            entry = None
        # The cache was built as with no configuration: no assertion-pass hook, default
        # assertion verbosity (-q and the default give the same code).
        usable = entry is not None and not config.getini("enable_assertion_pass_hook")
        if entry is not None and usable and config.get_verbosity(verbosity) <= 0:
            stat = os.stat(fn)
            if Path(fn).read_bytes() == entry[0]:
                return stat, retarget(entry[1], str(fn))
        return original(fn, config)

    rewrite._rewrite_test = cached  # type: ignore[assignment]
