"""Exit codes of the ``grade`` command, documented in ``grade --help`` and the README."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the process exit status means (see MEANING for the sentence per code)."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    SUBMISSION = 3
    EXERCISE = 4
    SANDBOX = 5
    CHECK_FAILED = 6
    UNGRADABLE = 7
    INTERRUPTED = 130


MEANING = {
    ExitCode.OK: "graded, or the command did what it was asked",
    ExitCode.INTERNAL: "a bug in mlgrade; please report it with the command line",
    ExitCode.USAGE: "bad usage: unknown option or missing argument",
    ExitCode.SUBMISSION: "the submission cannot be read (missing, broken, unsafe or too big)",
    ExitCode.EXERCISE: "unknown or ambiguous exercise, or a malformed exercise package",
    ExitCode.SANDBOX: "the sandbox failed: no Docker engine, image build failed, engine error",
    ExitCode.CHECK_FAILED: "graded below --fail-under, or `exercises validate` failed a check",
    ExitCode.UNGRADABLE: "a round is written, but some candidates could not be graded",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); containers of the run were removed",
}


def describe() -> str:
    """One line per code, for help texts."""
    return "\n".join(f"{code.value}  {MEANING[code]}" for code in ExitCode)
