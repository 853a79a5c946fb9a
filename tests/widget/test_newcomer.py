"""A newcomer's path: from a fresh clone, `make lab` sets everything up and opens JupyterLab,
where notebook 01 runs top to bottom in a real browser with its widget live."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1500)]

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = "01_quickstart.ipynb"  # `jupyter lab notebooks/01_quickstart.ipynb` serves notebooks/


class LabFromMake:
    """What the browser harness needs to know of a JupyterLab started by ``make lab``."""

    flavour = "lab"

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/"

    def notebook_url(self, name: str) -> str:
        return f"{self.url}lab/workspaces/t{uuid.uuid4().hex[:12]}/tree/{quote(name)}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make lab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(1)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def test_make_lab_from_a_fresh_clone(tmp_path, chromium):
    """`make lab` in a fresh clone serves notebook 01, which runs with its widget live."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    port = free_port()
    lab_args = " ".join(
        [
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--allow-root",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
            f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        ]
    )
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
    }
    log = tmp_path / "make-lab.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            ["make", "lab", f"LAB_ARGS={lab_args}"],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process, log, timeout=1200)
        from browser import NotebookPage

        with NotebookPage(chromium.browser, LabFromMake(port), NOTEBOOK, timeout=120) as nb:
            nb.run_all()
            nb.wait_for_output(".wsw-root")
            nb.page.wait_for_function(
                "() => [...document.querySelectorAll('.wsw-root [data-role=rows] .wsw-row.wsw-in')]"
                ".some(row => row.textContent.includes('Hey!'))",
                timeout=60_000,
            )
            errors = [
                o
                for o in nb.outputs(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                ).all_text_contents()
                if "Traceback" in o
            ]
            assert errors == []
            assert nb.unexpected_console_errors() == []
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
