"""Quality judges the lines the candidate wrote: not the bundle's, not docstring padding, not
code hidden from lint, and not a handful of changed lines (too little to judge)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from grader.bundle import own_line_numbers
from grader.model import LintFinding, LintReport
from grader.scoring.quality import (
    CEILING,
    NOT_JUDGED,
    Baseline,
    code_lines,
    score_quality,
    unfinished_functions,
)

BODY = "".join(f"value_{i} = compute({i})\n" for i in range(40))


def finding(code: str, line: int, file: str = "a.py") -> LintFinding:
    return LintFinding(file, line, code, "msg", "")


def test_docstring_padding_does_not_dilute_findings(tmp_path: Path):
    plain = BODY
    padded = '"""' + "\nPadding line.\n" * 300 + '"""\n' + BODY
    (tmp_path / "plain.py").write_text(plain)
    (tmp_path / "padded.py").write_text(padded)
    report = LintReport((), (finding("F821", 3),), ())
    scores = [score_quality(report, tmp_path, [name]) for name in ("plain.py", "padded.py")]
    assert code_lines(plain) == code_lines(padded) == 40
    assert scores[0] is not None and scores[1] is not None
    assert scores[0].score == scores[1].score == CEILING - 25.0


def test_a_statement_split_over_many_lines_counts_once():
    assert code_lines("total = add(\n    1,\n    2,\n    3,\n)\n# comment\n\n") == 1


def test_only_lines_the_candidate_changed_are_theirs():
    bundle = "a = 1\nb = 2\nc = 3\n"
    assert own_line_numbers("a = 1\nb = 20\nc = 3\nd = 4\n", bundle) == {2, 4}
    assert own_line_numbers("anything\n", None) is None


def test_a_comment_added_to_a_starter_line_does_not_make_it_theirs():
    bundle = "def f(x):\n    return x\n"
    assert own_line_numbers("def f(x):  # noqa\n    return x  # identity\n", bundle) == set()
    # A '#' after a quote may sit inside a string: such a line is compared whole.
    assert own_line_numbers("def f(x):\n    return '#' + x  # note\n", bundle) == {2}
    # A comment line of their own is theirs (commented-out code is a finding).
    assert own_line_numbers("def f(x):\n    # y = x\n    return x\n", bundle) == {2}


def test_findings_on_unchanged_bundle_lines_do_not_count(tmp_path: Path):
    bundle = "import os\n" + BODY
    text = bundle + "".join(f"extra_{i} = {i}\n" for i in range(20))
    (tmp_path / "a.py").write_text(text)
    report = LintReport((), (finding("F401", 1), finding("E501", 45)), ())
    score = score_quality(report, tmp_path, ["a.py"], baseline=Baseline({"a.py": bundle}))
    assert score is not None
    assert score.lines == 20
    assert [f.code for f in score.findings] == ["E501"]
    assert score.starter_findings == 1


def test_a_few_changed_lines_are_not_enough_code_to_judge(tmp_path: Path):
    bundle = BODY
    (tmp_path / "a.py").write_text(BODY.replace("compute(3)", "compute(4)") + "x = 1\n")
    score = score_quality(
        LintReport((), (), ()), tmp_path, ["a.py"], baseline=Baseline({"a.py": bundle})
    )
    assert score is not None and score.score is None
    assert score.reason.startswith(NOT_JUDGED) and "2 logical line(s)" in score.reason


def test_too_little_code_is_not_judged_even_if_lint_failed(tmp_path: Path):
    (tmp_path / "a.py").write_text("x = 1\n")
    score = score_quality(LintReport((), (), (), error="boom"), tmp_path, ["a.py"])
    assert score is not None and score.score is None


def test_python_hidden_in_an_archive_fails_closed(tmp_path: Path):
    (tmp_path / "a.py").write_text(BODY)
    with zipfile.ZipFile(tmp_path / "lib.zip", "w") as archive:
        archive.writestr("helpers.py", "def f():\n    return 1\n")
    score = score_quality(LintReport((), (), ()), tmp_path, ["a.py"], submitted=("a.py", "lib.zip"))
    assert score is not None and score.score == 0.0
    assert "lib.zip" in score.reason and score.reason.startswith("could not be measured")


def test_compiled_modules_fail_closed_and_data_archives_do_not(tmp_path: Path):
    (tmp_path / "a.py").write_text(BODY)
    (tmp_path / "fast.so").write_bytes(b"\x7fELF")
    with zipfile.ZipFile(tmp_path / "data.zip", "w") as archive:
        archive.writestr("rows.csv", "a,b\n1,2\n")
    compiled = score_quality(
        LintReport((), (), ()), tmp_path, ["a.py"], submitted=("a.py", "fast.so")
    )
    data = score_quality(LintReport((), (), ()), tmp_path, ["a.py"], submitted=("data.zip",))
    assert compiled is not None and compiled.score == 0.0
    assert data is not None and data.score == CEILING


def test_format_directives_are_counted_as_evidence(tmp_path: Path):
    (tmp_path / "a.py").write_text("# fmt: off\n" + BODY + "x = 1  # fmt: skip\n")
    score = score_quality(LintReport((), (), ()), tmp_path, ["a.py"])
    assert score is not None and score.fmt_directives == 2


def test_stub_functions_left_in_the_module_cost_points(tmp_path: Path):
    stubs = (
        "def done(x):\n    return x\n\n"
        'def todo(x):\n    """Later."""\n    raise NotImplementedError\n\n'
        "def later(x):\n    ...\n"
    )
    (tmp_path / "mod.py").write_text(BODY + stubs)
    base = Baseline({}, modules=("mod.py",))
    score = score_quality(LintReport((), (), ()), tmp_path, ["mod.py"], baseline=base)
    assert unfinished_functions(stubs) == ["todo", "later"]
    assert score is not None and score.score == CEILING - 20
    assert ("unfinished", 2) in [(p.category, p.findings) for p in score.penalties]


def test_code_far_larger_than_the_reference_costs_points(tmp_path: Path):
    body = "".join(f"value_{i} = compute({i})\n" for i in range(80))
    (tmp_path / "mod.py").write_text(body)
    lean = Baseline({}, modules=("mod.py",), reference_lines=60)
    bloated = Baseline({}, modules=("mod.py",), reference_lines=20)
    scores = [
        score_quality(LintReport((), (), ()), tmp_path, ["mod.py"], baseline=b)
        for b in (lean, bloated)
    ]
    assert scores[0] is not None and scores[0].score == CEILING
    # 80 lines against a reference of 20: 20 past the allowance of 60, one reference-size
    assert scores[1] is not None and scores[1].score == CEILING - 25
    assert any(p.category.startswith("size (4.0x") for p in scores[1].penalties)


def test_code_a_reviewer_reads_at_a_glance_is_never_too_big(tmp_path: Path):
    # 40 lines against a 10-line fix: four times the reference, but under SIZE_FLOOR.
    (tmp_path / "mod.py").write_text(BODY)
    base = Baseline({}, modules=("mod.py",), reference_lines=10)
    score = score_quality(LintReport((), (), ()), tmp_path, ["mod.py"], baseline=base)
    assert score is not None and score.score == CEILING


def test_a_file_declaring_another_encoding_fails_closed(tmp_path: Path):
    (tmp_path / "a.py").write_text("# -*- coding: utf-7 -*-\n" + BODY)
    score = score_quality(LintReport((), (), ()), tmp_path, ["a.py"])
    assert score is not None and score.score == 0.0
    assert "utf-7" in score.reason


def test_padding_past_twice_the_reference_does_not_dilute(tmp_path: Path):
    (tmp_path / "a.py").write_text(BODY)
    (tmp_path / "_padding.py").write_text("".join(f"v{i} = {i}\n" for i in range(4000)))
    base = Baseline({}, modules=("a.py",), reference_lines=40)
    report = LintReport((), tuple(finding("F821", n) for n in range(1, 5)), ())
    padded = score_quality(report, tmp_path, ["a.py", "_padding.py"], baseline=base)
    alone = score_quality(report, tmp_path, ["a.py"], baseline=base)
    assert padded is not None and alone is not None
    assert padded.score is not None and alone.score is not None
    assert padded.score < alone.score  # 80 statements judged, and the size costs too


def test_a_deleted_docstring_counts_against_the_candidate(tmp_path: Path):
    bundle = 'def f(x):\n    """Double x."""\n    raise NotImplementedError\n'
    text = "def f(x):\n" + "".join(f"    y{i} = x * {i}\n" for i in range(10)) + "    return x\n"
    (tmp_path / "a.py").write_text(text)
    report = LintReport((), (finding("D103", 1),), ())
    score = score_quality(report, tmp_path, ["a.py"], baseline=Baseline({"a.py": bundle}))
    assert score is not None and [f.code for f in score.findings] == ["D103"]


def test_the_starters_signature_is_not_the_candidates(tmp_path: Path):
    # The body is rewritten but the def line is the starter's: its arguments and missing
    # annotations were given, while a docstring they deleted or a body grown complex is theirs.
    bundle = 'def f(a, b, c, d, e, f, g):\n    """Sum them."""\n    raise NotImplementedError\n'
    text = "def f(a, b, c, d, e, f, g):\n" + "".join(f"    y{i} = a * {i}\n" for i in range(10))
    (tmp_path / "a.py").write_text(text + "    return a\n")
    given = ("PLR0913", "ANN001", "ANN201", "D103", "C901")
    report = LintReport((), tuple(finding(code, 1) for code in given), ())
    score = score_quality(report, tmp_path, ["a.py"], baseline=Baseline({"a.py": bundle}))
    assert score is not None and sorted(f.code for f in score.findings) == ["C901", "D103"]


def test_test_functions_need_no_docstrings_or_annotations(tmp_path: Path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(BODY)
    report = LintReport(
        (), (finding("D103", 1, "tests/test_a.py"), finding("ANN201", 2, "tests/test_a.py")), ()
    )
    score = score_quality(report, tmp_path, ["tests/test_a.py"])
    assert score is not None and score.findings == () and score.score == CEILING


def test_pasted_blocks_cost_points_and_point_at_both_copies(tmp_path: Path):
    block = (
        "    total = compute_total(values)\n"
        "    scaled = scale_by(total, 3)\n"
        "    result.append(scaled)\n"
    )
    text = "def a(values, result):\n" + block + "\n\ndef b(values, result):\n" + block + BODY
    (tmp_path / "a.py").write_text(text)
    score = score_quality(LintReport((), (), ()), tmp_path, ["a.py"])
    assert score is not None
    (pasted,) = [f for f in score.findings if f.code == "DUP"]
    assert pasted.line == 8 and "lines 2-4" in pasted.message
    assert ("duplication", 1) in [(p.category, p.findings) for p in score.penalties]


def test_most_functions_left_as_stubs_is_not_enough_code_to_judge(tmp_path: Path):
    starter = "".join(f"def f{i}(x):\n    raise NotImplementedError\n\n\n" for i in range(4))
    written = "".join(
        f"def f{i}(x):\n" + "    y = x + 1\n" * 6 + "    return y\n\n\n" for i in range(2)
    )
    base = Baseline({"mod.py": starter}, modules=("mod.py",), reference_lines=32)
    half = written + "".join(f"def f{i}(x):\n    raise NotImplementedError\n\n\n" for i in (2, 3))
    (tmp_path / "mod.py").write_text(half)
    score = score_quality(LintReport((), (), ()), tmp_path, ["mod.py"], baseline=base)
    assert score is not None and score.score is None
    assert "2 of the 4 functions to write are still stubs" in score.reason
    # One stub of four left: judged, and the stub costs its points.
    (tmp_path / "mod.py").write_text(
        half.replace("def f2(x):\n    raise NotImplementedError", "def f2(x):\n    return x")
    )
    score = score_quality(LintReport((), (), ()), tmp_path, ["mod.py"], baseline=base)
    assert score is not None and score.score == CEILING - 10


def test_a_stub_left_beside_fixes_of_given_code_is_unfinished_judged_code(tmp_path: Path):
    # A fixing exercise: the work is mostly in given code, and one stub of one is left.
    given = BODY + "def parity(a, b):\n    raise NotImplementedError\n"
    base = Baseline({"mod.py": given}, modules=("mod.py",), reference_lines=20)
    fixed = given.replace("compute(", "compute_fixed(")
    (tmp_path / "mod.py").write_text(fixed)
    score = score_quality(LintReport((), (), ()), tmp_path, ["mod.py"], baseline=base)
    assert score is not None and score.score == CEILING - 10, score.reason if score else None


def test_a_notebook_handed_in_for_a_stubbed_module_is_judged_on_what_it_defines(tmp_path: Path):
    import nbformat

    starter = "".join(f"def f{i}(x):\n    raise NotImplementedError\n\n\n" for i in range(4))
    body = "".join(
        f"def f{i}(x):\n" + "    y = x + 1\n" * 6 + "    return y\n\n\n" for i in range(4)
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(body)])
    nbformat.write(notebook, tmp_path / "mod.ipynb")
    base = Baseline({"mod.py": starter}, modules=("mod.py",), reference_lines=10)
    score = score_quality(LintReport((), (), ()), tmp_path, ["mod.ipynb"], baseline=base)
    assert score is not None and score.score is not None, score.reason if score else None


def test_a_fragment_that_mostly_fails_is_not_judged_but_a_short_working_fix_is(tmp_path: Path):
    # Six new lines against a 40-line reference: with a fifth of the hidden tests passing it
    # is a barely started submission; with most passing it is a short fix, and judged.
    bundle = BODY
    (tmp_path / "a.py").write_text(BODY + "".join(f"fix_{i} = {i}\n" for i in range(6)))
    baseline = Baseline({"a.py": bundle}, reference_lines=40)
    report = LintReport((), (), ())
    fragment = score_quality(report, tmp_path, ["a.py"], baseline=baseline, passed=0.2)
    assert fragment is not None and fragment.score is None
    assert fragment.reason.startswith(f"{NOT_JUDGED}: a fragment: 6 logical line(s)")
    working = score_quality(report, tmp_path, ["a.py"], baseline=baseline, passed=0.9)
    assert working is not None and working.score == CEILING


def test_annotations_the_starter_never_uses_are_its_house_style(tmp_path: Path):
    # The starter annotates returns but no argument: a helper without argument annotations
    # follows it; a missing return annotation still counts.
    starter = "def given(a, b) -> int:\n    raise NotImplementedError\n"
    base = Baseline({"mod.py": starter}, modules=("mod.py",), reference_lines=40)
    written = starter.replace("raise NotImplementedError", "return a")
    (tmp_path / "mod.py").write_text(written + BODY)
    report = LintReport((), (finding("ANN001", 3, "mod.py"), finding("ANN202", 3, "mod.py")), ())
    score = score_quality(report, tmp_path, ["mod.py"], baseline=base)
    assert score is not None
    assert [f.code for f in score.findings] == ["ANN202"]
