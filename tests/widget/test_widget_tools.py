"""Issue 14, item 3: the widget's tools (copy, downloads, saved messages, pause, columns) in a real
JupyterLab 4 and Notebook 7 through Chromium, each checked against its Python twin."""

from __future__ import annotations

import csv
import io
import json

import pytest
from browser import WIDGET_ROOT, open_widget, role, wait_text

from ws_widget import from_har

pytestmark = pytest.mark.browser

ROOT = WIDGET_ROOT
SECRET = "tok-5ecret-99"
LOGON = '{"method": "Logon", "params": {"Id": 42, "User": "ann"}}'


def row(seq: int) -> str:
    """The selector of the history's row of record ``seq``."""
    return f"{ROOT} [data-role=rows] .wsw-row[data-seq='{seq}']"


def kernel_text(nb, code: str) -> str:
    """What ``code`` prints in the notebook's kernel, stripped."""
    return nb.execute_in_kernel(code)["stdout"].strip()


def wait_kernel(nb, code: str, expected: str, tries: int = 100) -> None:
    """Run ``code`` in the kernel until it prints ``expected`` (a trait set by the page syncs soon)."""
    for _ in range(tries):
        printed = kernel_text(nb, code)
        if printed == expected:
            return
        nb.page.wait_for_timeout(100)
    raise AssertionError(f"{code!r} printed {printed!r}, not {expected!r}")


def test_copy_puts_the_record_on_the_clipboard_as_payload_python_and_json(chromium, jupyter, server):
    """Copy, Copy as Python and Copy as JSON write what ws.widget.copy_text returns to the clipboard."""
    setup = (
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\nws.send({LOGON!r})\nws.receive()"
    )
    with open_widget(chromium, jupyter, "tools_copy.ipynb", setup) as nb:
        nb.context.grant_permissions(["clipboard-read", "clipboard-write"])
        wait_text(nb, role("shown"), "^3 records$")
        nb.page.locator(row(2)).click()
        wait_text(nb, role("detail"), "^#2 text")
        for button, how in (("copy", "payload"), ("copy-python", "python"), ("copy-json", "json")):
            nb.page.evaluate("() => navigator.clipboard.writeText('')")
            nb.page.locator(role(button)).click()
            wait_text(nb, role("copy-status"), "^copied")
            clipboard = nb.page.evaluate("() => navigator.clipboard.readText()")
            twin = json.loads(
                kernel_text(nb, f"import json; print(json.dumps(ws.widget.copy_text(2, {how!r})))")
            )
            assert clipboard == twin, how
        assert twin.startswith('{\n  "method": "Logon"') and json.loads(twin)["params"]["Id"] == 42
        nb.page.locator(role("copy-python")).click()
        wait_text(nb, role("copy-status"), "^copied")
        assert nb.page.evaluate("() => navigator.clipboard.readText()") == f"ws.send({LOGON!r})"

        nb.page.locator(row(1)).click()  # the open event: no code to send it again
        wait_text(nb, role("detail"), "^#1 open")
        nb.page.locator(role("copy-python")).click()
        wait_text(nb, role("copy-status"), "not a message: only text and binary messages copy as code")
        assert nb.unexpected_console_errors() == []


def test_downloads_hold_the_whole_history_masked_in_jsonl_har_and_csv(chromium, jupyter, server, tmp_path):
    """Each Download button saves the kernel's whole history; each file parses back, without the secret."""
    url = server.url("/echo") + f"?token={SECRET}"
    setup = (
        f"import ws_widget\nws = ws_widget.connect({url!r}, headers={{'Authorization': 'Bearer {SECRET}'}})\n"
        f"ws.send({LOGON!r})\nws.receive()\nws.send(b'\\x00\\x01\\xfe')\nws.receive()"
    )
    with open_widget(chromium, jupyter, "tools_download.ipynb", setup) as nb:
        wait_text(nb, role("shown"), "^5 records$")
        files = {}
        for fmt in ("jsonl", "har", "csv"):
            with nb.page.expect_download() as info:
                nb.page.locator(role(f"download-{fmt}")).click()
            download = info.value
            assert download.suggested_filename.startswith(
                "ws_widget-127.0.0.1_"
            ) and download.suggested_filename.endswith(f".{fmt}")
            path = tmp_path / download.suggested_filename
            download.save_as(path)
            files[fmt] = path
            wait_text(nb, role("tool-status"), f"^downloaded {download.suggested_filename}")
        for fmt, path in files.items():
            assert SECRET not in path.read_text(), fmt
        lines = [json.loads(line) for line in files["jsonl"].read_text().splitlines()]
        assert [line["kind"] for line in lines] == ["open", "text", "text", "binary", "binary"]
        assert lines[0]["url"].endswith("/echo?token=****") and lines[2]["payload"] == LOGON
        (entry,) = from_har(files["har"])
        assert [(r.direction, r.kind, r.payload) for r in entry][1:] == [
            ("out", "text", LOGON), ("in", "text", LOGON),
            ("out", "binary", b"\x00\x01\xfe"), ("in", "binary", b"\x00\x01\xfe"),
        ]  # fmt: skip
        rows = list(csv.reader(io.StringIO(files["csv"].read_text())))
        assert rows[0][:6] == ["seq", "time", "direction", "kind", "size", "payload"]
        assert [r[5] for r in rows[2:]] == [LOGON, LOGON, "0001fe", "0001fe"]
        twin = kernel_text(nb, "name, data = ws.widget.download('jsonl'); print(len(data.splitlines()))")
        assert twin == "5"
        assert nb.unexpected_console_errors() == []


def test_saved_messages_are_offered_again_after_a_kernel_restart(chromium, jupyter, server, tmp_path):
    """A message saved by name is in the config file, and the composer offers it after a restart."""
    folder = tmp_path / "config"
    setup = (
        f"import os\nos.environ['WS_WIDGET_CONFIG_DIR'] = {str(folder)!r}\n"
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})"
    )
    with open_widget(chromium, jupyter, "tools_saved.ipynb", setup) as nb:
        wait_text(nb, role("saved-where"), "saved_messages.json$")
        nb.page.locator(role("mode")).select_option("json")
        nb.page.locator(role("composer")).fill(LOGON)
        nb.page.locator(role("saved-name")).fill("logon")
        nb.page.locator(role("saved-save")).click()
        wait_text(nb, role("saved-error"), "^saved logon$")
        wait_text(nb, role("saved"), r"logon \(json\)")
        saved = json.loads((folder / "saved_messages.json").read_text())
        assert saved["sockets"][server.url("/echo")] == {"logon": {"text": LOGON, "mode": "json"}}
        nb.execute_in_kernel("ws.widget.save_message('hello', 'hi there')")
        wait_text(nb, role("saved"), r"hello \(text\)")

        nb.page.evaluate("path => window.__wsTest.kernel(path).restart()", nb.name)
        nb.wait_kernel_idle()
        assert kernel_text(nb, "print('ws' in dir())") == "False"  # a new kernel
        nb.run_all()
        nb.page.wait_for_function(
            "selector => [...document.querySelectorAll(selector)].some(node => node.textContent.includes('logon (json)'))",
            arg=role("saved"),
        )
        assert kernel_text(nb, "print(sorted(ws.widget.saved_messages))") == "['hello', 'logon']"
        composer, mode = nb.page.locator(role("composer")).last, nb.page.locator(role("mode")).last
        nb.page.locator(role("saved")).last.select_option("logon")
        nb.page.locator(role("saved-load")).last.click()
        assert (composer.input_value(), mode.input_value()) == (LOGON, "json")
        nb.execute_in_kernel("ws.widget.load_message('hello')")  # the twin fills the composer too
        nb.page.wait_for_function(
            "selector => document.querySelectorAll(selector)[document.querySelectorAll(selector).length - 1].value === 'hi there'",
            arg=role("composer"),
        )
        assert mode.input_value() == "text"
        nb.page.locator(role("saved")).last.select_option("hello")
        nb.page.locator(role("saved-delete")).last.click()
        wait_text(nb, role("saved-error"), "^deleted hello$")
        assert kernel_text(nb, "print(sorted(ws.widget.saved_messages))") == "['logon']"
        assert nb.unexpected_console_errors() == []


def test_pause_keeps_the_list_still_counts_new_records_and_resume_catches_up(chromium, jupyter, server):
    """While paused the rows stay and a badge counts arrivals; Resume shows the newest; the twin agrees."""
    setup = (
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\nws.send('first')\nws.receive()"
    )
    with open_widget(chromium, jupyter, "tools_pause.ipynb", setup) as nb:
        wait_text(nb, role("shown"), "^3 records$")
        nb.page.locator(role("pause")).click()
        nb.page.wait_for_function(
            "selector => document.querySelector(selector).getAttribute('aria-pressed') === 'true'",
            arg=role("pause"),
        )
        wait_kernel(nb, "print(ws.widget.display_paused)", "True")
        nb.execute_in_kernel("for n in range(4):\n    ws.send(f'later {n}')\nws.receive(4)")
        wait_text(nb, role("paused-badge"), "^paused \u00b7 8 new records$")
        assert kernel_text(nb, "print(ws.widget.new_while_paused)") == "8"
        assert nb.count(row(4)) == 0 and nb.page.locator(role("shown")).text_content() == "3 records"
        nb.page.locator(role("pause")).click()  # Resume
        wait_text(nb, role("shown"), "^11 records$")
        nb.page.wait_for_selector(row(11))
        assert nb.page.locator(role("paused-badge")).text_content() == ""
        assert kernel_text(nb, "print(ws.widget.display_paused, ws.widget.new_while_paused)") == "False 0"

        nb.execute_in_kernel("ws.widget.pause_display()")  # the twin pauses the page too
        wait_text(nb, role("pause"), "^Resume$")
        nb.execute_in_kernel("ws.send('while paused'); ws.receive()")
        wait_text(nb, role("paused-badge"), "^paused \u00b7 2 new records$")
        nb.execute_in_kernel("ws.widget.pause_display(False)")
        nb.page.wait_for_selector(row(13))
        assert nb.unexpected_console_errors() == []


WIDTH = "(selector) => Math.round(document.querySelector(selector).getBoundingClientRect().width)"


def test_columns_resize_by_drag_keys_and_python_and_json_fields_show_as_columns(chromium, jupyter, server):
    """A dragged edge, Right on an edge and resize_column size a column; params.Id shows as a column."""
    setup = (
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\nws.send({LOGON!r})\nws.receive()"
    )
    with open_widget(chromium, jupyter, "tools_columns.ipynb", setup) as nb:
        wait_text(nb, role("shown"), "^3 records$")
        time_head = f"{ROOT} .wsw-colname[data-column='time']"
        time_cell = f"{row(2)} .wsw-time"
        before = nb.page.evaluate(WIDTH, time_cell)
        edge = nb.page.locator(f"{time_head} [data-role=column-edge]").bounding_box()
        x, y = edge["x"] + edge["width"] / 2, edge["y"] + edge["height"] / 2
        nb.page.mouse.move(x, y)
        nb.page.mouse.down()
        nb.page.mouse.move(x + 30, y, steps=3)
        nb.page.mouse.move(x + 60, y, steps=3)
        nb.page.mouse.up()
        nb.page.wait_for_function(f"() => ({WIDTH})({json.dumps(time_cell)}) === {before + 60}")
        assert nb.page.evaluate(WIDTH, time_head) == before + 60  # the header and the rows line up
        wait_kernel(nb, "print(ws.widget.column_widths)", f"{{'time': {before + 60}}}")

        nb.page.locator(f"{time_head} [data-role=column-edge]").focus()
        nb.page.keyboard.press("ArrowRight")
        nb.page.wait_for_function(f"() => ({WIDTH})({json.dumps(time_cell)}) === {before + 68}")
        nb.page.keyboard.press("ArrowDown")  # the next column's edge: dir
        assert nb.page.evaluate("() => document.activeElement.dataset.column") == "dir"
        nb.execute_in_kernel("ws.widget.resize_column('kind', 120)")
        nb.page.wait_for_function(f"() => ({WIDTH})({json.dumps(row(2) + ' .wsw-kind')}) === 120")

        nb.page.locator(role("field-input")).fill("params.Id")
        nb.page.locator(role("field-input")).press("Enter")
        wait_text(nb, f"{row(2)} .wsw-json-0", "^42$")
        wait_text(nb, f"{row(3)} .wsw-json-0", "^42$")  # the echo
        assert nb.page.locator(f"{row(1)} .wsw-json-0").text_content() == ""  # the open event has no field
        wait_kernel(nb, "print(ws.widget.json_columns)", "['params.Id']")
        nb.execute_in_kernel(
            'ws.widget.add_json_column(\'params.User\')\nws.send(\'{"params": {"User": "bo"}}\')'
        )
        wait_text(nb, f"{row(4)} .wsw-json-1", "^bo$")
        refused = kernel_text(
            nb, "try:\n    ws.widget.add_json_column('a..b')\nexcept ValueError as e:\n    print(e)"
        )
        assert refused.startswith("cannot read the field path 'a..b'")
        nb.page.locator(f"{ROOT} [data-role=column-remove][data-remove='params.Id']").click()
        wait_text(nb, f"{row(2)} .wsw-json-0", "^ann$")
        wait_kernel(nb, "print(ws.widget.json_columns)", "['params.User']")
        assert nb.unexpected_console_errors() == []
