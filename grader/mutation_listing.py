"""What an exercise's author declares about its mutants, in ``hidden/equivalent-mutants.toml``:
survivors judged equivalent (``[[equivalent]]``, by mutant id) and functions left out of the
mutation run altogether (``[[ignore]]``, by function or ``Class.method`` name), each with the
reason. Both tables are read strictly: a missing reason or an unknown key is a package error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.errors import CatalogError
from grader.tomlfields import TomlTable

EQUIVALENTS_FILE = "equivalent-mutants.toml"
"""In an exercise's ``hidden/``: equivalent survivors and ignored functions."""


@dataclass(frozen=True)
class Equivalent:
    """A mutant the author judged to behave exactly like the reference, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class IgnoredFunction:
    """A function whose mutants are never generated (code no hidden test can reach), and why."""

    function: str
    """A function or method name (``make_data``), or a method qualified by its class
    (``Scaler.fit``)."""
    reason: str


@dataclass(frozen=True)
class MutantListing:
    """Everything ``equivalent-mutants.toml`` declares (empty when the file is absent)."""

    path: Path
    equivalents: tuple[Equivalent, ...] = ()
    ignored: tuple[IgnoredFunction, ...] = ()

    def unknown_function(self, entry: IgnoredFunction, modules: tuple[str, ...]) -> CatalogError:
        """The error for an ``[[ignore]]`` entry that names no function of the mutated modules."""
        index = self.ignored.index(entry)
        where = ", ".join(modules) or "no module"
        return CatalogError.from_field(
            self.path,
            f"ignore[{index}].function",
            f"names '{entry.function}', which is not a function or method of {where}",
        )


def load_listing(hidden_dir: Path) -> MutantListing:
    """Read ``hidden/equivalent-mutants.toml``; raise CatalogError naming the file and entry."""
    path = hidden_dir / EQUIVALENTS_FILE
    if not path.is_file():
        return MutantListing(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path} is not valid TOML: {exc}") from exc
    top = TomlTable(path, raw)
    top.only(["equivalent", "ignore"])
    equivalents: list[Equivalent] = []
    for table in top.tables("equivalent"):
        table.only(["id", "reason"])
        equivalent = Equivalent(table.text("id").strip(), table.text("reason").strip())
        if equivalent.id in {e.id for e in equivalents}:
            raise table.fail("id", f"lists {equivalent.id} a second time")
        equivalents.append(equivalent)
    ignored: list[IgnoredFunction] = []
    for table in top.tables("ignore"):
        table.only(["function", "reason"])
        entry = IgnoredFunction(table.text("function").strip(), table.text("reason").strip())
        if not all(part.isidentifier() for part in entry.function.split(".")):
            raise table.fail("function", f"'{entry.function}' is not a name like f or Class.f")
        if entry.function in {i.function for i in ignored}:
            raise table.fail("function", f"lists {entry.function} a second time")
        ignored.append(entry)
    return MutantListing(path, tuple(equivalents), tuple(ignored))


def load_equivalents(hidden_dir: Path) -> tuple[Equivalent, ...]:
    """Only the ``[[equivalent]]`` entries of ``hidden/equivalent-mutants.toml``."""
    return load_listing(hidden_dir).equivalents
