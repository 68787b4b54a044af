"""The grader's exception tree; every error a person can cause or fix lives here.

::

    GraderError                      base; carries a one-line, human message and a hint
    ├── CatalogError                 an exercise package is missing or malformed
    │   └── UnknownExerciseError     no exercise with that id / cannot tell which one
    ├── IntakeError                  a submission cannot be read or is unsafe
    │   └── UnsafeArchiveError       an archive tries to escape or explode
    ├── SandboxError                 the container side failed (not the candidate)
    │   ├── EngineUnavailableError   no Docker engine answering
    │   └── ImageBuildError          the sandbox image could not be built
    └── SeedKeyError                 the installation's seed key cannot be read or made

Only ``cli.py`` turns these into exit codes; library code raises them with ``raise ... from``
at the boundary where a third-party error (docker, zipfile, tomllib) is translated.
"""

from __future__ import annotations

from grader.exitcodes import ExitCode


class GraderError(Exception):
    """Base of every error the grader raises on purpose."""

    #: Exit code the CLI uses for this family of errors (documented in ``grade --help``).
    exit_code: int = ExitCode.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class CatalogError(GraderError):
    """An exercise package is missing, malformed or inconsistent."""

    exit_code = ExitCode.EXERCISE

    @classmethod
    def from_field(cls, path: object, field: str, problem: str) -> CatalogError:
        """Build an error that names the file and the field at fault."""
        return cls(f"{path}: field '{field}' {problem}")


class UnknownExerciseError(CatalogError):
    """No exercise matches an id, or a submission matches none or several."""


class IntakeError(GraderError):
    """A submission cannot be read: missing path, broken archive, over a size cap."""

    exit_code = ExitCode.SUBMISSION


class UnsafeArchiveError(IntakeError):
    """An archive member would land outside the workspace or exceed the caps."""

    @classmethod
    def from_member(cls, archive: object, member: str, problem: str) -> UnsafeArchiveError:
        """Build an error naming the archive and the offending member."""
        return cls(f"{archive}: refused member '{member}': {problem}")


class SandboxError(GraderError):
    """The sandbox (Docker side) failed for reasons that are not the candidate's."""

    exit_code = ExitCode.SANDBOX


class EngineUnavailableError(SandboxError):
    """The Docker engine is not installed, not running, or not reachable."""


class ImageBuildError(SandboxError):
    """The sandbox image could not be built."""


class UsageError(GraderError):
    """The user asked for something that cannot be done as asked (a folder that is not a
    round, shards that overlap, an export into a non-empty folder)."""

    exit_code = ExitCode.USAGE


class SeedKeyError(GraderError):
    """The secret key that seeds hidden data is missing, unsafe or malformed."""

    exit_code = ExitCode.USAGE

    @classmethod
    def unreadable(cls, path: object, exc: OSError) -> SeedKeyError:
        """The key file exists but cannot be opened (or is a link)."""
        return cls(f"cannot read the seed key {path}: {exc.strerror or exc}")

    @classmethod
    def cannot_create(cls, path: object, exc: OSError) -> SeedKeyError:
        """The key file could not be created on first use."""
        return cls(
            f"cannot create the seed key {path}: {exc.strerror or exc}",
            hint="pass --seed-key-file PATH or set MLGRADE_SEED_KEY",
        )
