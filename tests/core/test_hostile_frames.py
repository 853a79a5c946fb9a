"""More hostile servers (issue 7, item 4): fragmentation, trickled and glued frames, data after
the close frame, oversized handshake headers, and control frames at their limits.

Same rules as ``test_hostile.py``, whose helpers these tests use: each case ends in one clear
``Error`` (or, where nothing is wrong for the client, none) and exactly one ``Closed``, with the
callbacks' order, the state, close code and history asserted, while a bystander connection on
the same I/O loop keeps making round trips during the case and after it.
"""

from __future__ import annotations

import struct
import time

import pytest
from rawservers import (
    FrameReader,
    accept_upgrade,
    drain,
    finish_closing,
    frame,
    read_request,
    switching_protocols,
)
from test_hostile import (
    BINARY,
    CLOSE,
    PING,
    PONG,
    TEXT,
    answering,
    check_client_failed,
    check_handshake_failed,
    hostile,
    kinds,
    record_of,
    the_error,
    violation_script,
)
from websockets import http11
from websockets.exceptions import InvalidMessage, StatusLineTooLong

from ws_widget import State

CONT = 0x0


def fragments(count: int, opcode: int = TEXT) -> bytes:
    """One message of ``count`` one-byte frames: a first frame, then continuation frames."""
    pieces = [
        frame(opcode if i == 0 else CONT, b"abcdefghij"[i % 10 : i % 10 + 1], fin=i == count - 1)
        for i in range(count)
    ]
    return b"".join(pieces)


def closing_script(payload: bytes, sent: list | None = None, *, trickle: float = 0.0):
    """Send ``payload`` then the server's close frame (1000, "done"), and close TCP once the client
    answered it; ``trickle`` sends it all one byte at a time with that pause between bytes."""

    def script(client, gate):
        accept_upgrade(client)
        gate()
        data = payload + frame(CLOSE, struct.pack("!H", 1000) + b"done")
        if trickle:
            for byte in data:
                client.sendall(bytes([byte]))
                time.sleep(trickle)
        else:
            client.sendall(data)
        answer = finish_closing(client, reply=False)
        if sent is not None:
            sent.append(answer)

    return script


def check_clean_close(ws, recorder, data: list, history: list) -> None:
    """The common outcome of a case where nothing is wrong: the messages, then a clean 1000."""
    assert recorder.names() == ["Connected"] + ["Data"] * len(data) + ["Closed"]
    assert recorder.data() == data
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.close_reason == "done"
    assert ws.last_error is None
    assert kinds(ws) == history
    assert record_of(ws, "close").info == {
        "code": 1000,
        "meaning": "OK",
        "reason": "done",
        "initiator": "server",
        "clean": True,
    }


# Fragmentation.


def test_continuation_frame_without_a_message(recorder, bystander):
    """A continuation frame with no message started gives 1002, blamed on the server's frame."""
    closes = []
    ws, _ = hostile(recorder, bystander, violation_script(frame(CONT, b"orphan"), closes), close_timeout=2)
    check_client_failed(ws, recorder, closes, 1002, "unexpected continuation frame")


def test_new_message_inside_an_unfinished_one(recorder, bystander):
    """A text frame inside an unfinished fragmented message gives 1002 and drops the partial one."""
    closes = []
    interleaved = frame(TEXT, b"unfinished ", fin=False) + frame(TEXT, b"interloper")
    ws, _ = hostile(recorder, bystander, violation_script(interleaved, closes), close_timeout=2)
    check_client_failed(ws, recorder, closes, 1002, "expected a continuation frame")


def test_fragment_flood_of_20000_fragments(recorder, bystander):
    """A text message in 20,000 one-byte fragments (websockets alone stops at 4,096) is one message."""
    count = 20_000
    expected = ("abcdefghij" * count)[:count]
    sent = []
    ws, _ = hostile(recorder, bystander, closing_script(fragments(count), sent))
    check_clean_close(ws, recorder, [expected], ["open", "text", "close"])
    assert record_of(ws, "text").payload == expected and record_of(ws, "text").size == count
    assert sent == [struct.pack("!H", 1000) + b"done"]


REFUSED_THEN_CLOSED = {
    "invalid UTF-8": (
        frame(TEXT, b"ok \xff\xfe"),
        "the server sent an invalid frame: a text message that is not UTF-8 was dropped "
        "(invalid start byte at position 3)",
    ),
}


@pytest.mark.parametrize("refused", REFUSED_THEN_CLOSED)
def test_refused_message_then_the_servers_close_frame(recorder, bystander, refused):
    """A refused message followed at once by the server's close frame is reported, then Closed 1000."""
    payload, explained = REFUSED_THEN_CLOSED[refused]
    sent = []
    ws, _ = hostile(recorder, bystander, closing_script(frame(TEXT, b"before") + payload, sent))
    assert recorder.names() == ["Connected", "Data", "Error", "Closed"]
    assert recorder.data() == ["before"]
    assert the_error(recorder) == explained
    assert ws.state is State.CLOSED and ws.close_code == 1000 and ws.close_reason == "done"
    assert kinds(ws) == ["open", "text", "error", "close"]
    assert record_of(ws, "close").info["initiator"] == "server"
    assert sent == [struct.pack("!H", 1000) + b"done"]


def test_fragment_flood_above_max_size(recorder, bystander):
    """2,000 one-byte fragments against max_size=1000 give 1009 at the 1,001st byte, explained."""
    closes = []
    ws, _ = hostile(
        recorder, bystander, violation_script(fragments(2000), closes), max_size=1000, close_timeout=2
    )
    reason = "frame with 1 bytes after reading 1000 bytes exceeds limit of 1000 bytes"
    text = check_client_failed(ws, recorder, closes, 1009, reason)
    assert text == (
        f"a message was larger than max_size (1009 (message too big) {reason}): "
        "raise max_size= if it is expected"
    )
    assert ws.stats["bytes_in"] == len("before")


# Frames cut and glued in unusual places.


def test_frames_trickled_one_byte_at_a_time(recorder, bystander):
    """Two messages and a close frame trickled a byte every 2 ms arrive complete and in order."""
    blob = bytes(range(256)) + bytes(44)
    sent = []
    ws, _ = hostile(
        recorder, bystander, closing_script(frame(TEXT, b"first") + frame(BINARY, blob), sent, trickle=0.002)
    )
    check_clean_close(ws, recorder, ["first", blob], ["open", "text", "binary", "close"])
    assert sent == [struct.pack("!H", 1000) + b"done"]


def test_message_glued_to_the_handshake(recorder, bystander):
    """A text frame in the 101's TCP segment is recorded, after the open record."""
    sent = []

    def script(client, gate):
        request = read_request(client)
        gate()
        client.sendall(switching_protocols(request) + frame(TEXT, b"glued to the handshake"))
        client.sendall(frame(CLOSE, struct.pack("!H", 1000) + b"done"))
        sent.append(finish_closing(client, reply=False))

    ws, _ = hostile(recorder, bystander, script)
    check_clean_close(ws, recorder, ["glued to the handshake"], ["open", "text", "close"])
    assert record_of(ws, "open").seq < record_of(ws, "text").seq
    assert sent == [struct.pack("!H", 1000) + b"done"]


def test_data_after_the_servers_close_frame(recorder, bystander):
    """A text frame after the server's close frame is discarded: Closed 1000, no Error."""
    sent = []

    def script(client, gate):
        accept_upgrade(client)
        gate()
        client.sendall(
            frame(TEXT, b"before")
            + frame(CLOSE, struct.pack("!H", 1000) + b"done")
            + frame(TEXT, b"after the close")
        )
        sent.append(finish_closing(client, reply=False))

    ws, _ = hostile(recorder, bystander, script)
    check_clean_close(ws, recorder, ["before"], ["open", "text", "close"])
    assert sent == [struct.pack("!H", 1000) + b"done"]  # the client answered the close frame
    assert ws.stats["bytes_in"] == len("before")


# Control frames.


def test_largest_ping_and_an_unsolicited_pong(recorder, bystander):
    """A 125-byte ping gets the same bytes back; an unsolicited pong is recorded, with no callback."""
    payload = bytes(range(125))
    answers = []

    def script(client, gate):
        accept_upgrade(client)
        gate()
        reader = FrameReader(client)
        client.sendall(frame(PING, payload) + frame(PONG, b"nobody asked"))
        answers.append(reader.next())
        client.sendall(frame(TEXT, b"after the pong") + frame(CLOSE, struct.pack("!H", 1000) + b"done"))
        finish_closing(client, reader, reply=False)

    ws, _ = hostile(recorder, bystander, script, ping_interval=None)
    assert answers == [(PONG, payload)]
    check_clean_close(ws, recorder, ["after the pong"], ["open", "ping", "pong", "text", "close"])
    assert record_of(ws, "ping").payload == payload
    pong = record_of(ws, "pong")
    assert pong.payload == b"nobody asked" and pong.info == {"unsolicited": True}


# The handshake's HTTP limits.


def oversized_101(extra_headers: bytes):
    def script(client, gate):
        request = read_request(client)
        gate()
        client.sendall(switching_protocols(request, extra_headers))
        drain(client)
        client.close()

    return script


OVERSIZED = {
    "100 KB header line": (
        b"X-Huge: " + b"h" * 100_000 + b"\r\n",
        "a header line longer than {MAX_LINE_LENGTH} bytes",
        "WEBSOCKETS_MAX_LINE_LENGTH",
    ),
    "500 headers": (
        b"".join(b"X-Filler-%d: %d\r\n" % (i, i) for i in range(500)),
        "more than {MAX_NUM_HEADERS} headers",
        "WEBSOCKETS_MAX_NUM_HEADERS",
    ),
}


@pytest.mark.parametrize("case", OVERSIZED)
def test_oversized_handshake_headers(recorder, bystander, case):
    """A 101 with a 100 KB header line or 500 headers is refused, naming the limit and its setting."""
    extra, what, variable = OVERSIZED[case]
    what = what.format(MAX_LINE_LENGTH=http11.MAX_LINE_LENGTH, MAX_NUM_HEADERS=http11.MAX_NUM_HEADERS)

    ws, port = hostile(recorder, bystander, answering(lambda request: switching_protocols(request, extra)))
    assert check_handshake_failed(ws, recorder, InvalidMessage) == (
        f"the server's HTTP response from 127.0.0.1:{port} has {what}, which websockets refuses: "
        f"if that is expected, set the environment variable {variable} before importing ws_widget"
    )


def test_oversized_status_line(recorder, bystander):
    """A 100 KB status line is no valid HTTP response, and the line says why."""
    ws, port = hostile(recorder, bystander, answering(b"HTTP/1.1 101 " + b"S" * 100_000 + b"\r\n\r\n"))
    assert check_handshake_failed(ws, recorder, StatusLineTooLong) == (
        f"no valid HTTP response from 127.0.0.1:{port} (a status line longer than {http11.MAX_LINE_LENGTH} "
        "bytes): is it a WebSocket server, and does it expect wss rather than ws?"
    )
