"""Hostile servers (issue 7, item 4): raw TCP servers that break HTTP and RFC 6455 on purpose.

Every case ends in one clear ``Error`` (or, where nothing is wrong for the client, none) and
exactly one ``Closed``, with the state, close code and history asserted, while a *bystander*
connection to the normal echo server, on the same I/O loop and the same event thread, keeps
making round trips during the case (while the hostile server holds the attempt mid-way) and
after it.

The servers that break the protocol after the handshake then behave as RFC 6455 asks of a
server receiving the client's close frame (echo it, close TCP), so each case tests one
violation; a peer that ignores the close frame after a protocol error is tested separately
(``test_protocol_error_with_a_peer_that_keeps_the_connection_open``).

Figures (one run on the development machine): the bystander's echo round trip took about 1 ms
(median; at most 10 ms) in every case, and at most 0.33 s during the 20,000-ping flood (median
20 ms); the tests allow ``BYSTANDER_RTT_LIMIT`` (``conftest.py``, with the ``bystander``
fixture). A peer that never finishes closing costs ``close_timeout`` and no more.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from pathlib import Path

import pytest
from rawservers import (
    FrameReader,
    RawServer,
    accept_upgrade,
    drain,
    finish_closing,
    frame,
    read_request,
    switching_protocols,
)
from websockets.exceptions import ConnectionClosedError, InvalidHeader, InvalidMessage, InvalidStatus

import ws_widget
from ws_widget import State, WebSocket

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


class Gate:
    """Holds a hostile server at one point of its script until the test lets it go on."""

    def __init__(self):
        self.reached = threading.Event()
        self.released = threading.Event()

    def __call__(self) -> None:  # in the server's thread
        self.reached.set()
        if not self.released.wait(15):
            raise OSError("the test never released the gate")


def hostile(recorder, bystander, script, *, wait_closed=15.0, **options):
    """Connect to a raw server running ``script(client, gate)``; make a bystander round trip
    while the server waits at the gate (the hostile attempt is in progress on the I/O loop)
    and another after the hostile connection closed. Return the socket and the server's port."""
    gate = Gate()
    with RawServer(lambda client: script(client, gate)) as raw:
        ws = WebSocket.New()
        recorder.attach(ws)
        ws.Connect("ws", "127.0.0.1", "/", raw.port, **options)
        assert gate.reached.wait(10), "the client never reached the hostile server"
        bystander.round_trip()  # during
        gate.released.set()
        recorder.wait_closed(wait_closed)
        bystander.round_trip()  # after
    settle(ws)
    return ws, raw.port


def settle(ws) -> None:
    """Wait until the socket's callbacks ran, then a little longer, so that a second Closed
    (which must never come) would be seen."""
    deadline = time.monotonic() + 5
    while ws.pending_callbacks and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)


def the_error(recorder) -> str:
    errors = [event[1] for event in recorder.events if event[0] == "Error"]
    assert len(errors) == 1, recorder.events
    assert "\n" not in errors[0] and "\r" not in errors[0]
    return errors[0]


def kinds(ws) -> list[str]:
    return [record.kind for record in ws.history]


def record_of(ws, kind: str):
    (record,) = [record for record in ws.history if record.kind == kind]
    return record


def answering(response):
    """A server script that reads the request, answers ``response`` (bytes, or a function of the
    request returning them), waits for the client to go (or half-close) and closes."""

    def script(client, gate):
        request = read_request(client)
        gate()
        client.sendall(response(request) if callable(response) else response)
        drain(client)
        client.close()

    return script


def check_handshake_failed(ws, recorder, error_type: type) -> str:
    """The common outcome of a refused handshake; returns the Error line."""
    assert recorder.names() == ["Error", "Closed"]
    text = the_error(recorder)
    assert ws.state is State.CLOSED and ws.close_code is None
    assert isinstance(ws.last_error, error_type)
    assert kinds(ws) == ["error"]
    assert record_of(ws, "error").info["message"] == text
    return text


# The handshake.


def test_non_101_status(recorder, bystander):
    """200 OK with an HTML body instead of 101: explained, and the body kept for inspection."""
    body = b"<h1>Not a WebSocket</h1>\n"
    response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (
        len(body),
        body,
    )
    ws, _ = hostile(recorder, bystander, answering(response))
    assert check_handshake_failed(ws, recorder, InvalidStatus) == (
        "server answered HTTP 200 OK instead of switching to WebSocket: "
        "check the URL; the server does not accept WebSocket connections there"
    )
    failed = record_of(ws, "error").info["handshake"]
    assert failed["status"] == 200 and failed["body"] == body.decode()
    assert ws.handshake["status"] == 200 and ws.handshake["body"] == body.decode()


def test_garbage_instead_of_http(recorder, bystander):
    """Binary garbage instead of an HTTP status line: 'no valid HTTP response', with the address."""

    def script(client, gate):
        read_request(client)
        gate()
        client.sendall(b"\x00\x01\x02\xfe\xff garbage \x7f\r\n\r\n")
        client.close()

    ws, port = hostile(recorder, bystander, script)
    assert recorder.names() == ["Error", "Closed"]
    text = the_error(recorder)
    assert text.startswith(f"no valid HTTP response from 127.0.0.1:{port} (")
    assert text.endswith("): is it a WebSocket server, and does it expect wss rather than ws?")
    assert ws.state is State.CLOSED and ws.close_code is None
    assert isinstance(ws.last_error, InvalidMessage)
    assert kinds(ws) == ["error"]


def test_garbage_with_terminal_escapes_is_shown_escaped(recorder, bystander):
    """A status line made of terminal control sequences (clear screen, set the window title)
    reaches the Error line, Debug Output and the widget's reason escaped, never raw."""

    def script(client, gate):
        read_request(client)
        gate()
        client.sendall(b"\x1b[2J\x1b]0;pwned\x07HTTP\r\n\r\n")
        client.close()

    ws, port = hostile(recorder, bystander, script)
    assert recorder.names() == ["Error", "Closed"]
    text = the_error(recorder)
    assert text.isprintable(), repr(text)
    assert text.startswith(f"no valid HTTP response from 127.0.0.1:{port} (")
    assert "\\x1b[2J\\x1b]0;pwned\\x07HTTP" in text  # shown as escapes
    assert record_of(ws, "error").info["message"] == text
    assert all(line.split("\t", 1)[1].isprintable() for line in ws.debug_output.lines)
    assert ws.status.error_text == text  # what the widget's header shows as the reason


def test_missing_sec_websocket_accept(recorder, bystander):
    """A 101 without Sec-WebSocket-Accept is not a WebSocket handshake."""
    response = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    ws, _ = hostile(recorder, bystander, answering(response))
    assert check_handshake_failed(ws, recorder, InvalidHeader) == (
        "the server's handshake is not valid WebSocket (missing Sec-WebSocket-Accept header): "
        "is it a WebSocket server?"
    )
    assert ws.handshake["status"] == 101
    assert "accept_check" in ws.handshake and ws.handshake["accept_check"]["received"] is None
    assert ws.handshake["accept_check"]["ok"] is False


def test_wrong_sec_websocket_accept(recorder, bystander):
    """A 101 with an accept value that does not match the key: the value is shown, and the
    handshake description shows the expected one."""
    wrong = "dGhlIHNhbXBsZSBub25jZQ=="
    response = (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + wrong.encode() + b"\r\n\r\n"
    )
    ws, _ = hostile(recorder, bystander, answering(response))
    assert check_handshake_failed(ws, recorder, InvalidHeader) == (
        f"the server's handshake is not valid WebSocket (invalid Sec-WebSocket-Accept header: {wrong}): "
        "is it a WebSocket server?"
    )
    check = ws.handshake["accept_check"]
    assert check["received"] == wrong and check["ok"] is False and check["accept"] != wrong


def test_handshake_trickled_slower_than_open_timeout(recorder, bystander):
    """A valid 101 trickled one byte every 0.05 s (about 6.5 s) against open_timeout=0.5:
    a timeout that says which setting to raise; the bystander keeps working meanwhile."""
    trickling = threading.Event()

    def script(client, gate):
        answer = switching_protocols(read_request(client))
        gate()
        trickling.set()
        for byte in answer:
            client.sendall(bytes([byte]))
            time.sleep(0.05)
        drain(client)

    ws, port = hostile(recorder, bystander, script, open_timeout=0.5)
    assert trickling.is_set()
    assert recorder.names() == ["Error", "Closed"]
    assert the_error(recorder) == (
        f"timed out opening the connection to 127.0.0.1:{port}: check host and port, "
        "or allow more time with open_timeout="
    )
    assert ws.state is State.CLOSED and ws.close_code is None
    assert isinstance(ws.last_error, TimeoutError)
    assert kinds(ws) == ["error"]


def test_handshake_trickled_within_open_timeout(recorder, bystander):
    """The same trickle with open_timeout=20 opens; the bystander makes round trips throughout."""
    done = threading.Event()

    def script(client, gate):
        answer = switching_protocols(read_request(client))
        gate()
        for byte in answer:
            client.sendall(bytes([byte]))
            time.sleep(0.05)
        client.sendall(frame(TEXT, b"slow but valid"))
        done.set()
        client.sendall(frame(CLOSE, struct.pack("!H", 1000) + b"done"))
        finish_closing(client, reply=False)  # the client answers our close frame; then TCP closes

    gate = Gate()
    during = []
    with RawServer(lambda client: script(client, gate)) as raw:
        ws = WebSocket.New()
        recorder.attach(ws)
        started = time.monotonic()
        ws.Connect("ws", "127.0.0.1", "/", raw.port, open_timeout=20)
        assert gate.reached.wait(10)
        gate.released.set()
        while not done.is_set():  # the whole trickle long: the loop serves the bystander
            during.append(bystander.round_trip())
            time.sleep(0.1)
        recorder.wait_closed(10)
    settle(ws)
    assert time.monotonic() - started > 5  # it was trickled
    assert len(during) >= 20 and max(during) < 0.5
    assert recorder.names() == ["Connected", "Data", "Closed"]
    assert recorder.data() == ["slow but valid"]
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.close_reason == "done"
    assert ws.last_error is None
    assert kinds(ws) == ["open", "text", "close"]
    assert record_of(ws, "close").info["initiator"] == "server"
    assert ws.handshake["accept_check"]["ok"] is True


# Frames after the handshake that break RFC 6455: the client fails the connection (1002 or 1009,
# RFC 6455 section 7.1.7) and then discards what the server sends, its close frame included, so
# even though this server echoes the close frame and closes TCP, the close code is 1006, and the
# Error line must blame the server's frame, not a closing handshake the server did complete.


def violation_script(payload: bytes, closes: list):
    def script(client, gate):
        accept_upgrade(client)
        gate()
        client.sendall(frame(TEXT, b"before") + payload)
        closes.append(finish_closing(client))

    return script


def check_client_failed(ws, recorder, closes, code: int, reason: str) -> str:
    """The common outcome of a violation; returns the Error line."""
    assert recorder.names() == ["Connected", "Data", "Error", "Closed"]
    assert recorder.data() == ["before"]  # what came before the violation is delivered and kept
    text = the_error(recorder)
    names = {1002: "protocol error", 1007: "invalid frame payload data"}
    if code in names:  # blamed on the server's frame, not on the closing handshake
        blame = "the server sent an invalid frame: the client closed with"
        assert text == f"{blame} {code} ({names[code]}) {reason}"
    assert closes == [struct.pack("!H", code) + reason.encode()]  # what the client sent on the wire
    assert ws.state is State.CLOSED
    assert ws.close_code == 1006 and ws.close_reason == ""
    assert isinstance(ws.last_error, ConnectionClosedError)
    assert ws.last_error.sent.code == code and ws.last_error.rcvd is None
    assert kinds(ws) == ["open", "text", "error", "close"]
    assert record_of(ws, "close").info == {
        "code": 1006,
        "meaning": "abnormal closure [internal]",
        "reason": "",
        "initiator": "client",
        "clean": False,
    }
    assert record_of(ws, "error").info["message"] == text
    assert [r.payload for r in ws.history if r.kind == "text"] == ["before"]
    return text


def test_reserved_opcode(recorder, bystander):
    """A frame with the reserved opcode 0x3: the client fails the connection with 1002."""
    closes = []
    ws, _ = hostile(recorder, bystander, violation_script(frame(0x3, b"?"), closes), close_timeout=2)
    check_client_failed(ws, recorder, closes, 1002, "invalid opcode")


def test_masked_server_frame(recorder, bystander):
    """A masked frame from the server (only clients mask): 1002 incorrect masking."""
    closes = []
    masked = frame(TEXT, b"masked by the server", mask=b"\x01\x02\x03\x04")
    ws, _ = hostile(recorder, bystander, violation_script(masked, closes), close_timeout=2)
    check_client_failed(ws, recorder, closes, 1002, "incorrect masking")


def test_message_above_max_size(recorder, bystander):
    """A 2000-byte message against max_size=1000: 1009, explained with the setting to raise."""
    closes = []
    big = frame(BINARY, b"x" * 2000)
    ws, _ = hostile(recorder, bystander, violation_script(big, closes), max_size=1000, close_timeout=2)
    reason = "frame with 2000 bytes exceeds limit of 1000 bytes"
    text = check_client_failed(ws, recorder, closes, 1009, reason)
    assert text == (
        f"a message was larger than max_size (1009 (message too big) {reason}): "
        "raise max_size= if it is expected"
    )
    assert ws.stats["bytes_in"] == len("before")  # the oversized message was never taken in


def test_control_frame_above_125_bytes(recorder, bystander):
    """A ping with a 126-byte payload (control frames hold at most 125): 1002."""
    closes = []
    ws, _ = hostile(recorder, bystander, violation_script(frame(PING, b"p" * 126), closes), close_timeout=2)
    check_client_failed(ws, recorder, closes, 1002, "control frame too long")
    assert "ping" not in kinds(ws)


def test_invalid_utf8_in_a_text_frame(recorder, bystander):
    """A text frame that is not UTF-8: 1007, blamed on the server's frame."""
    closes = []
    invalid = frame(TEXT, b"ok \xff\xfe")
    ws, _ = hostile(recorder, bystander, violation_script(invalid, closes), close_timeout=2)
    check_client_failed(ws, recorder, closes, 1007, "invalid start byte at position 3")


def test_compressed_message_inflating_above_max_size(recorder, bystander):
    """permessage-deflate negotiated, then 10 KB on the wire that inflate to 10 MiB, against
    max_size=1 MiB: the client stops inflating at the limit (1009)."""
    compressor = zlib.compressobj(wbits=-15)
    bomb = compressor.compress(b"\0" * 10 * 2**20) + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert bomb.endswith(b"\x00\x00\xff\xff") and len(bomb) < 20_000
    closes = []

    def script(client, gate):
        accept_upgrade(client, b"Sec-WebSocket-Extensions: permessage-deflate\r\n")
        gate()
        client.sendall(frame(TEXT, b"before") + frame(BINARY, bomb[:-4], rsv=0b100))  # RSV1: compressed
        closes.append(finish_closing(client))

    ws, _ = hostile(recorder, bystander, script, max_size=2**20, close_timeout=2)
    assert [e["name"] for e in ws.handshake["extensions"]] == ["permessage-deflate"]
    reason = f"frame exceeds limit of {2**20} bytes"  # inflating stopped at the limit
    text = check_client_failed(ws, recorder, closes, 1009, reason)
    assert text == (
        f"a message was larger than max_size (1009 (message too big) {reason}): "
        "raise max_size= if it is expected"
    )
    assert ws.stats["bytes_in"] == len("before")


VIOLATIONS = {
    "reserved opcode": (frame(0x3, b"?"), {}),
    "masked frame": (frame(TEXT, b"masked", mask=b"\x01\x02\x03\x04"), {}),
    "above max_size": (frame(BINARY, b"x" * 2000), {"max_size": 1000}),
    "control frame above 125 bytes": (frame(PING, b"p" * 126), {}),
}


@pytest.mark.parametrize("violation", VIOLATIONS)
def test_protocol_error_with_a_peer_that_keeps_the_connection_open(recorder, bystander, violation):
    """A peer that ignores the client's close frame after its protocol error and keeps TCP open:
    Error and Closed still come within close_timeout, keepalive off (websockets 17.4 alone would
    wait for the peer forever: it enforces the close deadline only on a later send, see
    python-websockets/websockets#1651; ws_widget enforces it when the data arrives)."""
    payload, options = VIOLATIONS[violation]

    def script(client, gate):
        accept_upgrade(client)
        gate()
        client.sendall(payload)
        drain(client)  # ignores the client's close frame and never closes TCP

    gate = Gate()
    with RawServer(lambda client: script(client, gate)) as raw:
        ws = WebSocket.New()
        recorder.attach(ws)
        ws.Connect("ws", "127.0.0.1", "/", raw.port, close_timeout=0.5, ping_interval=None, **options)
        assert gate.reached.wait(10)
        recorder.wait_for(lambda events: "Connected" in [e[0] for e in events])
        started = time.monotonic()
        gate.released.set()
        bystander.round_trip()
        recorder.wait_closed(0.5 + 2.5)
        took = time.monotonic() - started
        bystander.round_trip()
    settle(ws)
    assert 0.4 < took < 3
    assert recorder.names() == ["Connected", "Error", "Closed"]
    text = the_error(recorder)
    if violation == "above max_size":
        assert text.startswith("a message was larger than max_size (1009 (message too big) ")
    else:
        assert text.startswith(
            "the server sent an invalid frame: the client closed with 1002 (protocol error) "
        )
    assert ws.state is State.CLOSED and ws.close_code == 1006
    assert kinds(ws) == ["open", "error", "close"]
    assert ws.last_error.rcvd is None  # the peer never answered
    assert ws.last_error.sent.code == (1009 if violation == "above max_size" else 1002)


# Control frames and the closing handshake.


def test_ping_flood(recorder, bystander):
    """20,000 pings as fast as TCP carries them: each answered with its own pong, in order, the
    client keeps working, and the history stays within its limit (1,000 records here)."""
    count = 20_000
    pongs: list[bytes] = []
    flooded = threading.Event()

    def script(client, gate):
        accept_upgrade(client)
        gate()
        reader = FrameReader(client)
        sender = threading.Thread(
            target=client.sendall,
            args=(b"".join(frame(PING, struct.pack("!I", number)) for number in range(count)),),
        )
        sender.start()
        while len(pongs) < count and (received := reader.next()) is not None:
            opcode, data = received
            assert opcode == PONG
            pongs.append(data)
        sender.join()
        flooded.set()
        client.sendall(frame(TEXT, b"flood over") + frame(CLOSE, struct.pack("!H", 1000)))
        finish_closing(client, reader, reply=False)

    gate = Gate()
    during = []
    with RawServer(lambda client: script(client, gate)) as raw:
        ws = WebSocket(max_records=1000)
        recorder.attach(ws)
        ws.Connect("ws", "127.0.0.1", "/", raw.port)
        assert gate.reached.wait(10)
        gate.released.set()
        while True:  # at least one round trip, whatever the speed of the flood
            during.append(bystander.round_trip())
            if flooded.is_set():
                break
        recorder.wait_closed(30)
    settle(ws)
    assert during  # round trips while the flood was on, each within BYSTANDER_RTT_LIMIT
    assert pongs == [struct.pack("!I", number) for number in range(count)]  # every ping answered, in order
    assert recorder.names() == ["Connected", "Data", "Closed"]
    assert recorder.data() == ["flood over"]
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.last_error is None
    # Every ping was recorded; the history kept only the newest 1,000 records and counted the rest.
    total = 1 + count + 2  # open, the pings, the text, the close
    assert ws.history.last_seq == total
    assert len(ws.history) == 1000 and ws.history.dropped == total - 1000
    assert kinds(ws) == ["ping"] * 998 + ["text", "close"]
    assert ws.history.tail(3)[0].payload == struct.pack("!I", count - 1)
    assert ws.history.bytes <= 1000 * 4 + len("flood over")
    assert len(ws.frames) == 0 and len(ws.debug_output) < 10  # nothing else grew with the flood


def test_peer_never_completes_the_closing_handshake(recorder, bystander):
    """Close() to a peer that ignores the close frame and keeps TCP open: after close_timeout the
    client drops the connection, and says the server did not complete the closing handshake."""

    def script(client, gate):
        accept_upgrade(client)
        gate()
        client.sendall(frame(TEXT, b"hello"))
        drain(client)

    gate = Gate()
    with RawServer(lambda client: script(client, gate)) as raw:
        ws = WebSocket.New()
        recorder.attach(ws)
        ws.Connect("ws", "127.0.0.1", "/", raw.port, close_timeout=0.5)
        assert gate.reached.wait(10)
        bystander.round_trip()
        gate.released.set()
        recorder.wait_data(1)
        started = time.monotonic()
        ws.Close()
        bystander.round_trip()  # while the client waits for the peer's close frame
        recorder.wait_closed(10)
        took = time.monotonic() - started
    settle(ws)
    assert 0.4 < took < 3
    assert recorder.names() == ["Connected", "Data", "Error", "Closed"]
    assert the_error(recorder) == (
        "connection lost after the client sent 1000 (OK): the server did not complete the closing handshake"
    )
    assert ws.state is State.CLOSED and ws.close_code == 1006 and ws.close_reason == ""
    assert isinstance(ws.last_error, ConnectionClosedError)
    assert kinds(ws) == ["open", "text", "error", "close"]
    close = record_of(ws, "close").info
    assert close == {
        "code": 1006,
        "meaning": "abnormal closure [internal]",
        "reason": "",
        "initiator": "client",
        "clean": False,
    }


def test_peer_answers_close_but_never_closes_tcp(recorder, bystander):
    """Close() to a peer that echoes the close frame but keeps TCP open: the closing handshake
    did complete, so Closed with 1000 after close_timeout, and no Error."""

    def script(client, gate):
        accept_upgrade(client)
        gate()
        reader = FrameReader(client)
        while (received := reader.next()) is not None:
            if received[0] == CLOSE:
                client.sendall(frame(CLOSE, received[1]))
                break
        drain(client)

    gate = Gate()
    with RawServer(lambda client: script(client, gate)) as raw:
        ws = WebSocket.New()
        recorder.attach(ws)
        ws.Connect("ws", "127.0.0.1", "/", raw.port, close_timeout=0.5)
        assert gate.reached.wait(10)
        gate.released.set()
        recorder.wait_for(lambda events: "Connected" in [e[0] for e in events])
        started = time.monotonic()
        ws.close()
        took = time.monotonic() - started
        bystander.round_trip()
    settle(ws)
    assert 0.4 < took < 3
    assert recorder.names() == ["Connected", "Closed"]
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.last_error is None
    assert kinds(ws) == ["open", "close"]
    assert record_of(ws, "close").info["clean"] is True


def test_a_script_that_showed_the_widget_exits(tmp_path):
    """The process stays in control: a plain script that connected, had a widget and closed,
    exits (also the test process itself, which otherwise hangs after its last test)."""
    script = tmp_path / "widget_script.py"
    script.write_text(
        textwrap.dedent("""
        import ws_widget
        from ws_widget import demo
        ws = ws_widget.connect(demo.start().url_for("/echo"))
        ws.widget  # as when the socket is displayed
        ws.close()
        print("closed, exiting")
    """)
    )
    try:
        done = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=10,
            env={**os.environ, "PYTHONPATH": str(Path(ws_widget.__file__).parents[1])},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the script did not exit within 10 s of its last line")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "closed, exiting\n"
