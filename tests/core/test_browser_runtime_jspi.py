"""The browser runtime's blocking calls in a real Pyodide in Chromium (which has JavaScript
Promise Integration): ``connect()``, ``receive()``, ``expect()`` and ``close()`` block a cell
while the loop keeps running, and a callback that blocks stalls only its own socket. The page
loads the npm Pyodide and ws_widget from a zip, served on loopback; the WebSocket server is the
websockets test server.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
import websockets

import ws_widget

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent.parent
PYODIDE = ROOT / "lite" / "node_modules" / "pyodide"  # the site's Pyodide (lite/package.json)
PAGE = """<!doctype html><meta charset="utf-8"><title>ws_widget on Pyodide</title><script type="module">
import { loadPyodide } from "./pyodide/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: "./pyodide/" });
const bundle = await (await fetch("bundle.zip")).arrayBuffer();
pyodide.unpackArchive(bundle, "zip", { extractDir: "/lib/bundle" });
pyodide.runPython("import sys; sys.path.insert(0, '/lib/bundle')");
window.pyodide = pyodide;
</script>"""


def _bundle(path: Path) -> None:
    """ws_widget (with its front end in static/, as in the wheel) and websockets, zipped."""
    skip = ("__pycache__",)
    with zipfile.ZipFile(path, "w") as archive:
        for package in (Path(ws_widget.__file__).parent, Path(websockets.__file__).parent):
            for file in package.rglob("*"):
                if file.is_file() and not any(part in skip for part in file.parts) and file.suffix != ".so":
                    archive.write(file, file.relative_to(package.parent).as_posix())
        for name in ("widget.js", "widget.css"):
            archive.write(ROOT / "js" / name, f"ws_widget/static/{name}")


@pytest.fixture(scope="module")
def page(chromium, tmp_path_factory):
    """A Chromium page with Pyodide and ws_widget loaded (``window.pyodide``)."""
    if not PYODIDE.is_dir():
        pytest.fail("lite/node_modules/pyodide is missing: run make setup-lite")
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(PYODIDE, site / "pyodide")
    _bundle(site / "bundle.zip")
    (site / "index.html").write_text(PAGE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = chromium.browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
        tab.wait_for_function("window.pyodide !== undefined", timeout=60_000)
        yield tab
    finally:
        context.close()
        httpd.shutdown()


def run(page, code: str) -> object:
    """Run ``code`` in the page's Pyodide (top-level await allowed); return its last value."""
    return page.evaluate("(code) => pyodide.runPythonAsync(code).then((v) => v?.toJs ? v.toJs() : v)", code)


def test_blocking_calls_block_a_cell_with_jspi(page, server):
    """connect() waits for the open, receive() and expect() for the echo, close() for Closed."""
    result = run(
        page,
        f"""
import ws_widget
from pyodide.ffi import can_run_sync
ws = ws_widget.connect({server.url("/echo")!r}, sub_protocol="chat")
ws.send("one")
ws.send(b"\\x01\\x02")
first, second = ws.receive(5), ws.receive(5)
ws.send("needle")
found = ws.expect("need", timeout=5)
ws.close(4000, "done")
[can_run_sync(), first, list(second), found, ws.close_code, ws.close_reason, ws.state.name]
""",
    )
    assert result == [True, "one", [1, 2], "needle", 4000, "done", "CLOSED"]


def test_a_blocking_callback_stalls_only_its_own_socket(page, server):
    """A Data callback may block too (it times out after its second); meanwhile another
    socket's callbacks run, as a spare event thread lets them on a server."""
    result = run(
        page,
        f"""
import asyncio
import ws_widget
order = []
def slow(ws, data):
    order.append("slow starts")
    try:
        ws.expect("never", timeout=1)  # nothing matches: it waits its second out
    except ws_widget.WaitTimeoutError:
        order.append("slow timed out")
a = ws_widget.connect({server.url("/echo")!r})
b = ws_widget.connect({server.url("/echo")!r})
a.on_data(slow)
b.on_data(lambda ws, data: order.append("b " + data))
a.send("a")
await asyncio.sleep(0.2)
b.send("one")
await asyncio.sleep(0.2)
b.send("two")
for _ in range(60):
    if "slow timed out" in order:
        break
    await asyncio.sleep(0.05)
a.close()
b.close()
order
""",
    )
    assert result == ["slow starts", "b one", "b two", "slow timed out"]


def test_ping_is_refused_even_where_blocking_works(page, server):
    """ping() raises BrowserLimitError with the reason, not a wait for a pong that cannot come."""
    result = run(
        page,
        f"""
import ws_widget
ws = ws_widget.connect({server.url("/echo")!r})
try:
    ws.ping()
    said = ""
except ws_widget.BrowserLimitError as exc:
    said = str(exc)
ws.close()
said
""",
    )
    assert "pings are not available in the browser" in result
