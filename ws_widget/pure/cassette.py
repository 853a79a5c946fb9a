"""Cassettes: one recorded connection as a versioned JSONL file.

The first line describes the connection (URL and handshake headers with secrets masked); each
further line is one frame or event with its time in seconds since the connection opened::

    {"cassette": "ws_widget", "version": 1, "url": "ws://127.0.0.1:8765/qrc", ...}
    {"t": 0.0012, "direction": "in", "kind": "text", "data": "{\\"jsonrpc\\": ...}"}
    {"t": 0.0150, "direction": "out", "kind": "binary", "base64": "AQI="}
    {"t": 2.5, "direction": "event", "kind": "close", "info": {"code": 1000, ...}}
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import json
import os
from typing import Any

from .closecodes import FIRST_USED_CODE, LAST_CLOSE_CODE
from .fileformat import (
    Reader,
    need_base64,
    need_choice,
    need_field,
    need_int,
    need_number,
    need_object,
    need_text,
)
from .history import History, Info, Payload, Record
from .kinds import BINARY, CLOSE, DIRECTIONS, MESSAGE_KINDS, OPEN, RECORD_KINDS, TEXT

FORMAT, VERSION = "ws_widget", 1
MAX_T = 1e9  # seconds since open (31 years): later is damage, and a replay would wait for it


@dataclasses.dataclass(frozen=True)
class Frame:
    """One recorded frame or event: seconds since open, direction, kind, payload, details."""

    t: float
    direction: str
    kind: str
    payload: Payload = None
    info: Info | None = None

    @property
    def is_message(self) -> bool:
        """Whether this is a text or binary message."""
        return self.kind in MESSAGE_KINDS


@dataclasses.dataclass(frozen=True)
class Cassette:
    """A recorded connection: its description (``header``) and its frames in order."""

    header: dict[str, Any]
    frames: tuple[Frame, ...]

    @property
    def url(self) -> str:
        """The recorded URL, secrets masked."""
        return self.header.get("url", "")

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose."""
        return self.header.get("subprotocol")

    @property
    def close(self) -> Frame | None:
        """The close event, if the recording has one."""
        return next((frame for frame in self.frames if frame.kind == CLOSE), None)


def record(history: History, path: str | os.PathLike[str], connection: int = -1) -> Cassette:
    """Write one connection of ``history`` (default: the last one) to a cassette file.

    Raises:
        ValueError: the history holds no such connection.
    """
    records = history.snapshot()
    opens = [index for index, rec in enumerate(records) if rec.kind == OPEN]
    if not opens:
        raise ValueError("the history holds no opened connection to record; connect first")
    try:
        start = opens[connection]
    except IndexError:
        raise ValueError(f"no connection {connection}: the history holds {len(opens)}") from None
    end = next((i for i in opens if i > start), len(records))
    opened = records[start]
    header = {
        "cassette": FORMAT,
        "version": VERSION,
        "recorded": datetime.datetime.fromtimestamp(opened.time, datetime.timezone.utc).isoformat(),
        **(opened.info or {}),
    }
    frames = tuple(_frame(rec, opened.time) for rec in records[start + 1 : end])
    cassette = Cassette(header, frames)
    save(cassette, path)
    return cassette


def save(cassette: Cassette, path: str | os.PathLike[str]) -> None:
    """Write a cassette as JSONL."""
    with open(path, "w", encoding="utf-8") as file:
        file.write(json.dumps(cassette.header, ensure_ascii=False) + "\n")
        for frame in cassette.frames:
            file.write(json.dumps(_row(frame), ensure_ascii=False) + "\n")


def load(path: str | os.PathLike[str]) -> Cassette:
    """Read a cassette file, checking every line before anything is played.

    Raises:
        HistoryFormatError: (a ValueError) not a ws_widget cassette, a version this release
            cannot read, or a damaged line; the message names the line and what to do.
    """
    reader = Reader(
        path,
        "load_cassette reads what ws.save_cassette writes: fix or delete that line, "
        "or record the session again",
    )
    lines = reader.lines()
    first = next(lines, None)
    if first is None:
        raise reader.fail("the file is empty, not a ws_widget cassette")
    number, line = first
    header = reader.json(line, f"line {number}", number)
    if not isinstance(header, dict) or header.get("cassette") != FORMAT:
        raise reader.fail(
            f'not a ws_widget cassette (no "cassette": "{FORMAT}" header)', f"line {number}", number
        )
    version = header.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise reader.fail(
            f"cassette version {_short(version)}; this release reads version {VERSION}: upgrade ws_widget",
            f"line {number}",
            number,
        )
    for name in ("url", "subprotocol"):
        need_text(reader, header.get(name), name, f"line {number}", number, optional=True)
    return Cassette(header, tuple(_read_frame(reader, number, line) for number, line in lines))


def _read_frame(reader: Reader, number: int, line: str) -> Frame:
    at = f"line {number}"
    row = need_object(reader, reader.json(line, at, number), "a frame", at, number)
    t = need_number(
        reader, need_field(reader, row, "t", at, number), "t (seconds since open)", 0, MAX_T, at, number
    )
    direction = need_choice(
        reader, need_field(reader, row, "direction", at, number), "direction", DIRECTIONS, at, number
    )
    kind = need_choice(reader, need_field(reader, row, "kind", at, number), "kind", RECORD_KINDS, at, number)
    payload: Payload
    if "base64" in row:
        payload = need_base64(reader, row["base64"], "base64", at, number)
    else:
        payload = need_text(reader, row.get("data"), "data", at, number, optional=True)
    if kind == TEXT and not isinstance(payload, str):
        raise reader.fail('a text frame needs its "data" string', at, number)
    if kind == BINARY and not isinstance(payload, bytes):
        raise reader.fail('a binary frame needs its "base64" payload', at, number)
    info = row.get("info")
    if info is not None:
        need_object(reader, info, "info", at, number)
    if kind == CLOSE and info:
        if info.get("code") is not None:
            need_int(
                reader, info["code"], "info.code (a close code)", FIRST_USED_CODE, LAST_CLOSE_CODE, at, number
            )
        need_text(reader, info.get("reason"), "info.reason", at, number, optional=True)
    return Frame(t, direction, kind, payload, info)


def _frame(rec: Record, opened: float) -> Frame:
    return Frame(round(rec.time - opened, 6), rec.direction, rec.kind, rec.payload, rec.info)


def _row(frame: Frame) -> dict[str, Any]:
    row: dict[str, Any] = {"t": frame.t, "direction": frame.direction, "kind": frame.kind}
    if isinstance(frame.payload, bytes):
        row["base64"] = base64.b64encode(frame.payload).decode()
    elif frame.payload is not None:
        row["data"] = frame.payload
    if frame.info:
        row["info"] = frame.info
    return row


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 20 else text[:17] + "..."
