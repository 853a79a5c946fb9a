"""A record as text to copy: its payload, Python code that sends it again, or pretty JSON.

The widget's Copy buttons and their Python twin (``ws.widget.copy_text``) share these.
"""

from __future__ import annotations

import json

from .history import Record
from .kinds import BINARY, TEXT

COPY_FORMATS = ("payload", "python", "seed", "json")
"""``payload``: the text (binary as hex); ``python``: a ``ws.send(...)`` line; ``seed``: a
``ws.Write(...)`` line of the Q-SYS API; ``json``: the payload as indented JSON."""


def copy_text(record: Record, how: str = "payload") -> str:
    """Return ``record`` as text in one of :data:`COPY_FORMATS`.

    Events (open, close, error...) copy as their details in JSON, whatever ``how`` asks for
    but ``python``/``seed``, which need a message.

    Raises:
        ValueError: an unknown format; ``python``/``seed`` for a record that is not a text or
            binary message; ``json`` for a payload that is not JSON. The message says what to use.
    """
    if how not in COPY_FORMATS:
        raise ValueError(f"copy format must be one of {', '.join(COPY_FORMATS)}, got {how!r}")
    payload = record.payload
    if how in ("python", "seed"):
        if record.kind not in (TEXT, BINARY):
            raise ValueError(
                f"record #{record.seq} is a {record.kind} record, not a message: only text and binary"
                " messages copy as code; copy its payload instead"
            )
        return _code(payload, how == "seed")
    if payload is None:
        return json.dumps(record.info or {}, indent=2, ensure_ascii=False)
    if how == "json":
        if not isinstance(payload, str):
            raise ValueError(f"record #{record.seq} is binary, not JSON: copy its payload (hex) instead")
        try:
            value = json.loads(payload)
        except ValueError:
            raise ValueError(f"record #{record.seq} is not JSON text: copy its payload instead") from None
        return json.dumps(value, indent=2, ensure_ascii=False)
    return payload if isinstance(payload, str) else payload.hex(" ")


def _code(payload: str | bytes | None, seed: bool) -> str:
    if isinstance(payload, bytes):
        literal = f"bytes.fromhex({payload.hex(' ')!r})"
        return f"ws.Write({literal}, True)" if seed else f"ws.send({literal})"
    return f"ws.Write({payload!r})" if seed else f"ws.send({payload!r})"
