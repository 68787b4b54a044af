"""The ``[[ignore]]`` table of equivalent-mutants.toml and the record of a full mutation run
(``hidden/mutation-record.toml``): what is refused, what is written, and that it reads back."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.errors import CatalogError, UsageError
from grader.mutation import IgnoredTally, Mutant
from grader.mutation_listing import Equivalent, IgnoredFunction, load_listing
from grader.mutation_record import (
    RECORD_FILE,
    MutationRecord,
    read_record,
    record_of,
    render_record,
    write_record,
)
from grader.mutation_report import MutantResult, MutantStatus, MutationReport


def _hidden(tmp_path: Path, text: str) -> Path:
    (tmp_path / "equivalent-mutants.toml").write_text(textwrap.dedent(text))
    return tmp_path


def test_ignored_functions_are_read_with_their_reasons(tmp_path: Path) -> None:
    listing = load_listing(
        _hidden(
            tmp_path,
            """
            [[equivalent]]
            id = "m.py:3:4:constant:abc123"
            reason = "same result"

            [[ignore]]
            function = "make_sensor_data"
            reason = "demo data; no hidden test calls it"

            [[ignore]]
            function = "Model.plot"
            reason = "draws only"
            """,
        )
    )
    assert listing.equivalents == (Equivalent("m.py:3:4:constant:abc123", "same result"),)
    assert listing.ignored == (
        IgnoredFunction("make_sensor_data", "demo data; no hidden test calls it"),
        IgnoredFunction("Model.plot", "draws only"),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[ignore]]\nfunction = "f"\n', r"ignore\[0\]\.reason' is missing"),
        ('[[ignore]]\nfunction = "f"\nreason = " "\n', "reason' must not be empty"),
        ('[[ignore]]\nreason = "r"\n', "function' is missing"),
        ('[[ignore]]\nfunction = "f"\nreason = "r"\nfile = "m.py"\n', "file' is not a known"),
        ('[[ignore]]\nfunction = "f(x)"\nreason = "r"\n', "is not a name like"),
        (
            '[[ignore]]\nfunction = "f"\nreason = "r"\n[[ignore]]\nfunction = "f"\nreason = "s"\n',
            "a second time",
        ),
        ('[[ignored]]\nfunction = "f"\nreason = "r"\n', "ignored' is not a known field"),
    ],
)
def test_a_malformed_ignore_entry_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(CatalogError, match=problem):
        load_listing(_hidden(tmp_path, text))


# the record


def _mutant(name: str, line: int) -> Mutant:
    return Mutant(name, "m.py", "compare", line, 4, "`<` became `<=`", "x = 1\n")


def _report(*results: MutantResult, sampled: bool = False) -> MutationReport:
    return MutationReport(
        exercise_id="e",
        exercise_version="1",
        seed=0,
        image="img",
        generated=tuple(r.mutant.id for r in results),
        results=results,
        groups=(("g", "one"),),
        originals=(("m.py", "x = 0\n"),),
        equivalents=(Equivalent("m.py:9:4:compare:eeeeee", "same"),),
        ignored=(IgnoredTally("make_data", "demo", 7),),
        sampled=sampled,
        wall_s=12.3,
    )


FULL = _report(
    MutantResult(_mutant("m.py:2:4:compare:aaaaaa", 2), MutantStatus.KILLED, ("t",), ("g",)),
    MutantResult(_mutant("m.py:10:4:compare:bbbbbb", 10), MutantStatus.SURVIVED),
    MutantResult(_mutant("m.py:9:4:compare:eeeeee", 9), MutantStatus.SURVIVED),
    MutantResult(_mutant("m.py:3:4:compare:cccccc", 3), MutantStatus.SURVIVED),
    MutantResult(_mutant("m.py:4:4:compare:dddddd", 4), MutantStatus.CRASHED, ("t",), ("g",)),
)


def test_a_full_run_s_record_holds_counts_rate_and_survivors_in_file_order() -> None:
    assert record_of(FULL) == MutationRecord(
        generated=5,
        ignored=7,
        killed=2,
        equivalent=1,
        kill_rate=50.0,
        survivors=("m.py:3:4:compare:cccccc", "m.py:10:4:compare:bbbbbb"),
    )


def test_the_record_file_says_who_writes_it_and_reads_back(tmp_path: Path) -> None:
    path = write_record(tmp_path, record_of(FULL), "e")
    text = path.read_text()
    assert path.name == RECORD_FILE
    assert text.startswith("# Written by `grade exercises mutate e --record` (make mutants)")
    assert "kill_rate = 50.0\n" in text and "12.3" not in text and "img" not in text
    assert read_record(tmp_path) == record_of(FULL)


def test_writing_the_same_run_again_gives_the_same_bytes(tmp_path: Path) -> None:
    first = write_record(tmp_path, record_of(FULL), "e").read_bytes()
    assert write_record(tmp_path, record_of(FULL), "e").read_bytes() == first
    assert list(tmp_path.iterdir()) == [tmp_path / RECORD_FILE]  # no scratch file left


def test_a_record_with_no_survivors_reads_back(tmp_path: Path) -> None:
    record = MutationRecord(3, 0, 3, 0, 100.0, ())
    assert "survivors = []\n" in render_record(record, "e")
    write_record(tmp_path, record, "e")
    assert read_record(tmp_path) == record


@pytest.mark.parametrize(
    ("report", "problem"),
    [
        (_report(*FULL.results, sampled=True), "drop --sample"),
        (
            _report(*FULL.results, MutantResult(_mutant("z", 20), MutantStatus.NOT_RUN)),
            "1 were not",
        ),
        (_report(MutantResult(_mutant("z", 20), MutantStatus.ERROR)), "1 were not"),
    ],
)
def test_only_a_full_run_is_recorded(report: MutationReport, problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        record_of(report)


def test_no_record_file_means_no_record(tmp_path: Path) -> None:
    assert read_record(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("generated = 1\nignored = 0\nkilled = 1\nequivalent = 0\nsurvivors = []\n", "kill_rate"),
        (
            "generated = 1\nignored = 0\nkilled = 1\nequivalent = 0\nkill_rate = 100.0\n"
            'survivors = []\nwhen = "today"\n',
            "when' is not a known field",
        ),
        (
            "generated = 1.5\nignored = 0\nkilled = 1\nequivalent = 0\nkill_rate = 100.0\n"
            "survivors = []\n",
            "generated' must be int",
        ),
        (
            "generated = 1\nignored = 0\nkilled = 1\nequivalent = 0\nkill_rate = 101.0\n"
            "survivors = []\n",
            "at most 100",
        ),
    ],
)
def test_a_malformed_record_is_a_package_error(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / RECORD_FILE).write_text(text)
    with pytest.raises(CatalogError, match=problem):
        read_record(tmp_path)


def test_the_command_refuses_to_record_a_sample() -> None:
    result = CliRunner().invoke(
        main, ["exercises", "mutate", "feature-scaler", "--record", "--sample", "3"]
    )
    assert result.exit_code == 2
    assert "--record needs the full run" in result.output
