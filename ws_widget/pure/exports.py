"""The history as a file to download: JSON lines, HAR or CSV, built in memory with a bound.

The widget's Download buttons and their Python twin (``ws.widget.download``) build the same
bytes as ``History.to_jsonl`` and ``to_har`` write (the same line and document functions), and
CSV with one row per record. URLs and headers in event details are masked once more on the way
out (``mask_url``/``mask_headers`` keep what is masked already as it is), so no export carries a
secret the history might hold. A history whose payloads, or whose file, pass ``max_bytes`` is
refused with a line that says to write the file from Python instead.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any

from . import har, jsonl
from .history import History, Record
from .redact import mask_headers, mask_url

EXPORT_FORMATS = {"jsonl": "application/x-ndjson", "har": "application/json", "csv": "text/csv"}
"""The formats and their MIME types."""
MAX_EXPORT_BYTES = 32 * 1024 * 1024  # a download travels from the kernel as one comm message
CSV_COLUMNS = ("seq", "time", "direction", "kind", "size", "payload", "info")
_WRITE_FROM_PYTHON = {
    "jsonl": "ws.history.to_jsonl('history.jsonl')",
    "har": "ws_widget.to_har(ws.history, 'history.har')",
    "csv": "ws.history.to_pandas().to_csv('history.csv')",
}


def export_bytes(history: History, fmt: str, max_bytes: int = MAX_EXPORT_BYTES, version: str = "") -> bytes:
    """Return the history as a file of format ``fmt`` (``jsonl``, ``har`` or ``csv``).

    Raises:
        ValueError: an unknown format, or a file over ``max_bytes`` (the message says how to
            write it from Python, where no such bound applies).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"download format must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
    if history.bytes > max_bytes:
        raise _too_large(fmt, history.bytes, max_bytes)
    records = [_masked(record) for record in history.snapshot()]
    if fmt == "jsonl":
        data = _bounded((jsonl.line(record) for record in records), fmt, max_bytes)
    elif fmt == "csv":
        data = _bounded(_csv_lines(records), fmt, max_bytes)
    else:
        data = json.dumps(har.document(records, version), indent=2, ensure_ascii=False).encode()
    if len(data) > max_bytes:
        raise _too_large(fmt, len(data), max_bytes)
    return data


def export_name(url: str, fmt: str, when: float) -> str:
    """A file name for a download: ``ws_widget-<host>-<UTC time>.<fmt>`` (no path, no secret)."""
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", url.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2])
    stamp = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"ws_widget-{host or 'history'}-{stamp}.{fmt}"


def csv_row(record: Record) -> list[str]:
    """One record as CSV cells: seq, ISO UTC time, direction, kind, size, payload (binary as
    hex), details as JSON."""
    payload = record.payload
    text = payload.hex() if isinstance(payload, bytes) else (payload or "")
    when = datetime.datetime.fromtimestamp(record.time, datetime.timezone.utc).isoformat(
        timespec="microseconds"
    )
    info = json.dumps(record.info, ensure_ascii=False) if record.info else ""
    return [str(record.seq), when, record.direction, record.kind, str(record.size), text, info]


def _csv_lines(records: list[Record]) -> Any:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in (list(CSV_COLUMNS), *(csv_row(record) for record in records)):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _bounded(lines: Any, fmt: str, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    for line in lines:
        part = line.encode()
        total += len(part)
        if total > max_bytes:
            raise _too_large(fmt, total, max_bytes)
        parts.append(part)
    return b"".join(parts)


def _masked(record: Record) -> Record:
    """The record with URLs and headers in its details masked (a copy when anything is there)."""
    info = record.info
    if not info or not any(key in info for key in ("url", "request_headers", "response_headers")):
        return record
    info = dict(info)
    if isinstance(info.get("url"), str):
        info["url"] = mask_url(info["url"])
    for key in ("request_headers", "response_headers"):
        if isinstance(info.get(key), list):
            info[key] = [list(pair) for pair in mask_headers(tuple(pair) for pair in info[key])]
    return Record(
        record.seq, record.time, record.mono, record.direction, record.kind, record.size, record.payload, info
    )


def _too_large(fmt: str, size: int, max_bytes: int) -> ValueError:
    return ValueError(
        f"the history is too large to download from the widget ({size / 2**20:.1f} MiB, more than"
        f" {max_bytes / 2**20:.0f} MiB): write it from Python instead, e.g. {_WRITE_FROM_PYTHON[fmt]}"
    )
