"""The async face: ``await ws.aio.receive()`` and friends, awaitable from any event loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from ..core.attempts import Core
from ..exceptions import NotConnectedError, WaitTimeoutError
from ..pure.matching import Pattern
from ..pure.messages import check_close, check_ping_payload
from .dispatch import Dispatch
from .waiting import Waiting

if TYPE_CHECKING:
    from .websocket import WebSocket


class AsyncFace:
    """Async twins of the blocking calls of one :class:`WebSocket` (``ws.aio``)."""

    __slots__ = ("_core", "_dispatch", "_waiting", "_ws")

    def __init__(self, ws: WebSocket, core: Core, waiting: Waiting, dispatch: Dispatch):
        self._ws, self._core, self._waiting, self._dispatch = ws, core, waiting, dispatch

    async def wait_open(self, timeout: float | None = None) -> WebSocket:
        """Wait until the current attempt is open; see :meth:`WebSocket.wait_open` (a failure
        raised here is not printed as well)."""
        attempt = self._waiting.attempt("wait_open")
        with self._dispatch.open_wait(attempt.context, attempt):
            await self._waiting.wait(attempt.opened, timeout, "the connection to open")
        return self._ws

    async def wait_closed(self, timeout: float | None = None) -> None:
        """Wait until the current attempt has ended and its callbacks, up to ``Closed``, have run;
        see :meth:`WebSocket.wait_closed`."""
        attempt = self._core.attempt
        if attempt is None:
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        await self._waiting.wait(attempt.finished, timeout, "the connection to close")
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        await self._waiting.wait(self._ws._callbacks_done(), left, "the callbacks up to Closed")

    async def receive(self, timeout: float | None = None, *, latest: bool = False) -> str | bytes:
        """Return the next incoming message (a queue: the oldest not taken yet), or with
        ``latest`` the newest waiting, the older ones taken; see :meth:`WebSocket.receive`."""
        if latest:
            newest = self._waiting.take_newest()
            if newest is not None:
                return newest
        return await self._waiting.areceive(timeout)

    async def expect(self, pattern: Pattern, timeout: float | None = 10.0) -> str | bytes:
        """Return the next incoming message matching ``pattern``; see :meth:`WebSocket.expect`."""
        test, what = self._waiting.matcher(pattern)
        return await self._waiting.areceive(timeout, test, what)

    async def wait_for(self, count: int, timeout: float | None = 10.0) -> list[str | bytes]:
        """Return the next ``count`` incoming messages; see :meth:`WebSocket.wait_for`."""

        async def collect() -> list[str | bytes]:
            return [await self.receive() for _ in range(count)]

        try:
            return await asyncio.wait_for(collect(), timeout)
        except asyncio.TimeoutError:
            raise WaitTimeoutError(self._waiting.timeout_text(f"{count} messages", timeout)) from None

    async def ping(self, payload: bytes | str | None = None, timeout: float | None = 10.0) -> float:
        """Send a ping and return its round-trip time in seconds."""
        return await self._waiting.wait(self._core.ping(check_ping_payload(payload)), timeout, "a pong")

    async def close(self, code: int = 1000, reason: str = "", timeout: float | None = None) -> None:
        """Close and wait until the closing handshake is over."""
        attempt = self._core.close(*check_close(code, reason))
        if attempt is not None:
            wait = self._waiting.close_wait(attempt, timeout)
            await self._waiting.wait(attempt.finished, wait, "the closing handshake")

    async def messages(self) -> AsyncIterator[str | bytes]:
        """Yield incoming messages until the connection closes; like ``for message in ws``,
        the loop holds its place in the history (see :meth:`WebSocket.__iter__`)."""
        waiting = self._waiting
        take = waiting.take
        waiting.hold()
        try:
            while True:
                payload = take()
                if payload is None:
                    try:
                        payload = await waiting.areceive(None)
                    except NotConnectedError:
                        return
                yield payload
        finally:
            waiting.release()
