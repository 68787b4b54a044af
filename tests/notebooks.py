"""Build notebook submissions for tests: a .py file cut into cells the way a candidate would.

Top-level statements become code cells (imports together, then one cell per definition),
with markdown between them and the usual notebook habits on top: ``%matplotlib inline``,
``!pip install`` and a display-only cell.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def source_chunks(source: str) -> list[str]:
    """Top-level statements grouped: leading imports and constants, then one per definition."""
    tree = ast.parse(source)
    lines = source.splitlines()
    chunks: list[str] = []
    current: list[str] = []

    def first_line(node: ast.stmt) -> int:  # a decorated definition starts at its decorator
        return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])

    for index, node in enumerate(tree.body):
        start = first_line(node)
        end = first_line(tree.body[index + 1]) - 1 if index + 1 < len(tree.body) else len(lines)
        text = "\n".join(lines[start - 1 : end]).strip("\n")
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            if current:
                chunks.append("\n".join(current))
                current = []
            chunks.append(text)
        else:
            current.append(text)
    if current:
        chunks.append("\n".join(current))
    return chunks


def notebook_from_source(source: str, *, habits: bool = True) -> nbformat.NotebookNode:
    """A notebook with the same definitions as ``source``, markdown between the cells."""
    cells = []
    if habits:
        cells.append(new_markdown_cell("# My solution\n\nWorked in Jupyter; cells run in order."))
        cells.append(new_code_cell("%matplotlib inline\n!pip install numpy"))
    for number, chunk in enumerate(source_chunks(source), start=1):
        cells.append(new_markdown_cell(f"## Step {number}"))
        cells.append(new_code_cell(chunk))
    if habits:
        cells.append(new_code_cell("print('done')\n'display only'"))
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return new_notebook(
        cells=cells, metadata={"kernelspec": kernel, "language_info": {"name": "python"}}
    )


def convert_solution(solution_dir: Path, module: str, target: Path) -> Path:
    """Copy a solution folder into ``target`` with ``module``.py replaced by a notebook."""
    target.mkdir(parents=True, exist_ok=True)
    for path in solution_dir.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(solution_dir)
            if relative.as_posix() == module:
                continue
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).write_bytes(path.read_bytes())
    nb = notebook_from_source((solution_dir / module).read_text(encoding="utf-8"))
    out = target / (module.removesuffix(".py") + ".ipynb")
    nbformat.write(nb, out)
    return out
