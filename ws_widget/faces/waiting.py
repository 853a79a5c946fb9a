"""Waiting on the core, blocking or async, and the receive cursor that both faces share."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

from ..core.attempts import Attempt, Core
from ..exceptions import NotConnectedError, WaitTimeoutError
from ..pure.history import History, Record

T = TypeVar("T")


class Waiting:
    """The sync and async faces' one way to wait for the core's futures and to take messages.

    Each incoming message is taken once: ``receive()``, iteration, ``expect()`` and their async
    twins move one shared cursor.
    """

    __slots__ = ("_core", "_history", "cursor")

    def __init__(self, core: Core, history: History):
        self._core, self._history = core, history
        self.cursor = 0  # seq of the last message taken

    def attempt(self, action: str) -> Attempt:
        """Return the current attempt.

        Raises:
            NotConnectedError: the socket was never connected.
        """
        attempt = self._core.attempt
        if attempt is None:
            raise NotConnectedError(f"cannot {action}: the socket was never connected; call Connect first")
        return attempt

    def next_message(
        self, match: Callable[[str | bytes], bool] | None = None
    ) -> concurrent.futures.Future[Record]:
        """A future of the next message after the cursor (matching ``match``, when given)."""
        return self._core.next_message(self.cursor, match)

    def take(self, record: Record) -> str | bytes:
        """Move the cursor past ``record`` and return its payload."""
        self.cursor = max(self.cursor, record.seq)
        payload = record.payload
        assert payload is not None  # a message's payload is never None
        return payload

    def block(
        self, future: concurrent.futures.Future[T], timeout: float | None, what: str, owned: bool = False
    ) -> T:
        """Wait for a future of the I/O loop; cancel it on timeout only if this call ``owned`` it
        (an attempt's ``opened``/``finished`` futures are shared by every waiter).

        Raises:
            WaitTimeoutError: not done within ``timeout`` seconds.
        """
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
