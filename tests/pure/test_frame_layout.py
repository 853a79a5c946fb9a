"""A frame's layout byte by byte (ws_widget.pure.frames.layout), on RFC 6455's own examples."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from websockets.frames import Frame, Opcode

from ws_widget.pure.frames import WIRE_PAYLOAD_KEPT, header_bytes, header_size, layout, wire_start
from ws_widget.pure.history import History

REPO = Path(__file__).resolve().parents[2]


def test_unmasked_hello_of_rfc_6455():
    """RFC 6455 5.7's unmasked "Hello" lays out as FIN, TEXT, no mask, a 7-bit length of 5."""
    frame = layout(bytes([0x81, 0x05]) + b"Hello")
    assert (frame.fin, frame.rsv1, frame.rsv2, frame.rsv3, frame.masked) == (True, False, False, False, False)
    assert (frame.opcode, frame.opcode_name) == (1, "TEXT")
    assert (frame.length, frame.length_form, frame.length_bytes) == (5, "7-bit", b"\x05")
    assert frame.mask_key is None and frame.header == b"\x81\x05"
    assert frame.payload == frame.unmasked == b"Hello" and frame.more == 0
    assert [(f.name, f.start, f.width, f.value) for f in frame.fields] == [
        ("FIN", 0, 1, 1),
        ("RSV1", 1, 1, 0),
        ("RSV2", 2, 1, 0),
        ("RSV3", 3, 1, 0),
        ("opcode", 4, 4, 1),
        ("MASK", 8, 1, 0),
        ("payload length", 9, 7, 5),
    ]


def test_masked_hello_of_rfc_6455():
    """RFC 6455 5.7's masked "Hello" shows its key 37 fa 21 3d and unmasks to "Hello"."""
    frame = layout("81 85 37 fa 21 3d 7f 9f 4d 51 58")
    assert frame.masked and frame.mask_key == bytes.fromhex("37fa213d")
    assert frame.header == bytes.fromhex("818537fa213d")
    assert frame.payload == bytes.fromhex("7f9f4d5158") and frame.unmasked == b"Hello"
    key = frame.fields[-1]
    assert (key.name, key.start, key.width, key.meaning) == ("masking key", 16, 32, "37 fa 21 3d")
    text = str(frame)
    assert "masking key" in text and "37 fa 21 3d" in text and "48 65 6c 6c 6f" in text


def test_16_bit_length_of_a_256_byte_binary_frame():
    """RFC 6455's 256-byte binary example sends 126 then the length in 2 bytes (01 00)."""
    frame = layout(bytes([0x82, 0x7E, 0x01, 0x00]) + bytes(256))
    assert (frame.opcode_name, frame.length, frame.length_form) == ("BINARY", 256, "16-bit")
    assert frame.length_bytes == bytes([0x7E, 0x01, 0x00]) and len(frame.header) == 4
    marker, extended = frame.fields[6], frame.fields[7]
    assert marker.value == 126 and "next 2 bytes" in marker.meaning
    assert (extended.name, extended.start, extended.width, extended.value) == ("extended length", 16, 16, 256)


def test_64_bit_length_of_a_64_kib_frame_given_in_part():
    """RFC 6455's 64 KiB example sends 127 then 8 bytes; bytes not given are counted as more."""
    frame = layout(bytes([0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]) + b"\x00" * 10)
    assert (frame.length, frame.length_form, len(frame.length_bytes)) == (65536, "64-bit", 9)
    assert len(frame.payload) == 10 and frame.more == 65526
    assert "... 65526 more" in str(frame)


@pytest.mark.parametrize(
    "first, name",
    [(0x89, "PING"), (0x8A, "PONG"), (0x88, "CLOSE"), (0x00, "CONT"), (0x83, "reserved"), (0x8B, "reserved")],
)
def test_opcodes_are_named(first, name):
    """Ping, pong, close and continuation opcodes are named; undefined ones are reserved."""
    frame = layout(bytes([first, 0x00]))
    assert frame.opcode_name == name and frame.opcode == first & 0x0F
    assert frame.fin is bool(first & 0x80)


def test_masked_ping_and_compressed_text():
    """A masked ping unmasks its payload; RSV1 marks a compressed payload and says so."""
    ping = layout(bytes([0x89, 0x82, 1, 2, 3, 4, ord("h") ^ 1, ord("i") ^ 2]))
    assert ping.opcode_name == "PING" and ping.unmasked == b"hi"
    deflated = layout(bytes([0xC1, 0x07]) + bytes.fromhex("f248cdc9c90700"))
    assert deflated.rsv1 and "compressed" in deflated.fields[1].meaning
    assert "permessage-deflate" in str(deflated)


def test_header_size_and_rebuilt_headers():
    """header_bytes writes the shortest length form RFC 6455 requires, and header_size reads it."""
    for length, size in [(0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10)]:
        head = header_bytes(Frame(Opcode.BINARY, b""), False, length)
        assert len(head) == size == header_size(head)
        assert layout(head).length == length
    masked = header_bytes(Frame(Opcode.TEXT, b"", fin=False), True, 5, b"\x01\x02\x03\x04")
    assert masked == bytes([0x41, 0x85, 1, 2, 3, 4]) and header_size(masked) == 6


def test_wire_start_keeps_header_and_a_bounded_payload():
    """The frame log keeps a frame's header and at most WIRE_PAYLOAD_KEPT payload bytes."""
    frame = bytes([0x82, 0xFE, 0x10, 0x00, 9, 9, 9, 9]) + bytes(4096)
    kept = wire_start(frame)
    assert len(kept) == 8 + WIRE_PAYLOAD_KEPT
    assert layout(kept).more == 4096 - WIRE_PAYLOAD_KEPT


def test_layout_of_a_frame_log_record():
    """A ws.frames record lays out from the wire bytes it keeps; other records are refused."""
    frames = History()
    record = frames.add("out", "TEXT", b"Hello", 5, {"wire": "818537fa213d7f9f4d5158"})
    assert layout(record).unmasked == b"Hello"
    bare = frames.add("in", "TEXT", b"Hello", 5, {"fin": True})
    with pytest.raises(ValueError, match=r"holds no wire bytes.*frame_log = True"):
        layout(bare)


@pytest.mark.parametrize(
    "given, message",
    [
        (b"", "at least 2 header bytes, got 0"),
        (b"\x81", "at least 2 header bytes, got 1"),
        (bytes([0x81, 0x85, 0x37]), "header is 6 bytes .*masking key.*got only 3"),
        (bytes([0x82, 0x7E, 0x01]), "header is 4 bytes .*extended length.*got only 3"),
        ("81 zz", "not hex bytes"),
    ],
)
def test_bad_input_says_what_to_pass(given, message):
    """Bytes that end inside the header, or text that is not hex, raise a ValueError saying so."""
    with pytest.raises(ValueError, match=message):
        layout(given)


def test_wrong_type_is_refused():
    """Something that is not bytes, hex or a record raises a TypeError naming its type."""
    with pytest.raises(TypeError, match="got int"):
        layout(0x81)  # type: ignore[arg-type]


def test_front_end_twin_lays_out_frames_alike():
    """js/widget.js's frameLayout gives the same fields, meanings and bytes as layout()."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed (make setup installs the tests' node tools; apt install nodejs)")
    rng = random.Random(6455)
    frames = [bytes.fromhex("818537fa213d7f9f4d5158"), bytes([0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0, 7])]
    for _ in range(60):
        length = rng.choice([0, 5, 125, 126, 300, 65535, 65536])
        key = rng.randbytes(4) if rng.random() < 0.5 else b""
        frame = Frame(Opcode(rng.choice([0, 1, 2, 8, 9, 10])), b"", fin=rng.random() < 0.7)
        head = header_bytes(frame, rng.random() < 0.3, length, key)
        frames.append(head + rng.randbytes(min(length, rng.randint(0, 40))))
    script = (
        "import { frameLayout } from './js/widget.js';"
        "const hex = (b) => b ? Buffer.from(b).toString('hex') : null;"
        "const frames = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(frames.map((f) => {"
        " const l = frameLayout(Uint8Array.from(Buffer.from(f, 'hex')));"
        " return [l.fields.map((x) => [x.name, x.start, x.width, x.value, x.meaning]),"
        " l.opcodeName, l.lengthForm, hex(l.header), hex(l.maskKey), hex(l.payload), hex(l.unmasked),"
        " l.more]; })));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps([f.hex() for f in frames])],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=60,
    )
    for frame, js in zip(frames, json.loads(out.stdout), strict=True):
        py = layout(frame)
        fields = [[f.name, f.start, f.width, f.value, f.meaning] for f in py.fields]
        mask = py.mask_key.hex() if py.mask_key is not None else None
        expected = [
            fields,
            py.opcode_name,
            py.length_form,
            py.header.hex(),
            mask,
            py.payload.hex(),
            py.unmasked.hex(),
            py.more,
        ]
        assert js == expected, frame.hex()
