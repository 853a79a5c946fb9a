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


SOCKET_WIDGET = "ws_widget.faces.widget.WebSocketWidget"


def drop_socket_widgets(notebook) -> None:
    """Remove the socket widgets' models from the notebook's saved widget state.

    Their outputs then show their own dated snapshot (``text/html``) wherever no kernel runs:
    nbconvert and nbviewer fall back to it for a view whose model is not saved, and no script
    of ws_widget (the widget's ``_esm``) nor a stale live-looking view lands in the page
    (docs/guide/saved-notebooks.md). Other widgets keep their saved state.
    """
    saved = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    if not saved:
        return
    models = saved["state"]
    sockets = [key for key, model in models.items() if model["state"].get("_anywidget_id") == SOCKET_WIDGET]
    parts = {  # their layout models (``"IPY_MODEL_<id>"``)
        value.removeprefix("IPY_MODEL_")
        for key in sockets
        for value in models[key]["state"].values()
        if isinstance(value, str) and value.startswith("IPY_MODEL_")
    }
    for model_id in {*sockets, *parts} & models.keys():
        del models[model_id]
    if not models:
        del notebook.metadata["widgets"]


def build(name: str, cells, execute: bool = True) -> Path:
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    if execute:
        NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}
        ).execute()
        drop_socket_widgets(notebook)
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
