"""The history as JSON lines: one JSON object per record, checked line by line when read.

Each line holds a record's ``seq``, ``time`` (epoch seconds), ``mono``, ``direction``,
``kind``, ``size`` and ``payload`` (text, hex for bytes, or null), then its details::

    {"seq": 1, "time": 1767261600.0, "mono": 5.2, "direction": "event", "kind": "open", ...}
    {"seq": 2, "time": 1767261600.1, "mono": 5.3, "direction": "in", "kind": "text", ...}
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .fileformat import (
    EPOCH_MAX,
    EPOCH_SPAN,
    Reader,
    need_choice,
    need_field,
    need_hex,
    need_info,
    need_int,
    need_number,
    need_object,
    need_text,
)
from .kinds import DIRECTIONS, KINDS, TEXT_PAYLOAD_KINDS

if TYPE_CHECKING:
    from .history import History, Payload, Record

FIXED_FIELDS = ("seq", "mono", "time", "direction", "kind", "size", "payload")
"""The fields every line has; the others are the record's details (``info``)."""
_NEEDED = ("time", "direction", "kind", "size", "payload")  # seq and mono are renumbered on reading
_ADVICE = "History.from_jsonl reads what History.to_jsonl writes: fix or delete that line"


def write(records: Sequence[Record], path: str | os.PathLike[str]) -> int:
    """Write one JSON object per record (binary payloads as hex); return the count.

    Raises:
        OSError: the file cannot be written.
    """
    with open(path, "w", encoding="utf-8") as file:
        for record in records:
            file.write(line(record))
    return len(records)


def line(record: Record) -> str:
    """One record as the line :func:`write` writes (newline included)."""
    return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"


def read(path: str | os.PathLike[str], history: History) -> History:
    """Add the records of a file written by :func:`write` to ``history`` and return it.

    Each line is checked before its record is added: a JSON object with ``time`` (epoch
    seconds), ``direction``, a known ``kind``, an integer ``size`` and a ``payload`` of the
    kind's type (text, hex for bytes, or null); other fields become the record's ``info``.

    Raises:
        HistoryFormatError: (a ValueError) the file is not such a file; the message names
            the line, what is wrong and what to do.
        OSError: the file cannot be read.
    """
    reader = Reader(path, _ADVICE)
    for number, line in reader.lines():
        at = f"line {number}"
        row = need_object(reader, reader.json(line, at, number), "a record", at, number)
        fields = {name: need_field(reader, row, name, at, number) for name in _NEEDED}
        when = need_number(reader, fields["time"], "time", 0, EPOCH_MAX, at, number, EPOCH_SPAN)
        direction = need_choice(reader, fields["direction"], "direction", DIRECTIONS, at, number)
        kind = need_choice(reader, fields["kind"], "kind", KINDS, at, number)
        size = need_int(reader, fields["size"], "size", 0, 2**62, at, number)
        payload: Payload = fields["payload"]
        if kind in TEXT_PAYLOAD_KINDS:
            payload = need_text(reader, payload, "payload", at, number, optional=True)
        elif payload is not None:
            payload = need_hex(reader, payload, "payload", at, number)
        info = {key: value for key, value in row.items() if key not in FIXED_FIELDS}
        need_info(reader, info, at, number)  # the fields the widget shows have their types
        history.add(direction, kind, payload, size, info or None, at=when)
    return history
