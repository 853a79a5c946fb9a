"""Binder's environment, rebuilt here: repo2docker cannot run on this machine, so this test does
what it does with ``binder/``: a fresh virtual environment (Python 3.12 as ``runtime.txt`` asks,
when this machine has it), ``pip install -r binder/requirements.txt`` from the repository root,
then notebook 01 executed top to bottom in a kernel of that environment.

Nothing is registered globally: the kernelspec goes into the new environment (``ipykernel
install --prefix``), and Jupyter's data, config and runtime directories point into tmp. pip uses
the machine's configured index and its cache. Every step has a timeout and kills its whole
process group (kernels included) when it runs over.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parent.parent.parent
BINDER = ROOT / "binder"
NOTEBOOK = ROOT / "notebooks" / "01_quickstart.ipynb"
MARKER = "BINDER-CHECK"

CHECK_CELL = f"""
import json, sys
from pathlib import Path
import ws_widget
print("{MARKER}", json.dumps({{
    "executable": sys.executable,
    "prefix": sys.prefix,
    "version": list(sys.version_info[:2]),
    "ws_widget": ws_widget.__file__,
    "front_end": (Path(ws_widget.__file__).parent / "static" / "widget.js").is_file(),
}}))
"""


def run(command, *, timeout: float, log: Path, cwd: Path | None = None, env: dict | None = None) -> None:
    """Run ``command``, output to ``log``; on a non-zero exit or a timeout, fail with its tail.

    The command gets a session of its own, so a timeout kills it with everything it started.
    """
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # also any leftover kernel
            except ProcessLookupError:
                pass
            process.wait(10)
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        what = f"timed out after {timeout} s" if code is None else f"exited with {code}"
        pytest.fail(f"{' '.join(map(str, command))} {what}; end of its output:\n{tail}")


def runtime_python() -> tuple[str, str]:
    """An interpreter of the version ``binder/runtime.txt`` names, else the one running the tests."""
    wanted = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    candidates = [os.environ.get("WS_WIDGET_BINDER_PYTHON"), sys.executable, shutil.which(f"python{wanted}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{wanted}.*/bin/python{wanted}")))
    probe = "import sys, venv; print('%d.%d' % sys.version_info[:2])"
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run(
                [candidate, "-c", probe], check=False, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0 and found.stdout.strip() == wanted:
            return candidate, wanted
    return sys.executable, f"{sys.version_info[0]}.{sys.version_info[1]}"


def isolated_env(venv: Path, home: Path) -> dict:
    """The environment of a user of that venv: its bin first, Jupyter's directories in tmp."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH", "MPLBACKEND")
    }
    env.update(
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        JUPYTER_PATH=str(venv / "share" / "jupyter"),  # first in the search path: this venv's kernel
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "matplotlib"),
        PYTHONNOUSERSITE="1",
    )
    return env


@pytest.fixture
def venv(tmp_path):
    """Where the fresh environment goes; removed afterwards (about 500 MB), its logs kept."""
    path = tmp_path / "venv"
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_binder_requirements_run_notebook_01(tmp_path, venv):
    """A fresh venv with binder/requirements.txt runs notebook 01 in its own kernel."""
    python, version = runtime_python()
    bin_dir = venv / "bin"
    env = isolated_env(venv, tmp_path / "jupyter")

    run([python, "-m", "venv", venv], timeout=180, log=tmp_path / "venv.log")
    # From the repository root, as repo2docker does: "." in the file is this package.
    run(
        [
            bin_dir / "python",
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
            "-r",
            BINDER / "requirements.txt",
        ],
        cwd=ROOT,
        env=env,
        timeout=900,
        log=tmp_path / "pip.log",
    )
    run(
        [bin_dir / "python", "-m", "ipykernel", "install", "--prefix", venv, "--name", "python3"],
        env=env,
        timeout=120,
        log=tmp_path / "kernelspec.log",
    )
    spec = json.loads((venv / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert Path(spec["argv"][0]) == bin_dir / "python", spec["argv"]

    # A copy outside the repository, so the kernel cannot import ws_widget from the checkout.
    work = tmp_path / "notebooks"
    work.mkdir()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(new_code_cell(CHECK_CELL.strip()))
    nbformat.write(notebook, work / "binder_check.ipynb")
    run(
        [
            bin_dir / "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--output",
            "executed.ipynb",
            "--ExecutePreprocessor.kernel_name=python3",
            "--ExecutePreprocessor.timeout=120",
            "--ExecutePreprocessor.startup_timeout=120",
            work / "binder_check.ipynb",
        ],
        cwd=work,
        env=env,
        timeout=420,
        log=tmp_path / "nbconvert.log",
    )

    executed = nbformat.read(work / "executed.ipynb", as_version=4)
    errors = [
        output
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    text = "".join(output.get("text", "") for output in executed.cells[-1].outputs)
    assert MARKER in text, text
    facts = json.loads(text.split(MARKER, 1)[1])
    assert Path(facts["prefix"]) == venv, facts  # the kernel ran in the fresh venv
    assert Path(facts["executable"]).parent == bin_dir, facts
    assert facts["version"] == [int(part) for part in version.split(".")], facts
    assert Path(facts["ws_widget"]).is_relative_to(venv), facts  # installed from ".", not the checkout
    assert facts["front_end"], facts  # the wheel carries the widget's JS
