"""The candidate process: imports the submission and serves the judge's calls over a pipe.

Started by the judge as the unprivileged candidate user (the privilege drop happens before
this interpreter starts), so nothing of the candidate's ever runs with the judge's rights.
It answers requests one at a time; values cross as plain data (see wire.py), everything else
stays here behind a handle. Exceptions go back as type names and a message. A call that
changes an argument in place reports the new value; the judge records it and never writes it
into the test's own object (see mutations.py).

    python -I -B candidate_server.py REQUEST_FD REPLY_FD SOURCE_DIR WORK_DIR [REQUIREMENTS_JSON]

With REQUIREMENTS_JSON (the exercise's declared distributions), candidate code may import only
those, their dependencies and the standard library (see import_guard.py).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import types
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import import_guard  # noqa: E402
import wire  # noqa: E402

MESSAGE_CAP = 2000
MUTABLE = (list, dict)


class Server:
    """Holds the candidate's objects and answers one request at a time."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}

    def handle_of(self, value: Any) -> dict[str, Any]:
        key = id(value)
        if key not in self.ids:
            handle = len(self.objects) + 1
            self.objects[handle] = value
            self.ids[key] = handle
        return {"t": "handle", "id": self.ids[key], "type": type(value).__name__}

    def resolve(self, node: dict[str, Any]) -> Any:
        if node.get("t") != "ref" or node.get("id") not in self.objects:
            raise wire.WireError("unknown reference")
        return self.objects[node["id"]]

    def reply(self, value: Any, mutations: list[dict[str, Any]] | None = None) -> tuple:
        encoder = wire.Encoder(self.handle_of)
        header = {"ok": encoder.encode(value), "mutations": mutations or []}
        return header, encoder.blobs

    def snapshot(self, value: Any) -> Any:
        """A canonical encoding of a mutable argument, to see whether the call changed it."""
        if not isinstance(value, MUTABLE) and type(value).__module__.split(".")[0] != "numpy":
            return None
        encoder = wire.Encoder(self.handle_of)
        return encoder.encode(value), encoder.blobs

    def call(self, target: Any, args: list[Any], kwargs: dict[str, Any]) -> tuple:
        before = {i: self.snapshot(a) for i, a in enumerate(args)}
        before.update({k: self.snapshot(v) for k, v in kwargs.items()})
        result = target(*args, **kwargs)
        aliases: dict[int, Any] = {id(a): i for i, a in enumerate(args)}
        aliases.update({id(v): k for k, v in kwargs.items()})
        encoder = wire.Encoder(self.handle_of, aliases)
        header = {"ok": encoder.encode(result), "mutations": []}
        for key, old in before.items():
            if old is None:
                continue
            value = args[key] if isinstance(key, int) else kwargs[key]
            if self.snapshot(value) != old:
                plain = wire.Encoder(self.handle_of)
                plain.blobs = encoder.blobs  # share the blob list, but never alias here
                header["mutations"].append({"arg": key, "value": plain.encode(value)})
        return header, encoder.blobs

    def dispatch(self, header: dict[str, Any], blobs: list[bytes]) -> tuple:
        decoder = wire.Decoder(blobs, self.resolve)
        op = header.get("op")
        if op == "import":
            return self.reply(importlib.import_module(str(header["name"])))
        target = self.resolve(header.get("target", {}))
        if op == "getattr":
            return self.reply(getattr(target, str(header["name"])))
        if op == "setattr":
            setattr(target, str(header["name"]), decoder.decode(header["value"]))
            return self.reply(None)
        if op == "call":
            args = decoder.decode(header["args"])
            kwargs = decoder.decode(header["kwargs"])
            return self.call(target, list(args), dict(kwargs))
        if op == "iter":
            return self.reply(iter(target))
        if op == "next":
            return self.reply(next(target))
        if op == "len":
            return self.reply(len(target))
        if op == "getitem":
            return self.reply(target[decoder.decode(header["key"])])
        if op == "isinstance":
            return self.reply(isinstance(decoder.decode(header["value"]), target))
        if op == "repr":
            return self.reply(repr(target)[:MESSAGE_CAP])
        raise wire.WireError(f"unknown op {op!r}")


def error_reply(exc: BaseException) -> tuple:
    kind = type(exc)
    info = {
        "type": kind.__name__,
        "mro": [c.__name__ for c in kind.__mro__ if c.__module__ == "builtins"],
        "message": str(exc)[:MESSAGE_CAP],
    }
    return {"error": info}, []


def prepare(source: str, work: str) -> None:
    """Copy the submission into the candidate's own writable folder and work there."""
    target = Path(work) / "submission"
    if not target.exists():
        shutil.copytree(source, target, symlinks=False)
    home = Path(work) / "home"
    home.mkdir(exist_ok=True)
    os.environ["HOME"] = str(home)
    os.chdir(target)
    # Appended, not prepended: a candidate file must not shadow an installed library.
    sys.path.append(str(target))
    sys.path.remove(str(HERE))


def serve(request_fd: int, reply_fd: int, server: Server | None = None) -> None:
    server = server or Server()
    while True:
        try:
            header, blobs = wire.receive(request_fd)
        except EOFError:
            return
        try:
            answer = server.dispatch(header, blobs)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back as data
            answer = error_reply(exc)
        try:
            wire.send(reply_fd, *answer)
        except (wire.WireError, ValueError, TypeError) as exc:
            wire.send(reply_fd, *error_reply(exc))


def serve_namespace(
    namespace: dict[str, Any], names: list[str], request_fd: int, reply_fd: int, harness: str
) -> None:
    """Serve a notebook kernel's namespace as the module(s) ``names`` (see notebook_runner)."""
    module = sys.modules.get("__main__")
    if getattr(module, "__dict__", None) is not namespace:
        module = types.ModuleType(names[0])
        module.__dict__.update(namespace)
    for name in names:
        sys.modules[name] = module  # type: ignore[assignment]
    if harness in sys.path:
        sys.path.remove(harness)
    serve(request_fd, reply_fd)


def main() -> None:
    request_fd, reply_fd = int(sys.argv[1]), int(sys.argv[2])
    source, work = sys.argv[3], sys.argv[4]
    requirements = json.loads(sys.argv[5]) if len(sys.argv) > 5 else None
    if work:
        prepare(source, work)
    else:
        os.chdir(source)
        sys.path.append(source)
    if requirements is not None:
        # After the harness's own imports (wire's numpy), before any candidate code.
        import_guard.install([str(r) for r in requirements])
    serve(request_fd, reply_fd)


if __name__ == "__main__":
    main()
