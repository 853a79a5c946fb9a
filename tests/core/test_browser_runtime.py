"""The browser runtime (issue 15) in a real Pyodide, run by Node with its WebSocket API (the
browser's), against the websockets test server on loopback: ws_widget imports without threads,
runs connections, callbacks and timers on Pyodide's loop, and refuses what a page cannot do.

The session runs once (tests/core/browser_session.py, about 5 s); each test reads one finding.
Node has no JavaScript Promise Integration here, so blocking calls take the error path; the
JupyterLite tests (tests/lite/) cover the kernel in Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import websockets

import ws_widget
from ws_widget.pure.status import Capabilities

ROOT = Path(__file__).parent.parent.parent
NODE_DIR = ROOT / "tests" / "node"
SESSION = Path(__file__).parent / "browser_session.py"
CASSETTE = ROOT / "lite" / "content" / "qrc.cassette.txt"


def _node_args() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the browser runtime tests run Pyodide under Node")
    major = int(
        subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()[1:].split(".")[0]
    )
    return [node, "--experimental-websocket"] if major < 22 else [node]  # Node 22 has WebSocket built in


@pytest.fixture(scope="module")
def session(server, tmp_path_factory):
    """The findings of one Pyodide session (a dict), and what it printed."""
    if not (ROOT / "lite" / "node_modules" / "pyodide").is_dir():
        pytest.fail("lite/node_modules/pyodide is missing: run make setup-lite")
    script = (
        SESSION.read_text()
        .replace(
            'ECHO = CLOSE = DEAD = ""  # URLs, replaced by the test',
            f"ECHO, CLOSE, DEAD = {server.url('/echo')!r}, {server.url('/close?code=4001&reason=bye')!r}, "
            "'ws://127.0.0.1:9/'",
        )
        .replace('CASSETTE = ""  # replaced by the test', f"CASSETTE = {CASSETTE.read_text()!r}")
    )
    path = tmp_path_factory.mktemp("pyodide") / "session.py"
    path.write_text(script)
    package = tmp_path_factory.mktemp("package") / "ws_widget"  # as the wheel has it: js/ in static/
    shutil.copytree(Path(ws_widget.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "static").mkdir(exist_ok=True)
    for name in ("widget.js", "widget.css"):
        shutil.copy(ROOT / "js" / name, package / "static" / name)
    site = Path(websockets.__file__).parent.parent
    done = subprocess.run(
        [*_node_args(), str(NODE_DIR / "pyodide_run.mjs"), str(path), str(package), str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NODE_DIR,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    lines = done.stdout.splitlines()
    found = [line for line in lines if line.startswith("RESULTS ")]
    assert found, f"the Pyodide session failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(found[-1][len("RESULTS ") :]), lines


def test_imports_without_threads(session):
    """Under Pyodide ws_widget imports and connects with no thread started, on the browser transport."""
    results, _ = session
    assert results["platform"] == "emscripten"
    assert results["runtime_threads"] is False
    assert results["transport"] == "BrowserTransport"
    assert results["threads_after_import"] == 1
    assert results["threads_at_end"] == 1


def test_seed_callbacks_run_in_order_on_the_loop(session):
    """Connected, Data (text, then binary) and Closed run in arrival order, as lane turns on the loop."""
    results, _ = session
    assert results["events"] == [
        ["Connected", "chat", True],
        ["Data", "Hey!"],
        ["Data", [1, 2]],
        ["Closed", 4000, "done"],
    ]


def test_aio_receive_takes_the_echo(session):
    """await ws.aio.receive() returns the echoed text and bytes."""
    results, _ = session
    assert results["aio_receive"] == ["Hey!", [1, 2]]


def test_history_records_the_connection(session):
    """The history holds the open, both sends, both echoes and the close, as on a server."""
    results, _ = session
    assert results["history"] == [
        ["event", "open"],
        ["out", "text"],
        ["out", "binary"],
        ["in", "text"],
        ["in", "binary"],
        ["event", "close"],
    ]


def test_close_code_and_reason_both_ways(session):
    """A client close (4000 done) and a server close (4001 bye) are clean, with code, reason, initiator."""
    results, _ = session
    (client,) = results["client_close"]
    assert (client["code"], client["reason"], client["initiator"], client["clean"]) == (
        4000,
        "done",
        "client",
        True,
    )
    code, reason, info = results["server_close"]
    assert (code, reason) == (4001, "bye")
    assert (info["initiator"], info["clean"]) == ("server", True)


def test_blocking_calls_name_their_await_twin(session):
    """Without JSPI, receive() and connect() raise BlockingUnavailableError naming the await twin;
    connect() starts nothing."""
    results, _ = session
    name, text = results["blocking_receive"]
    assert name == "BlockingUnavailableError"
    assert "await ws.aio.receive()" in text
    name, text = results["connect_wait"]
    assert name == "BlockingUnavailableError"
    assert "wait=False" in text and "await ws.aio.wait_open()" in text
    assert results["connect_wait_left_no_attempt"] is False


@pytest.mark.parametrize(
    ("call", "said"),
    [
        ("ping", "pings are not available in the browser"),
        ("fragments", "fragments=2 is not possible"),
        ("close_1001", "close code 1001 cannot be sent in the browser"),
        ("frame_log", "frames are not visible in the browser"),
        ("header", "custom handshake headers (Authorization) cannot be sent"),
        ("verify", "verify=False is not possible in the browser"),
    ],
)
def test_what_a_page_cannot_do_is_refused(session, call, said):
    """Each call a page's WebSocket cannot honour raises BrowserLimitError saying so."""
    results, _ = session
    name, text = results[call]
    assert name == "BrowserLimitError"
    assert said in text


def test_seed_api_replays_a_cassette_in_process(session):
    """The seed API connects to an in-process ReplayServer; its Data gets the recorded messages in order."""
    results, _ = session
    found = results["replay_seed"]
    assert found["in_process"] is True
    assert found["data"] == found["recorded"] and len(found["data"]) == 3
    assert found["close"] == [4000, "seen"]


def test_replay_reproduces_the_recorded_session(session):
    """ws_widget.replay() plays the bundled cassette with no listening socket: same messages, client close."""
    results, _ = session
    found = results["replay"]
    assert found["said"] == found["recorded"] and len(found["said"]) == 5
    assert found["closes"] == [[1000, "client"]]


def test_a_refused_connect_starts_nothing(session):
    """A Connect refused for its headers leaves the socket never connected."""
    results, _ = session
    assert results["header_left_no_attempt"] is False


def test_a_failed_open_says_where_to_look(session):
    """A connection the browser cannot open fails with a line that says the console has the reason."""
    results, _ = session
    name, text = results["dead"]
    assert name == "ConnectFailedError"
    assert "the browser could not open ws://127.0.0.1:9/" in text
    assert "developer console" in text


def test_callback_print_reaches_output_and_debug_output(session):
    """What a Data callback prints is written out and copied to the socket's Debug Output."""
    results, lines = session
    assert "callback says hello" in lines
    assert any(line.endswith("\tcallback says hello") for line in results["debug_output"])


def test_the_widget_flushes_on_the_loop(session):
    """The widget's flusher ticks on the loop, sends the history's tail and states the limits;
    the Ping button's message is answered with the reason, not raised."""
    results, _ = session
    widget = results["widget"]
    assert widget["ticks"] >= 3
    assert widget["state"] == "OPEN"
    assert widget["sent_seq"] == widget["last_seq"] >= 3  # open, the composer's send, its echo
    assert widget["limits"] == ["frames", "handshake", "ping"]
    (answer,) = widget["ping_answer"]
    assert answer["action"] == "ping"
    assert "pings are not available in the browser" in answer["text"]


def test_a_loop_behind_pauses_and_loses_nothing(session):
    """A receiving loop that falls behind pauses reading (the page's messages are held), and
    resumes, every message taken in order."""
    results, _ = session
    flow = results["flow"]
    assert flow["paused"]
    assert flow["taken"] is True
    kinds = flow["kinds"]
    assert kinds[0] == "pause" and kinds[-1] == "resume"
    assert kinds == ["pause", "resume"] * (len(kinds) // 2), kinds


def test_timers_tick_on_the_loop(session):
    """Timer ticks and CallAfter run on the loop as lane turns."""
    results, _ = session
    assert len(results["ticks"]) >= 3
    assert all(results["ticks"])
    assert results["call_after"] == [1]


def test_the_server_runtime_is_unchanged():
    """On CPython the runtime is the threaded one with websockets' client and every capability."""
    from ws_widget.core import runtime

    assert sys.platform != "emscripten"
    assert runtime.THREADS is True
    assert runtime.default_transport().__name__ == "WebsocketsTransport"
    assert runtime.can_block() is True
    assert ws_widget.WebSocket().status.capabilities == Capabilities()
