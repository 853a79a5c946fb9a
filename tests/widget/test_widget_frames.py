"""The Frames tab teaches, in a real JupyterLab 4 and Notebook 7 driven through Chromium: a
clicked frame is laid out byte by byte, and "Compression off" reconnects without deflate."""

from __future__ import annotations

import json

import pytest
from browser import WIDGET_ROOT, axe_problems, open_widget, role, wait_text

pytestmark = pytest.mark.browser

ROOT = WIDGET_ROOT
NEWEST_SENT_TEXT = f"{ROOT} [data-role=frames-rows] .wsw-row.wsw-out.wsw-kind-TEXT"


def kernel_layout(nb) -> dict:
    """The kernel's own layout of the newest sent text frame (ws_widget.pure.frames.layout)."""
    code = (
        "import json\nfrom ws_widget.pure.frames import layout\n"
        "r = [r for r in ws.frames if r.direction == 'out' and r.kind == 'TEXT'][-1]\n"
        "l = layout(r)\n"
        "print(json.dumps({'seq': r.seq, 'header': l.header.hex(' '), 'wire': l.payload.hex(' '),"
        " 'unmasked': l.unmasked.hex(' '), 'key': l.mask_key.hex(' '), 'rsv1': l.rsv1}))"
    )
    return json.loads(nb.execute_in_kernel(code)["stdout"])


def cell(nb, field: str, index: int = 0) -> str:
    """The text of a header field's cell in the bit grid (name, then its bits)."""
    return nb.page.locator(f"{ROOT} [data-role=frame-grid] td[data-field='{field}']").nth(index).inner_text()


def open_newest_sent_text(nb, seq: int) -> None:
    """Click the newest sent text frame's row and wait for its layout."""
    row = f"{ROOT} [data-role=frames-rows] .wsw-row[data-seq='{seq}']"
    nb.page.wait_for_selector(row)
    nb.page.click(row)
    wait_text(nb, role("frame-title"), f"^Frame #{seq} sent: TEXT")


def test_clicked_frame_shows_its_layout_and_compression_off_clears_rsv1(chromium, jupyter, server):
    """Record, send Hello, click its frame: the grid shows its bits and bytes; Compression off
    reconnects and the next frame has RSV1 clear and a readable payload."""
    setup = f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})"
    with open_widget(chromium, jupyter, "frames_layout.ipynb", setup) as nb:
        wait_text(nb, role("state"), "^OPEN$")
        nb.page.click(role("tab-frames"))
        wait_text(nb, role("compression"), "^Compression on \\(permessage-deflate\\)")
        nb.page.click(role("frames-start"))
        nb.page.wait_for_function("() => document.querySelector('.wsw-root [data-role=frame-log]').checked")
        nb.execute_in_kernel("import time; time.sleep(0.2)\nws.send('Hello')\nws.receive(5)")

        sent = kernel_layout(nb)
        assert sent["rsv1"]  # permessage-deflate is on: the payload on the wire is deflated
        open_newest_sent_text(nb, sent["seq"])
        assert cell(nb, "FIN").split() == ["FIN", "1"]
        assert cell(nb, "RSV1").split() == ["RSV1", "1"]
        assert cell(nb, "opcode").split() == ["opcode", "0001"]
        assert cell(nb, "MASK").split() == ["MASK", "1"]
        assert cell(nb, "payload length").split()[-1] == format(
            int(sent["header"].split()[1], 16) & 0x7F, "07b"
        )
        assert nb.count(f"{ROOT} [data-role=frame-grid] td[data-field='masking key']") == 4
        caption = nb.page.locator(f"{ROOT} [data-role=frame-grid] caption").inner_text()
        assert caption.startswith(f"Header: {sent['header']} (6 bytes; length in the 7-bit form)")
        assert nb.page.locator(role("frame-wire")).inner_text() == sent["wire"]
        assert nb.page.locator(role("frame-unmasked")).inner_text() == sent["unmasked"]
        assert sent["key"] in nb.page.locator(role("frame-payload")).inner_text()
        assert "deflated" in nb.page.locator(role("frame-note")).inner_text()
        assert nb.page.locator(role("frame-inflated")).inner_text() == "Hello"
        legend = nb.page.locator(role("frame-legend")).inner_text()
        assert "0001 = 0x1 TEXT" in legend and "masked by the client" in legend

        nb.page.click(role("compression-off"))
        wait_text(nb, role("compression"), "^Compression off: every payload shows on the wire as sent")
        assert nb.page.locator(role("compression-off")).is_hidden()
        wait_text(nb, role("state"), "^OPEN$")
        nb.execute_in_kernel("ws.send('Hello')\nws.receive(5)")
        plain = kernel_layout(nb)
        assert not plain["rsv1"] and plain["seq"] > sent["seq"]
        open_newest_sent_text(nb, plain["seq"])
        assert cell(nb, "RSV1").split() == ["RSV1", "0"]
        assert nb.page.locator(role("frame-note")).is_hidden()
        assert plain["header"].startswith("81 85")
        assert nb.page.locator(role("frame-unmasked")).inner_text() == "48 65 6c 6c 6f"
        assert nb.page.locator(role("frame-wire")).inner_text() == plain["wire"] != "48 65 6c 6c 6f"
        assert nb.page.locator(role("frame-text")).inner_text() == "Hello"
        state = nb.execute_in_kernel("print(ws.handshake['extensions'])")["stdout"].strip()
        assert state == "[]"
        assert nb.unexpected_console_errors() == []


def test_frames_list_opens_with_enter_and_closes_with_escape(chromium, jupyter, server):
    """From the keyboard: End and Enter open the newest frame's layout, Escape closes it."""
    setup = (
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r}, frame_log=True, compression=None)\n"
        "ws.send('x' * 300)\nws.receive(5)"
    )
    with open_widget(chromium, jupyter, "frames_keys.ipynb", setup) as nb:
        nb.page.click(role("tab-frames"))
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root [data-role=frames-rows] .wsw-row[data-seq]').length >= 2"
        )
        nb.page.focus(role("frames"))
        nb.page.keyboard.press("End")
        nb.page.wait_for_function(
            """() => { const list = document.querySelector('.wsw-root [data-role=frames]');
                const id = list.getAttribute('aria-activedescendant');
                return id && document.getElementById(id).classList.contains('wsw-in'); }"""
        )
        nb.page.keyboard.press("Enter")
        wait_text(nb, role("frame-title"), "^Frame #\\d+ received: TEXT, 300 B on the wire")
        focused = nb.page.evaluate("() => document.activeElement.dataset.role")
        assert focused == "frame-detail"
        caption = nb.page.locator(f"{ROOT} [data-role=frame-grid] caption").inner_text()
        assert caption.startswith("Header: 81 7e 01 2c (4 bytes; length in the 16-bit form)")
        assert [cell(nb, "extended length", i).split()[-1] for i in (0, 1)] == ["00000001", "00101100"]
        assert "\u2026 172 more bytes" in nb.page.locator(role("frame-wire")).inner_text()
        if jupyter.flavour == "lab":  # axe on the open layout, Light and Dark (the same CSS in Notebook 7)
            try:
                assert axe_problems(nb) == []
                nb.dark()
                assert axe_problems(nb) == []
            finally:
                nb.set_theme("JupyterLab Light")
        else:
            assert axe_problems(nb) == []
        nb.page.keyboard.press("Escape")
        assert nb.page.locator(role("frame-detail")).is_hidden()
        assert nb.page.evaluate("() => document.activeElement.dataset.role") == "frames"
        assert nb.unexpected_console_errors() == []
