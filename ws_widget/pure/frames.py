"""The frame log's description of a frame: its kind (the opcode name), the start of its
payload, and its header bits, with a close frame's code named."""

from __future__ import annotations

from typing import Any

from websockets.frames import Frame, Opcode

from .closecodes import close_code_name
from .kinds import OUT

FRAME_PAYLOAD_KEPT = 64
"""Bytes of each frame's payload the frame log keeps (its records hold no more)."""


def frame_info(
    frame: Frame, direction: str, rsv1: bool, wire_length: int
) -> tuple[str, bytes, dict[str, Any]]:
    """Return the frame log's ``kind`` (opcode name), payload start and details of a frame.

    Args:
        frame: the frame as websockets parsed or built it.
        direction: ``"in"`` or ``"out"``; outgoing frames are masked.
        rsv1: the RSV1 bit as it was on the wire (set for compressed messages).
        wire_length: the payload length on the wire.

    Returns:
        The opcode name, at most :data:`FRAME_PAYLOAD_KEPT` bytes of the payload, and
        ``fin``, ``rsv1``, ``masked``, ``length`` (and ``code`` and ``meaning`` for a close).
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
    return frame.opcode.name, bytes(frame.data[:FRAME_PAYLOAD_KEPT]), info
