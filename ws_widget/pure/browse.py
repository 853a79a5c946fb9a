"""Browsing the history from the widget: filters, pages and the wire form of records.

Records travel to the browser as short lists ``[seq, time_ms, direction, kind, size, preview,
info, buffer]``, and a ninth item, ``fields``, when JSON columns are shown (their cells, see
:mod:`.fields`, or null for a payload that is not JSON). Text previews are cut to
``ROW_PREVIEW_CHARS``; binary previews are the first ``ROW_PREVIEW_BYTES`` bytes in a separate
buffer (``buffer`` is its index), never inside JSON. The detail pane gets one record's payload,
cut at ``DETAIL_CHARS`` or ``DETAIL_BYTES``.
"""

from __future__ import annotations

import re
from array import array
from typing import Any

from .columns import FieldPicker
from .history import History, Info, Record
from .kinds import (
    BINARY,
    CLOSE,
    DIRECTIONS,
    ERROR,
    MESSAGE_KINDS,
    OPEN,
    PAUSE,
    PING,
    PONG,
    RECONNECT,
    RESUME,
    TEXT,
)

ROW_PREVIEW_CHARS = 240  # of a text payload, in one row of the history list
ROW_PREVIEW_BYTES = 48  # of a binary payload, in one row of the history list (a hex dump line or three)
DETAIL_CHARS = 1_000_000
DETAIL_BYTES = 65_536
KIND_GROUPS: dict[str, frozenset[str] | None] = {
    "all": None,
    "messages": frozenset(MESSAGE_KINDS),
    "text": frozenset({TEXT}),
    "binary": frozenset({BINARY}),
    "control": frozenset({PING, PONG}),
    "events": frozenset({OPEN, CLOSE, ERROR, RECONNECT, PAUSE, RESUME}),
}


class RecordFilter:
    """Which records a view shows: a text (substring or regex), a direction, a kind group.

    Raises:
        ValueError: an invalid regex, direction or kind group; the message says which.
    """

    def __init__(
        self, text: str = "", regex: bool = False, direction: str = "all", kinds: str = "all"
    ) -> None:
        if direction != "all" and direction not in DIRECTIONS:
            raise ValueError(f"direction must be all, {', '.join(DIRECTIONS)}, got {direction!r}")
        if kinds not in KIND_GROUPS:
            raise ValueError(f"kinds must be one of {', '.join(KIND_GROUPS)}, got {kinds!r}")
        try:
            pattern = re.compile(text if regex else re.escape(text), re.IGNORECASE) if text else None
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        self.key = (text, bool(regex), direction, kinds)
        self._search = pattern.search if pattern else None
        self._direction = None if direction == "all" else direction
        self._kinds = KIND_GROUPS[kinds]

    @property
    def is_everything(self) -> bool:
        """Whether the filter lets every record through."""
        return self._search is None and self._direction is None and self._kinds is None

    def matches(self, record: Record) -> bool:
        """Tell whether ``record`` passes the filter."""
        if self._direction is not None and record.direction != self._direction:
            return False
        if self._kinds is not None and record.kind not in self._kinds:
            return False
        if self._search is not None:
            return self._search(searchable_text(record)) is not None
        return True


def searchable_text(record: Record) -> str:
    """The text a filter searches: the payload as text (binary as hex) and the event details."""
    payload = record.payload
    if isinstance(payload, str):
        return payload
    if isinstance(payload, bytes):
        return payload.hex(" ")
    info = record.info
    return " ".join(str(value) for value in info.values()) if info else ""


class FilteredIndex:
    """The sequence numbers of the records passing one filter, extended as records arrive."""

    def __init__(self, record_filter: RecordFilter) -> None:
        self.filter = record_filter
        self.seqs = array("q")
        self.scanned_to = 0

    def update(self, history: History) -> None:
        """Scan the records added since the last update; forget dropped ones."""
        matches = self.filter.matches
        for record in history.since(self.scanned_to):
            if matches(record):
                self.seqs.append(record.seq)
        self.scanned_to = history.last_seq
        first = history.first_seq
        if self.seqs and self.seqs[0] < first:
            keep = next((i for i, seq in enumerate(self.seqs) if seq >= first), len(self.seqs))
            del self.seqs[:keep]


class Browser:
    """Answers page requests for one history, caching the index of recent filters."""

    def __init__(self, history: History, cached_filters: int = 4) -> None:
        self.history = history
        self._indexes: dict[tuple[str, bool, str, str], FilteredIndex] = {}
        self._cached_filters = cached_filters

    def page(
        self, offset: int, count: int, record_filter: RecordFilter, fields: FieldPicker | None = None
    ) -> tuple[dict[str, Any], list[bytes]]:
        """Return ``count`` records from position ``offset`` of the filtered history.

        A negative offset counts from the end (``-count`` gives the newest page).
        """
        history = self.history
        count = max(0, min(int(count), 1000))
        if record_filter.is_everything:
            total = len(history)
            offset = _clamp(offset, total, count)
            records = history.since(history.first_seq + offset - 1, count)
        else:
            index = self._index(record_filter)
            total = len(index.seqs)
            offset = _clamp(offset, total, count)
            records = [
                history[seq] for seq in index.seqs[offset : offset + count] if seq >= history.first_seq
            ]
        rows, buffers = encode_records(records, fields=fields)
        return {
            "total": total,
            "offset": offset,
            "first_seq": history.first_seq,
            "last_seq": history.last_seq,
            "records": rows,
        }, buffers

    def _index(self, record_filter: RecordFilter) -> FilteredIndex:
        index = self._indexes.pop(record_filter.key, None) or FilteredIndex(record_filter)
        self._indexes[record_filter.key] = index  # most recently used last
        while len(self._indexes) > self._cached_filters:
            del self._indexes[next(iter(self._indexes))]
        index.update(self.history)
        return index

    def forget(self) -> None:
        """Drop the cached indexes (after the history was cleared)."""
        self._indexes.clear()


def _clamp(offset: int, total: int, count: int) -> int:
    offset = int(offset)
    if offset < 0:
        offset = total + offset
    return max(0, min(offset, max(0, total - count)))


def encode_records(
    records: list[Record], buffers: list[bytes] | None = None, fields: FieldPicker | None = None
) -> tuple[list[list[Any]], list[bytes]]:
    """Return the wire rows of ``records`` and the buffers holding their binary previews
    (appended to ``buffers`` when given, so that one message can carry several lists), with
    the cells of ``fields`` for text payloads."""
    rows: list[list[Any]] = []
    buffers = [] if buffers is None else buffers
    for record in records:
        payload, buffer_index = record.payload, None
        preview: str | None
        if isinstance(payload, bytes):
            buffer_index = len(buffers)
            buffers.append(payload[:ROW_PREVIEW_BYTES])
            preview = None
        elif isinstance(payload, str):
            preview = payload[:ROW_PREVIEW_CHARS]
        else:
            preview = None
        row = [
            record.seq,
            round(record.time * 1000),
            record.direction,
            record.kind,
            record.size,
            preview,
            _row_info(record),
            buffer_index,
        ]
        if fields:
            row.append(fields.cells(payload))
        rows.append(row)
    return rows, buffers


def _row_info(record: Record) -> Info | None:
    """A record's details for its list row: a frame's wire bytes wait for its detail."""
    info = record.info
    if not info or "wire" not in info:
        return event_info(record)
    return {key: value for key, value in info.items() if key != "wire"}


def event_info(record: Record) -> Info | None:
    """Details of a record for display (a copy)."""
    return dict(record.info) if record.info else None


def encode_detail(record: Record) -> tuple[dict[str, Any], list[bytes]]:
    """Return the full payload of one record for the detail pane (cut at generous limits)."""
    payload = record.payload
    content: dict[str, Any] = {
        "seq": record.seq,
        "kind": record.kind,
        "size": record.size,
        "info": event_info(record),
    }
    if isinstance(payload, bytes):
        content["truncated"] = len(payload) > DETAIL_BYTES
        return content, [payload[:DETAIL_BYTES]]
    if isinstance(payload, str):
        content["text"] = payload[:DETAIL_CHARS]
        content["truncated"] = len(payload) > DETAIL_CHARS
    return content, []
