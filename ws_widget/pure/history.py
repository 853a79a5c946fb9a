"""The history: every frame and event of a WebSocket, numbered, bounded and thread-safe.

The store only; its file formats live in :mod:`.jsonl` (JSON lines) and :mod:`.tables`
(pandas and Parquet), its kinds in :mod:`.kinds`, and the process-wide budget all histories
share in :mod:`.budget`. Each record keeps the wall-clock time of its recording (what
``time.time()`` said then, so a clock step or a suspend shifts no earlier record) and a
monotonic time for durations and rates.
"""

from __future__ import annotations

import os
import threading
from array import array
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import clock, jsonl, tables
from .budget import Budget, history_budget
from .kinds import CODES, EVENT, IN_BINARY, IN_TEXT, MESSAGE_KINDS, OPEN, PAIRS, code_of

OPENS_KEPT = 1000  # connection opens remembered (see History.opens)
_EVENT_OPEN = CODES[(EVENT, OPEN)]

if TYPE_CHECKING:
    import pandas

Payload = str | bytes | None
"""A record's payload: str for text, bytes for binary and control frames, None for events."""
Taken = tuple[int, "str | bytes"]
"""An incoming message taken by a receiving face: its sequence number and payload."""
Info = dict[str, Any]
"""A record's details: JSON values whose type depends on the key (``code`` int, ``reason`` str...)."""


class Record:
    """One entry of the history.

    Attributes:
        seq: sequence number, 1 for the first record of a WebSocket, never reused.
        time: wall-clock time of the recording, epoch seconds (``time.time()`` then).
        mono: ``time.monotonic()`` when it was recorded, for durations and rates.
        direction: ``"in"``, ``"out"`` or ``"event"``.
        kind: ``text``, ``binary``, ``ping``, ``pong``, ``open``, ``close``, ``error`` or
            ``reconnect``; in the frame log, the opcode name (``TEXT``, ``PING``...).
        size: payload size in bytes (UTF-8 for text).
        payload: str for text, bytes for binary and pings, None for events.
        info: details of events: close ``code``/``reason``, pong ``rtt``, error ``message``.
    """

    __slots__ = ("direction", "info", "kind", "mono", "payload", "seq", "size", "time")

    def __init__(
        self,
        seq: int,
        time: float,
        mono: float,
        direction: str,
        kind: str,
        size: int,
        payload: Payload,
        info: Info | None,
    ) -> None:
        self.seq, self.time, self.mono, self.direction, self.kind = seq, time, mono, direction, kind
        self.size, self.payload, self.info = size, payload, info

    @property
    def is_message(self) -> bool:
        """Whether this is a text or binary message."""
        return self.kind in MESSAGE_KINDS

    def to_dict(self) -> dict[str, Any]:
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


class History:
    """Records in sequence order; the oldest are dropped past ``max_records`` or ``max_bytes``,
    or when the process-wide :data:`~.budget.history_budget` runs out, but never a record after
    :attr:`pin`.

    Written by the I/O thread, readable from any thread: reads return snapshots.

    Attributes:
        pin: while set (a sequence number), no record after it is dropped: an active receiving
            loop sets it to the last message it took. None: no pin.
        dropped: how many records were dropped, for any reason.
    """

    def __init__(
        self, max_records: int = 1_000_000, max_bytes: int = 512 * 2**20, budget: Budget | None = None
    ) -> None:
        """Make an empty history that keeps at most ``max_records`` records and ``max_bytes``,
        counted in ``budget`` (the process's :data:`~.budget.history_budget` by default).

        Raises:
            ValueError: a limit is not positive.
        """
        if max_records < 1 or max_bytes < 1:
            raise ValueError("max_records and max_bytes must be positive")
        self.max_records = max_records
        self.max_bytes = max_bytes
        self.dropped = 0
        self.pin: int | None = None
        self._budget = budget = budget if budget is not None else history_budget
        self.closed_at = budget.closed_order()  # 0 while its socket is live
        self._lock = threading.Lock()
        # Columns, one entry per record: no Python object per record but the payload itself.
        self._payloads: list[Payload] = []
        self._wall = array("d")
        self._mono = array("d")
        self._sizes = array("q")
        self._codes = bytearray()  # kinds.CODES of (direction, kind)
        self._info: dict[int, Info] = {}  # seq -> info, for the few records that have one
        self._opens: deque[tuple[int, float]] = deque(maxlen=OPENS_KEPT)  # (seq, wall) of each open
        self._start = 0  # index of the oldest kept record in the columns
        self._base = 1  # seq of column index 0
        self._bytes = 0
        self._next_seq = 1
        budget.register(self)

    def add(
        self,
        direction: str,
        kind: str,
        payload: Payload = None,
        size: int = 0,
        info: Info | None = None,
        at: float | None = None,
    ) -> Record:
        """Append a record and return it, dropping the oldest beyond the limits.

        ``at`` is a wall-clock time (epoch seconds) for imported records; default now.

        Raises:
            ValueError: the direction or kind is not one of :mod:`.kinds`.
        """
        code = CODES.get((direction, kind))
        if code is None:
            code = code_of(direction, kind)  # raises, naming what is wrong
        mono = clock.monotonic()
        wall = clock.wall() if at is None else at
        if at is not None:
            mono -= clock.wall() - at  # as if recorded then, on the same monotonic scale
        with self._lock:
            seq = self._append(code, payload, size, wall, mono, info)
        if self._budget.charged > self._budget.threshold:
            self._budget.reclaim()
        return Record(seq, wall, mono, direction, kind, size, payload, info)

    def add_message(self, code: int, payload: str | bytes, size: int) -> int:
        """The I/O loop's fast path for a message: no Record is built; return its seq.

        ``code`` is :data:`.kinds.IN_TEXT` or :data:`.kinds.IN_BINARY`, unchecked.
        """
        with self._lock:
            self._payloads.append(payload)
            self._wall.append(clock.wall())
            self._mono.append(clock.monotonic())
            self._sizes.append(size)
            self._codes.append(code)
            seq = self._next_seq
            self._next_seq = seq + 1
            self._bytes += size
            if seq - self._base - self._start >= self.max_records or self._bytes > self.max_bytes:
                self._trim()
        budget = self._budget
        budget.charged += size
        if budget.charged > budget.threshold:
            budget.reclaim()
        return seq

    def _append(
        self, code: int, payload: Payload, size: int, wall: float, mono: float, info: Info | None
    ) -> int:
        seq = self._next_seq
        self._payloads.append(payload)
        self._wall.append(wall)
        self._mono.append(mono)
        self._sizes.append(size)
        self._codes.append(code)
        if info is not None:
            self._info[seq] = info
        if code == _EVENT_OPEN:
            self._opens.append((seq, wall))
        self._next_seq = seq + 1
        self._bytes += size
        self._budget.charged += size
        if len(self._payloads) - self._start > self.max_records or self._bytes > self.max_bytes:
            self._trim()
        return seq

    def _trim(self) -> None:
        """Drop the oldest records beyond this history's own limits (never after the pin)."""
        before = self._bytes
        keep_after = self.pin if self.pin is not None else 2**62
        payloads, sizes, info = self._payloads, self._sizes, self._info
        while (
            len(payloads) - self._start > 1
            and (len(payloads) - self._start > self.max_records or self._bytes > self.max_bytes)
            and self._base + self._start <= keep_after
        ):
            self._drop_oldest(payloads, sizes, info)
        self._budget.charged -= before - self._bytes
        self._compact()

    def _drop_oldest(self, payloads: list[Payload], sizes: array[int], info: dict[int, Info]) -> None:
        self._bytes -= sizes[self._start]
        payloads[self._start] = None  # release the payload now
        if info:
            info.pop(self._base + self._start, None)
        self._start += 1
        self.dropped += 1

    def _compact(self) -> None:
        if self._start > 4096 and self._start * 2 > len(self._payloads):
            cut = self._start
            del self._payloads[:cut], self._wall[:cut], self._mono[:cut], self._sizes[:cut], self._codes[:cut]
            self._base += cut
            self._start = 0

    def trim(self) -> None:
        """Drop what this history's own limits allow now (after its pin moved, say)."""
        with self._lock:
            self._trim()

    def shed(self, nbytes: int) -> int:
        """Drop the oldest records (never after the pin) until ``nbytes`` of payload are freed
        or none can go; return the bytes freed. The budget calls this."""
        with self._lock:
            before = self._bytes
            keep_after = self.pin if self.pin is not None else 2**62
            payloads, sizes, info = self._payloads, self._sizes, self._info
            while (
                self._start < len(payloads)
                and before - self._bytes < nbytes
                and self._base + self._start <= keep_after
            ):
                self._drop_oldest(payloads, sizes, info)
            self._compact()
            return before - self._bytes

    def oldest_mono(self) -> float:
        """The monotonic time of the oldest record held (infinity when empty)."""
        with self._lock:
            return self._mono[self._start] if self._start < len(self._mono) else float("inf")

    def mark_live(self) -> None:
        """Its socket is connecting or open: its records go last when the budget runs out."""
        self.closed_at = 0

    def mark_closed(self) -> None:
        """Its socket closed: its records go first when the budget runs out."""
        self.closed_at = self._budget.closed_order()

    def _record(self, index: int) -> Record:
        direction, kind = PAIRS[self._codes[index]]
        seq = self._base + index
        return Record(
            seq,
            self._wall[index],
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
        """The number of records held."""
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
        """Return the first text or binary message in ``direction`` after ``seq``, or None.

        Raises:
            ValueError: ``direction`` is not ``in``, ``out`` or ``event``.
        """
        wanted = {code_of(direction, kind) for kind in MESSAGE_KINDS}
        with self._lock:
            codes = self._codes
            for index in range(max(self._start, seq + 1 - self._base), len(codes)):
                if codes[index] in wanted:
                    return self._record(index)
        return None

    def take_messages(self, after: int, limit: int, out: list[Taken]) -> int:
        """Append ``(seq, payload)`` of up to ``limit`` incoming messages after ``after`` to
        ``out``; return the sequence number scanned up to (a consumer's next ``after``).

        The receiving faces' fast path: one lock for a batch, no Record built.
        """
        with self._lock:
            codes, payloads, base = self._codes, self._payloads, self._base
            index = max(self._start, after + 1 - base)
            end = len(codes)
            taken = 0
            while index < end and taken < limit:
                code = codes[index]
                if code in (IN_TEXT, IN_BINARY):
                    out.append((base + index, payloads[index]))  # type: ignore[arg-type]  # a message's payload is never None
                    taken += 1
                index += 1
            return base + index - 1 if index > after + 1 - base else after

    def count_incoming_text(self, after: int, upto: int) -> int:
        """How many incoming text messages have a sequence number above ``after`` and up to
        ``upto`` (of those still held): a count over the one-byte codes, no Record built."""
        with self._lock:
            start = max(self._start, after + 1 - self._base)
            end = min(len(self._codes), upto + 1 - self._base)
            return self._codes[start:end].count(IN_TEXT) if end > start else 0

    def opens(self, after: int = 0) -> list[tuple[int, float]]:
        """``(seq, time)`` of the connections' "open" records after sequence number ``after``,
        oldest first: the newest :data:`OPENS_KEPT`, kept across trims and :meth:`clear`, so
        a record's connection start is known after its open record is gone."""
        with self._lock:
            return [pair for pair in self._opens if pair[0] > after]

    def tail(self, n: int = 10) -> list[Record]:
        """Return the newest ``n`` records, oldest first."""
        with self._lock:
            end = len(self._payloads)
            return self._records(max(self._start, end - n), end)

    def clear(self) -> None:
        """Forget every record; sequence numbers keep counting."""
        with self._lock:
            self._budget.charged -= self._bytes
            self._payloads, self._sizes, self._codes = [], array("q"), bytearray()
            self._wall, self._mono = array("d"), array("d")
            self._info, self._start, self._base, self._bytes = {}, 0, self._next_seq, 0

    def messages(self) -> list[Record]:
        """Return the text and binary messages held, both directions."""
        return [record for record in self.snapshot() if record.kind in MESSAGE_KINDS]

    def to_pandas(self, flatten_json: bool = False) -> pandas.DataFrame:
        """Return a ``pandas.DataFrame`` with one row per record, indexed by ``seq``
        (see :func:`.tables.to_pandas`).

        Args:
            flatten_json: parse text payloads that are JSON objects into columns named
                ``json.<path>`` (nested keys joined with dots).

        Raises:
            ImportError: pandas is not installed (``pip install 'ws-widget[pandas]'``).
        """
        return tables.to_pandas(self.snapshot(), flatten_json)

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the records as Parquet, binary payloads as bytes (see :func:`.tables.to_parquet`).

        Raises:
            ImportError: pandas or pyarrow is missing.
            OSError: the file cannot be written.
        """
        tables.to_parquet(self.snapshot(), path)

    def to_jsonl(self, path: str | os.PathLike[str]) -> int:
        """Write one JSON object per record (binary payloads as hex); return the count
        (see :func:`.jsonl.write`).

        Raises:
            OSError: the file cannot be written.
        """
        return jsonl.write(self.snapshot(), path)

    @classmethod
    def from_jsonl(
        cls, path: str | os.PathLike[str], max_records: int = 1_000_000, max_bytes: int = 512 * 2**20
    ) -> History:
        """Read a file written by :meth:`to_jsonl` into a new history (numbered afresh)
        that keeps at most ``max_records`` and ``max_bytes``; every line is checked first
        (see :func:`.jsonl.read`).

        Raises:
            HistoryFormatError: (a ValueError) the file is not such a file; the message names
                the line, what is wrong and what to do.
            OSError: the file cannot be read.
        """
        return jsonl.read(path, cls(max_records, max_bytes))

    def __repr__(self) -> str:
        return f"<History {len(self)} records, {self._bytes} B, {self.dropped} dropped>"
