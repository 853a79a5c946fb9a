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


def save(nb, tmp_path: Path, name: str, selector: str = WIDGET_ROOT) -> Path:
    """Screenshot ``selector`` into docs/img/NAME (when asked) or tmp_path; check it is a sane PNG."""
    folder = IMAGES if os.environ.get("WS_WIDGET_UPDATE_SCREENSHOTS") else tmp_path
    path = nb.screenshot(folder / name, selector=selector)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 400 <= width <= 1600 and 200 <= height <= 1400, (width, height)
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


def test_qsys_panel_screenshot(chromium, lab, tmp_path):
    """A %%qsys cell shows its panel: Debug Output with the script's prints, controls as widgets."""
    setup = (
        "from ws_widget import demo\nserver = demo.start()\n%load_ext ws_widget\n"
        "controls = {'IP': '127.0.0.1', 'Port': str(server.port), 'Gain': {'Type': 'Knob', 'Unit': 'dB'},"
        " 'Mute': False}"
    )
    script = (
        "%%qsys --name gateway --controls controls\n"
        "ws = WebSocket.New()\n"
        'ws.Connected = function(ws) ws:Write("Hey!") end\n'
        'ws.Data = function(ws, data) print("Data", data) end\n'
        'Controls.Gain.EventHandler = function(c) print("Gain", c.String) end\n'
        'ws:Connect("ws", Controls.IP.String, "/echo", Controls.Port.String)'
    )
    lab.write_notebook("qsys_panel.ipynb", [setup, script])
    with chromium.open_notebook(lab, "qsys_panel.ipynb") as nb:
        nb.run_all()
        panel = ".ws-widget-qsys-panel"
        nb.wait_for_output(panel)
        nb.page.wait_for_function(  # Debug Output is a textarea: its text is its value
            "() => { const area = document.querySelector('.ws-widget-qsys-panel textarea');"
            " return area && area.value.includes('Data\\tHey!'); }",
            timeout=60_000,
        )
        wait_text(nb, f"{panel} {WIDGET_ROOT} [data-role=state]", "^OPEN$")
        size = nb.page.viewport_size  # the panel with its socket's widget is taller than a screen
        nb.page.set_viewport_size({"width": size["width"], "height": 1600})
        save(nb, tmp_path, "qsys-panel.png", selector=panel)
