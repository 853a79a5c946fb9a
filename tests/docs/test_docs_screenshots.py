"""The screenshots of README.md and the docs, taken in a real JupyterLab with live connections.

Each test checks what its picture shows, then saves it: under docs/img/ when
``WS_WIDGET_UPDATE_SCREENSHOTS=1`` is set (commit the new files), else in the test's temporary
folder, so that a plain ``make test`` leaves the work tree as it was.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from browser import WIDGET_ROOT, JupyterServer, role, wait_text
from quickstart_blocks import PAGES, ROOT, quick_start

pytestmark = pytest.mark.browser

IMAGES = ROOT / "docs" / "img"
MAX_BYTES = 300_000  # a screenshot is a picture of one widget, not a page of the site


@pytest.fixture(scope="module")
def lab(chromium):
    """A JupyterLab server of this module's own: the pictures show JupyterLab."""
    with JupyterServer("lab") as server:
        yield server


def save(nb, tmp_path: Path, name: str) -> Path:
    """Screenshot the widget into docs/img/NAME (when asked) or tmp_path; check it is a sane PNG."""
    folder = IMAGES if os.environ.get("WS_WIDGET_UPDATE_SCREENSHOTS") else tmp_path
    path = nb.screenshot(folder / name, selector=WIDGET_ROOT)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 400 <= width <= 1600 and 200 <= height <= 1200, (width, height)
    assert 5_000 < len(data) < MAX_BYTES
    return path


def test_quick_start_screenshot(chromium, lab, tmp_path):
    """The README's quick start, run in JupyterLab, shows an open widget with the QRC reply opened."""
    lab.write_notebook("quick_start.ipynb", [quick_start(PAGES[0])])
    with chromium.open_notebook(lab, "quick_start.ipynb") as nb:
        nb.run_all()
        nb.wait_for_output(WIDGET_ROOT)
        wait_text(nb, role("state"), "^OPEN$")
        wait_text(nb, f"{WIDGET_ROOT} [data-role=rows]", '"State": "Active"')
        nb.page.locator(f"{WIDGET_ROOT} .wsw-row.wsw-in.wsw-kind-text").last.click()
        wait_text(nb, role("detail"), '"Platform": "Core 110f"')
        save(nb, tmp_path, "widget.png")


def test_protocol_lab_screenshot(chromium, lab, tmp_path):
    """The protocol lab's Frames tab shows a message in three frames and a ping with its payload."""
    setup = (
        "import ws_widget\nfrom ws_widget import demo\nserver = demo.start()\n"
        "ws = ws_widget.connect(server.url_for('/echo'), frame_log=True)\n"
        "ws.send('hello, class', fragments=3)\nws.ping(payload='lab')\nws"
    )
    lab.write_notebook("protocol_lab.ipynb", [setup])
    with chromium.open_notebook(lab, "protocol_lab.ipynb") as nb:
        nb.run_all()
        nb.wait_for_output(WIDGET_ROOT)
        nb.page.locator(role("tab-frames")).first.click()
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root [data-role=frames-rows] .wsw-row').length >= 6"
        )
        frames = nb.page.locator(f"{WIDGET_ROOT} [data-role=frames-rows] .wsw-row").all_text_contents()
        assert sum("CONT" in row for row in frames) >= 2 and any("PONG" in row for row in frames)
        save(nb, tmp_path, "protocol-lab.png")
