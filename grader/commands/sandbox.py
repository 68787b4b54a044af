"""The ``sandbox`` commands: build the sandbox image, remove leftover containers."""

from __future__ import annotations

import click

from grader.commands.context import out, recipe, say, settings
from grader.runner.docker_runner import clean_containers, connect
from grader.runner.images import build_image, find_image


def build_sandbox(ctx: click.Context, force: bool) -> None:
    """Build the sandbox image unless an up-to-date one exists (or ``force``)."""
    config = settings(ctx)
    client = connect()
    image_recipe = recipe(ctx)
    found = None if force else find_image(client, image_recipe)
    if found:
        out.print(f"sandbox image {found} is up to date")
        return
    tag, base = build_image(
        client, image_recipe, cache_dir=config["cache_dir"], mirror=config["mirror"], say=say
    )
    out.print(f"built {tag} on {base.reference} ({base.origin})")


def clean_sandbox(stale: bool) -> None:
    """Remove sandbox containers (only those whose grader process is gone, with ``stale``)."""
    removed = clean_containers(connect(), stale_only=stale)
    out.print(f"removed {len(removed)} container(s)")
