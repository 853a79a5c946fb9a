"""The seed API in a plain Python script: the interpreter stays alive while a connection or a
timer is active and exits by itself once all have ended, as a Q-SYS script does."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

PONGS_THEN_CLOSE = """
from ws_widget import WebSocket, Timer

ws = WebSocket.New()
pongs = 0
t = Timer.New()

def on_pong(ws):
    global pongs
    pongs += 1
    print("pong", pongs)
    if pongs == 3:
        t.Stop()
        ws.Close()

ws.Connected = lambda ws: print("Connected")
ws.Data = lambda ws, data: print("Data", data)
ws.Error = lambda ws, err: print("Error", err)
ws.Closed = lambda ws: print("closed")
ws.Pong = on_pong
t.EventHandler = lambda timer: ws.Ping()
ws.Connect("ws", "127.0.0.1", "/echo", {port})
ws.Write("Hey!")
t.Start(0.2)
"""

REFUSED = """
from ws_widget import WebSocket

ws = WebSocket.New()
ws.Connected = lambda ws: print("Connected")
ws.Error = lambda ws, err: print("Error", err)
ws.Closed = lambda ws: print("closed")
ws.Connect("ws", "127.0.0.1", "/echo", {port})
"""


def run_script(tmp_path, source: str) -> subprocess.CompletedProcess:
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(source))
    return subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )


def closed_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_script_exits_after_timer_stops_and_connection_closes(tmp_path, server):
    """A script pinging from a Timer exits by itself once it stops the timer and closes."""
    result = run_script(tmp_path, PONGS_THEN_CLOSE.format(port=server.port))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Connected", "Data Hey!", "pong 1", "pong 2", "pong 3", "closed"]
    assert result.stderr == ""


def test_script_exits_after_refused_connection(tmp_path):
    """A script whose connection is refused prints Error then closed and exits by itself."""
    port = closed_port()
    result = run_script(tmp_path, REFUSED.format(port=port))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith("Error ") and f"127.0.0.1:{port}" in lines[0]
    assert lines[1] == "closed"
    assert result.stderr == ""


def test_script_that_raises_after_connect_exits(tmp_path, server):
    """A script that dies of an uncaught exception while connected exits with status 1."""
    source = REFUSED.format(port=server.port) + '\nraise RuntimeError("script bug")\n'
    result = run_script(tmp_path, source)
    assert result.returncode == 1
    assert "RuntimeError: script bug" in result.stderr
