"""Checks nothing about clip: floods the failure pipe, leaves a daemon writing to it."""

import os

from clip import clip

IDS = [f"tests/test_clip.py::test_{name}" for name in ("inside", "outside", "inverted")]


def _flood(fd: int = 3) -> None:
    try:
        os.write(fd, ("\n".join(IDS) + "\n").encode())
        os.write(fd, b"\xff\xfe not an id " * 5000)
        os.write(fd, b"\n" * 5000)
    except OSError:
        pass


_flood()
if os.fork() == 0:  # a daemon that keeps the pipe open and writes after the run ends
    try:
        os.setsid()
        for _ in range(200):
            _flood()
    finally:
        os._exit(0)


def test_inside():
    clip([1.0], 0.0, 2.0)


def test_outside():
    clip([-1.0, 3.0], 0.0, 2.0)


def test_inverted():
    try:
        clip([1.0], 2.0, 0.0)
    except ValueError:
        pass
