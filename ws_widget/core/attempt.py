"""One connection attempt of a WebSocket, from ``Connect`` to its single ``Closed``: its state,
its results and its queue of commands; and the totals over all attempts. Written on the I/O
loop only (``attempts.py`` runs them)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
from collections import deque

from websockets.protocol import State

from ..pure.commands import Command
from ..pure.options import Options
from ..pure.target import Target
from .transport import Transport


def payload_size(payload: str | bytes) -> int:
    """Return the size in bytes of a payload on the wire (UTF-8 for text)."""
    if isinstance(payload, str):
        return len(payload) if payload.isascii() else len(payload.encode())
    return len(payload)


class Stats:
    """Totals over every attempt of one WebSocket, written on the I/O loop only."""

    __slots__ = ("bytes_in", "bytes_out", "last_rtt", "messages_in", "messages_out")

    def __init__(self) -> None:
        self.messages_in = self.bytes_in = self.messages_out = self.bytes_out = 0
        self.last_rtt: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        """Return the totals as a dict."""
        return {
            name: getattr(self, name)
            for name in ("messages_in", "bytes_in", "messages_out", "bytes_out", "last_rtt")
        }


class Attempt:
    """One connection attempt, from ``Connect`` to its single ``Closed``.

    Faces may read ``target``, ``options``, ``context``, ``keep_alive``, ``retry``, ``opened``
    and ``finished``; everything else is written on the I/O loop only.

    Attributes:
        opened: resolves once open; fails with :class:`ConnectFailedError` if it never opens.
        finished: resolves once the attempt is over (after ``closed`` was reported).
    """

    def __init__(self, target: Target, options: Options, context: contextvars.Context, keep_alive: bool):
        self.target = target
        self.options = options
        self.context = context
        self.keep_alive = keep_alive  # the face's token: it keeps a script alive until Closed
        self.retry = 0  # 0: started by the user; n: the n-th automatic reconnect in a row
        self.state = State.CONNECTING
        self.transport: Transport | None = None
        self.was_open = False
        self.subprotocol: str | None = None
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self.error: BaseException | None = None
        self.error_text: str | None = None
        self.opened: concurrent.futures.Future[bool] = concurrent.futures.Future()
        self.finished: concurrent.futures.Future[None] = concurrent.futures.Future()
        self.outbox: deque[Command] = deque()
        self.wake = asyncio.Event()
        self.close_requested = False

    @property
    def address(self) -> str:
        """``host:port`` of the server, for messages."""
        return self.target.masked_url.split("//", 1)[1].split("/", 1)[0].split("@")[-1]

    @property
    def handshake(self) -> dict[str, object] | None:
        """The opening handshake, described with secrets masked, once known."""
        return None if self.transport is None else self.transport.handshake


class PendingReconnect:
    """An automatic reconnect waiting on the I/O loop."""

    __slots__ = ("at", "handle", "keep_alive", "retry")

    def __init__(self, retry: int, at: float, handle: asyncio.TimerHandle, keep_alive: bool):
        self.retry, self.at, self.handle, self.keep_alive = retry, at, handle, keep_alive
