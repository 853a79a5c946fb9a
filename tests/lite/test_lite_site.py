"""The JupyterLite site of `make lite`, built once, served on 127.0.0.1 and driven in Chromium
with every host but 127.0.0.1 unresolvable; every request (the kernel's web worker's too) is
logged and none leaves loopback. The Pyodide kernel installs ws_widget from the site's wheels
and connects to the websockets test server through the browser's WebSocket.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
import urllib.parse
from pathlib import Path

import pytest
from browser import CHROMIUM_ARGS, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ROOT = Path(__file__).parent.parent.parent
LITE_PYTHON = ROOT / ".venv-lite" / "bin" / "python"  # the build tools (make setup-lite)
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
KERNEL_IDLE = """() => {
    const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
    return kernel?.status === 'idle';
}"""
SET_CELL = """([start, source]) => {
    const cells = window.jupyterapp.shell.currentWidget.content.widgets;
    const cell = cells.find((c) => c.model.sharedModel.getSource().startsWith(start));
    cell.model.sharedModel.setSource(source);
}"""
OUTPUTS = """() => [...document.querySelectorAll('.jp-CodeCell')].map(
    (c) => c.querySelector('.jp-OutputArea')?.innerText ?? '')"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files and logs nothing."""

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built by lite/build.py (what `make lite LITE_DIR=...` runs), served on loopback."""
    if not (ROOT / "lite" / "node_modules" / "pyodide").is_dir() or not LITE_PYTHON.exists():
        pytest.fail("lite/node_modules/pyodide or .venv-lite is missing: run make setup-lite")
    folder = tmp_path_factory.mktemp("lite") / "site"
    built = subprocess.run(
        [str(LITE_PYTHON), str(ROOT / "lite" / "build.py"), str(folder)], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout + built.stderr
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Chromium that resolves no host but 127.0.0.1, and the URL of every request it makes."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=require_chromium(), args=[*CHROMIUM_ARGS, OFFLINE]
        )
        context = chromium.new_context()
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        context.on("websocket", lambda ws: requests.append(ws.url))
        context.requests = requests  # type: ignore[attr-defined]
        yield context
        chromium.close()


def assert_offline(context, site: str) -> None:
    """Every request went to 127.0.0.1, the worker's (Pyodide, wheels) included."""
    requests = context.requests
    assert any(url.endswith("/static/pyodide/pyodide.asm.wasm") for url in requests)  # the worker's
    assert any("/pypi/ws_widget-" in url for url in requests)  # %pip install, from the worker
    away = [
        url
        for url in requests
        if urllib.parse.urlsplit(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:"))
    ]
    assert away == []


def open_notebook(context, url: str):
    """A page with the notebook at ``url`` whose Pyodide kernel is idle."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    return page


def run_all(page, last_words: str) -> list[str]:
    """Run every cell; return each code cell's output text once ``last_words`` is shown."""
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        f"() => ({OUTPUTS})().some((text) => text.includes({last_words!r}))", timeout=120_000
    )
    page.wait_for_timeout(500)  # the callbacks' last prints
    return page.evaluate(OUTPUTS)


def quickstart(context, site: str, server, app: str):
    """The quickstart notebook in ``app`` (lab or notebooks), pointed at the echo server, run."""
    page = open_notebook(context, f"{site}/{app}/index.html?path=quickstart.ipynb")
    page.evaluate(
        SET_CELL, ["SCHEME, HOST", f'SCHEME, HOST, PATH, PORT = "ws", "127.0.0.1", "/echo", {server.port}']
    )
    return page, run_all(page, "closed:")


def test_the_quickstart_runs_in_jupyterlab(browser, site, server):
    """%pip install ws_widget works offline; the seed API connects, Data prints in the connecting
    cell, aio.receive gets the echo, a header is refused, Close sends its code and reason, and
    the widget shows the records, its Ping disabled and why Frames and Handshake are empty."""
    page, outputs = quickstart(browser, site, server, "lab")
    connecting = next(text for text in outputs if "Connected" in text)
    assert "Data echo-me" in connecting
    assert "Closed 4000 done" in connecting
    assert any("aio.receive: echo-me" in text for text in outputs)
    assert any("refused: custom handshake headers (Authorization)" in text for text in outputs)
    assert any("closed: 4000 done ['open', 'text', 'text', 'close']" in text for text in outputs)
    widget = page.locator(".jp-CodeCell").filter(has_text="Connected").locator(".wsw-root")
    assert widget.first.is_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.wsw-preview')].some((e) => e.textContent.includes('echo-me'))"
    )
    ping = page.locator("[data-role=ping]").first
    assert ping.is_disabled()
    assert "pings are not available" in ping.get_attribute("title")
    texts = page.locator(".wsw-root pre, [data-role=frames-hint-text]").all_text_contents()
    assert any("frames are not visible" in text for text in texts)
    assert any("the opening handshake is not visible" in text for text in texts)
    page.close()
    assert_offline(browser, site)


def test_the_widget_renders_in_the_notebook_app(browser, site, server):
    """In Notebook 7 the same notebook runs and its widget shows the echo in its history."""
    page, outputs = quickstart(browser, site, server, "notebooks")
    assert any("aio.receive: echo-me" in text for text in outputs)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.wsw-preview')].some((e) => e.textContent.includes('echo-me'))"
    )
    page.close()
    assert_offline(browser, site)


def test_a_recorded_session_is_read_offline(browser, site):
    """The bundled cassette and JSONL history load in the page, and the cassette replays offline:
    the seed API's Data prints the recorded answers in order, and replay() reproduces the session."""
    page = open_notebook(browser, f"{site}/lab/index.html?path=recorded_session.ipynb")
    outputs = run_all(page, "replayed:")
    assert any("6 frames" in text and "StatusGet" in text for text in outputs)
    assert any(
        "7 records: ['open', 'text', 'text', 'text', 'text', 'text', 'close']" in text for text in outputs
    )
    seed = next(text for text in outputs if "Connected to ws://replay.invalid:" in text)
    lines = [line for line in seed.splitlines() if line.startswith("Data ")]
    recorded = ('"method": "EngineStatus"', '"result": {"Platform": ', '"result": [{"Name": "MainGain"')
    assert len(lines) == 3
    assert all(
        line.startswith('Data {"jsonrpc": "2.0", ' + start)
        for line, start in zip(lines, recorded, strict=True)
    )
    assert "Closed 1000" in seed
    assert any(
        "replayed: ['open', 'text', 'text', 'text', 'text', 'text', 'close'] 1000" in t for t in outputs
    )
    page.close()
    assert_offline(browser, site)


def test_the_repl_code_link_runs_the_seed_api(browser, site, server):
    """A repl link with ?code= installs ws_widget and shows a server's close code and reason."""
    code = [
        "%pip install -q ws-widget",  # the distribution name; the notebooks use ws_widget
        "from ws_widget import WebSocket\n"
        "ws = WebSocket.New()\n"
        'ws.Closed = lambda ws: print("Closed", ws.close_code, ws.close_reason)\n'
        f'ws.Connect("ws", "127.0.0.1", "/close?code=4001&reason=server-bye", {server.port})\n'
        "await ws.aio.wait_closed(10)",
    ]
    query = urllib.parse.urlencode([("kernel", "python"), *(("code", line) for line in code)])
    page = browser.new_page()
    page.goto(f"{site}/repl/index.html?{query}")
    page.wait_for_function(
        "() => document.body.innerText.includes('Closed 4001 server-bye')", timeout=120_000
    )
    page.close()
    assert_offline(browser, site)
