"""The own-tests rewrite cache (sandbox/harness/rewrite_cache.py), with the host's real pytest in
a child interpreter (installing the cache patches pytest, which this session must not see):
a cached module runs as pytest's own rewrite would, under the run copy's file name; a changed
copy, a warning rewrite or another configuration falls back to pytest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[2] / "sandbox" / "harness"

DRIVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import rewrite_cache
    import _pytest.assertion.rewrite as rewrite

    submission, copy, extra = Path(sys.argv[2]), Path(sys.argv[3]), json.loads(sys.argv[4])
    cache = rewrite_cache.build(str(submission), ["tests"])
    rewritten = []
    original = rewrite._rewrite_test
    def counted(fn, config):
        rewritten.append(Path(fn).name)
        return original(fn, config)
    rewrite._rewrite_test = counted  # what the cache calls when it does not apply
    rewrite_cache.install(cache, copy)
    import pytest
    reports = []
    class Keep:
        def pytest_runtest_logreport(self, report):
            if report.failed:
                reports.append(str(report.longrepr))
    sys.path.append(str(copy))
    code = pytest.main([str(copy / "tests"), "-q", "-p", "no:cacheprovider", *extra],
                       plugins=[Keep()])
    print(json.dumps({"cached": sorted(cache), "rewritten": rewritten,
                      "failures": reports, "code": int(code)}))
    """
)

TEST_MODULE = textwrap.dedent(
    """
    def test_numbers_compare():
        left, right = [1, 2], [1, 3]
        assert left == right
    """
)


def run(tmp_path: Path, module: str, copy_module: str | None = None, *extra: str) -> dict:
    submission = tmp_path / "submission"
    (submission / "tests").mkdir(parents=True)
    (submission / "tests" / "test_numbers.py").write_text(module)
    copy = tmp_path / "run" / "submission"
    shutil.copytree(submission, copy)
    if copy_module is not None:
        (copy / "tests" / "test_numbers.py").write_text(copy_module)
    proc = subprocess.run(
        [
            sys.executable,
            "-B",
            "-c",
            DRIVER,
            str(HARNESS),
            str(submission),
            str(copy),
            json.dumps(extra),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_cached_module_runs_rewritten_under_the_copys_name(tmp_path: Path) -> None:
    result = run(tmp_path, TEST_MODULE)
    assert result["cached"] == ["tests/test_numbers.py"]
    assert result["rewritten"] == []  # pytest never rewrote it: the cache answered
    [failure] = result["failures"]
    assert "At index 1 diff: 2 != 3" in failure  # the rewritten assert's introspection
    # Reported at the run copy's file and line, as pytest's own rewrite would.
    assert "run/submission/tests/test_numbers.py:4" in failure
    assert "mlgrade-rewrite-cache" not in failure


def test_a_copy_that_differs_from_the_cache_is_rewritten_by_pytest(tmp_path: Path) -> None:
    changed = TEST_MODULE.replace("[1, 3]", "[1, 2]")
    result = run(tmp_path, TEST_MODULE, changed)
    assert result["rewritten"] == ["test_numbers.py"]
    assert result["failures"] == [] and result["code"] == 0  # the copy's code ran, not the cache's


def test_a_module_whose_rewrite_warns_is_left_to_pytest(tmp_path: Path) -> None:
    warns = TEST_MODULE + "\n\ndef test_tuple():\n    assert (1 == 2, 'always true')\n"
    result = run(tmp_path, warns)
    assert result["cached"] == [] and result["rewritten"] == ["test_numbers.py"]


def test_a_verbose_configuration_is_rewritten_by_pytest(tmp_path: Path) -> None:
    result = run(tmp_path, TEST_MODULE, None, "-vv")
    assert result["cached"] == ["tests/test_numbers.py"]
    assert result["rewritten"] == ["test_numbers.py"]  # -vv changes the rewritten code


def test_nothing_is_installed_where_pytest_writes_bytecode(tmp_path: Path) -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(HARNESS)!r}); import rewrite_cache; "
        "import _pytest.assertion.rewrite as r; before = r._rewrite_test; "
        "from pathlib import Path; "
        "rewrite_cache.install({'t.py': (b'', compile('', 't', 'exec'))}, Path('.')); "
        "print(r._rewrite_test is before)"
    )
    env = {"PATH": "/usr/bin:/bin"}  # no PYTHONDONTWRITEBYTECODE
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert proc.stdout.strip() == "True"
