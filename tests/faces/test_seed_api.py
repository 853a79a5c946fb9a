"""The seed (Q-SYS) API against real servers on loopback."""

from __future__ import annotations

import json
import queue
import threading
import time

import pytest

from ws_widget import NotConnectedError, State, WebSocket


def connect(ws, server, path):
    port = server.port
    ws.Connect(server.scheme, "127.0.0.1", path, port)


def test_new_and_str():
    """WebSocket.New() makes an unconnected socket that prints as 'websocket'."""
    ws = WebSocket.New()
    assert str(ws) == "websocket"
    assert ws.state is State.CLOSED
    assert isinstance(WebSocket(), WebSocket)


def test_text_and_binary_echo(any_server, recorder):
    """Text arrives as str and binary as bytes, in order, against every server."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, any_server, "/echo")
    ws.Write("Hey!")
    ws.Write(b"\x01\x02", True)
    ws.Write("caf\u00e9", True)
    recorder.wait_data(3)
    data = [event[1] for event in recorder.events if event[0] == "Data"]
    assert data == ["Hey!", b"\x01\x02", "caf\u00e9".encode()]
    assert recorder.names()[0] == "Connected"
    ws.Close()
    recorder.wait_closed()
    assert ws.close_code == 1000
    assert "Error" not in recorder.names()


def test_writes_queue_while_connecting(server, recorder):
    """Writes made right after Connect go out in order once the connection opens."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/echo")
    for number in range(50):
        ws.Write(str(number))
    recorder.wait_data(50)
    assert recorder.data() == [str(n) for n in range(50)]
    ws.Close()


def test_four_mebibyte_message(server, recorder):
    """A 4 MiB binary message arrives whole."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/big?size=4194304")
    recorder.wait_data()
    payload = recorder.data()[0]
    assert isinstance(payload, bytes) and len(payload) == 4 * 2**20
    assert ws.history.tail(1)[0].size == 4 * 2**20
    ws.Close()


@pytest.mark.parametrize("implementation", ["websockets", "node-ws"])
def test_fragmented_message(implementation, request, recorder):
    """A message the server sends in three fragments arrives as one message."""
    from servers import NodeServer, WebsocketsServer

    server = {"websockets": WebsocketsServer, "node-ws": NodeServer}[implementation]()
    request.addfinalizer(server.close)
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/fragments")
    recorder.wait_data()
    assert recorder.data() == ["alpha-beta-gamma"]
    ws.Close()


def test_subprotocol_negotiation(any_server, recorder):
    """The server's choice among the offered subprotocols is on ws.subprotocol."""
    ws = WebSocket.New()
    recorder.attach(ws)
    ws.Connect("ws", "127.0.0.1", "/echo", any_server.port, ["qrc", "json"])
    recorder.wait_for(lambda e: "Connected" in [x[0] for x in e])
    assert ws.subprotocol == "qrc"
    ws.Close()
    recorder.wait_closed()
    ws.Connect("ws", "127.0.0.1", "/echo", any_server.port, "json")
    recorder.wait_for(lambda e: recorder.names().count("Connected") == 2)
    assert ws.subprotocol == "json"
    ws.Close()


def test_custom_headers_reach_the_server(any_server, recorder):
    """Headers passed to Connect are in the handshake the server saw."""
    ws = WebSocket.New()
    recorder.attach(ws)
    ws.Connect(
        "ws",
        "127.0.0.1",
        "/headers",
        any_server.port,
        None,
        {"Authorization": "Bearer my-auth-token", "X-Device": "core-1"},
    )
    recorder.wait_data()
    seen = {k.lower(): v for k, v in json.loads(recorder.data()[0]).items()}
    assert seen["authorization"] == "Bearer my-auth-token"
    assert seen["x-device"] == "core-1"
    assert "my-auth-token" not in repr(ws) and "my-auth-token" not in str(ws.debug_output)
    ws.Close()


def test_origin_and_user_agent_are_settable(server, recorder):
    """origin= and user_agent= set the Origin and User-Agent headers the server sees."""
    ws = WebSocket.New()
    recorder.attach(ws)
    ws.Connect(
        "ws",
        "127.0.0.1",
        "/headers",
        server.port,
        origin="http://127.0.0.1:8888",
        user_agent="ws_widget-test/1",
    )
    recorder.wait_data()
    seen = {k.lower(): v for k, v in json.loads(recorder.data()[0]).items()}
    assert seen["origin"] == "http://127.0.0.1:8888"
    assert seen["user-agent"] == "ws_widget-test/1"
    ws.Close()


def test_query_string_is_kept(server, recorder):
    """The url argument keeps its query string."""
    ws = WebSocket.New()
    recorder.attach(ws)
    ws.Connect("ws", "127.0.0.1", "/count?n=3", server.port)
    recorder.wait_data(3)
    assert ws.url == f"ws://127.0.0.1:{server.port}/count?n=3"
    ws.Close()


def test_ipv6_literal(recorder):
    """An IPv6 literal host connects, with or without brackets."""
    import socket

    from servers import LoopThread
    from websockets.asyncio.server import serve

    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    loop = LoopThread()

    async def start():
        async def echo(connection):
            async for message in connection:
                await connection.send(message)

        return await serve(echo, "::1", 0)

    try:
        server = loop.run(start())
    except OSError:
        loop.stop()
        pytest.skip("IPv6 loopback is not configured")
    port = server.sockets[0].getsockname()[1]
    try:
        for host in ("::1", "[::1]"):
            ws = WebSocket.New()
            events = type(recorder)().attach(ws)
            ws.Connect("ws", host, "", port)
            ws.Write("six")
            events.wait_data()
            assert ws.url == f"ws://[::1]:{port}/"
            ws.Close()
            events.wait_closed()
    finally:
        server.close()
        loop.stop()


def test_ping_pong_records_rtt(any_server, recorder):
    """Ping fires Pong on the answer and records the round-trip time."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, any_server, "/echo")
    ws.Ping()
    recorder.wait_for(lambda e: "Pong" in [x[0] for x in e])
    pongs = [r for r in ws.history if r.kind == "pong"]
    pings = [r for r in ws.history if r.kind == "ping"]
    assert len(pings) == 1 and len(pongs) == 1
    assert pongs[0].payload == pings[0].payload
    assert pongs[0].info["rtt"] > 0
    ws.Close()


def test_server_close_with_code_and_reason(any_server, recorder):
    """A server-initiated close gives Closed only, with code and reason set."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, any_server, "/close?code=4001&reason=bye%20now")
    recorder.wait_closed()
    assert recorder.names() == ["Connected", "Closed"]
    assert (ws.close_code, ws.close_reason) == (4001, "bye now")
    assert ws.state is State.CLOSED
    close = next(r for r in ws.history if r.kind == "close")
    assert close.info["code"] == 4001 and close.info["initiator"] == "server"


def test_close_with_code_and_reason(server, recorder):
    """Close(code, reason) sends them; the server's echo is on close_code."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/echo")
    recorder.wait_for(lambda e: "Connected" in [x[0] for x in e])
    ws.Close(code=4000, reason="done")
    recorder.wait_closed()
    assert (ws.close_code, ws.close_reason) == (4000, "done")
    assert recorder.names() == ["Connected", "Closed"]


def test_write_after_close_raises(server, recorder):
    """Write on a closed or never-connected socket raises a ConnectionError subclass."""
    ws = WebSocket.New()
    with pytest.raises(NotConnectedError, match="never connected"):
        ws.Write("x")
    assert issubclass(NotConnectedError, ConnectionError)
    recorder.attach(ws)
    connect(ws, server, "/echo")
    ws.Close()
    recorder.wait_closed()
    with pytest.raises(NotConnectedError, match="closed"):
        ws.Write("x")
    with pytest.raises(NotConnectedError):
        ws.Ping()


def test_write_checks_its_input(server):
    """Write rejects invalid UTF-8 as text and unsupported types, clearly."""
    ws = WebSocket.New()
    with pytest.raises(ValueError, match=r"not valid UTF-8.*isBinary=True"):
        ws.Write(b"\xff\xfe")
    with pytest.raises(TypeError, match="must be str or bytes, got dict"):
        ws.Write({"a": 1})
    with pytest.raises(TypeError, match="got int"):
        ws.Write(42)


def test_bytes_sent_as_text_arrive_as_text(server, recorder):
    """Valid UTF-8 bytes written without isBinary go as a text frame."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/echo")
    ws.Write("h\u00e9".encode())
    recorder.wait_data()
    assert recorder.data() == ["h\u00e9"]
    ws.Close()


def test_connect_on_open_socket_closes_the_old_one(server, recorder):
    """Connect on an open socket closes the old connection first: Closed, then Connected."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/echo")
    recorder.wait_for(lambda e: "Connected" in [x[0] for x in e])
    connect(ws, server, "/echo")
    recorder.wait_for(lambda e: recorder.names().count("Connected") == 2)
    assert recorder.names() == ["Connected", "Closed", "Connected"]
    ws.Write("again")
    recorder.wait_data()
    ws.Close()


def test_reconnect_from_closed_callback(server):
    """Connect called from the Closed callback (the Q-SYS way to reconnect) just works."""
    ws = WebSocket.New()
    opened, done = [], threading.Event()

    def on_connected(ws):
        opened.append(ws.url)
        if len(opened) < 3:
            ws.Close()
        else:
            done.set()

    ws.Connected = on_connected
    ws.Closed = lambda ws: ws.Connect("ws", "127.0.0.1", "/echo", server.port) if len(opened) < 3 else None
    connect(ws, server, "/echo")
    assert done.wait(10), opened
    assert len(opened) == 3
    ws.Close()


def test_reconnect_from_error_callback(server):
    """Connect called from the Error callback after a refused attempt connects."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    ws = WebSocket.New()
    connected = threading.Event()
    ws.Error = lambda ws, err: ws.Connect("ws", "127.0.0.1", "/echo", server.port)
    ws.Connected = lambda: connected.set()
    ws.Connect("ws", "127.0.0.1", "/echo", closed_port)
    assert connected.wait(10)
    ws.Close()


def test_zero_argument_callbacks_are_called(server):
    """Callbacks that take fewer parameters than the event supplies are still called."""
    ws = WebSocket.New()
    seen = []
    done = threading.Event()
    ws.Connected = lambda: seen.append("connected")
    ws.Data = lambda ws: seen.append("data")
    ws.Closed = lambda: (seen.append("closed"), done.set())
    connect(ws, server, "/echo")
    ws.Write("x")
    ws.Pong = lambda: ws.Close()  # the pong comes after the echo
    ws.Ping()
    assert done.wait(10)
    assert seen == ["connected", "data", "closed"]


def test_decorators_register_callbacks(server):
    """on_data and friends register callbacks and return the function."""
    ws = WebSocket.New()
    received = threading.Event()

    @ws.on_data
    def handle(ws, data):
        received.set()

    assert ws.Data is handle
    connect(ws, server, "/echo")
    ws.Write("x")
    assert received.wait(10)
    ws.Close()


def test_callback_checks(server):
    """A non-callable callback, or one needing too many arguments, is refused at once."""
    ws = WebSocket.New()
    with pytest.raises(TypeError, match="Data must be a function or None"):
        ws.Data = "print"
    with pytest.raises(TypeError, match=r"Data is called with \(ws, data\)"):
        ws.Data = lambda a, b, c: None
    ws.Data = None
    assert ws.Data is None


def test_callbacks_run_in_order_on_the_event_thread(server, recorder):
    """Callbacks run one at a time, in arrival order, on ws_widget's event threads."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/count?n=200")
    recorder.wait_data(200)
    assert recorder.data() == [str(n) for n in range(200)]
    # the event thread, or a spare one an earlier test's slow callback started (it idles 10 s)
    assert all(name.startswith("ws_widget-events") for name in recorder.threads), recorder.threads
    ws.Close()


def test_slow_callback_does_not_stall_recording(server):
    """A slow Data callback builds a measurable backlog while the history keeps recording."""
    ws = WebSocket.New()
    release = threading.Event()
    ws.Data = lambda ws, data: release.wait(10)
    connect(ws, server, "/count?n=100")
    deadline = time.monotonic() + 10
    while len(ws.history.messages()) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(ws.history.messages()) == 100
    assert ws.pending_callbacks >= 99
    release.set()
    while ws.pending_callbacks and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ws.pending_callbacks == 0
    ws.Close()


def test_blocking_callback_stalls_only_its_own_socket(server):
    """While one socket's Data callback blocks, another socket's callbacks keep running, in order."""
    blocked, release = WebSocket.New(), threading.Event()
    seen_blocked: list[str] = []
    blocked.Data = lambda ws, data: (release.wait(20), seen_blocked.append(data))
    free, arrived = WebSocket.New(), queue.Queue()
    free.Data = lambda ws, data: arrived.put(data)
    connect(blocked, server, "/echo")
    connect(free, server, "/echo")
    for n in range(3):
        blocked.Write(f"b{n}")
    deadline = time.monotonic() + 10
    while blocked.pending_callbacks < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    for n in range(20):
        free.Write(f"f{n}")
        assert arrived.get(timeout=5) == f"f{n}"  # the round trip completes while the other blocks
    assert blocked.pending_callbacks == 3 and seen_blocked == []
    release.set()
    while blocked.pending_callbacks and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen_blocked == ["b0", "b1", "b2"]
    blocked.Close()
    free.Close()


def test_raising_callback_kills_nothing(server, recorder, capsys):
    """A callback that raises is reported with its traceback; later messages still arrive."""
    ws = WebSocket.New()
    recorder.attach(ws)
    record = recorder.callback("Data")

    def on_data(ws, data):
        record(ws, data)
        if data == "boom":
            raise ZeroDivisionError("boom in callback")

    ws.Data = on_data
    connect(ws, server, "/echo")
    ws.Write("boom")
    ws.Write("after")
    assert recorder.wait_data(2) == ["boom", "after"]
    assert "ZeroDivisionError: boom in callback" in str(ws.debug_output)
    assert "Traceback" in str(ws.debug_output)
    assert ws.state is State.OPEN
    ws.Close()


def test_debug_output_format(server, recorder):
    """Debug Output lines use the Q-SYS format and include callback prints."""
    import re

    ws = WebSocket.New()
    recorder.attach(ws)
    ws.Connected = lambda: print("hello from Connected")
    connect(ws, server, "/echo")
    ws.wait_open(10)
    ws.Close()
    ws.wait_closed(10)
    lines = ws.debug_output.lines
    assert all(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\t", line) for line in lines), lines
    texts = [line.split("\t", 1)[1] for line in lines]
    assert texts[0].startswith("Connecting to ws://127.0.0.1")
    assert "hello from Connected" in texts
    assert any(text.startswith("Closed: 1000") for text in texts)


def test_mixed_fragmented_and_whole_messages_keep_their_order(server, recorder):
    """Whole, binary and fragmented messages in quick succession arrive complete and in order."""
    ws = WebSocket.New()
    recorder.attach(ws)
    connect(ws, server, "/mixed?n=300")
    data = recorder.wait_data(300)
    expected = [
        f"{n}-fragmented" if n % 3 == 0 else str(n).encode() if n % 3 == 1 else str(n) for n in range(300)
    ]
    assert data == expected
    assert [r.payload for r in ws.history.messages()] == expected
    ws.Close()
