"""The judge's side of the candidate process: spawn it, call it, and proxy its objects.

Hidden tests get ``candidate.module("train")``, a proxy whose attributes and calls travel to
the candidate process as plain data. Objects that are not plain data stay there and come
back as proxies (``RemoteObject``) the test can call again. Candidate exceptions are re-raised
as the nearest builtin exception type, so ``pytest.raises(ValueError)`` works. In-place changes
to array, list, dict and Generator arguments are never written back into the test's objects
(what a test holds, the candidate cannot change); they are recorded in a ``MutationLog``, so
"does not mutate its input" is ``assert not candidate.changed(X)``. If a call is interrupted
(per-test timeout) or the process dies (OOM, ``os._exit``), the process is killed and the next
``candidate.module`` starts a fresh one.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import wire
from adopt import Adopted, adopt
from candidate_env import candidate_env
from mutations import MutationLog

HERE = Path(__file__).resolve().parent


class CandidateError(Exception):
    """The candidate's code raised something that has no builtin counterpart to re-raise."""


class CandidateCrashed(CandidateError):
    """The candidate process died or was restarted; its objects are gone."""


class CandidateImportError(CandidateError):
    """The candidate's module could not be imported."""


def _raise_remote(info: dict[str, Any]) -> None:
    kind, message = str(info.get("type", "Exception")), str(info.get("message", ""))
    text = message if kind in info.get("mro", [])[:1] and _builtin(kind) else f"{kind}: {message}"
    for name in info.get("mro", []):
        cls = _builtin(name)
        if cls is None or cls in (Exception, BaseException):
            continue
        if not issubclass(cls, Exception):
            break  # SystemExit, KeyboardInterrupt: never re-raise those in the judge
        try:
            error = cls(text)
        except TypeError:
            break
        raise error
    raise CandidateError(f"{kind}: {message}")


def _builtin(name: str) -> type[BaseException] | None:
    cls = getattr(builtins, name, None)
    return cls if isinstance(cls, type) and issubclass(cls, BaseException) else None


def kill_user(uid: int) -> None:
    """SIGKILL every process of ``uid`` (the candidate's user; this judge is root)."""
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{name}").st_uid == uid:
                    os.kill(int(name), signal.SIGKILL)


class CandidateProcess:
    """One running candidate server and the proxies of its objects."""

    def __init__(
        self,
        source: Path,
        work: Path | None,
        user: tuple[int, int] | None,
        notebook: dict[str, Any] | None = None,
        mutations: MutationLog | None = None,
        requirements: list[str] | None = None,
        warm: dict[str, Any] | None = None,
    ) -> None:
        self.mutations = mutations if mutations is not None else MutationLog()
        self.uid = user[0] if user is not None else None
        self.alive = True
        self.proxies: dict[int, RemoteObject] = {}
        self.modules: dict[str, RemoteObject] = {}
        go = {"source": str(source), "spec": notebook, "requirements": requirements}
        adopted = adopt(warm, go) if warm is not None and notebook and work else None
        self.proc: subprocess.Popen | Adopted
        if adopted is not None:  # the supervisor's runner, its kernel already up
            self._req_w, self._rep_r, self.proc = adopted
            return
        req_r, self._req_w = os.pipe()
        self._rep_r, rep_w = os.pipe()
        extra: dict[str, Any] = {}
        if user is not None:
            extra = {"user": user[0], "group": user[1], "extra_groups": []}
        env = candidate_env(work or source)
        # A notebook runs on a Jupyter kernel, which then serves the same protocol.
        script = "notebook_runner.py" if notebook else "candidate_server.py"
        extra_args = [json.dumps(notebook)] if notebook else []
        if requirements is not None:  # the exercise's declared imports (import_guard.py)
            extra_args.append(json.dumps(requirements))
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-u", str(HERE / script),
             str(req_r), str(rep_w), str(source), str(work or ""), *extra_args],
            stdin=subprocess.DEVNULL,
            pass_fds=(req_r, rep_w),
            env=env,
            cwd="/" if work else str(source),
            start_new_session=True,
            **extra,
        )  # fmt: skip
        os.close(req_r)
        os.close(rep_w)

    def kill(self) -> None:
        if self.alive:
            self.alive = False
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            if self.uid is not None:
                # A notebook's kernel runs in a session of its own and would outlive its
                # runner by up to a second (it polls for its parent), holding the judge's
                # output open: the supervisor would wait that long for the judge's end.
                kill_user(self.uid)
            self.proc.wait()
            os.close(self._req_w)
            os.close(self._rep_r)

    def _ended(self) -> str:
        code = self.proc.poll()
        if code is None:
            return "stopped answering"
        if isinstance(self.proc, Adopted):
            return "ended"  # its exit status is the supervisor's
        if code < 0:
            name = signal.Signals(-code).name
            hint = " (out of memory?)" if name == "SIGKILL" else ""
            return f"was killed by {name}{hint}"
        return f"exited with code {code}"

    def request(
        self, header: dict[str, Any], blobs: list[bytes], fields: dict[str, Any] | None = None
    ) -> Any:
        """Send one request; ``fields`` are the judge's own arguments (for aliases and the log)."""
        fields = fields or {}
        if not self.alive:
            raise CandidateCrashed("the candidate process is gone (it crashed or timed out)")
        try:
            wire.send(self._req_w, header, blobs)
            reply, reply_blobs = wire.receive(self._rep_r)
        except (EOFError, BrokenPipeError, wire.WireError) as exc:
            self.proc.poll()
            reason = self._ended() if not isinstance(exc, wire.WireError) else str(exc)
            self.kill()
            raise CandidateCrashed(f"the candidate process {reason}") from None
        except BaseException:
            # Interrupted mid-call (per-test timeout): the process is busy; start afresh.
            self.kill()
            raise
        left: dict[int | str, Any] = {}
        decoder = wire.Decoder(reply_blobs, lambda node: self._proxy_for(node, fields, left))
        if "error" in reply:
            if not isinstance(reply["error"], dict):
                raise CandidateError("the candidate process sent a malformed error")
            _raise_remote(reply["error"])
        try:
            self._record_mutations(fields, reply.get("mutations", []), decoder, left)
            return decoder.decode(reply.get("ok"))
        except (wire.WireError, ValueError, TypeError, KeyError, OverflowError) as exc:
            # Never let a decoding failure pass for an exception the candidate raised.
            raise CandidateError(f"unreadable reply from candidate code: {exc}") from None

    def _proxy_for(
        self, node: dict[str, Any], fields: dict[str, Any], left: dict[int | str, Any]
    ) -> Any:
        if node.get("t") == "arg":
            # The candidate returned one of its arguments itself: the judge's own object, or,
            # if the call changed it, the value it was left at (the test's object stays as is).
            args, kwargs = fields.get("args", []), fields.get("kwargs", {})
            key = node.get("k")
            if isinstance(key, (int, str)) and key in left:
                return left[key]
            if isinstance(key, int) and 0 <= key < len(args):
                return args[key]
            if isinstance(key, str) and key in kwargs:
                return kwargs[key]
            raise wire.WireError("bad argument alias")
        handle = node.get("id")
        if node.get("t") != "handle" or not isinstance(handle, int):
            raise wire.WireError("bad handle")
        if handle not in self.proxies:
            self.proxies[handle] = RemoteObject(self, handle, str(node.get("type", "object")))
        return self.proxies[handle]

    def encoder(self) -> wire.Encoder:
        def to_handle(value: Any) -> dict[str, Any]:
            if isinstance(value, RemoteObject):
                if object.__getattribute__(value, "_process") is not self:
                    raise CandidateCrashed("this object belongs to a candidate process that ended")
                return {"t": "ref", "id": object.__getattribute__(value, "_handle")}
            raise TypeError(f"a {type(value).__name__} cannot be passed to candidate code")

        return wire.Encoder(to_handle)

    def send_op(self, op: str, target: RemoteObject | None, **fields: Any) -> Any:
        encoder = self.encoder()
        header: dict[str, Any] = {"op": op}
        if target is not None:
            header["target"] = encoder.encode(target)
        for key, value in fields.items():
            header[key] = value if key == "name" else encoder.encode(value)
        return self.request(header, encoder.blobs, fields)

    def _record_mutations(
        self, fields: dict[str, Any], mutations: Any, decoder: Any, left: dict[int | str, Any]
    ) -> None:
        """Log which of the judge's arguments the call changed; never write into them."""
        args, kwargs = fields.get("args", ()), fields.get("kwargs", {})
        if not isinstance(mutations, list):
            raise wire.WireError("bad mutations")
        for change in mutations:
            key = change.get("arg") if isinstance(change, dict) else None
            if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(args):
                original = args[key]
            elif isinstance(key, str) and key in kwargs:
                original = kwargs[key]
            else:
                raise wire.WireError("bad mutation")
            left[key] = decoder.decode(change.get("value"))
            self.mutations.record(original, left[key])


class RemoteObject:
    """A candidate object that stays in the candidate process; use it like the real thing."""

    __slots__ = ("_handle", "_process", "_type")

    def __init__(self, process: CandidateProcess, handle: int, type_name: str) -> None:
        object.__setattr__(self, "_process", process)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", type_name)

    def _send(self, op: str, **fields: Any) -> Any:
        process = object.__getattribute__(self, "_process")
        return process.send_op(op, self, **fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._send("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._send("setattr", name=name, value=value)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._send("call", args=list(args), kwargs=dict(kwargs))

    def __iter__(self) -> Any:
        return self._send("iter")

    def __next__(self) -> Any:
        return self._send("next")

    def __len__(self) -> int:
        return int(self._send("len"))

    def __getitem__(self, key: Any) -> Any:
        return self._send("getitem", key=key)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, RemoteObject) and bool(self._send("isinstance", value=instance))

    def __repr__(self) -> str:
        kind = object.__getattribute__(self, "_type")
        return f"<candidate {kind}>"


class Candidate:
    """Access to the submission from hidden tests: ``candidate.module("train").fit(X, y)``."""

    def __init__(
        self,
        source: Path,
        work: Path | None,
        user: tuple[int, int] | None,
        notebook: dict[str, Any] | None = None,
        requirements: list[str] | None = None,
        warm: dict[str, Any] | None = None,
    ) -> None:
        self.source, self.work, self.user = source, work, user
        self._warm = warm
        """The supervisor's warm notebook runner (``warm``), for the first process only."""
        self.requirements = requirements
        """The exercise's declared distributions: candidate code may import only those (and
        their dependencies); None imposes no limit."""
        self.notebook = notebook
        """``{"notebook": path, "modules": [...], "cell_timeout": s}`` when a notebook stands
        for the exercise's module(s)."""
        self.mutations = MutationLog()
        """The test's objects that candidate calls changed in place (cleared before each test)."""
        self._process: CandidateProcess | None = None

    @property
    def root(self) -> Path:
        """Where the candidate's files live while the tests run."""
        return self.work / "submission" if self.work else self.source

    def _live(self) -> CandidateProcess:
        if self._process is None or not self._process.alive:
            # A warm runner serves the first process only: a restart starts afresh.
            warm, self._warm = self._warm, None
            self._process = CandidateProcess(
                self.source, self.work, self.user, self.notebook, self.mutations,
                self.requirements, warm,
            )  # fmt: skip
        return self._process

    def module(self, name: str) -> RemoteObject:
        """The candidate's module ``name`` (a ``name.py`` in the submission)."""
        from_notebook = self.notebook is not None and name in self.notebook["modules"]
        if not from_notebook and not (
            (self.source / f"{name}.py").is_file() or (self.source / name).is_dir()
        ):
            raise CandidateImportError(f"the submission has no {name}.py")
        process = self._live()
        if name not in process.modules:
            try:
                process.modules[name] = process.send_op("import", None, name=name)
            except CandidateCrashed:
                raise
            except Exception as exc:  # noqa: BLE001 - any import failure is the candidate's
                where = self.notebook["notebook"] if from_notebook else f"{name}.py"
                raise CandidateImportError(
                    f"importing {where} failed: {type(exc).__name__}: {exc}"
                ) from None
        return process.modules[name]

    def warm_up(self) -> None:
        """Run the notebook now, outside any test's timeout (a no-op for plain modules)."""
        if self.notebook is None or not self.notebook["modules"]:
            return
        with contextlib.suppress(CandidateError, ValueError, TypeError, RuntimeError, OSError):
            self.module(self.notebook["modules"][0])

    def changed(self, value: Any) -> bool:
        """True when a call in this test changed ``value`` (an argument it was given) in place."""
        return self.mutations.changed(value)

    def left(self, value: Any) -> Any:
        """``value`` as candidate code left it (a separate copy), or ``value`` if unchanged."""
        return self.mutations.left(value)

    def file(self, relative: str) -> Path:
        """Path of a file in the submission (for tests that read what the candidate wrote)."""
        return self.root / relative

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
