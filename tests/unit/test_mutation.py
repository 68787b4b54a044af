"""The AST mutator (ignored functions included), the equivalent-mutants list and the
kill-rate tally (no container)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.errors import CatalogError
from grader.model import RunRecord, RunStatus, TestOutcome, TestResult
from grader.mutation import Mutant, iter_mutants, mutants_of, mutated_modules
from grader.mutation_listing import Equivalent, load_equivalents
from grader.mutation_report import MutantResult, MutantStatus, MutationReport
from grader.mutation_run import choose_sample, classify


def _mutants(source: str) -> list[Mutant]:
    return list(iter_mutants(textwrap.dedent(source), "m.py"))


def _changed_lines(source: str, mutant: Mutant) -> list[str]:
    """The mutant's lines that differ from the source's (same line count for one-line edits)."""
    before, after = textwrap.dedent(source).splitlines(), mutant.source.splitlines()
    return [b.strip() for a, b in zip(before, after, strict=False) if a != b]


@pytest.mark.parametrize(
    ("source", "operator", "expected"),
    [
        ("def f(a, b):\n    return a < b\n", "compare", ["return a <= b", "return a >= b"]),
        ("def f(a, b):\n    return a == b\n", "compare", ["return a != b"]),
        ("def f(a, b):\n    return a in b\n", "compare", ["return a not in b"]),
        ("def f(a):\n    return a is None\n", "compare", ["return a is not None"]),
        ("def f(a, b):\n    return a + b\n", "arith", ["return a - b"]),
        ("def f(a, b):\n    return a / b\n", "arith", ["return a * b", "return a // b"]),
        ("def f(a, b):\n    return a // b\n", "arith", ["return a / b"]),
        ("def f(a):\n    a *= 2\n    return a\n", "arith", ["a /= 2"]),
        ("def f(a, b):\n    return a ** b\n", "arith", ["return a * b"]),
        ("def f(a):\n    return a[2]\n", "off-by-one", ["return a[3]", "return a[1]"]),
        ("def f(a):\n    return a[0]\n", "constant", ["return a[1]"]),
        ("def f(a):\n    return a[0]\n", "off-by-one", ["return a[-1]"]),
        ("def f(a):\n    return a * 0.5\n", "constant", ["return a * 0.0", "return a * 1.0"]),
        ("def f():\n    return True\n", "constant", ["return False"]),
        ("def f(a, b):\n    return a and b\n", "boolean", ["return a or b"]),
        ("def f(a):\n    return not a\n", "drop-not", ["return a"]),
        ("def f(x):\n    return x.sum(axis=0)\n", "axis", ["return x.sum(axis=1)"]),
        (
            "def f(x):\n    return x.sum(axis=1, keepdims=True)\n",
            "keepdims",
            ["return x.sum(axis=1)"],
        ),
        ("def f(a, b):\n    return g(a, b, 3)\n", "swap-args", ["return g(b, a, 3)"]),
        ("def f(a):\n    return a + 1\n", "return-none", ["return None"]),
        ("def f(a):\n    a.sort()\n    return a\n", "drop-statement", ["pass"]),
        ("def f(a):\n    b = a\n    return b\n", "drop-statement", ["pass"]),
    ],
)
def test_operator_makes_the_expected_change(
    source: str, operator: str, expected: list[str]
) -> None:
    made = [_changed_lines(source, m) for m in _mutants(source) if m.operator == operator]
    assert [lines[0] for lines in made] == expected


def test_a_splice_keeps_precedence_with_parentheses() -> None:
    (mutant,) = [
        m
        for m in _mutants("def f(a, x):\n    return a / x ** 2\n")
        if m.description.startswith("`**`")
    ]
    assert "return a / (x * 2)" in mutant.source


def test_the_rest_of_the_file_keeps_its_layout_and_comments() -> None:
    source = "def f(a, b):\n    # why\n    return  a<b   # keep\n"
    (first, *_) = _mutants(source)
    assert first.source.splitlines()[1] == "    # why"
    assert all(m.source.splitlines()[2].endswith("# keep") for m in _mutants(source)[1:])


def test_docstrings_strings_annotations_and_raise_messages_are_never_mutated() -> None:
    source = '''
        """Module doc 1 < 2."""
        from __future__ import annotations

        def f(values: list[int] = None, n: int = 3) -> dict[str, int]:
            """Doc with 0 and True."""
            if n < 0:
                raise ValueError(f"n must be >= {n + 1}", 2)
            label: str = "a" + "b"
            return {"k": n}
    '''
    changed = [line for m in _mutants(source) for line in _changed_lines(source, m)]
    assert not [line for line in changed if '"""' in line or "raise" in line or "import" in line]
    assert all("list[int]" in line for line in changed if line.startswith("def f("))
    assert not [line for line in changed if line.startswith("label")]


def test_a_type_alias_used_only_in_annotations_is_never_mutated() -> None:
    source = (
        "Vector = list[float]\nLIMIT = 3\n\n\ndef f(v: Vector) -> Vector:\n    return v[:LIMIT]\n"
    )
    assert {m.line for m in _mutants(source)} == {2, 6}


def test_main_guard_block_and_the_entry_point_only_it_calls_are_never_mutated() -> None:
    source = (
        "def f(a):\n    return a + 1\n\n\ndef main():\n    x = f(2)\n    print(x + 3)\n\n\n"
        'if __name__ == "__main__":\n    main()\n    print(f(2) + 3)\n'
    )
    assert {m.line for m in _mutants(source)} == {2}


def test_a_function_s_only_statement_is_never_dropped() -> None:
    source = 'def f(a):\n    """Doc."""\n    a.sort()\n'
    assert not [m for m in _mutants(source) if m.operator == "drop-statement"]


def test_mutants_are_deterministic_and_unique() -> None:
    source = (Path(__file__).parents[1] / "exercises/tiny-stats/solution/stats.py").read_text()
    first, second = list(iter_mutants(source, "stats.py")), list(iter_mutants(source, "stats.py"))
    assert first == second
    assert len({m.id for m in first}) == len(first) == len({m.source for m in first})
    assert all(m.source != source for m in first)


def test_ids_name_file_line_operator_and_survive_edits_below() -> None:
    source = "def f(a, b):\n    return a < b\n"
    before = {m.id for m in iter_mutants(source, "metrics.py")}
    after = {m.id for m in iter_mutants(source + "\n\ndef g(c):\n    return c + 1\n", "metrics.py")}
    assert before <= after
    assert all(i.startswith("metrics.py:2:") and len(i.split(":")[-1]) == 6 for i in before)


def test_a_file_with_too_many_mutants_is_thinned_evenly_and_says_so() -> None:
    source = "".join(f"def f{i}(a):\n    return a + {i % 5} < 7\n\n" for i in range(40))
    every = list(iter_mutants(source, "m.py"))
    capped = mutants_of(source, "m.py", cap=20)
    assert capped.capped and capped.found == len(every) and len(capped.mutants) == 20
    assert capped.mutants[0] == every[0] and capped.mutants[-1].line > every[-1].line - 10


def test_only_the_exercise_s_own_modules_are_mutated(catalog: Catalog) -> None:
    assert mutated_modules(catalog.get("tested-utilities")) == ("metrics.py",)
    assert mutated_modules(catalog.get("fix-leakage")) == ("pipeline.py",)


# ignored functions

IGNORABLE = """\
def make_data(n):
    return [i + 1 for i in range(n)]


class Model:
    def fit(self, x):
        self.w = x * 2
        return self

    def score(self, x):
        def helper(v):
            return v - 1
        return helper(x) < 3


def fit(x):
    return x + 1
"""


def _lines(ignored: tuple[str, ...]) -> set[int]:
    return {m.line for m in iter_mutants(IGNORABLE, "m.py", ignored)}


@pytest.mark.parametrize(
    ("ignored", "gone"),
    [
        (("make_data",), {2}),
        (("Model.fit",), {7, 8}),
        (("fit",), {7, 8, 17}),  # a bare name covers the methods of that name too
        (("Model.score",), {12, 13}),
        (("Model.score.helper",), {12}),
        (("helper",), {12}),
    ],
)
def test_an_ignored_function_makes_no_mutants(ignored: tuple[str, ...], gone: set[int]) -> None:
    every = _lines(())
    assert gone <= every
    assert _lines(ignored) == every - gone


def test_ignoring_a_function_leaves_the_other_mutants_as_they_were() -> None:
    every = list(iter_mutants(IGNORABLE, "m.py"))
    kept = list(iter_mutants(IGNORABLE, "m.py", ("Model.fit",)))
    assert kept == [m for m in every if m.line not in (7, 8)]


def test_an_ignored_function_s_mutants_are_counted_not_made() -> None:
    every = list(iter_mutants(IGNORABLE, "m.py"))
    made = mutants_of(IGNORABLE, "m.py", ignored=("make_data", "Model.fit", "elsewhere"))
    assert made.ignored == (
        ("make_data", sum(1 for m in every if m.line == 2)),
        ("Model.fit", sum(1 for m in every if m.line in (7, 8))),
    )  # a name this module does not define is not reported for it
    assert made.found == len(every) - sum(n for _, n in made.ignored)


def test_an_ignored_name_no_module_defines_is_a_package_error(
    catalog: Catalog, tmp_path: Path
) -> None:
    from grader.mutation import exercise_mutants
    from grader.mutation_listing import IgnoredFunction, MutantListing

    listing = MutantListing(
        tmp_path / "equivalent-mutants.toml",
        ignored=(IgnoredFunction("fit", "r"), IgnoredFunction("make_data", "demo data")),
    )
    with pytest.raises(CatalogError, match=r"ignore\[1\]\.function.*'make_data'.*scaler\.py"):
        exercise_mutants(catalog.get("feature-scaler"), listing=listing)


# equivalent-mutants.toml


def _write_equivalents(tmp_path: Path, text: str) -> Path:
    (tmp_path / "equivalent-mutants.toml").write_text(textwrap.dedent(text))
    return tmp_path


def test_equivalents_are_read_with_their_reasons(tmp_path: Path) -> None:
    hidden = _write_equivalents(
        tmp_path, '[[equivalent]]\nid = "m.py:3:4:constant:abc123"\nreason = "same result"\n'
    )
    assert load_equivalents(hidden) == (Equivalent("m.py:3:4:constant:abc123", "same result"),)


def test_no_equivalents_file_means_no_equivalents(tmp_path: Path) -> None:
    assert load_equivalents(tmp_path) == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[equivalent]]\nid = "a"\n', "reason' is missing"),
        ('[[equivalent]]\nid = "a"\nreason = "  "\n', "reason' must not be empty"),
        ('[[equivalent]]\nreason = "r"\n', "id' is missing"),
        ('[[equivalent]]\nid = "a"\nreason = "r"\nwhy = "x"\n', "why' is not a known field"),
        (
            '[[equivalent]]\nid = "a"\nreason = "r"\n[[equivalent]]\nid = "a"\nreason = "s"\n',
            "a second time",
        ),
        ("[[equivalent]\n", "not valid TOML"),
    ],
)
def test_a_malformed_equivalents_file_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(CatalogError, match=problem):
        load_equivalents(_write_equivalents(tmp_path, text))


# the tally


def _mutant(name: str, operator: str = "compare") -> Mutant:
    return Mutant(name, "m.py", operator, 1, 0, "`<` became `<=`", "x = 1\n")


def _report(
    results: list[MutantResult], equivalents: tuple[Equivalent, ...] = ()
) -> MutationReport:
    return MutationReport(
        exercise_id="e",
        exercise_version="1",
        seed=0,
        image="img",
        generated=tuple(r.mutant.id for r in results),
        results=tuple(results),
        groups=(("g1", "one"), ("g2", "two")),
        originals=(("m.py", "x = 0\n"),),
        equivalents=equivalents,
    )


def test_kill_rate_leaves_out_equivalent_survivors_and_mutants_not_run() -> None:
    report = _report(
        [
            MutantResult(_mutant("a"), MutantStatus.KILLED, ("t1",), ("g1",)),
            MutantResult(_mutant("b"), MutantStatus.CRASHED, ("t1", "t2"), ("g1", "g2")),
            MutantResult(_mutant("c", "arith"), MutantStatus.SURVIVED),
            MutantResult(_mutant("d", "arith"), MutantStatus.SURVIVED),
            MutantResult(_mutant("e"), MutantStatus.NOT_RUN, reason="not run: budget"),
        ],
        equivalents=(Equivalent("d", "same output"), Equivalent("gone", "old")),
    )
    assert report.counted == 3 and report.kill_rate == pytest.approx(66.7)
    assert [r.mutant.id for r in report.survivors] == ["c"]
    assert report.stale == ("gone",)
    assert [(g.id, g.killed) for g in report.group_kills()] == [("g1", 2), ("g2", 1)]
    arith = next(t for t in report.operator_tallies() if t.operator == "arith")
    assert (arith.survived, arith.equivalent, arith.rate) == (1, 1, 0.0)
    summary = report.summary()
    assert (summary["killed"], summary["crashed"], summary["not_run"]) == (2, 1, 1)


def test_an_equivalent_the_suite_kills_is_flagged() -> None:
    report = _report(
        [MutantResult(_mutant("a"), MutantStatus.KILLED, ("t1",), ("g1",))],
        equivalents=(Equivalent("a", "thought equal"),),
    )
    assert report.listed_but_killed == ("a",) and report.kill_rate == 100.0


def test_a_survivor_is_shown_as_a_diff_against_the_reference() -> None:
    report = _report([MutantResult(_mutant("a"), MutantStatus.SURVIVED)])
    assert "-x = 0\n+x = 1\n" in report.diff(report.results[0].mutant)
    assert report.to_dict()["survivors"][0]["id"] == "a"


def test_nothing_run_has_no_kill_rate() -> None:
    assert _report([MutantResult(_mutant("a"), MutantStatus.NOT_RUN)]).kill_rate is None


def test_a_sample_is_deterministic_and_in_generation_order() -> None:
    mutants = [_mutant(str(i)) for i in range(50)]
    first, again = choose_sample(mutants, 10, 3), choose_sample(mutants, 10, 3)
    assert first == again and len(first) == 10
    assert [int(m.id) for m in first] == sorted(int(m.id) for m in first)
    assert choose_sample(mutants, None, 3) == mutants


# classifying a run


def _run(status: RunStatus, *outcomes: tuple[TestOutcome, str]) -> RunRecord:
    ids = (
        "test_stats.py::test_mean_of_known_values",
        "test_stats.py::test_mean_of_random_values",
        "test_stats.py::test_population_variance",
    )
    return RunRecord(
        status, tuple(TestResult(i, o, r) for i, (o, r) in zip(ids, outcomes, strict=False))
    )


PASS = (TestOutcome.PASSED, "")


def test_a_failing_hidden_test_kills_a_mutant(fixture_catalog: Catalog) -> None:
    exercise = fixture_catalog.get("tiny-stats")
    run = _run(RunStatus.COMPLETED, PASS, PASS, (TestOutcome.FAILED, "AssertionError: ddof"))
    assert classify(exercise, run) == (
        MutantStatus.KILLED,
        ("test_stats.py::test_population_variance",),
        "AssertionError: ddof",
    )
    assert (
        classify(exercise, _run(RunStatus.COMPLETED, PASS, PASS, PASS))[0] is MutantStatus.SURVIVED
    )


def test_an_import_failure_or_a_timeout_is_a_crash_kill(fixture_catalog: Catalog) -> None:
    exercise = fixture_catalog.get("tiny-stats")
    broken = (TestOutcome.FAILED, "remote.CandidateImportError: importing stats.py failed")
    assert classify(exercise, _run(RunStatus.COMPLETED, broken, broken, broken))[0] is (
        MutantStatus.CRASHED
    )
    assert classify(exercise, _run(RunStatus.TIMED_OUT, PASS))[0] is MutantStatus.CRASHED


def test_a_harness_failure_is_not_a_kill(fixture_catalog: Catalog) -> None:
    exercise = fixture_catalog.get("tiny-stats")
    assert classify(exercise, _run(RunStatus.HARNESS_FAILED))[0] is MutantStatus.ERROR
