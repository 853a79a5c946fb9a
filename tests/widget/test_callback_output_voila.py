"""Where a callback's print() goes in Voila once the page has rendered: its Debug Output."""

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


@pytest.fixture(scope="module")
def voila_app(tmp_path_factory, server):
    """Voila serving a notebook whose Data callback prints, with the widget in a later cell."""
    root = tmp_path_factory.mktemp("voila-output")
    notebook = new_notebook(
        cells=[
            new_code_cell(
                "import ws_widget\n"
                "ws = ws_widget.WebSocket()\n"
                "ws.Data = lambda ws, data: print('callback got', data)\n"
                f"ws.connect({server.url('/echo')!r})\n"
                "print('the connecting cell')"
            ),
            new_code_cell("print('a later cell')"),
            new_code_cell("ws"),
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "app.ipynb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "voila"), str(root / "app.ipynb"), f"--port={port}", "--no-browser",
         "--Voila.ip=127.0.0.1"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
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


def test_voila_shows_a_later_print_in_the_debug_output_only(chromium, voila_app):
    """A print from a callback after the page rendered shows in the widget's Debug Output tab,
    under no cell (Voila shows no output that arrives after it ran the notebook)."""
    page = chromium.browser.new_page()
    try:
        page.goto(voila_app, timeout=60_000)
        page.wait_for_selector(".wsw-root [data-role=state]:text('OPEN')", timeout=60_000)
        page.fill(".wsw-root [data-role=composer]", "sent from voila")
        page.click(".wsw-root [data-role=send]")
        page.get_by_role("tab", name="Debug Output").click()
        page.locator(".wsw-root", has_text="callback got sent from voila").first.wait_for(timeout=30_000)
        cells = page.locator(".jp-OutputArea").all_inner_texts()[:2]
        assert cells == ["the connecting cell\n", "a later cell\n"]
    finally:
        page.close()
