"""Build the JupyterLite site: `make lite` (or `python lite/build.py OUTPUT_DIR`).

The folder it writes is a static site that runs without any CDN: JupyterLab and Notebook from
jupyterlite-core, the Pyodide kernel, Pyodide from the npm package (`npm ci --prefix lite`) with
the wheels its kernel loads, and ws_widget's wheel and pure-Python dependencies for
`%pip install ws_widget`. Every build starts from an empty folder (a stale build state silently
drops settings: docs/notes/jupyterlite.md, obstacle 3).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION
from nbformat.v4 import new_notebook

LITE = Path(__file__).resolve().parent
ROOT = LITE.parent
sys.path[:0] = [str(LITE), str(ROOT)]  # lite/site_notebooks.py, and notebooks/sources/cells.py
from site_notebooks import NOTEBOOKS  # noqa: E402

NPM_PYODIDE = LITE / "node_modules" / "pyodide"
PYODIDE_CORE = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# What the kernel loads from Pyodide's lock when it starts (micropip, then jedi and ipython), and
# what the bundled wheels require that the lock provides (packaging, typing-extensions).
KERNEL_ROOTS = ("micropip", "jedi", "ipython", "packaging", "typing-extensions")
# Pure-Python wheels for `%pip install ws_widget`, at the versions installed here, so the
# kernel's anywidget and ipywidgets match the front-end extensions the build copies.
PIPLITE = ("websockets", "anywidget", "ipywidgets", "jupyterlab_widgets", "comm", "psygnal")
PURE_WHEEL = (
    "--no-deps",
    "--only-binary=:all:",
    "--python-version",
    "3.14",
    "--platform",
    "any",
    "--implementation",
    "py",
)


def run(*command: str | Path, cwd: Path | None = None) -> None:
    """Run a command, failing the build with its output if it fails."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"lite/build.py: {' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")


def download(requirements: list[str], folder: Path) -> list[Path]:
    """Download pure-Python wheels (no dependencies) into ``folder``; return the new files."""
    before = set(folder.glob("*.whl"))
    run(sys.executable, "-m", "pip", "download", "--quiet", *PURE_WHEEL, "--dest", folder, *requirements)
    return sorted(set(folder.glob("*.whl")) - before)


def normal(name: str) -> str:
    """A package name normalised as PEP 503 does (Pygments, prompt_toolkit -> pygments, prompt-toolkit)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheels(folder: Path) -> Path:
    """ws_widget's wheel from this worktree and its dependencies' wheels, in ``folder``."""
    folder.mkdir()
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", ROOT, "--wheel-dir", folder)
    download([f"{name}=={importlib.metadata.version(name)}" for name in PIPLITE], folder)
    return folder


def contents(folder: Path) -> Path:
    """The site's notebooks (from lite/site_notebooks.py) and their data files, in ``folder``."""
    shutil.copytree(LITE / "content", folder)
    for name, cells in NOTEBOOKS.items():
        notebook = new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)"}
        notebook.metadata["language_info"] = {"name": "python"}
        nbformat.write(notebook, folder / name)
    return folder


def pyodide(folder: Path) -> None:
    """Pyodide's core files from npm and the wheels its kernel loads, with a lock that names them.

    The npm package has no wheels; PyPI has the same versions but not the same files, so the
    lock's file names and sha256 are rewritten to the downloaded ones (obstacles 1 and 2).
    """
    version = json.loads((NPM_PYODIDE / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        sys.exit(
            f"lite/build.py: npm pyodide {version}, the kernel wants {PYODIDE_VERSION}: fix lite/package.json"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_CORE:
        shutil.copy2(NPM_PYODIDE / name, folder)
    lock = json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text())
    packages = {normal(key): spec for key, spec in lock["packages"].items()}
    needed: set[str] = set()
    todo = list(KERNEL_ROOTS)
    while todo:
        name = normal(todo.pop())
        if name not in needed:
            needed.add(name)
            todo.extend(packages[name]["depends"])
    files = download([f"{packages[name]['name']}=={packages[name]['version']}" for name in needed], folder)
    for path in files:
        spec = packages[normal(path.name.split("-")[0])]
        spec["file_name"] = path.name
        spec["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    if len(files) != len(needed):
        sys.exit(
            f"lite/build.py: {len(files)} wheels downloaded for {len(needed)} packages: {sorted(needed)}"
        )
    (folder / "pyodide-lock.json").write_text(json.dumps(lock))


def build(output: Path) -> None:
    """Build the site into ``output`` (emptied first)."""
    shutil.rmtree(output, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="ws_widget-lite-") as scratch:
        work = Path(scratch)  # the lite dir: jupyter-lite.json, and the build's state, thrown away
        shutil.copy2(LITE / "jupyter-lite.json", work)
        jupyter_lite = Path(sys.executable).parent / "jupyter-lite"
        run(
            jupyter_lite, "build", "--no-sourcemaps", "--lite-dir", work, "--output-dir", output,
            "--contents", contents(work / "content"), "--piplite-wheels", wheels(work / "wheels"),
            cwd=work,
        )  # fmt: skip
    pyodide(output / "static" / "pyodide")


def main() -> None:
    """Build the site into the folder given (default build/lite) and say its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=ROOT / "build" / "lite")
    output = parser.parse_args().output.resolve()
    began = time.monotonic()
    build(output)
    files = [path for path in output.rglob("*") if path.is_file()]
    size = sum(path.stat().st_size for path in files) / 1e6
    print(f"built {output} in {time.monotonic() - began:.0f} s: {len(files)} files, {size:.0f} MB")
    print(f"serve it: python -m http.server --bind 127.0.0.1 --directory {output}")


if __name__ == "__main__":
    main()
