"""The engine calls a grade makes on one container once it exists: send the inputs, signal the
supervisor, wait for the exit, remove it (see ``docker_runner``)."""

from __future__ import annotations

import contextlib
import logging

import docker
import docker.errors
import requests.exceptions
from docker.models.containers import Container

from grader.errors import SandboxError
from grader.runner.inputs import inputs_message

log = logging.getLogger(__name__)


def send_inputs(client: docker.DockerClient, container: Container, archive: bytes) -> None:
    """Write the inputs to the waiting supervisor's stdin through one attach."""
    sock = client.api.attach_socket(container.id, params={"stdin": 1, "stream": 1})
    # docker-py hands a Unix or TCP socket over wrapped in a read-only SocketIO (the usual
    # idiom is to write to its ``_sock``); TLS sockets and SSH channels come bare.
    raw = getattr(sock, "_sock", sock)
    try:
        raw.sendall(inputs_message(archive))
    except OSError as exc:
        raise SandboxError(f"could not send the job to the sandbox: {exc}") from exc
    finally:
        sock.close()
        raw.close()


def signal_container(container: Container, signal: str) -> None:
    """Signal the supervisor (PID 1); one that has already ended needs no word."""
    with contextlib.suppress(docker.errors.APIError, requests.exceptions.RequestException):
        container.kill(signal=signal)


def waiting(container: Container) -> bool:
    """Whether a started container is still running (so still waiting for its job)."""
    try:
        container.reload()
    except (docker.errors.APIError, requests.exceptions.RequestException):
        return False
    return bool(container.attrs.get("State", {}).get("Running"))


def wait(container: Container, timeout: float) -> bool:
    """Wait for exit; kill at the deadline. True if the host had to kill it."""
    try:
        container.wait(timeout=timeout)
        return False
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        log.warning("container %s over its wall time; killing it", container.short_id)
        try:
            container.kill()
            container.wait(timeout=30)
        except (docker.errors.APIError, requests.exceptions.RequestException):
            pass
        return True


def remove(container: Container) -> None:
    try:
        container.remove(force=True, v=True)
    except docker.errors.NotFound:
        pass
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        log.warning("could not remove container %s: %s", container.short_id, exc)
