"""Issue 14, finding 3: the composer's Up-recall restores the mode, and the history's time column
switches between local time with date, time since connect and delta, in a real JupyterLab 4 and
Notebook 7 through Chromium."""

from __future__ import annotations

import pytest
from browser import WIDGET_ROOT, open_widget, role, wait_text

pytestmark = pytest.mark.browser

ROOT = WIDGET_ROOT

# The time cells of the rows shown, in seq order, with each row's kind: [[seq, kind, time], ...].
TIME_CELLS = f"""() => [...document.querySelectorAll('{ROOT} [data-role=history] .wsw-row[data-seq]')]
    .map(row => [+row.dataset.seq, row.querySelector('.wsw-kind').textContent, row.querySelector('.wsw-time').textContent])
    .sort((a, b) => a[0] - b[0])"""

FORMATS = {
    "local": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$",
    "since_connect": r"^\+\d+\.\d{3} s$",
    "delta": r"^\u0394 (\d+\.\d{3} s|\u2014)$",
}


def wait_cells(nb, mode: str) -> list[list]:
    """Wait until every time cell shown has the format of ``mode``; return the cells."""
    nb.page.wait_for_function(
        f"(pattern) => {{ const cells = ({TIME_CELLS})();"
        " return cells.length > 0 && cells.every(([, , time]) => new RegExp(pattern).test(time)); }",
        arg=FORMATS[mode],
    )
    return nb.page.evaluate(TIME_CELLS)


def test_up_recalls_a_message_in_the_mode_it_was_sent_in(chromium, jupyter, server):
    """Up brings a base64 message back with the base64 mode, and a text one with Text."""
    setup = f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})"
    with open_widget(chromium, jupyter, "time_recall_up.ipynb", setup) as nb:
        composer = nb.page.locator(role("composer")).first
        mode = nb.page.locator(role("mode")).first
        composer.fill("plain words")
        composer.press("Control+Enter")
        mode.select_option("base64")
        composer.fill("AQID")
        composer.press("Control+Enter")
        wait_text(nb, f"{ROOT} [data-role=rows]", "01 02 03")
        mode.select_option("text")
        composer.fill("")
        composer.press("ArrowUp")
        assert (composer.input_value(), mode.input_value()) == ("AQID", "base64")
        composer.press("ArrowUp")
        assert (composer.input_value(), mode.input_value()) == ("plain words", "text")
        composer.press("ArrowDown")
        assert (composer.input_value(), mode.input_value()) == ("AQID", "base64")
        composer.press("Control+Enter")  # sent again as base64: the echo is binary
        wait_text(nb, role("shown"), "^7 records$")
        kinds = nb.execute_in_kernel("print([r.kind for r in ws.history][-2:])")["stdout"].strip()
        assert kinds == "['binary', 'binary']"
        assert nb.unexpected_console_errors() == []


def test_the_time_column_switches_modes_from_the_page_and_from_python(chromium, jupyter, server):
    """The time control shows local time with date, time since connect and delta; Python's twin drives the page."""
    setup = (
        f"import time, ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\n"
        "for n in range(3):\n    ws.send(f'message {n}')\n    time.sleep(0.05)\nws.receive(3)"
    )
    with open_widget(chromium, jupyter, "time_recall_modes.ipynb", setup) as nb:
        wait_text(nb, role("shown"), "^7 records$")
        assert nb.page.locator(role("time-mode")).input_value() == "local"
        wait_cells(nb, "local")

        nb.page.locator(role("time-mode")).select_option("since_connect")
        cells = wait_cells(nb, "since_connect")
        assert [time for _, kind, time in cells if kind == "open"] == ["+0.000 s"]
        seconds = [float(time[1:-2]) for _, _, time in cells]
        assert seconds == sorted(seconds) and seconds[-1] >= 0.1  # counted from the open
        assert nb.execute_in_kernel("print(ws.widget.time_mode)")["stdout"].strip() == "since_connect"

        nb.page.locator(role("time-mode")).select_option("delta")
        cells = wait_cells(nb, "delta")
        assert cells[0][2] == "\u0394 \u2014"  # the first row has no row above
        deltas = [float(time[2:-2]) for _, _, time in cells[1:]]
        assert round(sum(deltas), 3) == round(seconds[-1] - seconds[0], 3)  # the deltas add up
        assert nb.execute_in_kernel("print(ws.widget.time_mode)")["stdout"].strip() == "delta"

        nb.execute_in_kernel("ws.widget.time_mode = 'since_connect'")
        nb.page.wait_for_function(
            "(selector) => document.querySelector(selector).value === 'since_connect'",
            arg=role("time-mode"),
        )
        wait_cells(nb, "since_connect")
        nb.execute_in_kernel("ws.widget.time_mode = 'local'")
        wait_cells(nb, "local")
        refused = nb.execute_in_kernel(
            "try:\n    ws.widget.time_mode = 'utc'\nexcept ValueError as e:\n    print(e)"
        )["stdout"]
        assert "time_mode must be one of 'local', 'since_connect', 'delta'" in refused
        assert nb.page.locator(role("time-mode")).input_value() == "local"
        assert nb.unexpected_console_errors() == []
