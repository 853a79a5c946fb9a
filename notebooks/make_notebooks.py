"""Write the notebooks from their sources here, then run them so that they read well on GitHub.

    .venv/bin/python notebooks/make_notebooks.py          # all of them
    .venv/bin/python notebooks/make_notebooks.py 02 04    # those whose names contain 02 or 04
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_notebook

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

NOTEBOOKS = {
    f"{module.name[2:]}.ipynb": module.name
    for module in sorted(pkgutil.iter_modules([str(HERE / "sources")]), key=lambda m: m.name)
    if module.name.startswith("nb")
}


def build(name: str, cells, execute: bool = True) -> Path:
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    if execute:
        NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    path = HERE / name
    nbformat.write(notebook, path)
    return path


if __name__ == "__main__":
    # Optional arguments pick notebooks by a part of their names: make_notebooks.py 02 04
    wanted = sys.argv[1:]
    for name, module in NOTEBOOKS.items():
        if not wanted or any(part in name for part in wanted):
            began = time.monotonic()
            path = build(name, importlib.import_module(f"sources.{module}").CELLS)
            print(f"wrote {path} in {time.monotonic() - began:.1f} s")
