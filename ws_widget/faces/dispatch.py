"""The WebSocket face's private listener: turns the core's events into the user's callbacks.

It implements :class:`~ws_widget.core.listener.CoreListener`, so the user's object carries none
of the listener's methods. Each callback is queued on the socket's lane and runs on an event
thread in the context of the cell that called ``Connect``; an ``Error`` that no callback handles
is printed there, unless a blocking ``connect()``/``wait_open()`` raises it to its caller as
:class:`~ws_widget.ConnectFailedError`: the caller then has it, and it is said once.

How "a waiter takes the failure" is decided without a race: a waiter registers an
:class:`OpenWait` with :meth:`Dispatch.waiting_open` before it blocks (``connect()`` before the
attempt even starts, by the attempt's context) and leaves with :meth:`Dispatch.stop_waiting`.
``failed`` runs on the I/O loop before the core fails the ``opened`` future; if a waiter is
registered for that attempt then, the failure is claimed (not printed), and a waiter whose
timeout fell at that very moment finds the claim and raises the failure instead.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..core import lanes, lifetime
from ..core.attempt import Attempt
from ..exceptions import ConnectFailedError, WaitTimeoutError
from ..pure.debuglog import DebugLog

if TYPE_CHECKING:
    from .websocket import WebSocket

CallbackSlots = dict[str, tuple[Callable[..., object], int] | None]
"""The user's callbacks by event name, each with how many of the event's arguments it takes."""


class Dispatch:
    """Queues the user's callbacks of one :class:`WebSocket` as the core reports events."""

    __slots__ = ("_callbacks", "_debug", "_lane", "_lock", "_waits", "_ws")

    def __init__(self, ws: WebSocket, callbacks: CallbackSlots, lane: lanes.Lane, debug: DebugLog):
        self._ws, self._callbacks, self._lane, self._debug = ws, callbacks, lane, debug
        self._lock = threading.Lock()
        self._waits: list[OpenWait] = []  # callers blocking until an attempt opens

    def waiting_open(self, context: contextvars.Context, attempt: Attempt | None = None) -> OpenWait:
        """A caller starts blocking until ``attempt`` (None: the attempt about to start with
        ``context``) is open: its open failure is then the caller's to raise."""
        wait = OpenWait(context, attempt)
        with self._lock:
            self._waits.append(wait)
        return wait

    @contextlib.contextmanager
    def open_wait(self, context: contextvars.Context, attempt: Attempt | None = None) -> Iterator[OpenWait]:
        """Around a caller's block until ``attempt`` opens (sync or async): the failure is the
        caller's to raise (see :meth:`waiting_open`, :meth:`stop_waiting`); set ``.attempt`` on
        the yielded wait once it is known."""
        wait = self.waiting_open(context, attempt)
        try:
            yield wait
        except BaseException as exc:
            error = self.stop_waiting(wait, exc)
            if error is not None:
                raise error from error.__cause__
            raise
        self.stop_waiting(wait, None)

    def stop_waiting(self, wait: OpenWait, raised: BaseException | None) -> BaseException | None:
        """A caller stops blocking, having raised ``raised`` (None: it opened). Return the open
        failure to raise instead when the wait timed out just as the failure was claimed for
        it; a wait interrupted otherwise (Ctrl+C) prints the claimed failure, so it is still
        said once."""
        with self._lock:
            self._waits.remove(wait)
        attempt = wait.attempt
        if not wait.claimed or attempt is None or raised is None or isinstance(raised, ConnectFailedError):
            return None
        error = attempt.opened.exception()  # set right after the claim, on the I/O loop
        if error is None:
            return None
        if isinstance(raised, WaitTimeoutError):
            return error
        print_error(str(error))
        return None

    def _claim(self, attempt: Attempt) -> bool:
        """On the I/O loop, before ``opened`` fails: whether a blocking waiter takes the failure."""
        if attempt.was_open or attempt.opened.done():
            return False  # a failure after opening reaches no ``opened`` waiter
        claimed = False
        with self._lock:
            for wait in self._waits:
                if wait.context is attempt.context and wait.attempt in (None, attempt):
                    wait.attempt, wait.claimed, claimed = attempt, True, True
        return claimed

    def _emit(self, attempt: Attempt, name: str, args: tuple[object, ...]) -> bool:
        slot = self._callbacks.get(name)
        if slot is None:
            return False
        fn, count = slot
        lanes.submit(self._lane, attempt.context, fn, args[:count], self._debug)
        return True

    def opened(self, attempt: Attempt) -> None:
        """Queue ``Connected(ws)``."""
        self._emit(attempt, "Connected", (self._ws,))

    def message(self, attempt: Attempt, payload: str | bytes, size: int) -> None:
        """Queue ``Data(ws, data)``: the per-message path, so ``_emit`` is inlined."""
        slot = self._callbacks.get("Data")
        if slot is not None:
            fn, count = slot
            lanes.submit(self._lane, attempt.context, fn, (self._ws, payload)[:count], self._debug, size)

    def pong(self, attempt: Attempt, rtt: float) -> None:
        """Queue ``Pong(ws)``."""
        self._emit(attempt, "Pong", (self._ws,))

    def failed(self, attempt: Attempt, text: str) -> None:
        """Queue ``Error(ws, err)``; without one, print the error in the connecting cell, unless
        a blocking ``connect()``/``wait_open()`` raises it to its caller."""
        if not self._emit(attempt, "Error", (self._ws, text)) and not self._claim(attempt):
            lanes.submit(self._lane, attempt.context, print_error, (text,), DebugLog(1))

    def closed(self, attempt: Attempt) -> None:
        """Queue ``Closed(ws)``; a plain script may end once it ran."""
        self._emit(attempt, "Closed", (self._ws,))
        if attempt.keep_alive:
            lanes.call(self._lane, lifetime.release)

    def reconnect_scheduled(self, attempt: Attempt, retry: int, delay: float) -> None:
        """A script waits for the reconnect too."""
        if attempt.keep_alive:
            lifetime.hold()

    def reconnect_cancelled(self, keep_alive: bool) -> None:
        """Undo the hold of a reconnect that will not happen."""
        if keep_alive:
            lanes.call(self._lane, lifetime.release)


class OpenWait:
    """One caller blocking until an attempt opens (see the module's docstring)."""

    __slots__ = ("attempt", "claimed", "context")

    def __init__(self, context: contextvars.Context, attempt: Attempt | None):
        self.context, self.attempt, self.claimed = context, attempt, False


def print_error(text: str) -> None:
    """Show an error that no ``Error`` callback handles, in the cell that connected."""
    print(f"ws_widget: {text}", file=sys.stderr)
