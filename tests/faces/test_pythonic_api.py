"""The Pythonic API (sync and async) against real servers on loopback."""

from __future__ import annotations

import asyncio
import socket

import pytest

import ws_widget
from ws_widget import ConnectFailedError, NotConnectedError, State, WaitTimeoutError, WebSocket


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_connect_send_receive_close(any_server):
    """connect() waits until open; send, receive, ping and close work on every server."""
    ws = ws_widget.connect(any_server.url("/echo"))
    assert ws.state is State.OPEN and ws.url == any_server.url("/echo")
    ws.send({"method": "NoOp", "id": 1})
    assert ws.receive(timeout=5) == '{"method":"NoOp","id":1}'
    ws.send(b"\x00\x01")
    assert ws.receive(timeout=5) == b"\x00\x01"
    rtt = ws.ping()
    assert isinstance(rtt, float) and rtt > 0
    ws.close()
    assert ws.state is State.CLOSED and ws.close_code == 1000


def test_each_message_is_received_once(server):
    """receive() returns each incoming message once, in order, including those already recorded."""
    ws = ws_widget.connect(server.url("/count?n=5"))
    ws.wait_open()
    assert [ws.receive(timeout=5) for _ in range(5)] == ["0", "1", "2", "3", "4"]
    with pytest.raises(WaitTimeoutError, match=r"timed out after 0\.2 s waiting for a message"):
        ws.receive(timeout=0.2)
    ws.close()


def test_receive_timeout_shows_last_records(server):
    """A receive timeout says what was awaited and shows the last records seen."""
    ws = ws_widget.connect(server.url("/echo"))
    ws.send("last words")
    assert ws.receive(5) == "last words"
    with pytest.raises(WaitTimeoutError) as info:
        ws.receive(timeout=0.1)
    assert "after 0.1 s waiting for a message" in str(info.value) and "last words" in str(info.value)
    assert isinstance(info.value, TimeoutError)
    ws.close()


def test_iteration_ends_when_closed(server):
    """Iterating a socket yields messages until the server closes it."""
    ws = ws_widget.connect(server.url("/count?n=3&close=1"))
    assert list(ws) == ["0", "1", "2"]
    assert ws.state is State.CLOSED
    with pytest.raises(NotConnectedError):
        ws.receive(timeout=1)


def test_context_manager(server):
    """with-blocks wait until open and close at the end."""
    with ws_widget.connect(server.url("/echo"), wait=False) as ws:
        assert ws.state is State.OPEN
        ws.send("x")
        assert ws.receive(5) == "x"
    assert ws.state is State.CLOSED


def test_connect_failure_raises_with_explanation():
    """connect() to a refused port raises ConnectFailedError saying what to try."""
    port = closed_port()
    with pytest.raises(ConnectFailedError, match=f"connection refused by 127.0.0.1:{port}") as info:
        ws_widget.connect(f"ws://127.0.0.1:{port}/")
    assert isinstance(info.value, ConnectionError)


def test_async_face_from_asyncio_run(server):
    """The async twins work from a caller's own event loop."""

    async def main():
        async with ws_widget.connect(server.url("/echo"), wait=False) as ws:
            ws.send("one")
            assert await ws.aio.receive(timeout=5) == "one"
            assert await ws.aio.ping() > 0
            with pytest.raises(WaitTimeoutError):
                await ws.aio.receive(timeout=0.1)
        assert ws.state is State.CLOSED
        ws = ws_widget.connect(server.url("/count?n=3&close=1"), wait=False)
        await ws.aio.wait_open(timeout=5)
        received = [message async for message in ws]
        await ws.aio.wait_closed(timeout=5)
        return received

    assert asyncio.run(main()) == ["0", "1", "2"]


def test_async_face_from_another_thread_loop(server):
    """Async calls work from a loop on another thread, concurrently with blocking calls."""
    import threading

    ws = ws_widget.connect(server.url("/echo"))
    results = []

    def other():
        async def main():
            ws.send("from thread")
            results.append(await ws.aio.receive(timeout=5))

        asyncio.run(main())

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    assert results == ["from thread"]
    ws.close()


def test_unknown_option_is_named():
    """An unknown keyword option is refused with the list of known ones."""
    with pytest.raises(TypeError, match=r"unknown option 'timeout'; known options: .*open_timeout"):
        ws_widget.connect("ws://127.0.0.1:1/", timeout=3)


def test_wait_open_without_connect():
    """wait_open on a socket never connected says to call Connect first."""
    with pytest.raises(NotConnectedError, match="never connected"):
        ws_widget.WebSocket().wait_open(1)


def test_ping_timeout_and_rtt_recorded(server):
    """ping() returns the RTT that is also recorded on the pong record."""
    ws = ws_widget.connect(server.url("/echo"))
    rtt = ws.ping(payload="hello")
    pong = [r for r in ws.history if r.kind == "pong"][-1]
    assert pong.payload == b"hello" and pong.info["rtt"] == rtt
    ws.close()


def test_server_ping_is_recorded(server):
    """A ping from the server is recorded as an incoming ping (and answered)."""
    ws = ws_widget.connect(server.url("/ping"))
    ws.ping()  # the server's ping was processed before our pong arrives
    assert any(r.kind == "ping" and r.direction == "in" and r.payload == b"server-ping" for r in ws.history)
    ws.close()


def test_http_proxy_is_used(server):
    """proxy= sends the connection through an HTTP CONNECT proxy, as websockets does."""
    import threading

    requests = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_RDWR)  # wakes the thread reading it, unlike close()
            except OSError:
                pass

    def serve():
        client, _ = listener.accept()
        head = b""
        while b"\r\n\r\n" not in head:
            head += client.recv(4096)
        requests.append(head.split(b"\r\n")[0].decode())
        host, port = head.split()[1].decode().rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    threading.Thread(target=serve, daemon=True).start()
    try:
        ws = ws_widget.connect(server.url("/echo"), proxy=f"http://127.0.0.1:{listener.getsockname()[1]}")
        ws.send("via proxy")
        assert ws.receive(5) == "via proxy"
        ws.close()
    finally:
        listener.close()
    assert requests == [f"CONNECT 127.0.0.1:{server.port} HTTP/1.1"]


def test_timed_out_waits_do_not_break_the_connection(server):
    """A wait_open or wait_closed that times out leaves later waits and callbacks working."""
    import threading

    ws = ws_widget.WebSocket()
    closed = threading.Event()
    ws.Closed = lambda: closed.set()
    ws.connect(server.url("/silent"))
    with pytest.raises(WaitTimeoutError):
        ws.wait_closed(timeout=0.05)

    async def impatient():
        with pytest.raises(WaitTimeoutError):
            await ws.aio.wait_closed(timeout=0.05)

    asyncio.run(impatient())
    ws.close()
    assert closed.wait(10)
    ws.wait_closed(5)
    assert ws.close_code == 1000


def test_public_surface_holds_no_listener_methods():
    """The core's listener is a private adapter: dir(ws) shows the API, not the core's events."""
    ws = WebSocket()
    public = {name for name in dir(ws) if not name.startswith("_")}
    assert not public & {
        "opened",
        "message",
        "closed",
        "failed",
        "pong",
        "reconnect_scheduled",
        "reconnect_cancelled",
        "record_message",
        "control_frame",
    }
    assert {"Connect", "Write", "Close", "Ping", "connect", "send", "receive", "status", "aio"} <= public


def test_status_is_a_read_only_snapshot(server):
    """ws.status tells state, URL, subprotocol and close without reaching into the core."""
    ws = WebSocket()
    before = ws.status
    assert before.state is State.CLOSED and not before.connected_once and before.url is None
    ws.connect(server.url("/echo"))
    opened = ws.status
    assert opened.state is State.OPEN and opened.connected_once and opened.url == server.url("/echo")
    ws.close()
    assert opened.state is State.OPEN  # a snapshot does not change afterwards
    closed = ws.status
    assert closed.state is State.CLOSED and closed.close_code == 1000 and closed.error is None
    with pytest.raises(AttributeError):
        closed.state = State.OPEN
