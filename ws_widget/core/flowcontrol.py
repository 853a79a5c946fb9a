"""Flow control of one socket: pause reading while its consumers are behind, resume once they
caught up (the rules are :mod:`ws_widget.pure.flow`'s). Runs on the I/O loop, except where said.

The consumers are the socket's callback lane (``Data`` callbacks not run yet) and, while a
receiving loop runs, that loop (messages recorded after its place). The core checks the
high-water marks after each message (a few integer compares, inlined there); the lane's
worker and the loop report progress, and once every backlog is at its low-water mark reading
resumes. While paused, TCP pushes back on the server and nothing is dropped. The history
records each pause (with its reason) and each resume, and so does the Debug Output.
"""

from __future__ import annotations

from ..pure.debuglog import DebugLog
from ..pure.flow import Backlog, FlowLimits, may_resume, pause_reason
from ..pure.history import History
from ..pure.kinds import EVENT, PAUSE, RESUME
from . import ioloop
from .lanes import Lane
from .transport import Transport


class FlowControl:
    """The pause state of one socket's reading.

    Attributes:
        paused: why reading is paused (``"4,096 Data callbacks behind"``), or None.
        consumer: a running receiving loop's place (the seq of the last message it took), or
            None when no loop runs. Written by the loop's thread.
        high, high_bytes: the high-water marks now in force (read by the core's message path).
    """

    __slots__ = (
        "_debug",
        "_history",
        "_lane",
        "_limits",
        "_resume_asked",
        "_transport",
        "consumer",
        "high",
        "high_bytes",
        "paused",
    )

    def __init__(self, lane: Lane, history: History, debug: DebugLog):
        self._lane, self._history, self._debug = lane, history, debug
        self._transport: Transport | None = None
        self._resume_asked = False
        self.paused: str | None = None
        self.consumer: int | None = None
        self.limits = FlowLimits()

    @property
    def limits(self) -> FlowLimits:
        """The marks of the current connection."""
        return self._limits

    @limits.setter
    def limits(self, limits: FlowLimits) -> None:
        self._limits = limits
        self.high, self.high_bytes = limits.high_messages, limits.high_bytes

    def backlog(self) -> Backlog:
        """What waits now between the socket and its consumers."""
        lane, history, consumer = self._lane, self._history, self.consumer
        if consumer is None:
            return Backlog(lane.pending, lane.pending_bytes)
        unread_bytes = max(0, history.bytes - history.max_bytes)  # held beyond the cap for the loop
        return Backlog(lane.pending, lane.pending_bytes, max(0, history.last_seq - consumer), unread_bytes)

    def start(self, transport: Transport, limits: FlowLimits) -> None:
        """A connection opened with these limits."""
        self._transport, self.limits, self.paused = transport, limits, None
        if not limits.enabled:
            self._debug.log(
                "Warning: max_backlog=None and max_backlog_bytes=None: reading never pauses, so a "
                "consumer slower than the stream makes memory grow without bound"
            )

    def stop(self) -> None:
        """The connection ended: nothing to pause or resume any more."""
        self._transport, self.paused = None, None
        self._lane.notify_below(0, 0, None)

    def pause(self) -> None:
        """Pause reading: the backlog passed a high-water mark."""
        transport = self._transport
        if self.paused is not None or transport is None:
            return
        backlog = self.backlog()
        reason = pause_reason(self._limits, backlog) or "consumers behind"
        self.paused = reason
        transport.pause_reading()
        self._history.add(
            EVENT, PAUSE, info={"reason": reason, "callbacks": backlog.callbacks, "unread": backlog.unread}
        )
        self._debug.log(f"Paused reading: {reason}")
        self._watch_lane()

    def _watch_lane(self) -> None:
        limits = self._limits
        if self._lane.pending > limits.low_messages or self._lane.pending_bytes > limits.low_bytes:
            self._lane.notify_below(limits.low_messages, limits.low_bytes, self.ask_resume)

    def ask_resume(self) -> None:
        """From any thread: a consumer caught up; resume on the I/O loop if all did."""
        if not self._resume_asked:
            self._resume_asked = True
            ioloop.call_soon(self._resume)

    def consumer_progressed(self, seq: int) -> None:
        """From the loop's thread: it took message ``seq``."""
        self.consumer = seq
        if self.paused is not None and self._history.last_seq - seq <= self._limits.low_messages:
            self.ask_resume()

    def set_consumer(self, seq: int | None) -> None:
        """From the loop's thread: a receiving loop starts at ``seq``, or (None) ended."""
        self.consumer = seq
        if seq is None and self.paused is not None:
            self.ask_resume()

    def _resume(self) -> None:
        self._resume_asked = False
        transport = self._transport
        if self.paused is None or transport is None:
            return
        self._history.trim()  # what the loop took may go now, within the history's cap
        if not may_resume(self._limits, self.backlog()):
            self._watch_lane()  # the lane is still behind: wait for it (a loop calls back itself)
            return
        self.paused = None
        self._history.add(EVENT, RESUME, info={"reason": "caught up"})
        self._debug.log("Resumed reading: the consumers caught up")
        transport.resume_reading()  # last: it may deliver held messages, and so pause again
