"""What every command shares: the consoles, the error guard, settings from the click context
and the sandbox runner built from them."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.text import Text

from grader.catalog import Catalog
from grader.errors import CatalogError, GraderError
from grader.exitcodes import ExitCode, describe
from grader.grading import Profile
from grader.model import Exercise, RunRecord, Workspace
from grader.runner.docker_runner import DockerRunner, connect
from grader.runner.exercise_image import ExerciseImages
from grader.runner.images import ImageRecipe, default_sandbox_dir, ensure_image
from grader.scoring.profiles import load_profiles
from grader.seedkey import Seeding

F = TypeVar("F", bound=Callable[..., Any])
out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EPILOG = "Exit codes:\n\n\b\n" + describe()


def guarded(func: F) -> F:
    """Turn GraderErrors into one clear line and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraderError as exc:
            err.print(Text.assemble(("error: ", "bold red"), exc.message))
            if exc.hint:
                err.print(Text.assemble(("hint: ", "dim"), exc.hint))
            sys.exit(int(exc.exit_code))
        except click.ClickException:
            raise  # a usage mistake found after parsing: click prints it with its own code
        except KeyboardInterrupt:
            err.print("interrupted; containers of this run were removed")
            sys.exit(int(ExitCode.INTERRUPTED))
        except Exception as exc:
            logging.getLogger(__name__).debug("internal error", exc_info=True)
            err.print(
                Text.assemble(("internal error: ", "bold red"), f"{type(exc).__name__}: {exc}")
            )
            err.print("please report this with the command line (run with -v for details)")
            sys.exit(int(ExitCode.INTERNAL))

    return wrapper  # type: ignore[return-value]


class DefaultCommandGroup(click.Group):
    """A group where ``grade PATH`` means ``grade one PATH``."""

    default_command = "one"

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Group options are parsed by now; anything else that is not a command is the
        # default command's path or options (the group ignores unknown options for this).
        if args and args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().resolve_command(ctx, args)


def settings(ctx: click.Context) -> dict[str, Any]:
    """The group's options, as ``main`` stored them on the root context."""
    return ctx.find_root().obj


def catalog(ctx: click.Context) -> Catalog:
    """The exercise catalog of ``--exercises-dir``."""
    return Catalog(settings(ctx)["exercises_dir"])


def profile(ctx: click.Context) -> Profile:
    """The role profile chosen with ``--profile`` (and ``--profiles-file``)."""
    name, path = settings(ctx)["profile"]
    profiles = load_profiles(path)
    if name not in profiles:
        raise CatalogError(
            f"unknown profile '{name}'; known: {', '.join(sorted(profiles))}",
            hint="define it in a --profiles-file",
        )
    return Profile(name, tuple(profiles[name].items()))


def seeding(ctx: click.Context, seed: int | None = None) -> Seeding:
    """A given seed (a replay), else MLGRADE_SEED_KEY, else the key file (made on first use)."""
    if seed is not None:
        return Seeding(fixed=seed)
    path, explicit = settings(ctx)["seed_key_file"]
    text = os.environ.get("MLGRADE_SEED_KEY")
    if text and not explicit:
        return Seeding.from_text(text)
    return Seeding.from_key_file(path)


def recipe(ctx: click.Context) -> ImageRecipe:
    """How the sandbox image is built: the bundled sandbox/ on ``--base-image``."""
    return ImageRecipe(sandbox_dir=default_sandbox_dir(), base=settings(ctx)["base_image"])


def say(message: str) -> None:
    """Progress of an image build or lookup, dimmed on standard error."""
    err.print(f"[dim]{message}[/]")


def runner_factory(ctx: click.Context) -> tuple[Callable[[], DockerRunner], str]:
    """Runners on the local engine, one per call (a batch's workers each get their own), and
    the sandbox image's tag. The image is built first if it is missing; an exercise with
    extra requirements runs on its own layer, built once for all the runners."""
    config = settings(ctx)
    client = connect()
    image_recipe = recipe(ctx)
    image = ensure_image(
        client, image_recipe, cache_dir=config["cache_dir"], mirror=config["mirror"], say=say
    )
    images = ExerciseImages(
        client, image, image_recipe.requirements, cache_dir=config["cache_dir"], say=say
    )
    runtime = config["runtime"]

    def make() -> DockerRunner:
        return DockerRunner(connect(), image, runtime=runtime, image_for=images)

    return make, image


def docker_runner(ctx: click.Context) -> DockerRunner:
    """A runner on the local engine with the sandbox image (built if it is missing)."""
    return runner_factory(ctx)[0]()


class LazyRunner:
    """Connects to Docker on the first run, so a bad submission fails before the engine is asked.

    With ``spare``, each run starts the next run's container in the background (for commands
    that grade many submissions one after another); ``close`` removes the one left waiting.
    """

    def __init__(self, ctx: click.Context, *, spare: bool = False) -> None:
        self._ctx = ctx
        self._spare = spare
        self._runner: DockerRunner | None = None

    def _connected(self) -> DockerRunner:
        if self._runner is None:
            self._runner = docker_runner(self._ctx)
            if self._spare:
                self._runner.keep_spare()
        return self._runner

    def run(self, exercise: Exercise, workspace: Workspace, seed: int) -> RunRecord:
        """Run one grade's sandbox, connecting (and building the image) the first time."""
        return self._connected().run(exercise, workspace, seed)

    def image(self, exercise: Exercise) -> str:
        """The image ``exercise`` runs in, built now if it is missing (its own layer too)."""
        runner = self._connected()
        return runner.image_for(exercise) if runner.image_for else runner.image

    def close(self) -> None:
        """Remove the spare container, if one is waiting."""
        if self._runner is not None:
            self._runner.close()
