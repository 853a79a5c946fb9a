"""The I/O core: the connection attempts of one WebSocket, their commands and their ends, run
on the I/O loop and recorded in its history. Every public method of :class:`Core` may be
called from any thread.

The core drives each attempt's connection through a transport (``transport.py``), reports to
its face through a :class:`~ws_widget.core.listener.CoreListener`, and leaves the decisions of
how an attempt ended and whether to reconnect to the pure functions of ``pure/outcome.py``.
Faces read :meth:`Core.status`, a read-only snapshot.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import os
import random
import threading
import time
import weakref
from collections.abc import Awaitable, Callable

from websockets.protocol import State

from ..exceptions import ConnectFailedError, NotConnectedError
from ..pure import limits, outcome
from ..pure.closecodes import close_code_name
from ..pure.commands import Close, Command, Ping, Send
from ..pure.debuglog import DebugLog
from ..pure.explain import explain
from ..pure.history import History
from ..pure.kinds import (
    BINARY,
    CLOSE,
    ERROR,
    EVENT,
    IN,
    IN_BINARY,
    IN_TEXT,
    OPEN,
    OUT,
    PING,
    PONG,
    RECONNECT,
    TEXT,
)
from ..pure.options import Options
from ..pure.redact import mask_subprotocols
from ..pure.status import Capabilities, Reconnecting, Status
from ..pure.target import Target
from . import ioloop, runtime
from .attempt import Attempt, PendingReconnect, Stats, payload_size
from .flowcontrol import FlowControl
from .lanes import Lane
from .listener import CoreListener
from .transport import Transport, TransportFactory, Wiring

_live_attempts: weakref.WeakSet[Attempt] = weakref.WeakSet()
_NO_CAPABILITIES_YET = Capabilities()


class Core:
    """Runs the attempts of one WebSocket on the I/O loop and records everything.

    Args:
        listener: the face's adapter, told of every event.
        history: where messages and events are recorded.
        debug: the Debug Output.
        frames: where the frame log records frames.
        lane: the socket's callback lane (its backlog pauses reading, see ``flowcontrol.py``).
        transport: makes each attempt's transport (by default the runtime's: websockets' client,
            or the browser's WebSocket under Pyodide).
    """

    def __init__(
        self,
        listener: CoreListener,
        history: History,
        debug: DebugLog,
        frames: History,
        lane: Lane,
        transport: TransportFactory | None = None,
    ):
        self.listener = listener
        self.lane = lane
        self.flow = FlowControl(lane, history, debug)
        self.history = history
        self.frames = frames
        self.debug = debug
        self.attempt: Attempt | None = None
        self.stats = Stats()
        self.connect_messages: list[str | bytes] = []  # sent first on every open (resubscribing)
        self._transport_factory = runtime.default_transport() if transport is None else transport
        self._frame_log = False  # the one owner of "record every frame"; see set_frame_log
        self._closed_by_user = False  # set by close(), cleared by connect()
        self._pending_reconnect: PendingReconnect | None = None
        self._lock = threading.Lock()
        self._message_waiters: list[Callable[[], None]] = []  # woken once by the next message or the end
        self._waiters_lock = threading.Lock()

    # Commands, from any thread.

    def connect(
        self, target: Target, options: Options, context: contextvars.Context, keep_alive: bool = False
    ) -> Attempt:
        """Start a new attempt; an earlier one still alive is closed (1000) first.

        Raises:
            BrowserLimitError: the transport cannot honour a header or option (the browser's).
        """
        self.check_connect(target, options)
        if options.frame_log:
            self._frame_log = True
        self._closed_by_user = False
        self.history.mark_live()
        self.frames.mark_live()
        attempt = Attempt(target, options, context, keep_alive)
        with self._lock:
            previous, self.attempt = self.attempt, attempt
        ioloop.call_soon(self._cancel_reconnect)
        ioloop.call_soon(self._start, attempt, previous)
        return attempt

    def check_connect(self, target: Target, options: Options) -> None:
        """Refuse what this socket's transport cannot honour, before anything starts.

        Raises:
            BrowserLimitError: a header or option the transport cannot honour (the browser's).
        """
        limits.check_connect(target, options, self._capabilities(None))

    def send(self, payload: str | bytes, fragments: int = 1) -> None:
        """Queue a message; it goes out in order once the connection is open, in ``fragments``
        frames (a first frame, then continuation frames) when more than one.

        Raises:
            NotConnectedError: the socket is closing, closed or was never connected.
            BrowserLimitError: fragments > 1 where the transport shows no frames.
        """
        if fragments != 1:
            limits.check_fragments(fragments, self._capabilities(self.attempt))
        attempt = self._require_live("send")
        ioloop.call_soon(self._enqueue, attempt, Send(payload, fragments))

    def ping(self, payload: bytes | None = None) -> concurrent.futures.Future[float]:
        """Send a ping; the future gives the round-trip time in seconds.

        Raises:
            NotConnectedError: the socket is closing, closed or was never connected.
            BrowserLimitError: the transport sends no pings (the browser's).
        """
        limits.check_ping(self._capabilities(self.attempt))
        attempt = self._require_live("ping")
        command = Ping(payload)
        ioloop.call_soon(self._enqueue, attempt, command)
        return command.result

    def close(self, code: int = 1000, reason: str = "") -> Attempt | None:
        """Close the current attempt after what was queued before; no-op when closed.

        While connecting with nothing queued, the attempt is abandoned at once; with writes
        queued, it opens, sends them, then closes. Returns the attempt being closed, if any.

        Raises:
            BrowserLimitError: the transport may not send ``code`` (the browser: 1000, 3000-4999).
        """
        attempt = self.attempt
        if code != 1000:
            limits.check_close_code(code, self._capabilities(attempt))
        self._closed_by_user = True  # no automatic reconnect from now on, even one being scheduled
        if self._pending_reconnect is not None:  # only then: a Close() after the end touches no loop
            ioloop.call_soon(self._cancel_reconnect)
        if attempt is not None and not attempt.finished.done():
            ioloop.call_soon(self._request_close, attempt, Close(code, reason))
        return attempt

    @property
    def frame_log(self) -> bool:
        """Whether every frame is recorded in ``frames``."""
        return self._frame_log

    def set_frame_log(self, on: bool) -> None:
        """Record every frame from now on (also on the open connection), or stop.

        Raises:
            BrowserLimitError: the transport shows no frames (the browser's).
        """
        limits.check_frame_log(on, self._capabilities(self.attempt))
        self._frame_log = on
        attempt = self.attempt
        if attempt is not None:
            ioloop.call_soon(self._apply_frame_log, attempt, on)

    @staticmethod
    def _apply_frame_log(attempt: Attempt, on: bool) -> None:
        if attempt.transport is not None:
            attempt.transport.set_frame_log(on)

    def add_message_waiter(self, wake: Callable[[], None], seen: int) -> bool:
        """Call ``wake()`` once (on the I/O loop) when the next message arrives or no message can
        come any more; return False, registering nothing, if a record after ``seen`` is there
        already or the socket is over (look again instead of waiting)."""
        with self._waiters_lock:
            if self.history.last_seq > seen or self.no_more_messages():
                return False
            self._message_waiters.append(wake)
            return True

    def remove_message_waiter(self, wake: Callable[[], None]) -> None:
        """Forget a waiter that stopped waiting (timed out or cancelled); no-op if it was woken."""
        with self._waiters_lock:
            try:
                self._message_waiters.remove(wake)
            except ValueError:
                pass

    @property
    def message_waiters(self) -> int:
        """How many consumers wait for a message now."""
        return len(self._message_waiters)

    def no_more_messages(self) -> bool:
        """Whether no message can come: never connected, or ended with no reconnect pending."""
        attempt = self.attempt
        return attempt is None or (attempt.finished.done() and self._pending_reconnect is None)

    def status(self) -> Status:
        """Return a read-only snapshot of the current (or last) attempt."""
        attempt, pending = self.attempt, self._pending_reconnect
        reconnecting = None if pending is None else Reconnecting(pending.retry, pending.at)
        if attempt is None:
            return Status(
                state=State.CLOSED,
                connected_once=False,
                url=None,
                secure=False,
                verified=None,
                subprotocol=None,
                close_code=None,
                close_reason=None,
                error=None,
                error_text=None,
                handshake=None,
                reconnecting=reconnecting,
                frame_log=self._frame_log,
                paused=None,
                capabilities=self._capabilities(None),
            )
        secure = attempt.target.secure
        return Status(
            state=attempt.state,
            connected_once=True,
            url=attempt.target.masked_url,
            secure=secure,
            verified=attempt.options.verified if secure else None,
            subprotocol=attempt.subprotocol,
            close_code=attempt.close_code,
            close_reason=attempt.close_reason,
            error=attempt.error,
            error_text=attempt.error_text,
            handshake=attempt.handshake,
            reconnecting=reconnecting,
            frame_log=self._frame_log,
            paused=self.flow.paused,
            capabilities=self._capabilities(attempt),
        )

    def _capabilities(self, attempt: Attempt | None) -> Capabilities:
        if attempt is not None and attempt.transport is not None:
            return attempt.transport.capabilities
        return getattr(self._transport_factory, "capabilities", _NO_CAPABILITIES_YET)

    def _require_live(self, action: str) -> Attempt:
        attempt = self.attempt
        if attempt is None:
            raise NotConnectedError(f"cannot {action}: the socket was never connected; call Connect first")
        if attempt.state in (State.CLOSING, State.CLOSED):
            code = attempt.close_code
            ended = f" ({code} {close_code_name(code)})" if code else ""
            raise NotConnectedError(
                f"cannot {action}: the socket is {attempt.state.name.lower()}{ended}; call Connect again"
            )
        return attempt

    # On the I/O loop.

    def _start(self, attempt: Attempt, previous: Attempt | None) -> None:
        _live_attempts.add(attempt)
        asyncio.get_running_loop().create_task(self._run(attempt, previous))

    async def _run(self, attempt: Attempt, previous: Attempt | None) -> None:
        if previous is not None and not previous.finished.done():
            self._request_close(previous, Close())
            await asyncio.wrap_future(previous.finished)
        try:
            if attempt.close_requested and not attempt.outbox:
                raise asyncio.CancelledError
            transport = await self._open(attempt)
        except asyncio.CancelledError:
            if not attempt.close_requested:
                raise
            self._finish(attempt, outcome.abandoned())
            return
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            self._finish(attempt, outcome.open_failed(exc, attempt.address))
            return
        writer = asyncio.get_running_loop().create_task(self._write_loop(attempt, transport))
        facts = await transport.run()
        writer.cancel()
        attempt.close_code, attempt.close_reason = facts.close_code, facts.close_reason
        end = outcome.classify_end(facts, attempt.close_requested, attempt.address, self.flow.paused)
        self._finish(attempt, end)

    async def _open(self, attempt: Attempt) -> Transport:
        target = attempt.target
        self.debug.log(f"Connecting to {target.masked_url}")
        if target.secure and not attempt.options.verified:
            self.debug.log("Warning: the TLS certificate is NOT verified (verify=False)")
        wiring = Wiring(
            deliver=self._receiver(attempt),
            events=_ControlFrames(self.history),
            frames=self.frames,
            frame_log=self._frame_log,
            debug=self.debug,
        )
        transport = attempt.transport = self._transport_factory(target, attempt.options, wiring)
        await transport.open()
        self.flow.start(transport, attempt.options.flow_limits)
        attempt.was_open = True
        attempt.subprotocol = transport.subprotocol
        attempt.state = State.CLOSING if attempt.close_requested else State.OPEN
        shown = mask_subprotocols(transport.subprotocol) if transport.subprotocol else None
        info = {"url": target.masked_url, **(transport.handshake or {}), "subprotocol": shown}
        self.history.add(EVENT, OPEN, info=info)
        self.debug.log(f"Connected to {target.masked_url}" + (f" (subprotocol {shown})" if shown else ""))
        attempt.outbox.extendleft(Send(payload) for payload in reversed(self.connect_messages))
        self.listener.opened(attempt)
        attempt.opened.set_result(True)
        transport.start_delivering()  # from now on, messages are recorded as they are parsed
        return transport

    def _receiver(self, attempt: Attempt) -> Callable[[str | bytes], None]:
        """The per-message path of one attempt: keep it lean (no Record is built here)."""
        history, stats, listener, lane, flow = self.history, self.stats, self.listener, self.lane, self.flow
        add_message = history.add_message

        def receive(message: str | bytes) -> None:
            if message.__class__ is str:
                size = len(message) if message.isascii() else len(message.encode())
                seq = add_message(IN_TEXT, message, size)
            else:
                size = len(message)
                seq = add_message(IN_BINARY, message, size)
            stats.messages_in += 1
            stats.bytes_in += size
            if self._message_waiters:
                self._wake_message_waiters()
            listener.message(attempt, message, size)  # queues the Data callback, if there is one
            # Flow control: pause when a consumer fell behind (the marks are FlowControl's).
            consumer = flow.consumer
            if (
                lane.submitted - lane.done > flow.high
                or lane.bytes_submitted - lane.bytes_done > flow.high_bytes
                or (
                    consumer is not None
                    and (seq - consumer > flow.high or history.bytes - history.max_bytes > flow.high_bytes)
                )
            ) and flow.paused is None:
                flow.pause()

        return receive

    def _enqueue(self, attempt: Attempt, command: Command) -> None:
        if attempt.state is State.CLOSED or attempt.finished.done():
            self._drop([command])
            return
        attempt.outbox.append(command)
        attempt.wake.set()

    def _request_close(self, attempt: Attempt, command: Close) -> None:
        if attempt.finished.done() or attempt.close_requested:
            return
        attempt.close_requested = True
        if not attempt.was_open and not attempt.outbox:  # nothing to deliver: abandon
            if attempt.transport is not None:
                attempt.transport.abandon()
            return
        attempt.state = State.CLOSING
        attempt.outbox.append(command)
        attempt.wake.set()

    async def _write_loop(self, attempt: Attempt, transport: Transport) -> None:
        outbox = attempt.outbox
        while True:
            while outbox:
                command = outbox.popleft()
                try:
                    await self._write(attempt, transport, command)
                except Exception as exc:  # noqa: BLE001 - report, keep serving the outbox
                    if transport.is_closed_error(exc):
                        self._drop([command])
                        continue
                    name = type(command).__name__.lower()
                    self._report(f"{name} failed: {exc}")
                    if isinstance(command, Ping) and not command.result.done():
                        command.result.set_exception(exc)
            attempt.wake.clear()
            await attempt.wake.wait()

    async def _write(self, attempt: Attempt, transport: Transport, command: Command) -> None:
        if isinstance(command, Send):
            payload, fragments = command.payload, command.fragments
            await transport.send(payload, fragments)
            kind = TEXT if isinstance(payload, str) else BINARY
            size = payload_size(payload)
            self.history.add(OUT, kind, payload, size, {"fragments": fragments} if fragments > 1 else None)
            self.stats.messages_out += 1
            self.stats.bytes_out += size
        elif isinstance(command, Ping):
            data = command.payload if command.payload is not None else os.urandom(4)
            waiter = await transport.ping(data)
            self.history.add(OUT, PING, data, len(data))
            asyncio.get_running_loop().create_task(
                self._await_pong(attempt, transport, data, waiter, command)
            )
        else:
            attempt.state = State.CLOSING
            code, reason = command.code, command.reason
            self.debug.log(f"Closing with {code} {close_code_name(code)} {reason}".rstrip())
            await transport.close(code, reason)

    async def _await_pong(
        self, attempt: Attempt, transport: Transport, data: bytes, waiter: Awaitable[float], command: Ping
    ) -> None:
        result = command.result
        try:
            rtt = await waiter
        except Exception as exc:  # noqa: BLE001 - the connection closed before the pong
            if not result.done():
                text = explain(exc) if transport.is_closed_error(exc) else str(exc)
                result.set_exception(NotConnectedError(f"no pong: the connection closed ({text})"))
            return
        self.history.add(IN, PONG, data, len(data), {"rtt": rtt})
        self.stats.last_rtt = rtt
        self.listener.pong(attempt, rtt)
        if not result.done():
            result.set_result(rtt)

    def _drop(self, commands: list[Command]) -> None:
        """Report queued commands that can no longer go out; never drop them silently."""
        sends = 0
        for command in commands:
            if isinstance(command, Send):
                sends += 1
            elif isinstance(command, Ping) and not command.result.done():
                command.result.set_exception(NotConnectedError("ping not sent: the connection is closed"))
        if sends:
            self._report(f"{sends} message{'s' * (sends > 1)} not sent: the connection closed first")

    def _report(self, text: str) -> None:
        self.history.add(EVENT, ERROR, info={"message": text})
        self.debug.log(f"Error: {text}")

    def _finish(self, attempt: Attempt, end: outcome.Outcome) -> None:
        """Record the end of an attempt (the error, then the close, as the callbacks see them)
        and emit ``failed`` then ``closed``."""
        attempt.state = State.CLOSED
        self.flow.stop()
        leftovers = list(attempt.outbox)
        attempt.outbox.clear()
        if end.error is not None:
            attempt.error, attempt.error_text = end.error, end.error_text
            text = end.error_text or ""
            refused_handshake = attempt.handshake if not attempt.was_open else None
            extra = {"handshake": refused_handshake} if refused_handshake else {}
            self.history.add(EVENT, ERROR, info={"message": text, **extra})
            self.debug.log(f"Error: {text}")
            self.listener.failed(attempt, text)
        if end.close_info is not None:
            self.history.add(EVENT, CLOSE, info=end.close_info)
            self.debug.log(
                f"Closed: {attempt.close_code} ({close_code_name(attempt.close_code)})"
                + (f" {attempt.close_reason}" if attempt.close_reason else "")
            )
        if leftovers:
            self._drop(leftovers)
        if not attempt.opened.done():
            error = ConnectFailedError(end.error_text or "the connection attempt was closed before it opened")
            error.__cause__ = end.error
            attempt.opened.set_exception(error)
        if attempt.close_code is None and end.error is None:
            self.debug.log("Closed before the connection opened")
        self._schedule_reconnect(attempt)
        if self.attempt is attempt and self._pending_reconnect is None:
            self.history.mark_closed()
            self.frames.mark_closed()
        self.listener.closed(attempt)
        attempt.finished.set_result(None)
        _live_attempts.discard(attempt)
        self._wake_message_waiters()

    def _schedule_reconnect(self, attempt: Attempt) -> None:
        """After an end the user did not ask for, connect again later if the policy says so."""
        plan = outcome.plan_reconnect(
            attempt.options.reconnect_policy,
            user_closed=attempt.close_requested or self._closed_by_user,
            still_current=self.attempt is attempt,
            opened=attempt.was_open,
            previous_retry=attempt.retry,
            random_fraction=random.random(),
        )
        if isinstance(plan, outcome.GiveUp):
            self.debug.log(f"Not reconnecting: {plan.failed} attempts in a row failed (max_attempts)")
            return
        if plan is None:
            return
        handle = asyncio.get_running_loop().call_later(plan.delay, self._reconnect, attempt, plan.retry)
        self._pending_reconnect = PendingReconnect(
            plan.retry, time.time() + plan.delay, handle, attempt.keep_alive
        )
        self.history.add(EVENT, RECONNECT, info={"retry": plan.retry, "delay": round(plan.delay, 3)})
        self.debug.log(f"Reconnecting: attempt {plan.retry}, next try in {plan.delay:.1f} s")
        self.listener.reconnect_scheduled(attempt, plan.retry, plan.delay)

    def _reconnect(self, previous: Attempt, retry: int) -> None:
        pending, self._pending_reconnect = self._pending_reconnect, None
        if self.attempt is not previous or self._closed_by_user:
            if pending is not None:
                self.listener.reconnect_cancelled(pending.keep_alive)
            return
        attempt = Attempt(previous.target, previous.options, previous.context, previous.keep_alive)
        attempt.retry = retry
        with self._lock:
            self.attempt = attempt
        self._start(attempt, None)

    def _cancel_reconnect(self) -> None:
        pending, self._pending_reconnect = self._pending_reconnect, None
        if pending is not None:
            pending.handle.cancel()
            self.debug.log("Reconnect cancelled")
            self.listener.reconnect_cancelled(pending.keep_alive)
            self._wake_message_waiters()

    def _wake_message_waiters(self) -> None:
        with self._waiters_lock:
            waiters, self._message_waiters = self._message_waiters, []
        for wake in waiters:
            try:
                wake()
            except RuntimeError:  # the waiter's event loop closed meanwhile
                pass


class _ControlFrames:
    """Records the control frames a transport reports (see ``TransportEvents``)."""

    __slots__ = ("_history",)

    def __init__(self, history: History):
        self._history = history

    def ping_received(self, data: bytes) -> None:
        """Record a ping from the server."""
        self._history.add(IN, PING, data, len(data))

    def unsolicited_pong(self, data: bytes) -> None:
        """Record a pong that answers no ping of ours."""
        self._history.add(IN, PONG, data, len(data), {"unsolicited": True})


async def _close_all() -> None:
    """At interpreter exit, close every open connection with 1001 (going away)."""
    closing = [
        attempt.transport.close(1001, "client exiting")
        for attempt in list(_live_attempts)
        if attempt.transport is not None and attempt.was_open
    ]
    if closing:
        await asyncio.gather(*closing, return_exceptions=True)


ioloop.on_shutdown(_close_all)
