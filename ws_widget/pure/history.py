"""The history: every frame and event of a WebSocket, numbered, bounded and thread-safe."""

from __future__ import annotations

import json
import os
import threading
import time
from array import array
from collections.abc import Iterator

IN, OUT, EVENT = "in", "out", "event"
TEXT, BINARY, PING, PONG, OPEN, CLOSE, ERROR = "text", "binary", "ping", "pong", "open", "close", "error"
RECONNECT = "reconnect"
MESSAGE_KINDS = (TEXT, BINARY)
_COLUMNS = ["seq", "time", "mono", "direction", "kind", "size", "payload"]

# Wall-clock time of a record is derived from its monotonic time, which saves a float each.
_WALL_MINUS_MONOTONIC = time.time() - time.monotonic()


class Record:
    """One entry of the history.

    Attributes:
        seq: sequence number, 1 for the first record of a WebSocket, never reused.
        mono: ``time.monotonic()`` when it was recorded.
        direction: ``"in"``, ``"out"`` or ``"event"``.
        kind: ``text``, ``binary``, ``ping``, ``pong``, ``open``, ``close`` or ``error``.
        size: payload size in bytes (UTF-8 for text).
        payload: str for text, bytes for binary and pings, None for events.
        info: details of events: close ``code``/``reason``, pong ``rtt``, error ``message``.
    """

    __slots__ = ("direction", "info", "kind", "mono", "payload", "seq", "size")

    def __init__(self, seq, mono, direction, kind, size, payload, info):
        self.seq, self.mono, self.direction, self.kind = seq, mono, direction, kind
        self.size, self.payload, self.info = size, payload, info

    @property
    def time(self) -> float:
        """Wall-clock time as epoch seconds."""
        return _WALL_MINUS_MONOTONIC + self.mono

    @property
    def is_message(self) -> bool:
        """Whether this is a text or binary message."""
        return self.kind in MESSAGE_KINDS

    def to_dict(self) -> dict:
        """Return a JSON-friendly dict (binary payloads as hex)."""
        payload = self.payload.hex() if isinstance(self.payload, bytes) else self.payload
        return {
            "seq": self.seq,
            "time": round(self.time, 6),
            "mono": self.mono,
            "direction": self.direction,
            "kind": self.kind,
            "size": self.size,
            "payload": payload,
            **(self.info or {}),
        }

    def __repr__(self) -> str:
        preview = self.payload if self.payload is not None else self.info
        text = repr(preview)
        if len(text) > 60:
            text = text[:57] + "..."
        return f"<Record #{self.seq} {self.direction} {self.kind} {self.size} B {text}>"


# Each record stores (direction, kind) as one byte: an index into _KINDS, which grows on demand
# (the frame log's kinds are opcode names).
_KINDS = [(d, k) for d in (IN, OUT, EVENT) for k in (TEXT, BINARY, PING, PONG, OPEN, CLOSE, ERROR, RECONNECT)]
_CODE = {pair: code for code, pair in enumerate(_KINDS)}
_KINDS_LOCK = threading.Lock()
IN_TEXT, IN_BINARY = _CODE[IN, TEXT], _CODE[IN, BINARY]
_monotonic = time.monotonic


def _code(direction: str, kind: str) -> int:
    code = _CODE.get((direction, kind))
    if code is None:
        with _KINDS_LOCK:
            code = _CODE.get((direction, kind))
            if code is None:
                if len(_KINDS) >= 256:
                    raise ValueError(f"too many kinds of record to store {direction}/{kind}")
                code = _CODE[direction, kind] = len(_KINDS)
                _KINDS.append((direction, kind))
    return code


class History:
    """Records in sequence order; the oldest are dropped past ``max_records`` or ``max_bytes``.

    Written by the I/O thread, readable from any thread: reads return snapshots.
    """

    def __init__(self, max_records: int = 1_000_000, max_bytes: int = 512 * 2**20):
        if max_records < 1 or max_bytes < 1:
            raise ValueError("max_records and max_bytes must be positive")
        self.max_records = max_records
        self.max_bytes = max_bytes
        self.dropped = 0
        self._lock = threading.Lock()
        # Columns, one entry per record: no Python object per record but the payload itself.
        self._payloads: list = []
        self._mono = array("d")
        self._sizes = array("q")
        self._codes = bytearray()  # _CODES index of (direction, kind)
        self._info: dict[int, dict] = {}  # seq -> info, for the few records that have one
        self._start = 0  # index of the oldest kept record in the columns
        self._base = 1  # seq of column index 0
        self._bytes = 0
        self._next_seq = 1

    def add(
        self, direction: str, kind: str, payload=None, size: int = 0, info=None, at: float | None = None
    ) -> Record:
        """Append a record and return it, dropping the oldest beyond the limits.

        ``at`` is a wall-clock time (epoch seconds) for imported records; default now.
        """
        mono = time.monotonic() if at is None else at - _WALL_MINUS_MONOTONIC
        with self._lock:
            seq = self._append(_code(direction, kind), payload, size, mono, info)
        return Record(seq, mono, direction, kind, size, payload, info)

    def add_message(self, code: int, payload, size: int) -> int:
        """The I/O loop's fast path for a message: no Record is built; return its seq."""
        with self._lock:
            self._payloads.append(payload)
            self._mono.append(_monotonic())
            self._sizes.append(size)
            self._codes.append(code)
            seq = self._next_seq
            self._next_seq = seq + 1
            self._bytes += size
            if seq - self._base - self._start >= self.max_records or self._bytes > self.max_bytes:
                self._trim()
        return seq

    def _append(self, code, payload, size, mono, info) -> int:
        seq = self._next_seq
        self._payloads.append(payload)
        self._mono.append(mono)
        self._sizes.append(size)
        self._codes.append(code)
        if info is not None:
            self._info[seq] = info
        self._next_seq = seq + 1
        self._bytes += size
        if len(self._payloads) - self._start > self.max_records or self._bytes > self.max_bytes:
            self._trim()
        return seq

    def _trim(self) -> None:
        payloads, sizes, info = self._payloads, self._sizes, self._info
        while len(payloads) - self._start > 1 and (
            len(payloads) - self._start > self.max_records or self._bytes > self.max_bytes
        ):
            self._bytes -= sizes[self._start]
            payloads[self._start] = None  # release the payload now
            if info:
                info.pop(self._base + self._start, None)
            self._start += 1
            self.dropped += 1
        if self._start > 4096 and self._start * 2 > len(payloads):
            cut = self._start
            del payloads[:cut], self._mono[:cut], self._sizes[:cut], self._codes[:cut]
            self._base += cut
            self._start = 0

    def _record(self, index: int) -> Record:
        direction, kind = _KINDS[self._codes[index]]
        seq = self._base + index
        return Record(
            seq,
            self._mono[index],
            direction,
            kind,
            self._sizes[index],
            self._payloads[index],
            self._info.get(seq) if self._info else None,
        )

    def _records(self, start: int, end: int) -> list[Record]:
        return [self._record(index) for index in range(start, min(end, len(self._payloads)))]

    @property
    def bytes(self) -> int:
        """Payload bytes held."""
        return self._bytes

    @property
    def last_seq(self) -> int:
        """Sequence number of the newest record, 0 when none was ever recorded."""
        return self._next_seq - 1

    @property
    def first_seq(self) -> int:
        """Sequence number of the oldest record held (``last_seq + 1`` when empty)."""
        return self._base + self._start

    def __len__(self) -> int:
        return self._next_seq - self._base - self._start

    def __iter__(self) -> Iterator[Record]:
        return iter(self.snapshot())

    def snapshot(self) -> list[Record]:
        """Return the records held, oldest first."""
        with self._lock:
            return self._records(self._start, len(self._payloads))

    def __getitem__(self, seq: int) -> Record:
        """Return the record with this sequence number.

        Raises:
            KeyError: the record was dropped or does not exist yet.
        """
        with self._lock:
            index = seq - self._base
            if seq < 1 or not self._start <= index < len(self._payloads):
                raise KeyError(
                    f"no record #{seq}: the history holds #{self.first_seq} to #{self.last_seq} "
                    f"({self.dropped} older dropped; raise max_records to keep more)"
                )
            return self._record(index)

    def since(self, seq: int, limit: int | None = None) -> list[Record]:
        """Return records with a sequence number above ``seq``, oldest first, at most ``limit``."""
        with self._lock:
            index = max(self._start, seq + 1 - self._base)
            end = len(self._payloads) if limit is None else index + limit
            return self._records(index, end)

    def first_message_after(self, seq: int, direction: str) -> Record | None:
        """Return the first text or binary message in ``direction`` after ``seq``, or None."""
        wanted = {_code(direction, kind) for kind in MESSAGE_KINDS}
        with self._lock:
            codes = self._codes
            for index in range(max(self._start, seq + 1 - self._base), len(codes)):
                if codes[index] in wanted:
                    return self._record(index)
        return None

    def tail(self, n: int = 10) -> list[Record]:
        """Return the newest ``n`` records, oldest first."""
        with self._lock:
            end = len(self._payloads)
            return self._records(max(self._start, end - n), end)

    def clear(self) -> None:
        """Forget every record; sequence numbers keep counting."""
        with self._lock:
            self._payloads, self._mono, self._sizes, self._codes = [], array("d"), array("q"), bytearray()
            self._info, self._start, self._base, self._bytes = {}, 0, self._next_seq, 0

    def messages(self) -> list[Record]:
        """Return the text and binary messages held, both directions."""
        return [record for record in self.snapshot() if record.kind in MESSAGE_KINDS]

    def to_pandas(self, flatten_json: bool = False):
        """Return a ``pandas.DataFrame`` with one row per record, indexed by ``seq``.

        Args:
            flatten_json: parse text payloads that are JSON objects into columns named
                ``json.<path>`` (nested keys joined with dots).

        Raises:
            ImportError: pandas is not installed (``pip install 'ws-widget[pandas]'``).
        """
        pd = _pandas()
        rows = [{**record.to_dict(), "payload": record.payload} for record in self.snapshot()]
        frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=_COLUMNS)
        frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
        frame = frame.set_index("seq")
        if flatten_json and len(frame):
            parsed = frame["payload"].map(_json_object)
            present = parsed.notna()
            if present.any():
                flat = pd.json_normalize(parsed[present].tolist()).add_prefix("json.")
                flat.index = frame.index[present]
                frame = frame.join(flat)
        return frame

    def to_jsonl(self, path: str | os.PathLike) -> int:
        """Write one JSON object per record (binary payloads as hex); return the count."""
        records = self.snapshot()
        with open(path, "w", encoding="utf-8") as file:
            for record in records:
                file.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        return len(records)

    @classmethod
    def from_jsonl(cls, path: str | os.PathLike, **limits) -> History:
        """Read a file written by :meth:`to_jsonl` into a new history (numbered afresh).

        Each line is checked before anything is added: a JSON object with ``time`` (epoch
        seconds), ``direction``, a known ``kind``, an integer ``size`` and a ``payload`` of the
        kind's type (text, hex for bytes, or null); other fields become the record's ``info``.

        Raises:
            HistoryFormatError: (a ValueError) the file is not such a file; the message names
                the line, what is wrong and what to do.
        """
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

        # The history's kinds and the frame log's (websockets' opcode names); kinds with text payloads.
        kinds = (
            TEXT,
            BINARY,
            PING,
            PONG,
            OPEN,
            CLOSE,
            ERROR,
            RECONNECT,
            "CONT",
            "TEXT",
            "BINARY",
            "CLOSE",
            "PING",
            "PONG",
        )
        text_kinds = (TEXT, OPEN, CLOSE, ERROR, RECONNECT)
        fixed = ("seq", "mono", "time", "direction", "kind", "size", "payload")
        reader = Reader(
            path, "History.from_jsonl reads what History.to_jsonl writes: fix or delete that line"
        )
        history = cls(**limits)
        for number, line in reader.lines():
            at = f"line {number}"
            row = need_object(reader, reader.json(line, at, number), "a record", at, number)
            fields = {
                name: need_field(reader, row, name, at, number)
                for name in ("time", "direction", "kind", "size", "payload")
            }
            when = need_number(reader, fields["time"], "time", 0, EPOCH_MAX, at, number, EPOCH_SPAN)
            direction = need_choice(reader, fields["direction"], "direction", (IN, OUT, EVENT), at, number)
            kind = need_choice(reader, fields["kind"], "kind", kinds, at, number)
            size = need_int(reader, fields["size"], "size", 0, 2**62, at, number)
            payload = fields["payload"]
            if kind in text_kinds:
                payload = need_text(reader, payload, "payload", at, number, optional=True)
            elif payload is not None:
                payload = need_hex(reader, payload, "payload", at, number)
            info = {key: value for key, value in row.items() if key not in fixed}
            need_info(reader, info, at, number)  # the fields the widget shows have their types
            history.add(direction, kind, payload, size, info or None, at=when)
        return history

    def to_parquet(self, path: str | os.PathLike) -> None:
        """Write the records as Parquet (binary payloads as bytes).

        Raises:
            ImportError: pandas or pyarrow is missing.
        """
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise ImportError("to_parquet needs pyarrow: pip install pyarrow") from exc
        frame = self.to_pandas()
        frame["payload"] = frame["payload"].map(lambda p: p.encode() if isinstance(p, str) else p)
        frame.to_parquet(path)

    def __repr__(self) -> str:
        return f"<History {len(self)} records, {self._bytes} B, {self.dropped} dropped>"


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("this needs pandas: pip install 'ws-widget[pandas]'") from exc
    return pd


def _json_object(payload):
    if not isinstance(payload, str) or not payload.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(payload)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
