"""The widget in a real JupyterLab 4 and Notebook 7, driven through Chromium."""

from __future__ import annotations

import re

import pytest
from browser import WIDGET_ROOT, open_widget, role

pytestmark = pytest.mark.browser

ROOT = WIDGET_ROOT


def wait_text(nb, selector: str, pattern: str, timeout: float = 20_000):
    """Wait until the element's text matches ``pattern``."""
    nb.page.wait_for_function(
        "([selector, pattern]) => { const node = document.querySelector(selector);"
        " return node && new RegExp(pattern).test(node.textContent); }",
        arg=[selector, pattern],
        timeout=timeout,
    )
    return nb.page.locator(selector).first.text_content()


def rows_text(nb) -> list[str]:
    return nb.page.locator(f"{ROOT} .wsw-row").all_text_contents()


def send(nb, text: str, mode: str = "text"):
    nb.page.select_option(role("mode"), mode)
    nb.page.fill(role("composer"), text)
    nb.page.click(role("send"))


def test_connect_send_ping_and_server_close(chromium, jupyter, server):
    """From the widget: connect, send text and hex, ping with RTT, and see a server close."""
    demo = "from ws_widget import WebSocket, demo\nserver = demo.start()\nws = WebSocket.New()"
    with open_widget(chromium, jupyter, "connect.ipynb", demo) as nb:
        assert nb.page.locator(role("state")).text_content() == "NOT CONNECTED"
        url = nb.execute_in_kernel("print(server.url_for('/echo'))")["stdout"].strip()
        nb.page.fill(f"{ROOT} .wsw-url-input", url)
        nb.page.click(role("connect"))
        wait_text(nb, role("state"), "^OPEN$")
        send(nb, "hello widget")
        wait_text(nb, f"{ROOT} [data-role=rows]", "hello widget")
        send(nb, "01 02 ff", "hex")
        nb.page.wait_for_function(
            "() => [...document.querySelectorAll('.wsw-row.wsw-in.wsw-kind-binary')].some(r => r.textContent.includes('01 02 ff'))"
        )
        nb.page.click(role("ping"))
        assert re.search(r"rtt \d+\.\d\d ms", wait_text(nb, role("rtt"), r"rtt \d"))
        history = nb.execute_in_kernel(
            "print([(r.direction, r.kind, r.payload) for r in ws.history.messages()])"
        )["stdout"]
        assert "('in', 'text', 'hello widget')" in history and r"('in', 'binary', b'\x01\x02\xff')" in history
        close_url = nb.execute_in_kernel("print(server.url_for('/close', code=4001, reason='bye now'))")[
            "stdout"
        ].strip()
        nb.page.fill(f"{ROOT} .wsw-url-input", close_url)
        nb.page.click(role("connect"))
        wait_text(nb, role("reason"), r"4001 \(private use\) bye now")
        wait_text(nb, f"{ROOT} [data-role=rows]", "4001 \\(private use\\) bye now")
        assert nb.unexpected_console_errors() == []


def test_filter_expand_json_and_composer_checks(chromium, jupyter, server):
    """Filters narrow the list, a click shows pretty JSON, bad JSON is refused in place."""
    setup = f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})"
    with open_widget(chromium, jupyter, "filter.ipynb", setup) as nb:
        wait_text(nb, role("state"), "^OPEN$")
        nb.execute_in_kernel(
            "ws.send({'method': 'Control.Get', 'params': ['MainGain']})\n"
            "for n in range(30): ws.send(f'plain {n}')\n"
            "ws.receive(5)"
        )
        wait_text(nb, role("shown"), "^6[1-9] records|^[7-9]\\d records")
        nb.page.fill(role("filter"), "Control")
        nb.page.select_option(role("direction"), "in")
        wait_text(nb, role("shown"), "^1 match$")
        assert len(rows_text(nb)) == 1
        nb.page.locator(f"{ROOT} .wsw-row").first.click()
        detail = wait_text(nb, role("detail"), '"method": "Control.Get"')
        assert '{\n  "method": "Control.Get",\n  "params": [\n    "MainGain"\n  ]\n}' in detail
        nb.page.fill(role("filter"), "plain (1|2)$")
        nb.page.check(role("regex"))
        wait_text(nb, role("shown"), "^2 match$")
        nb.page.fill(role("filter"), "(")
        wait_text(nb, role("shown"), "invalid regular expression")
        send(nb, '{"broken": ', "json")
        assert "invalid JSON" in wait_text(nb, role("compose-error"), "invalid JSON")
        sent = nb.execute_in_kernel("print(ws.stats['messages_out'])")["stdout"].strip()
        assert sent == "31"


def test_remote_html_stays_inert(chromium, jupyter, server):
    """Server messages carrying HTML or script appear literally and run nothing."""
    setup = f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})"
    payloads = ["<img src=x onerror=alert('xss')>", "<script>alert('xss2')</script>", "<b>bold</b>"]
    with open_widget(chromium, jupyter, "xss.ipynb", setup) as nb:
        for payload in payloads:
            nb.execute_in_kernel(f"ws.send({payload!r})")
        for payload in payloads:
            nb.page.wait_for_function(
                "(p) => [...document.querySelectorAll('.wsw-row.wsw-in')].some(r => r.textContent.includes(p))",
                arg=payload,
            )
        nb.page.locator(f"{ROOT} .wsw-row.wsw-in").first.click()
        nb.page.wait_for_timeout(300)
        assert nb.count(f"{ROOT} img") == 0
        assert nb.count(f"{ROOT} script") == 0
        assert nb.count(f"{ROOT} b") == 0
        assert nb.dialogs == []


def test_large_history_scrolls_with_bounded_dom(chromium, jupyter, server):
    """A 100,000-record history scrolls to the top and the bottom with few DOM rows."""
    setup = (
        "import ws_widget, time\n"
        f"ws = ws_widget.connect({server.url('/flood?n=100000&size=16')!r})\n"
        "while len(ws.history) < 100001: time.sleep(0.05)"
    )
    with open_widget(chromium, jupyter, "large.ipynb", setup) as nb:
        wait_text(nb, role("shown"), "^100001 records$")
        viewport = nb.page.locator(role("history"))
        viewport.evaluate("node => { node.scrollTop = 0; }")
        nb.page.wait_for_function("() => document.querySelector('.wsw-row[data-seq=\"1\"]') !== null")
        assert not nb.page.locator(role("follow")).is_checked()
        assert nb.count(f"{ROOT} .wsw-row") <= 300
        viewport.evaluate("node => { node.scrollTop = node.scrollHeight; }")
        nb.page.wait_for_function("() => document.querySelector('.wsw-row[data-seq=\"100001\"]') !== null")
        assert nb.count(f"{ROOT} .wsw-row") <= 300
        viewport.evaluate("node => { node.scrollTop = node.scrollHeight / 2; }")
        nb.page.wait_for_function(
            "() => [...document.querySelectorAll('.wsw-row')].some(r => { const s = +r.dataset.seq; return s > 40000 && s < 60000; })"
        )
        assert nb.count(".wsw-row") <= 300


def test_secrets_never_reach_the_page(chromium, jupyter, server):
    """An Authorization header and a token in the query show masked, in the page and the state."""
    setup = (
        "from ws_widget import WebSocket\nws = WebSocket.New()\n"
        f"ws.Connect('ws', '127.0.0.1', '/echo?token=canary-123', {server.port}, None, "
        "{'Authorization': 'Bearer canary-456'})"
    )
    with open_widget(chromium, jupyter, "secrets.ipynb", setup) as nb:
        wait_text(nb, role("state"), "^OPEN$")
        wait_text(nb, role("url"), r"token=\*\*\*\*")
        outputs = "".join(
            nb.page.locator(".jp-OutputArea").evaluate_all("nodes => nodes.map(n => n.innerHTML)")
        )
        assert "canary-123" not in outputs and "canary-456" not in outputs
        state = nb.execute_in_kernel("print(ws.widget.get_state())")["stdout"]
        assert "canary" not in state and "token=****" in state


def test_dark_theme_and_screenshot(chromium, jupyter, server, tmp_path):
    """The widget follows the dark theme; a screenshot of it is a real picture."""
    if jupyter.flavour != "lab":
        pytest.skip("the screenshot is taken in JupyterLab")
    setup = (
        "from ws_widget import demo, connect\nserver = demo.start()\n"
        "ws = connect(server.url_for('/qrc-public-api/v0'))\n"
        "ws.send({'jsonrpc': '2.0', 'id': 1, 'method': 'StatusGet'})\n"
        "ws.send({'jsonrpc': '2.0', 'id': 2, 'method': 'Control.Get', 'params': ['MainGain', 'MainMute']})\n"
        "ws.Ping()"
    )
    with open_widget(chromium, jupyter, "shot.ipynb", setup) as nb:
        wait_text(nb, role("rtt"), "rtt")
        wait_text(nb, role("shown"), r"^([6-9]|\d\d+) records")
        nb.page.locator(f"{ROOT} .wsw-row.wsw-in.wsw-kind-text").last.click()
        wait_text(nb, role("detail"), "jsonrpc")
        light_bg = nb.page.locator(ROOT).evaluate("node => getComputedStyle(node).backgroundColor")
        target = tmp_path / "widget.png"  # the docs' pictures: tests/docs/test_docs_screenshots.py
        target.parent.mkdir(exist_ok=True)
        nb.screenshot(target, selector=ROOT)
        assert target.stat().st_size > 10_000
        nb.dark()
        nb.page.wait_for_function(
            "(light) => getComputedStyle(document.querySelector('.wsw-root')).backgroundColor !== light",
            arg=light_bg,
        )
        nb.set_theme("JupyterLab Light")


def test_views_keyboard_and_debug_output(chromium, jupyter, server):
    """A second view shows the same history; Ctrl+Enter sends, Up recalls; Debug Output shows prints."""
    setup = (
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\n"
        "ws.Data = lambda ws, data: print('callback saw', data)"
    )
    with open_widget(chromium, jupyter, "views.ipynb", setup) as nb:
        composer = nb.page.locator(role("composer")).first
        composer.fill("first line")
        composer.press("Control+Enter")
        composer.fill("second line")
        composer.press("Control+Enter")
        wait_text(nb, f"{ROOT} [data-role=rows]", "second line")
        composer.fill("")
        composer.press("ArrowUp")
        assert composer.input_value() == "second line"
        composer.press("ArrowUp")
        assert composer.input_value() == "first line"
        nb.append_and_run("ws")
        nb.page.wait_for_function("() => document.querySelectorAll('.wsw-root').length === 2")
        nb.page.wait_for_function(
            "() => [...document.querySelectorAll('.wsw-root')].every(root =>"
            " root.querySelector('[data-role=shown]').textContent === '5 records')"
        )
        nb.page.locator(role("tab-debug-output")).first.click()
        wait_text(nb, role("debug"), "callback saw second line")
        debug = nb.page.locator(role("debug")).first.text_content()
        assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\tConnected to ws://", debug)


def test_million_records_scroll_end_to_end(chromium, jupyter):
    """One million records in the kernel scroll to the top, middle and bottom with few DOM rows."""
    if jupyter.flavour != "lab":
        pytest.skip("one flavour is enough for the million-record scroll")
    setup = (
        "from ws_widget import WebSocket\nws = WebSocket.New()\n"
        "for n in range(1_000_000): ws.history.add('in', 'text', f'message {n}', 12)"
    )
    with open_widget(chromium, jupyter, "million.ipynb", setup) as nb:
        wait_text(nb, role("shown"), "^1000000 records$")
        viewport = nb.page.locator(role("history"))
        for position, low, high in (
            ("0", 1, 20),
            ("node.scrollHeight / 2", 400_000, 600_000),
            ("node.scrollHeight", 999_980, 1_000_000),
        ):
            viewport.evaluate(f"node => {{ node.scrollTop = {position}; }}")
            nb.page.wait_for_function(
                "([low, high]) => [...document.querySelectorAll('.wsw-row')].some(r =>"
                " { const s = +r.dataset.seq; return s >= low && s <= high; })",
                arg=[low, high],
            )
            assert nb.count(".wsw-row") <= 300
        assert nb.page.locator(f'{ROOT} .wsw-row[data-seq="1000000"]').count() == 1


def test_protocol_tabs(chromium, jupyter, server):
    """The Frames, Handshake and Stats tabs show frames, the accept check and rates."""
    setup = (
        f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r}, frame_log=True)\n"
        "ws.send('in three frames', fragments=3)\nws.ping(payload='tab')"
    )
    with open_widget(chromium, jupyter, "tabs.ipynb", setup) as nb:
        nb.page.locator(role("tab-frames")).first.click()
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root [data-role=frames-rows] .wsw-row').length >= 6"
        )
        frames = nb.page.locator(f"{ROOT} [data-role=frames-rows] .wsw-row").all_text_contents()
        assert any("TEXT" in row and "FIN=0 RSV1=1 MASK=1" in row for row in frames)
        assert any("CONT" in row and "FIN=1 RSV1=0 MASK=1" in row for row in frames)
        assert any("PONG" in row and "tab" in row for row in frames)
        assert nb.page.locator(role("frame-log")).first.is_checked()
        nb.page.locator(role("tab-handshake")).first.click()
        handshake = wait_text(nb, role("handshake"), "matches")
        assert handshake.startswith("GET /echo HTTP/1.1") and "HTTP/1.1 101 Switching Protocols" in handshake
        assert "permessage-deflate; server_max_window_bits=12" in handshake
        nb.page.locator(role("tab-stats")).first.click()
        nb.execute_in_kernel("import time\nfor n in range(20): ws.send(f'tick {n}'); time.sleep(0.1)")
        wait_text(nb, f"{ROOT} .wsw-chart-caption", r"messages/s \(in, out\): \d")
        assert nb.page.locator(f"{ROOT} [data-role=chart-rate] polyline").first.get_attribute("points")
        nb.page.locator(role("tab-frames")).first.click()
        nb.page.locator(role("frame-log")).first.uncheck()
        state = nb.execute_in_kernel("import time; time.sleep(0.3); print(ws.frame_log)")["stdout"].strip()
        assert state == "False"


def test_reconnecting_is_shown_and_close_stops_it(chromium, jupyter, server):
    """The widget shows a pending reconnect with its attempt and countdown; Close stops it."""
    setup = (
        "from ws_widget import WebSocket\nfrom ws_widget.pure.options import ReconnectPolicy\nws = WebSocket.New()\n"
        f"ws.Connect('ws', '127.0.0.1', '/close?code=1012&reason=restart', {server.port}, "
        "reconnect=ReconnectPolicy(initial=3, jitter=0))"
    )
    with open_widget(chromium, jupyter, "reconnect.ipynb", setup) as nb:
        wait_text(nb, role("state"), "^RECONNECTING$")
        text = wait_text(nb, role("reconnect"), r"^reconnecting, attempt 1, next try in \d\.\d s$")
        assert "restart" in nb.page.locator(role("reason")).first.text_content()
        nb.page.click(role("close"))
        wait_text(nb, role("state"), "^CLOSED$")
        nb.page.wait_for_function(
            "() => document.querySelector('.wsw-root [data-role=reconnect]').textContent === ''"
        )
        assert text


def test_header_shows_a_pause_and_its_end(chromium, jupyter, server):
    """A slow Data callback shows "paused: ... Data callbacks behind" in the header until it drains."""
    if jupyter.flavour != "lab":
        pytest.skip("the header is the same in Notebook 7")
    setup = (
        "import time, ws_widget\nws = ws_widget.WebSocket()\n"
        "ws.Data = lambda ws, data: time.sleep(0.002)\n"
        f"ws.connect({server.url('/numbered?n=3000&size=64')!r}, max_backlog=50)"
    )
    with open_widget(chromium, jupyter, "paused.ipynb", setup) as nb:
        badge = nb.page.locator(role("paused"))
        text = wait_text(nb, role("paused"), r"^paused: [\d,]+ Data callbacks behind$")
        assert badge.is_visible() and text.startswith("paused: 5")
        announced = wait_text(nb, role("announce"), "^reading (paused|resumed)")
        nb.page.wait_for_function(
            "() => document.querySelector('.wsw-root [data-role=paused]').hidden", timeout=120_000
        )
        assert not badge.is_visible() and badge.text_content() == ""
        assert nb.execute_in_kernel("print(ws.paused, ws.pending_callbacks)")["stdout"].strip() == "None 0"
        assert wait_text(nb, role("announce"), "^reading resumed$") and announced
        nb.page.select_option(role("direction"), "event")
        wait_text(nb, f"{ROOT} [data-role=rows]", r"reading paused \([\d,]+ Data callbacks behind\)")
        assert "reading resumed (caught up)" in nb.page.locator(f"{ROOT} [data-role=rows]").text_content()
        assert nb.unexpected_console_errors() == []
