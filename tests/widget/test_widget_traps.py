"""Issue 14, finding 4 and the Frames tab's hint: the widget's small traps, each shown fixed in a
real JupyterLab 4 and Notebook 7 through Chromium (the helpers of test_widget_browser.py)."""

from __future__ import annotations

import pytest
from browser import WIDGET_ROOT, open_widget, role, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = WIDGET_ROOT

# Where the newest row sits against the list's viewport and its box of rows, in client pixels.
LAST_ROW = """() => {
    const viewport = document.querySelector('.wsw-root [data-role=history]');
    const box = viewport.querySelector('.wsw-rows');
    const rows = [...box.querySelectorAll('.wsw-row[data-seq]')];
    if (!rows.length) return null;
    const last = rows.reduce((a, b) => (+a.dataset.seq > +b.dataset.seq ? a : b));
    const row = last.getBoundingClientRect(), port = viewport.getBoundingClientRect();
    return { seq: +last.dataset.seq, top: row.top, bottom: row.bottom,
             viewTop: port.top + viewport.clientTop, viewBottom: port.top + viewport.clientTop + viewport.clientHeight,
             boxBottom: box.getBoundingClientRect().bottom };
}"""

# Whether the row of a seq is in the DOM and wholly inside the viewport.
ROW_IN_VIEW = """(seq) => {
    const viewport = document.querySelector('.wsw-root [data-role=history]');
    const row = viewport.querySelector(`.wsw-row[data-seq="${seq}"]`);
    if (!row) return false;
    const r = row.getBoundingClientRect(), v = viewport.getBoundingClientRect();
    return r.top >= v.top && r.bottom <= v.bottom + 0.5;
}"""


def echo_setup(url: str, messages: int) -> str:
    return (
        f"import ws_widget\nws = ws_widget.connect({url!r})\n"
        f"for n in range({messages}): ws.send(f'message {{n}}')\nws.receive({messages})"
    )


def test_follow_click_and_the_detail_pane(chromium, jupyter, server):
    """Following shows the last row whole; a click stops following; the detail closes, and is marked after a reconnect."""
    with open_widget(chromium, jupyter, "traps_follow.ipynb", echo_setup(server.url("/echo"), 40)) as nb:
        wait_text(nb, role("shown"), "^81 records$")
        nb.page.wait_for_function(f"() => {{ const r = ({LAST_ROW})(); return r && r.seq === 81; }}")
        last = nb.page.evaluate(LAST_ROW)
        assert last["bottom"] <= last["boxBottom"] + 0.5, last  # not clipped by its box
        assert last["viewTop"] - 0.5 <= last["top"] and last["bottom"] <= last["viewBottom"] + 0.5, last
        assert nb.page.locator(role("follow")).is_checked()

        clicked = "75"
        nb.page.locator(f'{ROOT} .wsw-row[data-seq="{clicked}"]').click()
        assert not nb.page.locator(role("follow")).is_checked()
        wait_text(nb, role("detail"), f"^#{clicked} ")
        nb.execute_in_kernel("for n in range(40): ws.send(f'later {n}')\nws.receive(40)")
        wait_text(nb, role("shown"), "^161 records$")
        assert nb.page.evaluate(ROW_IN_VIEW, clicked)  # still where it was clicked
        assert nb.page.locator(role("detail-note")).text_content() == ""

        nb.page.click(role("connect"))  # the URL shown: connect again
        wait_text(nb, role("detail-note"), "earlier connection")
        assert nb.page.locator(role("detail")).text_content().startswith(f"#{clicked} ")
        nb.page.click(role("detail-close"))
        assert not nb.page.locator(role("detail-pane")).is_visible()
        assert nb.page.locator(role("detail")).text_content() == ""
        # Rows are redrawn on the next animation frame, not within the click: wait for it.
        expect(nb.page.locator(f"{ROOT} .wsw-row.wsw-selected")).to_have_count(0)
        assert nb.unexpected_console_errors() == []


def test_clear_restarts_the_counters_and_an_error_shows_no_old_rtt(chromium, jupyter, server):
    """Clear zeroes the header's counters and RTT; an ERROR after a ping shows no RTT."""
    with open_widget(chromium, jupyter, "traps_clear.ipynb", echo_setup(server.url("/echo"), 3)) as nb:
        wait_text(nb, role("counters"), "^\u2193 3 ")
        nb.page.click(role("ping"))
        wait_text(nb, role("rtt"), r"^rtt \d")
        nb.page.click(role("clear"))
        wait_text(nb, role("counters"), "^\u2193 0 \\(0 B\\)  \u2191 0 \\(0 B\\)")
        wait_text(nb, role("shown"), "^0 records$")
        assert nb.page.locator(role("rtt")).text_content() == ""
        totals = nb.execute_in_kernel("print(ws.stats['messages_in'])")["stdout"].strip()
        assert totals == "3"  # ws.stats keeps its totals: only the header starts again
        nb.page.click(role("ping"))
        wait_text(nb, role("rtt"), r"^rtt \d")
        nb.page.fill(f"{ROOT} .wsw-url-input", "ws://127.0.0.1:1/refused")
        nb.page.click(role("connect"))
        wait_text(nb, role("state"), "^ERROR$")
        assert nb.page.locator(role("rtt")).text_content() == ""


def test_a_never_connected_widget_says_so_and_connects_to_what_is_typed(chromium, jupyter, server):
    """A new socket shows NOT CONNECTED and a placeholder; Connect asks for a URL, then connects to it."""
    setup = "from ws_widget import WebSocket\nws = WebSocket.New()"
    with open_widget(chromium, jupyter, "traps_new.ipynb", setup) as nb:
        assert nb.page.locator(role("state")).text_content() == "NOT CONNECTED"
        field = nb.page.locator(f"{ROOT} .wsw-url-input")
        assert field.input_value() == ""
        assert field.get_attribute("placeholder").startswith("type a URL")
        nb.page.click(role("connect"))
        said = wait_text(nb, role("connect-error"), "URL first")
        assert "never connected" not in said and "reconnect" not in said
        assert field.get_attribute("aria-invalid") == "true"
        field.fill(server.url("/echo"))
        assert nb.page.locator(role("connect-error")).text_content() == ""
        nb.page.click(role("connect"))
        wait_text(nb, role("state"), "^OPEN$")
        python_twin = nb.execute_in_kernel(
            "w = WebSocket.New().widget\ntry:\n    w.connect()\nexcept ValueError as e:\n    print(e)"
        )["stdout"]
        assert "URL first" in python_twin
        assert nb.unexpected_console_errors() == []


def test_a_bad_regex_shows_no_rows_and_the_frames_tab_says_how_to_record(chromium, jupyter, server):
    """An invalid regex empties the list with its reason; the Frames tab's button turns recording on."""
    with open_widget(chromium, jupyter, "traps_regex.ipynb", echo_setup(server.url("/echo"), 5)) as nb:
        wait_text(nb, role("shown"), "^11 records$")
        nb.page.check(role("regex"))
        nb.page.fill(role("filter"), "message [34]$")
        wait_text(nb, role("shown"), "^4 match$")
        nb.page.fill(role("filter"), "message (")
        wait_text(nb, role("shown"), "^invalid regular expression.*no records shown$")
        assert nb.page.locator(f"{ROOT} [data-role=rows] .wsw-row[data-seq]").count() == 0
        nb.page.fill(role("filter"), "message 4$")
        wait_text(nb, role("shown"), "^2 match$")

        nb.page.click(role("tab-frames"))
        hint = nb.page.locator(role("frames-hint"))
        assert hint.is_visible() and "Record frames" in hint.text_content()
        nb.page.click(role("frames-start"))
        wait_text(nb, role("frames-hint-text"), "^Recording")
        assert (
            nb.execute_in_kernel("import time; time.sleep(0.3); print(ws.frame_log)")["stdout"].strip()
            == "True"
        )
        assert nb.page.locator(role("frame-log")).is_checked()
        nb.execute_in_kernel("ws.send('now recorded')\nws.receive()")
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root [data-role=frames-rows] .wsw-row[data-seq]').length >= 2"
        )
        assert not hint.is_visible()
        assert nb.unexpected_console_errors() == []
