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

from .history import BINARY, CLOSE, EVENT, IN, OPEN, OUT, TEXT, History, Record
from .redact import mask_headers, mask_url

_OPCODES = {TEXT: 1, BINARY: 2}


def to_har(history: History, path: str | os.PathLike, version: str = "") -> int:
    """Write every connection of ``history`` as one HAR entry; return how many.

    Connections are delimited by their ``open`` records; messages before the first one (a
    history cleared mid-connection) form an entry without a URL.
    """
    entries = [_entry(open_record, messages) for open_record, messages in _connections(history)]
    har = {"log": {"version": "1.2", "creator": {"name": "ws_widget", "version": version},
                   "pages": [], "entries": entries}}
    with open(path, "w", encoding="utf-8") as file:
        json.dump(har, file, indent=2, ensure_ascii=False)
    return len(entries)


def from_har(path: str | os.PathLike) -> list[History]:
    """Read the WebSocket entries of a HAR file (e.g. saved from Chrome DevTools).

    Returns one history per WebSocket entry, each with an ``open`` record (URL masked, request
    and response headers masked) and its messages with their original times.

    Raises:
        ValueError: the file is not a HAR file; the message says what is missing.
    """
    with open(path, encoding="utf-8") as file:
        try:
            har = json.load(file)
            entries = har["log"]["entries"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path} is not a HAR file (no log.entries): {exc}") from None
    histories = []
    for entry in entries:
        if entry.get("_resourceType") != "websocket" and "_webSocketMessages" not in entry:
            continue
        history = History()
        request, response = entry.get("request", {}), entry.get("response", {})
        started = _parse_time(entry.get("startedDateTime"))
        history.add(EVENT, OPEN, info={
            "url": mask_url(request.get("url", "")),
            "subprotocol": _header(response, "sec-websocket-protocol"),
            "request_headers": mask_headers((h["name"], h["value"]) for h in request.get("headers", [])),
            "status": response.get("status"),
            "response_headers": mask_headers((h["name"], h["value"]) for h in response.get("headers", [])),
        }, at=started)
        for message in entry.get("_webSocketMessages", []):
            direction = OUT if message.get("type") == "send" else IN
            if message.get("opcode") == 2:
                payload = base64.b64decode(message.get("data", ""))
                history.add(direction, BINARY, payload, len(payload), at=message.get("time"))
            elif message.get("opcode") == 1:
                text = message.get("data", "")
                history.add(direction, TEXT, text, len(text.encode()), at=message.get("time"))
        histories.append(history)
    return histories


def _connections(history: History):
    """Yield ``(open record or None, records)`` per connection."""
    open_record, messages = None, []
    for record in history:
        if record.kind == OPEN:
            if open_record is not None or messages:
                yield open_record, messages
            open_record, messages = record, []
        else:
            messages.append(record)
    if open_record is not None or messages:
        yield open_record, messages


def _entry(open_record: Record | None, records: list[Record]) -> dict:
    info = open_record.info if open_record is not None and open_record.info else {}
    started = open_record.time if open_record is not None else (records[0].time if records else 0.0)
    end = next((r.time for r in records if r.kind == CLOSE), records[-1].time if records else started)
    return {
        "startedDateTime": datetime.datetime.fromtimestamp(started, datetime.timezone.utc)
        .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": round((end - started) * 1000, 3),
        "request": {
            "method": "GET", "url": info.get("url", ""), "httpVersion": "HTTP/1.1",
            "headers": _har_headers(info.get("request_headers")), "queryString": [], "cookies": [],
            "headersSize": -1, "bodySize": 0,
        },
        "response": {
            "status": info.get("status", 101), "statusText": "Switching Protocols", "httpVersion": "HTTP/1.1",
            "headers": _har_headers(info.get("response_headers")), "cookies": [],
            "content": {"size": 0, "mimeType": "x-unknown"}, "redirectURL": "", "headersSize": -1, "bodySize": 0,
        },
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0},
        "_resourceType": "websocket",
        "_webSocketMessages": [_message(r) for r in records if r.kind in _OPCODES and r.direction in (IN, OUT)],
    }


def _message(record: Record) -> dict:
    data = base64.b64encode(record.payload).decode() if record.kind == BINARY else record.payload
    return {"type": "send" if record.direction == OUT else "receive", "time": record.time,
            "opcode": _OPCODES[record.kind], "data": data}


def _har_headers(pairs) -> list[dict]:
    return [{"name": name, "value": value} for name, value in mask_headers(pairs or [])]


def _header(message: dict, name: str) -> str | None:
    return next((h["value"] for h in message.get("headers", []) if h.get("name", "").lower() == name), None)


def _parse_time(text: str | None) -> float | None:
    if not text:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
