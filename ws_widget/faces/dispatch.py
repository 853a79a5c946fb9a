"""The WebSocket face's private listener: turns the core's events into the user's callbacks.

It implements :class:`~ws_widget.core.listener.CoreListener`, so the user's object carries none
of the listener's methods. Each callback is queued on the socket's lane and runs on an event
thread in the context of the cell that called ``Connect``; an ``Error`` that no callback handles
is printed there.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core import lanes, lifetime
from ..core.attempt import Attempt
from ..pure.debuglog import DebugLog

if TYPE_CHECKING:
    from .websocket import WebSocket

CallbackSlots = dict[str, tuple[Callable[..., object], int] | None]
"""The user's callbacks by event name, each with how many of the event's arguments it takes."""


class Dispatch:
    """Queues the user's callbacks of one :class:`WebSocket` as the core reports events."""

    __slots__ = ("_callbacks", "_debug", "_lane", "_ws")

    def __init__(self, ws: WebSocket, callbacks: CallbackSlots, lane: lanes.Lane, debug: DebugLog):
        self._ws, self._callbacks, self._lane, self._debug = ws, callbacks, lane, debug

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
        """Queue ``Error(ws, err)``, or print the error in the connecting cell if there is none."""
        if not self._emit(attempt, "Error", (self._ws, text)):
            lanes.submit(self._lane, attempt.context, _print_error, (text,), DebugLog(1))

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


def _print_error(text: str) -> None:
    """Show an error that no ``Error`` callback handles, in the cell that connected."""
    print(f"ws_widget: {text}", file=sys.stderr)
