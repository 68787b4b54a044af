"""The seed of a grade's hidden data: keyed by a per-installation secret the candidate never sees.

A seed made only of public facts (content hash, exercise id and version) can be recomputed by
candidate code, which could then regenerate the hidden data with the exercise's public
generators. So the seed is ``HMAC-SHA256(key, "content:exercise:version")``: the key is 32
random bytes created on first use in the user's data folder (mode 0600), kept on the host and
never sent to a container. One installation grades the same submission with the same seed;
another installation (or a replay elsewhere) gets the grade's recorded seed with ``--seed``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SeedKeyError
from grader.model import Exercise

KEY_BYTES = 32
MIN_KEY_BYTES = 16
"""A shorter key (from a file or MLGRADE_SEED_KEY) is refused: it could be guessed."""
SEED_BITS = 32
MAX_SEED = 2**SEED_BITS - 1


def default_key_path() -> Path:
    """Where the installation key lives unless the CLI is told otherwise."""
    return Path.home() / ".local" / "share" / "mlgrade" / "seed.key"


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``, created (0600, in a 0700 folder) if there is none yet."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        # O_EXCL: two graders starting at once must end up with one key, not two.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise SeedKeyError.cannot_create(path, exc) from exc
    with os.fdopen(fd, "wb") as out:
        out.write(key.hex().encode() + b"\n")
    return key


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise SeedKeyError.unreadable(path, exc) from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SeedKeyError(f"the seed key {path} is not a regular file")
        if info.st_mode & 0o077:
            raise SeedKeyError(
                f"the seed key {path} is readable by other users",
                hint=f"chmod 600 {path}",
            )
        text = handle.read(4096)
    key = key_from_text(text.decode("ascii", errors="replace").strip())
    if len(key) < MIN_KEY_BYTES:
        raise SeedKeyError(f"the seed key in {path} is shorter than {MIN_KEY_BYTES} bytes")
    return key


def key_from_text(text: str) -> bytes:
    """A key written as hex (as the grader writes it), or any other text taken as it is."""
    with contextlib.suppress(ValueError):
        return bytes.fromhex(text)
    return text.encode()


@dataclass(frozen=True)
class Seeding:
    """How a grade picks its seed: keyed by the installation, or given for an exact replay."""

    key: bytes = b""
    """The installation key; never leaves the host, never appears in a report."""
    fixed: int | None = None
    """A seed given on the command line (``--seed``): used as it is, for a replay."""

    def __post_init__(self) -> None:
        if self.fixed is None and len(self.key) < MIN_KEY_BYTES:
            raise SeedKeyError(f"a seed key needs at least {MIN_KEY_BYTES} bytes")
        if self.fixed is not None and not 0 <= self.fixed <= MAX_SEED:
            raise SeedKeyError(f"a seed is a whole number from 0 to {MAX_SEED}")

    @classmethod
    def from_text(cls, text: str) -> Seeding:
        """A key given directly (``MLGRADE_SEED_KEY``), hex or plain text."""
        key = key_from_text(text.strip())
        if len(key) < MIN_KEY_BYTES:
            raise SeedKeyError(
                f"MLGRADE_SEED_KEY is shorter than {MIN_KEY_BYTES} bytes",
                hint="use e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`",
            )
        return cls(key=key)

    @classmethod
    def from_key_file(cls, path: Path | None = None) -> Seeding:
        """The installation's key from ``path`` (default: the user's data folder)."""
        return cls(key=load_or_create_key(path or default_key_path()))

    def seed_for(self, content_hash: str, exercise: Exercise) -> int:
        """The seed hidden tests draw data from for this submission and exercise version."""
        if self.fixed is not None:
            return self.fixed
        message = f"{content_hash}:{exercise.id}:{exercise.version}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).hexdigest()
        return int(digest[: SEED_BITS // 4], 16)

    @property
    def cache_tag(self) -> str:
        """What a cached grade must match: a one-way tag of the key (or the fixed seed)."""
        if self.fixed is not None:
            return f"seed={self.fixed}"
        tag = hmac.new(self.key, b"mlgrade cache tag", hashlib.sha256).hexdigest()
        return f"key={tag[:16]}"

    def __repr__(self) -> str:
        # Never print the key, not even in a traceback or a log line.
        return f"Seeding(fixed={self.fixed!r}, key=<{len(self.key)} bytes>)"
