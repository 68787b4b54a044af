"""The ``sandbox`` commands: build the sandbox image, list and clean images, remove leftover
containers."""

from __future__ import annotations

import click
import docker.errors
from rich.table import Table

from grader.commands.context import out, recipe, say, settings
from grader.runner.docker_runner import clean_containers, connect
from grader.runner.exercise_image import exercise_images
from grader.runner.images import REPOSITORY, build_image, find_image


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


def list_images(ctx: click.Context) -> None:
    """The sandbox images on the engine: the current one, older ones, exercise layers."""
    client = connect()
    current = recipe(ctx).tag()
    table = Table("image", "kind", "extra requirements", "size")
    for image in client.images.list(name=REPOSITORY):
        for tag in image.tags:
            kind = "sandbox (current)" if tag == current else "sandbox (older recipe)"
            table.add_row(tag, kind, "", _size(int(image.attrs.get("Size", 0))))
    for tag, extras, size in exercise_images(client):
        table.add_row(tag, "exercise layer", extras, _size(size))
    out.print(table)


def clean_images(ctx: click.Context, dry_run: bool) -> None:
    """Remove exercise layers and sandbox images of older recipes (rebuilt when needed)."""
    client = connect()
    current = recipe(ctx).tag()
    doomed = [t for image in client.images.list(name=REPOSITORY) for t in image.tags]
    doomed = [t for t in doomed if t != current]
    doomed += [tag for tag, _, _ in exercise_images(client)]
    removed = []
    for tag in doomed:
        if dry_run:
            out.print(f"would remove {tag}")
            continue
        try:
            client.images.remove(tag, noprune=False)
            removed.append(tag)
        except docker.errors.APIError as exc:  # in use by a running grade: kept
            out.print(f"kept {tag}: {exc.explanation or exc}")
    if not dry_run:
        out.print(f"removed {len(removed)} image(s); kept {current}")


def _size(size: int) -> str:
    return f"{size / 1e6:.0f} MB"
