"""The frame log keeps each frame's first bytes as on the wire, and compression can be turned off
by a reconnect (real connections to the websockets server on loopback)."""

from __future__ import annotations

import time
import zlib

import pytest

import ws_widget
from ws_widget.pure.frames import WIRE_PAYLOAD_KEPT, layout


def _frames(ws, direction, kind):
    return [r for r in ws.frames if r.direction == direction and r.kind == kind]


def test_sent_frame_keeps_its_masking_key_and_masked_payload(server):
    """A sent frame's wire bytes hold the random masking key; unmasked they are the text sent."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True, compression=None)
    ws.send("Hello")
    ws.receive(5)
    ws.close()
    frame = layout(_frames(ws, "out", "TEXT")[0])
    assert frame.masked and frame.fin and frame.opcode_name == "TEXT" and not frame.rsv1
    assert frame.header[:2] == b"\x81\x85" and len(frame.mask_key) == 4
    assert frame.unmasked == b"Hello" and frame.payload != b"Hello"
    echoed = layout(_frames(ws, "in", "TEXT")[0])
    assert echoed.header == b"\x81\x05" and echoed.payload == b"Hello" and echoed.mask_key is None


def test_every_sent_frame_of_a_fragmented_message_has_its_bytes(server):
    """Each frame of a fragmented message gets its own wire bytes (FIN clear until the last)."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True, compression=None)
    ws.send("0123456789", fragments=3)
    ws.receive(5)
    ws.close()
    sent = [layout(r) for r in ws.frames if r.direction == "out" and r.kind in ("TEXT", "CONT")]
    assert [(f.opcode_name, f.fin) for f in sent] == [("TEXT", False), ("CONT", False), ("CONT", True)]
    assert b"".join(f.unmasked for f in sent) == b"0123456789"


def test_long_frames_keep_the_16_bit_length_and_a_bounded_payload(server):
    """A 300-byte text goes with a 16-bit length; the record keeps only the payload's start."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True, compression=None)
    ws.send("x" * 300)
    ws.receive(5)
    ws.close()
    for record in (_frames(ws, "out", "TEXT")[0], _frames(ws, "in", "TEXT")[0]):
        frame = layout(record)
        assert (frame.length, frame.length_form) == (300, "16-bit")
        assert len(frame.payload) == WIRE_PAYLOAD_KEPT and frame.more == 300 - WIRE_PAYLOAD_KEPT
        assert frame.unmasked == b"x" * WIRE_PAYLOAD_KEPT


def test_compressed_frames_keep_the_deflated_payload(server):
    """With permessage-deflate, RSV1 is set and the wire payload inflates to the message."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    ws.send("Hello, Hello, Hello")
    ws.receive(5)
    ws.close()
    for record in (_frames(ws, "out", "TEXT")[0], _frames(ws, "in", "TEXT")[0]):
        frame = layout(record)
        assert frame.rsv1 and frame.unmasked != b"Hello, Hello, Hello"
        inflated = zlib.decompressobj(-15).decompress(frame.unmasked + b"\x00\x00\xff\xff")
        assert inflated == b"Hello, Hello, Hello"


def test_control_frames_keep_their_bytes(server):
    """Ping, pong and both close frames lay out with their opcodes and payloads."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    ws.ping(b"lab")
    ws.close()
    ping, pong = layout(_frames(ws, "out", "PING")[0]), layout(_frames(ws, "in", "PONG")[0])
    assert ping.unmasked == b"lab" and ping.masked and pong.payload == b"lab" and not pong.masked
    closes = [layout(r) for r in ws.frames if r.kind == "CLOSE"]
    assert [c.unmasked[:2] for c in closes] == [b"\x03\xe8", b"\x03\xe8"]


def test_list_rows_leave_the_wire_bytes_to_the_detail(server):
    """The Frames list's rows carry no wire bytes; a frame's detail does."""
    from ws_widget.pure.browse import encode_detail, encode_records

    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    ws.send("row")
    ws.receive(5)
    ws.close()
    record = _frames(ws, "out", "TEXT")[0]
    rows, _ = encode_records([record])
    assert "wire" not in rows[0][6] and rows[0][6]["masked"]
    assert encode_detail(record)[0]["info"]["wire"] == record.info["wire"]


def test_reconnect_with_compression_off(server):
    """reconnect(compression=None) connects again without permessage-deflate: RSV1 is clear."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    assert ws.handshake["extensions"]
    ws.reconnect(compression=None).wait_open(10)
    assert ws.handshake["extensions"] == []
    ws.send("plain")
    ws.receive(5)
    ws.close()
    last = layout(_frames(ws, "out", "TEXT")[-1])
    assert not last.rsv1 and last.unmasked == b"plain"


def test_reconnect_refuses_unknown_or_bad_changes(server):
    """A change that names no option, or has a bad value, raises before anything reconnects."""
    ws = ws_widget.connect(server.url("/echo"))
    with pytest.raises(TypeError, match="unknown option 'compresion'"):
        ws.reconnect(compresion=None)
    with pytest.raises(ValueError, match="compression must be 'deflate' or None"):
        ws.reconnect(compression="zstd")
    assert ws.state.name == "OPEN"
    ws.close()


def test_widget_twin_and_frame_detail(server):
    """The view's compression_off message reconnects without deflate; a frame's detail answers
    as "frame" with its wire bytes, and an unknown frame as an error."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    widget, sent = ws.widget, []
    forward = widget.send
    widget.send = lambda content, buffers=None: (sent.append(content), forward(content, buffers))
    first = ws._core.attempt
    widget._on_message(widget, {"type": "compression_off"}, [])
    deadline = time.monotonic() + 10
    while (ws._core.attempt is first or ws.state.name != "OPEN") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ws.handshake["extensions"] == []
    ws.send("detail")
    ws.receive(5)
    seq = _frames(ws, "out", "TEXT")[-1].seq
    widget._on_message(widget, {"type": "get", "id": 1, "source": "frames", "seq": seq}, [])
    widget._on_message(widget, {"type": "get", "id": 2, "source": "frames", "seq": 10**6}, [])
    while len([c for c in sent if c.get("id") in (1, 2)]) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    detail = next(c for c in sent if c.get("id") == 1)
    assert detail["type"] == "frame" and detail["seq"] == seq
    assert layout(detail["info"]["wire"]).unmasked == b"detail"
    missing = next(c for c in sent if c.get("id") == 2)
    assert missing["type"] == "error" and "no record #1000000" in missing["text"]
    widget.close()
    ws.close()
