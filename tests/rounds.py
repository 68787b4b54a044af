"""Generate a varied hiring round from an exercise's samples (for tests and benchmarks)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat

from grader.catalog import load_exercise
from grader.model import Exercise

ROOT = Path(__file__).resolve().parents[1]


def make_round(dest: Path, size: int, exercise_id: str = "feature-scaler") -> dict[str, str]:
    """Write ``size`` submissions into ``dest`` (folders and zips, each unique by content).

    Returns candidate → the source folder it was copied from (solution, starter or a sample).
    """
    exercise = load_exercise(ROOT / "exercises" / exercise_id)
    sources = [exercise.solution_dir, exercise.starter_dir, *(s.path for s in exercise.samples)]
    dest.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}
    for index in range(size):
        source = sources[index % len(sources)]
        name = f"cand{index:03d}"
        folder = dest / name
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__", "*.md"))
        module = folder / exercise.files[0]
        if module.exists():
            module.write_text(module.read_text() + f"\n# submitted by candidate {index}\n")
        else:  # a notebook sample: the same mark, as one more code cell
            notebook = module.with_suffix(".ipynb")
            nb = nbformat.read(notebook, as_version=4)
            mark = nbformat.v4.new_code_cell(f"# submitted by candidate {index}")
            mark.id = f"candidate-{index}"  # not random: the same round has the same content
            nb.cells.append(mark)
            nbformat.write(nb, notebook)
        if index % 4 == 3:
            with zipfile.ZipFile(dest / f"{name}.zip", "w") as archive:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(folder).as_posix())
            shutil.rmtree(folder)
        made[name] = source.relative_to(exercise.root).as_posix()
    return made


def correctness_bands(exercise: Exercise) -> dict[str, tuple[float, float]]:
    """Where each bundled source of an exercise must land, read from its exercise.toml (so a
    re-banded sample never leaves a stale copy in a test)."""
    bands = {"solution": (100.0, 100.0), "starter": (0.0, exercise.starter_max)}
    bands.update({s.path.relative_to(exercise.root).as_posix(): s.band for s in exercise.samples})
    return bands
