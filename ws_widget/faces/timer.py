"""Timer: the Q-SYS ``Timer`` API (``New``, ``EventHandler``, ``Start``, ``Stop``,
``IsRunning``, ``CallAfter``, ``Now``) on ws_widget's I/O loop and event thread.

Ticks are scheduled on the I/O loop without drift (tick *n* is due ``n * period`` after
``Start``) and handlers run on the event thread like WebSocket callbacks. When this timer's
handler is still queued or running at the next tick, that tick is skipped rather than piling
up (other callbacks sharing its lane do not count).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Callable

from ..core import ioloop, lanes, lifetime, runtime
from ..pure.callbacks import Callback, adapt
from ..pure.debuglog import DebugLog

_call_after_lane = lanes.Lane()
_call_after_debug = DebugLog()


def _check_seconds(seconds: object, name: str) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {seconds!r}")
    return float(seconds)


class Timer:
    """A repeating timer whose ``EventHandler(timer)`` runs every ``Start(seconds)``."""

    EventHandler = Callback("timer")

    def __init__(self, *, lane: lanes.Lane | None = None) -> None:
        """Create a stopped timer; ``lane``: run the handler on this lane, shared with other
        timers and sockets (a Lua script's), instead of a lane of its own."""
        self._callbacks: dict[str, tuple[Callable[..., object], int] | None] = {}
        self._generation = 0  # bumped by Start and Stop; a tick of an older one is ignored
        self._running = False
        self._keep_alive = False
        self._handle: asyncio.TimerHandle | None = None
        self._lane = lanes.Lane() if lane is None else lane
        self.debug_output = DebugLog()
        self.skipped_ticks = 0
        self._queued = False  # a tick's handler is queued or running (the lane may be shared)

    @classmethod
    def New(cls) -> Timer:
        """Create a stopped timer, as ``Timer.New()`` does in Q-SYS."""
        return cls()

    def Start(self, seconds: float) -> None:
        """Start (or restart) ticking every ``seconds``; the first tick is one period from now.

        Raises:
            ValueError: seconds is not a positive number.
        """
        period = _check_seconds(seconds, "seconds")
        self._generation += 1
        self._running = True
        if not self._keep_alive:
            self._keep_alive = lifetime.hold()
        ioloop.call_soon(self._schedule, self._generation, period, runtime.capture_context())

    def Stop(self) -> None:
        """Stop ticking; a tick already queued still runs."""
        self._generation += 1
        self._running = False
        ioloop.call_soon(self._cancel)
        if self._keep_alive:
            self._keep_alive = False
            lifetime.release()

    def IsRunning(self) -> bool:
        """Tell whether the timer is started."""
        return self._running

    @staticmethod
    def CallAfter(fn: Callable[[], object], seconds: float) -> None:
        """Call ``fn()`` once after ``seconds``, on the event thread.

        Raises:
            TypeError: fn is not callable.
            ValueError: seconds is not a positive number.
        """
        adapted = adapt(fn, "fn", ())
        if adapted is None:
            raise TypeError("fn must be a function, got None")
        fn = adapted[0]
        delay = _check_seconds(seconds, "seconds")
        context = runtime.capture_context()
        keep_alive = lifetime.hold()

        def due() -> None:
            lanes.submit(_call_after_lane, context, fn, (), _call_after_debug)
            if keep_alive:
                lanes.call(_call_after_lane, lifetime.release)

        ioloop.call_soon(lambda: ioloop.get_loop().call_later(delay, due))

    @staticmethod
    def Now() -> float:
        """Return the current time as epoch seconds."""
        return time.time()

    # On the I/O loop.

    def _schedule(self, generation: int, period: float, context: contextvars.Context) -> None:
        self._cancel()
        if generation == self._generation:
            due = ioloop.get_loop().time() + period
            self._handle = ioloop.get_loop().call_at(due, self._tick, generation, period, context, due)

    def _tick(self, generation: int, period: float, context: contextvars.Context, due: float) -> None:
        if generation != self._generation:
            return
        slot = self._callbacks.get("EventHandler")
        if slot is not None:
            if self._queued:
                self.skipped_ticks += 1
            else:
                fn, count = slot
                self._queued = True
                lanes.submit(self._lane, context, fn, (self,)[:count], self.debug_output)
                lanes.call(self._lane, self._handled)
        loop = ioloop.get_loop()
        due += period
        if due < loop.time():  # the loop fell behind: skip the missed ticks
            due += period * ((loop.time() - due) // period + 1)
        self._handle = loop.call_at(due, self._tick, generation, period, context, due)

    def _handled(self) -> None:
        """On the lane, right after the handler: the next tick may queue it again."""
        self._queued = False

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def __repr__(self) -> str:
        return f"<Timer {'running' if self._running else 'stopped'}>"
