"""HAR import and export in the layout Chrome DevTools uses for WebSocket connections.

Each connection is one entry with ``"_resourceType": "websocket"`` and its messages in
``"_webSocketMessages"``: ``{"type": "send"|"receive", "time": epoch seconds, "opcode": 1|2,
"data": text, or base64 for binary}``. Exports carry URLs and headers with secrets masked.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .fileformat import (
    EPOCH_MAX,
    EPOCH_SPAN,
    Reader,
    kind_name,
    need_base64,
    need_choice,
    need_int,
    need_number,
    need_object,
    need_text,
)
from .history import History, Record
from .kinds import BINARY, CLOSE, EVENT, IN, OPEN, OUT, TEXT
from .redact import mask_headers, mask_subprotocols, mask_url

_OPCODES = {TEXT: 1, BINARY: 2}
_KNOWN_OPCODES = (1, 2, 8, 9, 10)  # text, binary; close, ping and pong are skipped


def to_har(history: History, path: str | os.PathLike[str], version: str = "") -> int:
    """Write every connection of ``history`` as one HAR entry; return how many.

    Connections are delimited by their ``open`` records; messages before the first one (a
    history cleared mid-connection) form an entry without a URL.
    """
    har = document(history, version)
    with open(path, "w", encoding="utf-8") as file:
        json.dump(har, file, indent=2, ensure_ascii=False)
    return len(har["log"]["entries"])


def document(history: Iterable[Record], version: str = "") -> dict[str, Any]:
    """The HAR document :func:`to_har` writes, as a dict (one entry per connection of
    ``history``, a :class:`History` or its records in order)."""
    entries = [_entry(open_record, messages) for open_record, messages in _connections(history)]
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "ws_widget", "version": version},
            "pages": [],
            "entries": entries,
        }
    }


def from_har(path: str | os.PathLike[str]) -> list[History]:
    """Read the WebSocket entries of a HAR file (e.g. saved from Chrome DevTools).

    Returns one history per WebSocket entry, each with an ``open`` record (URL masked, request
    and response headers masked) and its messages with their original times. Messages with a
    control opcode (close, ping, pong) are skipped; other entries are ignored.

    Raises:
        HistoryFormatError: (a ValueError) the file is not a HAR file, or a WebSocket entry is
            damaged; the message names the entry and message, what is wrong and what to do.
    """
    reader = Reader(
        path, "from_har reads HAR files as browsers save them (DevTools, Network, Save all as HAR)"
    )
    har = need_object(reader, reader.json(reader.whole()), "the file")
    log = need_object(reader, har.get("log"), 'its "log"') if "log" in har else None
    if log is None or not isinstance(log.get("entries"), list):
        raise reader.fail('not a HAR file: no "log": {"entries": [...]}')
    histories = []
    for index, entry in enumerate(log["entries"]):
        where = f"entry {index}"
        entry = need_object(reader, entry, "each entry", where)
        if entry.get("_resourceType") != "websocket" and "_webSocketMessages" not in entry:
            continue
        histories.append(_history(reader, entry, where))
    return histories


def _history(reader: Reader, entry: dict[str, Any], where: str) -> History:
    """One WebSocket entry as a history, every field checked."""
    request = need_object(reader, entry.get("request", {}), "request", where)
    response = need_object(reader, entry.get("response", {}), "response", where)
    status = response.get("status")
    if status is not None:
        need_int(reader, status, "response.status", 0, 999, where)
    started = entry.get("startedDateTime")
    at = None if started in (None, "") else _parse_time(reader, started, where)
    request_headers = _headers(reader, request, "request", where)
    response_headers = _headers(reader, response, "response", where)
    history = History()
    history.add(
        EVENT,
        OPEN,
        info={
            "url": mask_url(need_text(reader, request.get("url", ""), "request.url", where)),
            "subprotocol": next(
                (
                    mask_subprotocols(value)
                    for name, value in response_headers
                    if name.lower() == "sec-websocket-protocol"
                ),
                None,
            ),
            "request_headers": mask_headers(request_headers),
            "status": status,
            "response_headers": mask_headers(response_headers),
        },
        at=at,
    )
    messages = entry.get("_webSocketMessages", [])
    if not isinstance(messages, list):
        raise reader.fail(f"_webSocketMessages must be a list, not {kind_name(messages)}", where)
    for number, message in enumerate(messages):
        place = f"{where}, message {number}"
        message = need_object(reader, message, "each message", place)
        direction = {"send": OUT, "receive": IN}[
            need_choice(reader, message.get("type"), "type", ("send", "receive"), place)
        ]
        opcode = need_choice(reader, message.get("opcode"), "opcode", _KNOWN_OPCODES, place)
        time = need_number(reader, message.get("time"), "time", 0, EPOCH_MAX, place, span=EPOCH_SPAN)
        if opcode == 2:
            payload = need_base64(reader, message.get("data", ""), "data", place)
            history.add(direction, BINARY, payload, len(payload), at=time)
        elif opcode == 1:
            text = need_text(reader, message.get("data", ""), "data", place)
            history.add(direction, TEXT, text, len(text.encode()), at=time)
    return history


def _headers(reader: Reader, message: dict[str, Any], name: str, where: str) -> list[tuple[str, str]]:
    """The ``headers`` of a request or response as pairs of strings."""
    headers = message.get("headers", [])
    if not isinstance(headers, list):
        raise reader.fail(f"{name}.headers must be a list, not {kind_name(headers)}", where)
    pairs = []
    for index, header in enumerate(headers):
        field = f"{name}.headers[{index}]"
        header = need_object(reader, header, field, where)
        pairs.append(
            (
                need_text(reader, header.get("name"), f"{field}.name", where),
                need_text(reader, header.get("value"), f"{field}.value", where),
            )
        )
    return pairs


def _connections(history: Iterable[Record]) -> Iterator[tuple[Record | None, list[Record]]]:
    """Yield ``(open record or None, records)`` per connection."""
    open_record: Record | None = None
    messages: list[Record] = []
    for record in history:
        if record.kind == OPEN:
            if open_record is not None or messages:
                yield open_record, messages
            open_record, messages = record, []
        else:
            messages.append(record)
    if open_record is not None or messages:
        yield open_record, messages


def _entry(open_record: Record | None, records: list[Record]) -> dict[str, Any]:
    info = open_record.info if open_record is not None and open_record.info else {}
    started = open_record.time if open_record is not None else (records[0].time if records else 0.0)
    end = next((r.time for r in records if r.kind == CLOSE), records[-1].time if records else started)
    return {
        "startedDateTime": datetime.datetime.fromtimestamp(started, datetime.timezone.utc)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "time": round((end - started) * 1000, 3),
        "request": {
            "method": "GET",
            "url": info.get("url", ""),
            "httpVersion": "HTTP/1.1",
            "headers": _har_headers(info.get("request_headers")),
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": info.get("status", 101),
            "statusText": "Switching Protocols",
            "httpVersion": "HTTP/1.1",
            "headers": _har_headers(info.get("response_headers")),
            "cookies": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": 0,
        },
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0},
        "_resourceType": "websocket",
        "_webSocketMessages": [
            _message(r) for r in records if r.kind in _OPCODES and r.direction in (IN, OUT)
        ],
    }


def _message(record: Record) -> dict[str, Any]:
    payload = record.payload
    data = base64.b64encode(payload).decode() if isinstance(payload, bytes) else payload
    return {
        "type": "send" if record.direction == OUT else "receive",
        "time": record.time,
        "opcode": _OPCODES[record.kind],
        "data": data,
    }


def _har_headers(pairs: Iterable[tuple[str, str]] | None) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in mask_headers(pairs or [])]


def _parse_time(reader: Reader, value: object, where: str) -> float:
    text = need_text(reader, value, "startedDateTime", where)
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError, OSError):
        raise reader.fail(
            f"startedDateTime is not an ISO 8601 time such as 2026-01-31T09:00:00.000Z, got {text[:40]!r}",
            where,
        ) from None
    return need_number(reader, when, "startedDateTime", 0, EPOCH_MAX, where, span="from 1970 to 3000")
