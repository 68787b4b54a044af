"""Which reference lines a mutant changes, widened to whole statements."""

from __future__ import annotations

from grader.runner.changed_lines import changed_lines

REFERENCE = """import numpy as np


def mean(values, ddof=0):
    total = sum(values)
    count = len(values)
    return total / (
        count - ddof
    )


LIMIT = 3
"""


def test_a_changed_body_line_is_that_statement():
    mutant = REFERENCE.replace("total = sum(values)", "total = sum(values) + 1")
    assert changed_lines(REFERENCE, mutant) == [5]


def test_a_change_inside_a_multi_line_statement_is_all_of_its_lines():
    mutant = REFERENCE.replace("count - ddof", "count + ddof")
    assert changed_lines(REFERENCE, mutant) == [7, 8, 9]


def test_a_changed_default_is_the_def_header_which_runs_at_import():
    mutant = REFERENCE.replace("ddof=0", "ddof=1")
    assert changed_lines(REFERENCE, mutant) == [4]


def test_a_deleted_statement_is_its_line():
    mutant = REFERENCE.replace("    count = len(values)\n", "")
    assert changed_lines(REFERENCE, mutant) == [6]


def test_a_module_level_change_is_its_line():
    assert changed_lines(REFERENCE, REFERENCE.replace("LIMIT = 3", "LIMIT = 4")) == [12]


def test_an_unparsable_reference_asks_for_every_test():
    assert changed_lines("def broken(:\n", "def broken(:\n    pass\n") is None
