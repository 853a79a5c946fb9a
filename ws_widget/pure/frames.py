"""Frames made visible: the frame log's description of a frame (its kind, the start of its
payload, its header bits, a close frame's code named, its first bytes as on the wire), and a
frame's layout byte by byte (RFC 6455, section 5.2), for the Frames tab and for Python."""

from __future__ import annotations

import dataclasses
from typing import Any

from websockets.frames import Frame, Opcode

from .closecodes import close_code_name
from .history import Record
from .kinds import OUT

FRAME_PAYLOAD_KEPT = 64
"""Bytes of each frame's payload the frame log keeps (its records hold no more)."""

WIRE_PAYLOAD_KEPT = 128
"""Bytes of each frame's payload as on the wire (masked, compressed) kept after its header."""

OPCODE_NAMES = {0x0: "CONT", 0x1: "TEXT", 0x2: "BINARY", 0x8: "CLOSE", 0x9: "PING", 0xA: "PONG"}
"""The opcodes RFC 6455 defines; the others are reserved."""


def frame_info(
    frame: Frame, direction: str, rsv1: bool, wire_length: int, wire: bytes | None = None
) -> tuple[str, bytes, dict[str, Any]]:
    """Return the frame log's ``kind`` (opcode name), payload start and details of a frame.

    Args:
        frame: the frame as websockets parsed or built it.
        direction: ``"in"`` or ``"out"``; outgoing frames are masked.
        rsv1: the RSV1 bit as it was on the wire (set for compressed messages).
        wire_length: the payload length on the wire.
        wire: the frame's first bytes as on the wire (header, then payload), if known now.

    Returns:
        The opcode name, at most :data:`FRAME_PAYLOAD_KEPT` bytes of the payload, and
        ``fin``, ``rsv1``, ``masked``, ``length`` (and ``code`` and ``meaning`` for a close,
        ``wire`` in hex when given).
    """
    info: dict[str, Any] = {
        "fin": frame.fin,
        "rsv1": rsv1,
        "masked": direction == OUT,
        "length": wire_length,
    }
    if frame.opcode is Opcode.CLOSE and len(frame.data) >= 2:
        code = int.from_bytes(frame.data[:2], "big")
        info["code"], info["meaning"] = code, close_code_name(code)
    if wire is not None:
        info["wire"] = wire.hex()
    return frame.opcode.name, bytes(frame.data[:FRAME_PAYLOAD_KEPT]), info


def header_size(data: bytes) -> int:
    """Return the size of the header that starts ``data`` (2 to 14 bytes), from its second byte.

    Raises:
        ValueError: fewer than 2 bytes.
    """
    if len(data) < 2:
        raise ValueError(f"a frame starts with at least 2 header bytes, got {len(data)}")
    marker = data[1] & 0x7F
    return 2 + (2 if marker == 126 else 8 if marker == 127 else 0) + (4 if data[1] & 0x80 else 0)


def wire_start(data: bytes) -> bytes:
    """Return the header and the first :data:`WIRE_PAYLOAD_KEPT` payload bytes of a frame."""
    return bytes(data[: header_size(data) + WIRE_PAYLOAD_KEPT])


def header_bytes(frame: Frame, rsv1: bool, length: int, mask_key: bytes = b"") -> bytes:
    """Return the header of ``frame`` as a peer sends it: ``length`` in the shortest form (RFC
    6455 requires it), the MASK bit and key when ``mask_key`` is given."""
    first = (0x80 if frame.fin else 0) | (0x40 if rsv1 else 0) | (0x20 if frame.rsv2 else 0)
    first |= (0x10 if frame.rsv3 else 0) | frame.opcode.value
    mask = 0x80 if mask_key else 0
    if length < 126:
        head = bytes((first, mask | length))
    elif length < 65536:
        head = bytes((first, mask | 126)) + length.to_bytes(2, "big")
    else:
        head = bytes((first, mask | 127)) + length.to_bytes(8, "big")
    return head + mask_key


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of a frame header: ``width`` bits from bit ``start`` (0 is byte 0's high bit)."""

    name: str
    start: int
    width: int
    value: int
    meaning: str


@dataclasses.dataclass(frozen=True)
class FrameLayout:
    """A frame's header field by field and the start of its payload, as on the wire.

    Attributes:
        fin, rsv1, rsv2, rsv3, masked: the header's bits.
        opcode, opcode_name: the opcode and its name (``"TEXT"``; ``"reserved"`` if undefined).
        length: the payload length the header gives.
        length_form: ``"7-bit"``, ``"16-bit"`` or ``"64-bit"``: how the length was sent.
        length_bytes: the bytes that hold the length (the 7 bits' byte, then any extended ones).
        mask_key: the 4-byte masking key, or None for an unmasked frame.
        header: the header's bytes, masking key included.
        payload: the payload bytes given, as on the wire (masked, and deflated when RSV1).
        unmasked: the same bytes XOR the masking key (the same bytes when not masked).
        more: payload bytes not given (the layout shows the first bytes only).
        fields: the header's fields, in order, with what their values mean.
    """

    fin: bool
    rsv1: bool
    rsv2: bool
    rsv3: bool
    opcode: int
    opcode_name: str
    masked: bool
    length: int
    length_form: str
    length_bytes: bytes
    mask_key: bytes | None
    header: bytes
    payload: bytes
    unmasked: bytes
    more: int
    fields: tuple[Field, ...]

    def __str__(self) -> str:
        lines = []
        for field in self.fields:
            wide = field.value.to_bytes(field.width // 8, "big").hex(" ") if field.width > 16 else ""
            bits = wide or format(field.value, f"0{field.width}b")
            lines.append(f"{field.name:<16} {bits:<16} {field.meaning}")
        lines.append(f"{'header':<16} {self.header.hex(' ')}")
        more = f" ... {self.more} more" if self.more else ""
        if self.masked:
            lines.append(f"{'payload (wire)':<16} {self.payload.hex(' ')}{more}")
            lines.append(f"{'unmasked':<16} {self.unmasked.hex(' ')}{more}")
        else:
            lines.append(f"{'payload':<16} {self.payload.hex(' ')}{more}")
        if self.rsv1:
            lines.append("RSV1 is set: the payload is compressed (permessage-deflate), not the message.")
        return "\n".join(lines)


def layout(frame: bytes | bytearray | str | Record) -> FrameLayout:
    """Lay out a frame's header field by field and unmask the start of its payload.

    Args:
        frame: the frame's first bytes as on the wire (header, then some or all of the
            payload), as bytes or hex text (spaces allowed), or a record of ``ws.frames``
            (the frame log keeps each frame's header and first :data:`WIRE_PAYLOAD_KEPT`
            payload bytes).

    Raises:
        ValueError: the bytes end inside the header, the hex is not hex, or the record holds
            no wire bytes; the message says which.
    """
    data = _wire_bytes(frame)
    size = header_size(data)
    if len(data) < size:
        raise ValueError(
            f"the header is {size} bytes (byte 1 announces "
            f"{'an extended length' if data[1] & 0x7F >= 126 else 'no extended length'}"
            f"{' and a masking key' if data[1] & 0x80 else ''}), got only {len(data)}: "
            "pass the frame's first bytes"
        )
    first, second = data[0], data[1]
    masked, marker = bool(second & 0x80), second & 0x7F
    opcode = first & 0x0F
    name = OPCODE_NAMES.get(opcode, "reserved")
    extended = size - 2 - (4 if masked else 0)
    length = int.from_bytes(data[2 : 2 + extended], "big") if extended else marker
    mask_key = bytes(data[2 + extended : size]) if masked else None
    payload = bytes(data[size : size + length])
    unmasked = bytes(b ^ mask_key[i % 4] for i, b in enumerate(payload)) if mask_key else payload
    bit = lambda mask: bool(first & mask)  # noqa: E731 - four header bits read alike
    fields = [
        Field(
            "FIN",
            0,
            1,
            first >> 7,
            "final frame of its message" if bit(0x80) else "more frames of this message follow",
        ),
        Field(
            "RSV1",
            1,
            1,
            (first >> 6) & 1,
            "compressed (permessage-deflate)" if bit(0x40) else "not compressed",
        ),
        Field("RSV2", 2, 1, (first >> 5) & 1, "set: an extension's bit" if bit(0x20) else "reserved, 0"),
        Field("RSV3", 3, 1, (first >> 4) & 1, "set: an extension's bit" if bit(0x10) else "reserved, 0"),
        Field("opcode", 4, 4, opcode, f"{opcode:#x} {name}"),
        Field(
            "MASK", 8, 1, second >> 7, "masked by the client" if masked else "not masked (server to client)"
        ),
        Field("payload length", 9, 7, marker, _marker_meaning(marker)),
    ]
    if extended:
        fields.append(
            Field("extended length", 16, extended * 8, length, f"{length} bytes ({extended * 8}-bit)")
        )
    if mask_key is not None:
        fields.append(
            Field("masking key", 16 + extended * 8, 32, int.from_bytes(mask_key, "big"), mask_key.hex(" "))
        )
    return FrameLayout(
        fin=bit(0x80),
        rsv1=bit(0x40),
        rsv2=bit(0x20),
        rsv3=bit(0x10),
        opcode=opcode,
        opcode_name=name,
        masked=masked,
        length=length,
        length_form={0: "7-bit", 2: "16-bit", 8: "64-bit"}[extended],
        length_bytes=bytes(data[1 : 2 + extended]),
        mask_key=mask_key,
        header=bytes(data[:size]),
        payload=payload,
        unmasked=unmasked,
        more=length - len(payload),
        fields=tuple(fields),
    )


def _marker_meaning(marker: int) -> str:
    if marker == 126:
        return "126: the length is in the next 2 bytes"
    if marker == 127:
        return "127: the length is in the next 8 bytes"
    return f"{marker} bytes"


def _wire_bytes(frame: bytes | bytearray | str | Record) -> bytes:
    if isinstance(frame, Record):
        wire = (frame.info or {}).get("wire")
        if not isinstance(wire, str):
            raise ValueError(
                f"record #{frame.seq} holds no wire bytes: pass a record of ws.frames recorded "
                "with the frame log on (ws.frame_log = True)"
            )
        frame = wire
    if isinstance(frame, str):
        try:
            return bytes.fromhex(frame)
        except ValueError:
            raise ValueError(
                f"not hex bytes: {frame[:40]!r}; pass bytes or hex such as '81 05 48 65'"
            ) from None
    if isinstance(frame, (bytes, bytearray, memoryview)):
        return bytes(frame)
    raise TypeError(f"layout takes bytes, hex text or a ws.frames record, got {type(frame).__name__}")
