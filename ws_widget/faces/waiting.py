"""Taking incoming messages and waiting on the core, blocking or async: what both faces share.

Messages already recorded are taken straight from the history, a batch under one lock, with
no hop to the I/O loop; only when nothing is there does a consumer wait, on a wake-up the core
gives once the next message (or the end) comes. Each incoming message is taken once:
``receive()``, iteration, ``expect()`` and their async twins move one cursor. While a
receiving loop runs (``for message in ws``, ``async for``), the history keeps every message
it has not taken yet (its pin), and the core pauses reading when the loop falls behind.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar, cast

from ..core import runtime
from ..core.attempt import Attempt
from ..core.attempts import Core
from ..exceptions import NotConnectedError, WaitTimeoutError
from ..pure import clock
from ..pure.history import History, Record, Taken
from ..pure.kinds import IN
from ..pure.matching import Pattern, describe, matcher

T = TypeVar("T")
Match = Callable[[str | bytes], bool]

BATCH = 256  # messages taken from the history under one lock
_NO_MORE = "no more messages: the socket is closed; call Connect again"


class Waiting:
    """The receive cursor of one WebSocket, and the sync and async faces' way to wait."""

    __slots__ = ("_core", "_flow", "_history", "_last_pattern", "_loops", "_pending", "_scanned", "cursor")

    def __init__(self, core: Core, history: History):
        self._core, self._history, self._flow = core, history, core.flow
        self._pending: deque[Taken] = deque()  # taken from the history, not yet returned
        self._scanned = 0  # the history was scanned up to this sequence number
        self._loops = 0  # receiving loops running (they pin the history)
        self.cursor = 0  # sequence number of the last message returned
        self._last_pattern: tuple[object, Match, str] | None = None

    def matcher(self, pattern: Pattern) -> tuple[Match, str]:
        """The test and the description of an ``expect`` pattern; the last str or bytes pattern
        is remembered, so a loop of ``expect(same)`` builds it once.

        Raises:
            TypeError, ValueError: see :func:`ws_widget.pure.matching.matcher`.
        """
        last = self._last_pattern
        if last is not None and last[0] == pattern and pattern.__class__ in (str, bytes):
            return last[1], last[2]
        found = matcher(pattern), describe(pattern)
        if pattern.__class__ in (str, bytes):
            self._last_pattern = (pattern, *found)
        return found

    # Taking what is there.

    def take_newest(self) -> str | bytes | None:
        """Take every message recorded and not taken yet; return the newest, or None if there
        was none. Never waits (``receive(latest=True)``)."""
        take = self.take
        newest = None
        while (payload := take()) is not None:
            newest = payload
        return newest

    def take(self, match: Match | None = None) -> str | bytes | None:
        """Return the next incoming message (the next that ``match`` accepts, consuming those
        before it), or None when none is recorded yet. Never waits."""
        pending = self._pending
        while True:
            if not pending:
                self._scanned = self._history.take_messages(self._scanned, BATCH, pending)  # type: ignore[arg-type]
                if not pending:
                    return None
            seq, payload = pending.popleft()
            self.cursor = seq
            if match is None or match(payload):
                if self._loops:  # a running loop holds its place (FlowControl.consumer_progressed, inlined)
                    self._history.pin = seq
                    flow = self._flow
                    flow.consumer = seq
                    if flow.paused is not None:
                        flow.consumer_progressed(seq)
                return payload

    def hold(self) -> None:
        """A receiving loop starts: keep every message it has not taken."""
        self._loops += 1
        self._history.pin = self.cursor
        self._flow.set_consumer(self.cursor)

    def release(self) -> None:
        """A receiving loop ended."""
        self._loops -= 1
        if not self._loops:
            self._history.pin = None
            self._history.trim()  # what the loop kept beyond the caps may go now
            self._flow.set_consumer(None)

    # Waiting, blocking.

    def receive(
        self, timeout: float | None, match: Match | None = None, what: str = "a message"
    ) -> str | bytes:
        """Return the next incoming message (matching ``match``), waiting up to ``timeout``.

        Raises:
            NotConnectedError: the socket closed and every message was taken.
            WaitTimeoutError: none within ``timeout`` seconds.
        """
        payload = self.take(match)
        if payload is not None:
            return payload

        def find() -> str | bytes | None:
            return self.take(match)

        return cast("str | bytes", self._block(find, timeout, what))  # mypy joins str and bytes

    def peek_after(self, after: int, timeout: float | None) -> Record:
        """Return the first incoming message recorded after ``after``, waiting for it; the
        cursor stays.

        Raises:
            NotConnectedError: the socket closed before such a message.
            WaitTimeoutError: none within ``timeout`` seconds.
        """
        return self._block(
            lambda: self._history.first_message_after(after, IN), timeout, f"a message after #{after}"
        )

    async def apeek_after(self, after: int, timeout: float | None) -> Record:
        """The async twin of :meth:`peek_after`."""
        return await self._ablock(
            lambda: self._history.first_message_after(after, IN), timeout, f"a message after #{after}"
        )

    def _block(self, find: Callable[[], T | None], timeout: float | None, what: str) -> T:
        if not runtime.THREADS:
            return runtime.run_sync(self._ablock(find, timeout, what), caller_method())
        deadline = None if timeout is None else clock.monotonic() + timeout
        event = threading.Event()
        wake = event.set
        core, history = self._core, self._history
        while True:
            seen = history.last_seq
            found = find()
            if found is not None:
                return found
            if core.no_more_messages():
                found = find()  # what arrived before the end
                if found is not None:
                    return found
                raise NotConnectedError(_NO_MORE)
            event.clear()
            if not core.add_message_waiter(wake, seen):
                continue  # something came meanwhile
            left = None if deadline is None else max(0.0, deadline - clock.monotonic())
            if not event.wait(left):
                core.remove_message_waiter(wake)
                found = find()
                if found is not None:
                    return found
                raise WaitTimeoutError(self.timeout_text(what, timeout))

    async def _ablock(self, find: Callable[[], T | None], timeout: float | None, what: str) -> T:
        """The async twin of :meth:`_block`: what ``aio.receive`` and friends await, and what a
        blocking call runs in the browser."""
        deadline = None if timeout is None else clock.monotonic() + timeout
        loop = asyncio.get_running_loop()
        core, history = self._core, self._history
        while True:
            seen = history.last_seq
            found = find()
            if found is not None:
                return found
            if core.no_more_messages():
                found = find()
                if found is not None:
                    return found
                raise NotConnectedError(_NO_MORE)
            woken: asyncio.Future[None] = loop.create_future()

            def wake(woken: asyncio.Future[None] = woken) -> None:
                loop.call_soon_threadsafe(_resolve, woken)

            if not core.add_message_waiter(wake, seen):
                continue
            left = None if deadline is None else max(0.0, deadline - clock.monotonic())
            try:
                await asyncio.wait_for(woken, left)
            except asyncio.TimeoutError:
                found = find()
                if found is not None:
                    return found
                raise WaitTimeoutError(self.timeout_text(what, timeout)) from None
            finally:
                core.remove_message_waiter(wake)  # timed out or cancelled: leave nothing behind

    # Waiting, async (from any event loop).

    async def areceive(
        self, timeout: float | None, match: Match | None = None, what: str = "a message"
    ) -> str | bytes:
        """The async twin of :meth:`receive`."""
        payload = self.take(match)
        if payload is not None:
            return payload
        return await self._ablock(lambda: self.take(match), timeout, what)

    # Waiting for the core's futures (open, close, pong).

    def attempt(self, action: str) -> Attempt:
        """Return the current attempt.

        Raises:
            NotConnectedError: the socket was never connected.
        """
        attempt = self._core.attempt
        if attempt is None:
            raise NotConnectedError(f"cannot {action}: the socket was never connected; call Connect first")
        return attempt

    def block(
        self, future: concurrent.futures.Future[T], timeout: float | None, what: str, owned: bool = False
    ) -> T:
        """Wait for a future of the I/O loop; cancel it on timeout only if this call ``owned`` it
        (an attempt's ``opened``/``finished`` futures are shared by every waiter).

        Raises:
            WaitTimeoutError: not done within ``timeout`` seconds.
            BlockingUnavailableError: not done, and the caller cannot block (the browser).
        """
        if not runtime.THREADS:
            if future.done():
                return future.result()
            return runtime.run_sync(self.wait(future, timeout, what), caller_method())
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            if owned:
                future.cancel()
            raise WaitTimeoutError(self.timeout_text(what, timeout)) from None

    async def wait(self, future: concurrent.futures.Future[T], timeout: float | None, what: str) -> T:
        """Await a future of the I/O loop from any event loop, shielded: a timeout here never
        cancels a future other waiters share.

        Raises:
            WaitTimeoutError: not done within ``timeout`` seconds.
        """
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout)
        except asyncio.TimeoutError:
            raise WaitTimeoutError(self.timeout_text(what, timeout)) from None

    def timeout_text(self, what: str, timeout: float | None) -> str:
        """The message of a timeout: what was awaited, the state, and the last records."""
        seen = "; ".join(repr(r) for r in self._history.tail(3)) or "nothing recorded yet"
        state = self._core.status().state.name
        return f"timed out after {timeout} s waiting for {what} (state {state}); last seen: {seen}"

    def close_wait(self, attempt: Attempt, timeout: float | None) -> float:
        """How long ``close()`` waits for the closing handshake by default."""
        return timeout if timeout is not None else (attempt.options.close_timeout or 10) + 5


def caller_method() -> str:
    """The outermost :class:`~ws_widget.WebSocket` method on the caller's stack (``receive``),
    to name its ``await`` twin in an error."""
    frame = sys._getframe(1)
    name = ""
    while frame is not None:
        if frame.f_globals.get("__name__") == "ws_widget.faces.websocket":
            name = frame.f_code.co_name
        frame = frame.f_back  # type: ignore[assignment]
    return name


def _resolve(woken: asyncio.Future[None]) -> None:
    if not woken.done():
        woken.set_result(None)
