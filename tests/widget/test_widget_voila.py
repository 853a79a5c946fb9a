"""The widget in Voila, and in a narrow page, driven through Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def voila(tmp_path_factory, server):
    """Voila serving a notebook that connects to the echo server and shows the widget."""
    root = tmp_path_factory.mktemp("voila")
    notebook = new_notebook(
        cells=[
            new_code_cell(
                f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\n"
                "ws.send('<img src=x onerror=alert(1)> from voila')\nws"
            )
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "app.ipynb")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "voila"),
            str(root / "app.ipynb"),
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(20)


def test_widget_renders_in_voila(chromium, voila):
    """Voila renders the widget live, remote HTML as text, with no console error."""
    page = chromium.browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(voila, timeout=60_000)
        page.wait_for_selector(".wsw-root [data-role=state]:text('OPEN')", timeout=60_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.wsw-row.wsw-in')]"
            ".some(r => r.textContent.includes('from voila'))",
            timeout=30_000,
        )
        assert page.locator(".wsw-root img").count() == 0
        assert dialogs == [] and errors == []
    finally:
        page.close()


def test_widget_is_usable_in_a_narrow_page(chromium, voila):
    """In a 360 px wide page nothing overflows sideways and the controls stay visible."""
    page = chromium.browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(voila, timeout=60_000)
        page.wait_for_selector(".wsw-root [data-role=state]:text('OPEN')", timeout=60_000)
        root = page.locator(".wsw-root")
        assert root.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        width = root.bounding_box()["width"]
        for role in ("connect", "send", "ping", "composer"):
            box = page.locator(f".wsw-root [data-role={role}]").bounding_box()
            assert box is not None and box["x"] + box["width"] <= width + 20, role
    finally:
        page.close()
