"""Keep the brief's import promise: candidate code imports only what the exercise declares.

One image serves every exercise, so scikit-learn is installed even where the brief says
"numpy and the standard library only". ``install(requirements)`` puts a finder first on
``sys.meta_path`` that refuses a third-party top-level package whose distribution is not
allowed, with ``ModuleNotFoundError("scikit-learn is not available in this exercise: its
requirements are numpy")``. Allowed:

- the standard library (``sys.stdlib_module_names``) and anything that is not an installed
  distribution (the candidate's own modules, the harness's files);
- the declared distributions *and the transitive closure of their dependencies* (extras
  only when requested, other markers taken as true): scikit-learn brings scipy, joblib,
  threadpoolctl, narwhals and numpy, so a candidate may import those too. This was chosen
  over deciding by the importing frame, which would make ``import scipy`` fail before
  ``import sklearn`` and succeed after it;
- whatever is already imported when the guard is installed (the harness's numpy, a kernel's
  IPython): the import system never asks a finder about a module in ``sys.modules``.

This is a fairness contract, not a security boundary: code in the candidate's own process
can remove the finder. Standard library only; the distribution map is read lazily, the first
time an installed package that is not yet imported is asked for.
"""

from __future__ import annotations

import importlib.machinery
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

NOTEBOOK_DISPLAY = ("ipykernel", "ipython", "matplotlib")
"""Distributions a notebook may always import (and their dependencies): plots and display."""

_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them: ``Scikit_Learn`` -> ``scikit-learn``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, frozenset[str], str]:
    """``"pandas[plot]>=2; python_version > '3'"`` -> ``("pandas", {"plot"}, marker)``."""
    spec, _, marker = text.partition(";")
    match = _NAME.match(spec)
    if match is None:
        return "", frozenset(), marker
    extras = frozenset(canonical(e.strip()) for e in (match.group(2) or "").split(",") if e.strip())
    return match.group(1), extras, marker.strip()


def _applies(marker: str, extras: frozenset[str]) -> bool:
    """Whether a dependency's marker holds: extras must be requested; any other marker is
    taken as true (allowing one import too many is the fair side of the mistake)."""
    wanted = {canonical(e) for e in _EXTRA.findall(marker)}
    return not wanted or bool(wanted & extras)


def _installed_requires(name: str) -> list[str] | None:
    import importlib.metadata

    try:
        return importlib.metadata.requires(name) or []
    except importlib.metadata.PackageNotFoundError:
        return None


def dependency_closure(
    requirements: Iterable[str],
    requires: Callable[[str], list[str] | None] = _installed_requires,
) -> frozenset[str]:
    """Canonical names of the requirements and everything they depend on, transitively.

    ``requires(name)`` gives a distribution's requirement strings (None: not installed)."""
    done: dict[str, frozenset[str]] = {}
    todo = [parse_requirement(r)[:2] for r in requirements]
    while todo:
        name, extras = todo.pop()
        key = canonical(name)
        if not key or (key in done and extras <= done[key]):
            continue
        done[key] = done.get(key, frozenset()) | extras
        for line in requires(name) or []:
            dep, dep_extras, marker = parse_requirement(line)
            if dep and _applies(marker, done[key]):
                todo.append((dep, dep_extras))
    return frozenset(done)


def _installed_owners() -> dict[str, list[str]]:
    import importlib.metadata

    return dict(importlib.metadata.packages_distributions())


class ImportGuard:
    """A meta path finder that refuses installed packages outside the allowed distributions."""

    def __init__(
        self,
        requirements: Sequence[str],
        also: Sequence[str] = (),
        *,
        site_dirs: Sequence[str] | None = None,
        owners: Callable[[], dict[str, list[str]]] = _installed_owners,
        requires: Callable[[str], list[str] | None] = _installed_requires,
    ) -> None:
        self.requirements = tuple(requirements)
        """The exercise's declared distributions, as written (for the message)."""
        self.also = tuple(also)
        """Distributions allowed besides the requirements (a notebook's display stack)."""
        self.site_dirs = tuple(site_dirs if site_dirs is not None else _site_dirs())
        self._owners_of = owners
        self._requires = requires
        self._owners: dict[str, list[str]] | None = None
        self._allowed: frozenset[str] | None = None
        self._busy = threading.local()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        """Refuse a disallowed top-level package; otherwise let the other finders look."""
        if path is not None or "." in fullname or fullname in sys.stdlib_module_names:
            return None
        if getattr(self._busy, "on", False):
            return None  # our own lazy imports (importlib.metadata) while deciding
        self._busy.on = True
        try:
            refusal = self.refusal(fullname)
        finally:
            self._busy.on = False
        if refusal:
            raise ModuleNotFoundError(refusal, name=fullname)
        return None

    def refusal(self, name: str) -> str:
        """Why the top-level module ``name`` may not be imported, or "" when it may."""
        found = importlib.machinery.PathFinder.find_spec(name, list(self.site_dirs))
        if found is None:
            return ""  # not installed: the candidate's own module, or simply missing
        if self._owners is None:
            self._owners = self._owners_of()
        owners = self._owners.get(name, [])
        if not owners:
            return ""  # installed but no distribution claims it: nothing to name or refuse
        if self._allowed is None:
            self._allowed = dependency_closure((*self.requirements, *self.also), self._requires)
        if any(canonical(owner) in self._allowed for owner in owners):
            return ""
        return self.message(owners[0])

    def message(self, distribution: str) -> str:
        """The sentence a candidate reads when ``distribution`` is refused."""
        declared = ", ".join(parse_requirement(r)[0] or r for r in self.requirements)
        text = f"{distribution} is not available in this exercise: " + (
            f"its requirements are {declared}" if declared else "it requires no packages"
        )
        if self.also:
            text += f" (a notebook may also use {', '.join(self.also)})"
        return text


def _site_dirs() -> list[str]:
    """Where installed distributions live on this interpreter's path."""
    return [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")]


def install(requirements: Sequence[str], also: Sequence[str] = ()) -> ImportGuard:
    """Put the guard first on ``sys.meta_path`` (call it after the harness's own imports)."""
    guard = ImportGuard(requirements, also)
    sys.meta_path.insert(0, guard)  # type: ignore[arg-type]
    return guard
