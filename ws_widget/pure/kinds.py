"""The one table of kinds: directions, record kinds, and the one-byte code of each pair.

Every record of a history (and of the frame log, which is a history too) has a direction
(``in``, ``out``, ``event``) and a kind. The history's own kinds are lowercase; the frame log's
are the opcode names ``websockets`` gives frames (``TEXT``, ``PING``...). The history stores
each record's ``(direction, kind)`` as one byte: its index in :data:`PAIRS`.
"""

from __future__ import annotations

from typing import Final

IN: Final = "in"
OUT: Final = "out"
EVENT: Final = "event"
DIRECTIONS: Final = (IN, OUT, EVENT)

TEXT: Final = "text"
BINARY: Final = "binary"
PING: Final = "ping"
PONG: Final = "pong"
OPEN: Final = "open"
CLOSE: Final = "close"
ERROR: Final = "error"
RECONNECT: Final = "reconnect"
PAUSE: Final = "pause"
"""Reading paused because consumers fell behind (``info["reason"]`` says which)."""
RESUME: Final = "resume"
"""Reading resumed once the consumers caught up."""
RECORD_KINDS: Final = (TEXT, BINARY, PING, PONG, OPEN, CLOSE, ERROR, RECONNECT, PAUSE, RESUME)
"""The kinds of a history's records."""

FRAME_KINDS: Final = ("CONT", "TEXT", "BINARY", "CLOSE", "PING", "PONG")
"""The kinds of the frame log's records: ``websockets.frames.Opcode`` names."""

KINDS: Final = RECORD_KINDS + FRAME_KINDS
"""Every kind a history may hold."""

MESSAGE_KINDS: Final = (TEXT, BINARY)
"""The kinds that are messages (the rest are control frames and events)."""

TEXT_PAYLOAD_KINDS: Final = frozenset({TEXT, OPEN, CLOSE, ERROR, RECONNECT, PAUSE, RESUME})
"""The kinds whose payload, if any, is text; the payloads of all others are bytes."""

PAIRS: Final[tuple[tuple[str, str], ...]] = tuple((d, k) for d in DIRECTIONS for k in KINDS)
"""Every ``(direction, kind)``, indexed by its one-byte code."""

CODES: Final[dict[tuple[str, str], int]] = {pair: code for code, pair in enumerate(PAIRS)}
"""The one-byte code of each ``(direction, kind)``."""

IN_TEXT: Final = CODES[IN, TEXT]
IN_BINARY: Final = CODES[IN, BINARY]


def code_of(direction: str, kind: str) -> int:
    """Return the one-byte code of ``(direction, kind)``.

    Raises:
        ValueError: the direction or the kind is not in the table; the message lists them.
    """
    code = CODES.get((direction, kind))
    if code is None:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return code
