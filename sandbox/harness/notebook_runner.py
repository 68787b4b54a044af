"""Run the candidate's notebook top to bottom on a Jupyter kernel, then let that kernel serve
the judge: the hidden tests test exactly what a clean run of the notebook defines.

Started by remote.CandidateProcess as the candidate user, instead of candidate_server.py,
when the submission provides the exercise's module as a notebook:

    python -I -B notebook_runner.py REQUEST_FD REPLY_FD SOURCE_DIR WORK_DIR SPEC_JSON [REQS_JSON]

0. With REQS_JSON (the exercise's declared distributions), a silent first cell installs the
   import guard in the kernel (import_guard.py): cells may import those, the notebook display
   stack (ipykernel, IPython, matplotlib), their dependencies and the standard library.
1. nbclient runs every code cell in order on an IPython kernel started here (same user, no
   network) with a per-cell timeout: a cell over it is interrupted and the next cell runs.
   Shell escapes and package installs are skipped (no network, nothing to install into);
   a cell that raises is recorded and the run goes on, as "Run All" would not, so that later
   definitions can still be graded.
2. The executed notebook, outputs capped, with each code cell's status in its metadata
   (``mlgrade``), is written once to ``WORK_DIR/notebook-run/`` for the supervisor.
3. A last, silent cell makes the kernel's namespace the module(s) the exercise names and
   serves the judge's requests on the inherited pipe (``candidate_server.serve_namespace``).

Statuses come from the candidate's own user, so they are evidence for the recruiter, never
a score: correctness comes only from the hidden tests in the judge.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import candidate_server  # noqa: E402
from cells import grader_source  # noqa: E402

OUTPUT_CAP = 64 * 1024
"""Bytes of output kept per cell in the executed notebook; the rest is counted."""
NOTEBOOK_CAP = 1024 * 1024
"""Size of the executed notebook handed to the host; outputs are dropped to fit."""
GO_CAP = 1024 * 1024
"""Bytes of the judge's job message to a warm runner (a few hundred in practice)."""
STUCK_GRACE = 10.0
"""Seconds a cell may run past its timeout after the interrupt before the kernel is killed."""


class CappedClient(NotebookClient):
    """nbclient's client, keeping at most ``OUTPUT_CAP`` bytes of output per cell."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept: dict[int, int] = {}
        self.dropped: dict[int, int] = {}

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        size = len(json.dumps(msg.get("content", {})))
        kept = self.kept.get(cell_index, 0)
        if kept + size > OUTPUT_CAP and msg.get("msg_type") != "error":
            self.dropped[cell_index] = self.dropped.get(cell_index, 0) + size
            return None
        self.kept[cell_index] = kept + size
        return super().output(outs, msg, display_id, cell_index)


def error_line(outputs: list) -> str:
    for out in outputs:
        if out.get("output_type") == "error":
            value = str(out.get("evalue", "")).strip().splitlines()
            return f"{out.get('ename', 'Error')}: {value[-1] if value else ''}".strip()[:300]
    return ""


async def run_cells(client: CappedClient, nb: Any, cell_timeout: float) -> int | None:
    """Execute every code cell in order; the index of a cell that ended the kernel, if any
    (it would not stop, or it killed the kernel)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        original = cell.source
        runnable, skipped = grader_source(original)
        status: dict[str, Any] = {"status": "ok"}
        if skipped:
            status = {"status": "skipped" if not runnable.strip() else "ok", "skipped": skipped}
        if runnable.strip():
            cell.source = runnable
            started = time.monotonic()
            try:
                await asyncio.wait_for(
                    client.async_execute_cell(cell, index), cell_timeout + STUCK_GRACE
                )
            except DeadKernelError:
                cell.source = original
                overran = time.monotonic() - started > cell_timeout
                cell.metadata["mlgrade"] = {
                    "status": "timeout" if overran else "error",
                    "detail": f"ignored the interrupt after {cell_timeout:g} s; the kernel "
                    "was stopped"
                    if overran
                    else "the kernel died (the cell ended it)",
                }
                return index
            except TimeoutError:
                cell.source = original
                cell.metadata["mlgrade"] = {
                    "status": "timeout",
                    "detail": f"still running {cell_timeout + STUCK_GRACE:g} s after it started, "
                    "even after an interrupt; the kernel was stopped",
                }
                return index
            cell.source = original
            problem = error_line(cell.outputs)
            if problem.startswith("KeyboardInterrupt"):
                status = {"status": "timeout", "detail": f"interrupted after {cell_timeout:g} s"}
            elif problem:
                status["status"], status["detail"] = "error", problem
        else:
            cell.outputs = []
        if client.dropped.get(index):
            status["output_dropped"] = client.dropped[index]
        cell.metadata["mlgrade"] = status
    return None


def write_once(nb: Any, folder: Path) -> None:
    """Save the executed notebook for the host (first run only; restarts do not overwrite)."""
    target = folder / "executed.ipynb"
    if target.exists():
        return
    folder.mkdir(exist_ok=True)
    nb = copy.deepcopy(nb)
    text = nbformat.writes(nb)
    for cell in sorted(nb.cells, key=lambda c: -len(json.dumps(c.get("outputs", [])))):
        if len(text.encode()) <= NOTEBOOK_CAP:
            break
        if cell.get("outputs"):
            cell.outputs = []
            cell.metadata.setdefault("mlgrade", {})["outputs_removed"] = True
            text = nbformat.writes(nb)
    partial = folder / "executed.ipynb.part"
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)


async def relay_output(client: CappedClient, reply_id: str) -> None:
    """Pass the kernel's prints to this process's streams until the serving cell ends."""
    kc = client.kc
    while True:
        try:
            msg = await kc.get_iopub_msg(timeout=1)
        except Exception:  # noqa: BLE001 - queue.Empty and friends: check the kernel
            if not await client.km.is_alive():
                return
            continue
        content = msg.get("content", {})
        if msg.get("msg_type") == "stream":
            stream = sys.stderr if content.get("name") == "stderr" else sys.stdout
            stream.write(str(content.get("text", "")))
            stream.flush()
        elif (
            msg.get("msg_type") == "status"
            and content.get("execution_state") == "idle"
            and msg.get("parent_header", {}).get("msg_id") == reply_id
        ):
            return


def serve_stuck(request_fd: int, reply_fd: int, reason: str) -> None:
    """Answer every request with the reason the notebook's definitions do not exist."""
    server = candidate_server.Server()

    def refuse(header: dict, blobs: list) -> tuple:
        return candidate_server.error_reply(ImportError(reason))

    server.dispatch = refuse  # type: ignore[method-assign]
    candidate_server.serve(request_fd, reply_fd, server)


async def guard_kernel(client: CappedClient, requirements: list[str]) -> None:
    """Install the import guard in the kernel before the first cell, after the harness's own
    imports (candidate_server and its numpy), so the serving cell never meets the guard."""
    code = (
        f"import sys as _mlgrade_sys\n_mlgrade_sys.path.insert(0, {str(HERE)!r})\n"
        "import candidate_server as _mlgrade_server, import_guard as _mlgrade_guard\n"
        f"_mlgrade_guard.install({requirements!r}, _mlgrade_guard.NOTEBOOK_DISPLAY)\n"
        f"_mlgrade_sys.path.remove({str(HERE)!r})\n"
        "del _mlgrade_sys, _mlgrade_server, _mlgrade_guard"
    )
    reply = await silent(client, code)
    if reply.get("content", {}).get("status") != "ok":
        # The notebook still runs: a missing guard costs fairness, not the candidate's grade.
        print("mlgrade: the import guard could not be installed in the kernel", file=sys.stderr)


def make_client(nb: Any, work: Path, cell_timeout: float, cwd: Path) -> CappedClient:
    """nbclient's client on a kernel to be started in ``cwd``, IPC sockets in the candidate's
    home: no TCP port, nothing sent in clear over loopback."""
    km = AsyncKernelManager(
        kernel_name="python3", transport="ipc", ip=str(work / "home" / "runtime" / "kernel")
    )
    return CappedClient(
        nb,
        km=km,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        timeout=int(cell_timeout),
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )


def read_notebook(path: Path) -> Any:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


async def main_async(
    request_fd: int, reply_fd: int, work: Path, spec: dict, requirements: list[str] | None
) -> None:
    nb = read_notebook(Path.cwd() / spec["notebook"])
    client = make_client(nb, work, float(spec["cell_timeout"]), Path.cwd())
    async with client.async_setup_kernel(cleanup_kc=False, pass_fds=(request_fd, reply_fd)):
        await drive(client, nb, request_fd, reply_fd, work, spec, requirements)


async def warm_async(request_fd: int, reply_fd: int, work: Path) -> None:
    """Start the kernel now, before any submission exists; say ``R`` on the reply pipe; wait
    for the job (one length-prefixed JSON message from the judge), then run as ``main_async``
    would, the kernel first moved into the submission's folder."""
    home = work / "home"
    client = make_client(nbformat.v4.new_notebook(), work, 60.0, home)
    async with client.async_setup_kernel(cleanup_kc=False, pass_fds=(request_fd, reply_fd)):
        os.write(reply_fd, b"R")
        go = await asyncio.get_running_loop().run_in_executor(None, read_go, request_fd)
        if go is None:
            await client.km.shutdown_kernel(now=True)
            return
        spec = go["spec"]
        requirements = go.get("requirements")
        candidate_server.prepare(str(go["source"]), str(work))
        nb = read_notebook(Path.cwd() / spec["notebook"])
        client.nb = nb
        client.timeout = int(float(spec["cell_timeout"]))
        here = str(Path.cwd())
        await silent(client, f"import os as _o\n_o.chdir({here!r})\ndel _o")
        reqs = [str(r) for r in requirements] if requirements is not None else None
        await drive(client, nb, request_fd, reply_fd, work, spec, reqs)


def read_go(fd: int) -> dict | None:
    """The judge's job message: a 4-byte length, then that much JSON (read exactly, so the
    requests that follow stay in the pipe for the kernel); None if the pipe closed."""
    head = read_exact(fd, 4)
    if head is None:
        return None
    body = read_exact(fd, min(int.from_bytes(head, "big"), GO_CAP))
    return json.loads(body) if body is not None else None


def read_exact(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


async def silent(client: CappedClient, code: str) -> dict:
    """Run harness code in the kernel without a trace in the notebook; its reply ({} if it
    did not answer within a minute)."""
    try:
        return await client.kc.execute_interactive(
            code, silent=True, store_history=False, allow_stdin=False, timeout=60,
            output_hook=lambda msg: None,
        )  # fmt: skip
    except TimeoutError:
        return {}


async def drive(
    client: CappedClient,
    nb: Any,
    request_fd: int,
    reply_fd: int,
    work: Path,
    spec: dict,
    requirements: list[str] | None,
) -> None:
    """Guard, run every cell, save the executed notebook, then serve the judge (or refuse)."""
    cell_timeout = float(spec["cell_timeout"])
    if requirements is not None:
        await guard_kernel(client, requirements)
    stuck = await run_cells(client, nb, cell_timeout)
    try:
        write_once(nb, work / "notebook-run")
    except OSError as exc:  # the candidate's cells may have taken the place
        print(f"mlgrade: could not save the executed notebook: {exc}", file=sys.stderr)
    if stuck is not None:
        await client.km.shutdown_kernel(now=True)
        why = nb.cells[stuck].metadata["mlgrade"]["detail"]
        serve_stuck(
            request_fd, reply_fd, f"notebook cell {stuck + 1} stopped the run ({why}), so "
            "nothing the notebook defines could be tested",
        )  # fmt: skip
        return
    code = (
        f"import sys as _mlgrade_sys\n_mlgrade_sys.path.insert(0, {str(HERE)!r})\n"
        "import candidate_server as _mlgrade_server\n"
        f"_mlgrade_server.serve_namespace(globals(), {spec['modules']!r}, "
        f"{request_fd}, {reply_fd}, {str(HERE)!r})"
    )
    reply_id = client.kc.execute(code, silent=False, store_history=False)
    os.close(request_fd)
    os.close(reply_fd)
    await relay_output(client, reply_id)
    await client.km.shutdown_kernel(now=True)


def kernel_environment(home: Path) -> None:
    """Where the kernel keeps its files: the candidate's home (made here if need be)."""
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.update(
        {
            "HOME": str(home),
            "IPYTHONDIR": str(home / ".ipython"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "MPLCONFIGDIR": str(home / "matplotlib"),
            "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )


def main() -> None:
    if sys.argv[1] == "--warm":  # started by the supervisor before the job (warm.py)
        request_fd, reply_fd, work = int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
        kernel_environment(work / "home")
        asyncio.run(warm_async(request_fd, reply_fd, work))
        return
    request_fd, reply_fd = int(sys.argv[1]), int(sys.argv[2])
    source, work, spec = sys.argv[3], Path(sys.argv[4]), json.loads(sys.argv[5])
    requirements = json.loads(sys.argv[6]) if len(sys.argv) > 6 else None
    candidate_server.prepare(source, str(work))
    kernel_environment(work / "home")
    reqs = [str(r) for r in requirements] if requirements is not None else None
    asyncio.run(main_async(request_fd, reply_fd, work, spec, reqs))


if __name__ == "__main__":
    main()
