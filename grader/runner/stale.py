"""Which sandbox containers are whose, and removing the stale ones.

Every sandbox container is labelled ``mlgrade=1`` and with its owner: the host, the PID and
the start time of the grader process that created it. A container is stale when that
process is gone (or its PID now belongs to another process). ``grade batch`` sweeps stale
containers when a round starts and again when it ends, since a spare whose creation was in
flight when an earlier round was killed can appear after the first sweep.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import docker
import docker.errors
import requests.exceptions

log = logging.getLogger(__name__)

LABEL = "mlgrade"
OWNER_LABEL = "mlgrade.owner"
OWNER_STARTED_LABEL = "mlgrade.owner-started"
"""When the owner process started (``/proc``), so a reused PID does not keep a stale
container alive; empty where the platform does not tell."""


def owner_id() -> str:
    """Label value that ties a container to this grader process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_started(pid: int) -> str:
    """The start time of process ``pid`` in clock ticks since boot (Linux), else ""."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    # Field 22; the command name (field 2) may hold spaces, so count after its ")".
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""


def labelled_containers(client: docker.DockerClient, *labels: str) -> list[dict]:
    """Summaries (id, labels) of containers with all the given labels; no per-container
    inspect, so a container removed meanwhile cannot make the listing fail."""
    filters = {"label": [f"{LABEL}=1", *labels]}
    return list(client.api.containers(all=True, filters=filters))


def clean_containers(client: docker.DockerClient, *, stale_only: bool = False) -> list[str]:
    """Remove mlgrade containers; with ``stale_only``, only those whose grader process is gone."""
    removed = []
    host = socket.gethostname()
    for summary in labelled_containers(client):
        labels = summary.get("Labels") or {}
        owner = labels.get(OWNER_LABEL, "")
        if stale_only and _owner_alive(owner, host, labels.get(OWNER_STARTED_LABEL, "")):
            continue
        try:
            client.api.remove_container(summary["Id"], force=True, v=True)
        except docker.errors.NotFound:
            continue
        except docker.errors.APIError as exc:
            log.warning("could not remove container %s: %s", summary["Id"][:12], exc)
            continue
        removed.append(summary["Id"][:12])
    return removed


def sweep_stale(client: docker.DockerClient) -> list[str]:
    """``clean_containers(stale_only=True)`` that never raises: for the end of a round, where
    an engine error must not hide how the round ended."""
    try:
        return clean_containers(client, stale_only=True)
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        log.warning("could not sweep stale sandbox containers: %s", exc)
        return []


def _owner_alive(owner: str, host: str, started: str = "") -> bool:
    owner_host, _, pid = owner.rpartition(":")
    if owner_host != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    # The PID may now belong to another process: compare start times when both are known.
    now = process_started(int(pid))
    return not (started and now and started != now)
