"""Expectations, periodic sends and sends on every connect, against a real server."""

from __future__ import annotations

import asyncio

import pytest

import ws_widget
from ws_widget import NotConnectedError, WaitTimeoutError
from ws_widget.pure.matching import json_contains, matcher


def test_matcher_kinds():
    """Patterns match text by regex, binary by substring, JSON by subset, or by a function."""
    assert matcher(r"^ok \d+$")("ok 12") and not matcher(r"^ok")(b"ok")
    assert matcher(b"\x02")(b"\x01\x02") and not matcher(b"\x02")("\x02")
    assert matcher({"id": 1, "result": {"a": 1}})('{"jsonrpc":"2.0","id":1,"result":{"a":1,"b":2}}')
    assert not matcher({"id": 1})('{"id": 2}') and not matcher({"id": 1})("not json")
    assert matcher(lambda payload: len(payload) == 3)("abc")
    assert json_contains([1, {"a": 1}], [1, {"a": 1}]) and not json_contains([1], [1, 2])
    with pytest.raises(ValueError, match="invalid regular expression"):
        matcher("(")
    with pytest.raises(TypeError, match="pattern must be"):
        matcher(3)


def test_expect_finds_the_match_and_consumes_what_came_before(server):
    """expect returns the first matching message; receive then continues after it."""
    ws = ws_widget.connect(server.url("/echo"))
    for message in ({"id": 1}, "noise", {"id": 2, "result": True}, "after"):
        ws.send(message)
    assert ws.expect({"id": 2}) == '{"id":2,"result":true}'
    assert ws.receive(5) == "after"
    ws.close()


def test_expect_times_out_with_the_last_messages(server):
    """A timed-out expect says what it waited for and shows the last records."""
    ws = ws_widget.connect(server.url("/echo"))
    ws.send("the last thing said")
    with pytest.raises(WaitTimeoutError) as info:
        ws.expect({"id": 99}, timeout=0.3)
    text = str(info.value)
    assert "waiting for a message matching {'id': 99}" in text and "the last thing said" in text
    ws.close()


def test_expect_fails_when_the_socket_closes(server):
    """expect on a socket that closes without a match raises NotConnectedError."""
    ws = ws_widget.connect(server.url("/count?n=2&close=1"))
    with pytest.raises(NotConnectedError):
        ws.expect("never", timeout=10)


def test_wait_for_counts_messages(server):
    """wait_for returns the next N messages, or times out saying which one was missing."""
    ws = ws_widget.connect(server.url("/count?n=5"))
    assert ws.wait_for(5) == ["0", "1", "2", "3", "4"]
    with pytest.raises(WaitTimeoutError, match="message 1 of 1"):
        ws.wait_for(1, timeout=0.2)
    ws.close()


def test_async_expect_and_wait_for(server):
    """The async twins of expect and wait_for work from a caller's event loop."""

    async def main():
        ws = ws_widget.connect(server.url("/echo"), wait=False)
        await ws.aio.wait_open(5)
        ws.send("a")
        ws.send({"id": 7})
        found = await ws.aio.expect({"id": 7})
        ws.send("b")
        ws.send("c")
        more = await ws.aio.wait_for(2)
        with pytest.raises(WaitTimeoutError):
            await ws.aio.expect("zzz", timeout=0.1)
        await ws.aio.close()
        return found, more

    assert asyncio.run(main()) == ('{"id":7}', ["b", "c"])


def test_every_sends_periodically_and_stops(server):
    """every() sends a message or a function's result while open, until stopped."""
    ws = ws_widget.connect(server.url("/echo"))
    counter = iter(range(100))
    timer = ws.every(0.05, lambda: f"reading {next(counter)}")
    assert ws.wait_for(3) == ["reading 0", "reading 1", "reading 2"]
    timer.Stop()
    fixed = ws.every(0.05, {"method": "NoOp"})
    assert ws.expect({"method": "NoOp"}) == '{"method":"NoOp"}'
    fixed.Stop()
    with pytest.raises(ValueError, match="positive"):
        ws.every(0, "x")
    with pytest.raises(TypeError):
        ws.every(1, object())
    ws.close()


def test_send_on_connect_resubscribes_after_reconnect(server):
    """Messages given to send_on_connect go out now and again on every reconnect, first."""
    ws = ws_widget.WebSocket()
    ws.send_on_connect({"method": "subscribe"})
    ws.Connect("ws", "127.0.0.1", "/echo", server.port)
    ws.Write("queued while connecting")
    assert ws.wait_for(2) == ['{"method":"subscribe"}', "queued while connecting"]
    ws.reconnect().wait_open(5)
    assert ws.receive(5) == '{"method":"subscribe"}'
    ws.connect_messages.clear()
    ws.close()
