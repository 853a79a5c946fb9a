"""The notebooks in notebooks/ run top to bottom in a real kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.kernel

NOTEBOOKS = sorted((Path(__file__).parent.parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_runs(path):
    """The notebook executes without an error and has a kernelspec."""
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []


def test_saved_notebooks_hold_no_secret():
    """No committed notebook holds the demo's bearer token in an output or in widget state."""
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        outputs = str([cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"])
        assert "my-auth-token" not in outputs, path.name
        assert "my-auth-token" not in str(notebook.metadata), path.name  # saved widget state
