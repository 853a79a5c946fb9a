"""Opt-in automatic reconnect: backoff with jitter, Connected again each time, Close() stops it."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from servers import WebsocketsServer

import ws_widget
from ws_widget import State, WebSocket
from ws_widget.pure.options import ReconnectPolicy

FAST = ReconnectPolicy(initial=0.05, factor=2.0, max_delay=0.2, jitter=0.5)


def test_policy_backs_off_with_jitter_and_a_cap():
    """Delays grow by the factor up to max_delay, jitter only shortens them, max_attempts stops."""
    policy = ReconnectPolicy(initial=1, factor=2, max_delay=10, jitter=0.5, max_attempts=4)
    assert [policy.delay(n, 0.0) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]
    assert policy.delay(3, 0.999) == pytest.approx(4 * (1 - 0.5 * 0.999))
    assert not policy.gives_up(4) and policy.gives_up(5)
    with pytest.raises(ValueError, match="jitter"):
        ReconnectPolicy(jitter=1.5)
    with pytest.raises(TypeError, match="reconnect must be"):
        ws_widget.connect("ws://127.0.0.1:1/", reconnect="yes")


def test_reconnects_after_each_server_close_until_close(server):
    """Each server close leads to a new attempt with Connected again; Close() stops the cycle."""
    ws = WebSocket.New()
    events, three = [], threading.Event()
    ws.Connected = lambda: (events.append("Connected"), len(events) >= 5 and three.set())
    ws.Closed = lambda: events.append("Closed")
    ws.Connect("ws", "127.0.0.1", "/close?code=1012&reason=restart", server.port, reconnect=FAST)
    assert three.wait(10)
    ws.Close()
    time.sleep(0.5)
    settled = list(events)
    time.sleep(0.5)
    assert events == settled  # nothing after Close()
    assert events[:4] == ["Connected", "Closed", "Connected", "Closed"]
    kinds = [r.kind for r in ws.history]
    assert kinds[:6] == ["open", "close", "reconnect", "open", "close", "reconnect"]
    retries = [r.info["retry"] for r in ws.history if r.kind == "reconnect"]
    assert len(retries) >= 2 and set(retries) == {1}  # each connection had opened: no backoff growth
    assert ws.reconnecting is None


def test_gives_up_after_max_attempts():
    """A refused port is retried max_attempts times with growing retry numbers, then left closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ws = WebSocket.New()
    errors = []
    ws.Error = lambda ws, err: errors.append(err)
    ws.Connect("ws", "127.0.0.1", "/", port, reconnect=ReconnectPolicy(initial=0.02, max_attempts=2))
    deadline = time.monotonic() + 10
    while ("Not reconnecting" not in str(ws.debug_output) or len(errors) < 3) and time.monotonic() < deadline:
        time.sleep(0.02)  # the Error callback may run a moment after the line is logged
    assert len(errors) == 3 and all("connection refused" in e for e in errors)
    assert [r.info["retry"] for r in ws.history if r.kind == "reconnect"] == [1, 2]
    assert ws.state is State.CLOSED and ws.reconnecting is None


def test_server_restart_resumes_and_loses_nothing_received():
    """After a server restart the client reconnects by itself; every message received is recorded."""
    first = WebsocketsServer()
    port = first.port
    ws = ws_widget.connect(first.url("/count?n=50"), reconnect=FAST)
    assert ws.wait_for(50) == [str(n) for n in range(50)]
    first.close()  # the server goes away: 1001 going away, then refused connections
    deadline = time.monotonic() + 10
    while ws.reconnecting is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ws.reconnecting is not None
    second = WebsocketsServer(port=port)
    try:
        assert ws.wait_for(50, timeout=20) == [str(n) for n in range(50)]  # the same URL again
        assert ws.state is State.OPEN
        received = [r.payload for r in ws.history.messages()]
        assert received == [str(n) for n in range(50)] * 2
        ws.close()
    finally:
        second.close()


def test_receive_waits_across_a_reconnect(server):
    """receive() keeps waiting while a reconnect is pending instead of failing."""
    ws = ws_widget.connect(server.url("/count?n=1&close=1"), reconnect=FAST)
    assert ws.receive(5) == "0"
    assert ws.receive(10) == "0"  # from the next connection
    ws.close()
