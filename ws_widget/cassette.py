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

from .history import CLOSE, MESSAGE_KINDS, OPEN, History, Record

FORMAT, VERSION = "ws_widget", 1


@dataclasses.dataclass(frozen=True)
class Frame:
    """One recorded frame or event: seconds since open, direction, kind, payload, details."""

    t: float
    direction: str
    kind: str
    payload: str | bytes | None = None
    info: dict | None = None

    @property
    def is_message(self) -> bool:
        """Whether this is a text or binary message."""
        return self.kind in MESSAGE_KINDS


@dataclasses.dataclass(frozen=True)
class Cassette:
    """A recorded connection: its description (``header``) and its frames in order."""

    header: dict
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


def record(history: History, path: str | os.PathLike, connection: int = -1) -> Cassette:
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
        "cassette": FORMAT, "version": VERSION,
        "recorded": datetime.datetime.fromtimestamp(opened.time, datetime.timezone.utc).isoformat(),
        **(opened.info or {}),
    }
    frames = tuple(_frame(rec, opened.time) for rec in records[start + 1:end])
    cassette = Cassette(header, frames)
    save(cassette, path)
    return cassette


def save(cassette: Cassette, path: str | os.PathLike) -> None:
    """Write a cassette as JSONL."""
    with open(path, "w", encoding="utf-8") as file:
        file.write(json.dumps(cassette.header, ensure_ascii=False) + "\n")
        for frame in cassette.frames:
            file.write(json.dumps(_row(frame), ensure_ascii=False) + "\n")


def load(path: str | os.PathLike) -> Cassette:
    """Read a cassette file.

    Raises:
        ValueError: not a ws_widget cassette, or a version this release cannot read.
    """
    with open(path, encoding="utf-8") as file:
        lines = [line for line in file if line.strip()]
    try:
        header = json.loads(lines[0])
    except (IndexError, ValueError):
        raise ValueError(f"{path} is not a ws_widget cassette: its first line is not a JSON header") from None
    if header.get("cassette") != FORMAT:
        raise ValueError(f"{path} is not a ws_widget cassette (no \"cassette\": \"ws_widget\" header)")
    if header.get("version") != VERSION:
        raise ValueError(f"{path} is cassette version {header.get('version')}; this release reads version {VERSION}")
    frames = []
    for number, line in enumerate(lines[1:], 2):
        try:
            row = json.loads(line)
            payload = base64.b64decode(row["base64"]) if "base64" in row else row.get("data")
            frames.append(Frame(float(row["t"]), row["direction"], row["kind"], payload, row.get("info")))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}, line {number}: not a cassette frame ({exc})") from None
    return Cassette(header, tuple(frames))


def _frame(rec: Record, opened: float) -> Frame:
    return Frame(round(rec.time - opened, 6), rec.direction, rec.kind, rec.payload, rec.info)


def _row(frame: Frame) -> dict:
    row = {"t": frame.t, "direction": frame.direction, "kind": frame.kind}
    if isinstance(frame.payload, bytes):
        row["base64"] = base64.b64encode(frame.payload).decode()
    elif frame.payload is not None:
        row["data"] = frame.payload
    if frame.info:
        row["info"] = frame.info
    return row
