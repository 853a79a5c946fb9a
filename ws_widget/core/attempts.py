"""The I/O core: connection attempts, sends, pings and closes of one WebSocket, run on the
I/O loop and recorded in its history. Every public method may be called from any thread.

A *listener* (the face, see ``websocket.py``) hears ``opened``, ``message`` (each received
message, already recorded), ``pong``, ``failed``, ``closed``, ``reconnect_scheduled`` and
``reconnect_cancelled`` on the I/O loop and must return at once.

Event order per attempt: ``opened``? ``message``* (``failed``)? ``closed``, exactly one
``closed``. ``failed`` comes before ``closed`` when the attempt could not open, when the
connection ended without a closing handshake, or when this side closed it because of an error
(keepalive timeout 1011, message too big 1009, protocol error 1002). A close frame from the
server, whatever its code, is a clean end: only ``closed``.
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
from collections import deque

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.frames import Opcode
from websockets.protocol import State

from ..exceptions import ConnectFailedError, NotConnectedError
from ..pure.debuglog import DebugLog
from ..pure.explain import explain
from ..pure.history import (
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
    History,
)
from ..pure.options import Options
from ..pure.protocol import close_code_name, describe_handshake
from ..pure.redact import mask_subprotocols
from ..pure.target import Target
from . import ioloop
from .connection import RecordingConnection, send_fragments
from .framelog import FrameRecorder

_SEND, _PING, _CLOSE = "send", "ping", "close"
_live_attempts: weakref.WeakSet = weakref.WeakSet()


def payload_size(payload: str | bytes) -> int:
    """Return the size in bytes of a payload on the wire (UTF-8 for text)."""
    if isinstance(payload, str):
        return len(payload) if payload.isascii() else len(payload.encode())
    return len(payload)


class Stats:
    """Totals over every attempt of one WebSocket, written on the I/O loop only."""

    __slots__ = ("bytes_in", "bytes_out", "last_rtt", "messages_in", "messages_out")

    def __init__(self):
        self.messages_in = self.bytes_in = self.messages_out = self.bytes_out = 0
        self.last_rtt: float | None = None

    def as_dict(self) -> dict:
        """Return the totals as a dict."""
        return {name: getattr(self, name) for name in self.__slots__}


class Attempt:
    """One connection attempt, from ``Connect`` to its single ``Closed``.

    ``state`` and the results below are written on the I/O loop only.
    """

    def __init__(self, target: Target, options: Options, context: contextvars.Context, keep_alive: bool):
        self.target = target
        self.keep_alive = keep_alive  # the face's token: it keeps a script alive until Closed
        self.options = options
        self.context = context
        self.state = State.CONNECTING
        self.connection: ClientConnection | None = None
        self.subprotocol: str | None = None
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self.error: BaseException | None = None
        self.error_text: str | None = None
        self.opened: concurrent.futures.Future = concurrent.futures.Future()
        self.finished: concurrent.futures.Future = concurrent.futures.Future()
        self.outbox: deque = deque()
        self.wake = asyncio.Event()
        self.close_requested = False
        self.connect_task: asyncio.Future | None = None
        self.raw_connection: ClientConnection | None = None  # set as soon as TCP is up
        self.handshake: dict | None = None  # the opening handshake, described, secrets masked
        self.recorder: FrameRecorder | None = None
        self.retry = 0  # 0: started by the user; n: the n-th automatic reconnect in a row

    @property
    def address(self) -> str:
        """``host:port`` of the server, for messages."""
        return self.target.masked_url.split("//", 1)[1].split("/", 1)[0].split("@")[-1]


class Core:
    """Runs the attempts of one WebSocket on the I/O loop and records everything."""

    def __init__(self, listener, history: History, debug: DebugLog, frames: History | None = None):
        self.listener = listener
        self.history = history
        self.frames = frames if frames is not None else History(max_records=100_000)
        self.debug = debug
        self.attempt: Attempt | None = None
        self.stats = Stats()
        self.connect_messages: list[str | bytes] = []  # sent first on every open (resubscribing)
        self.frame_log = False  # record every frame in ``frames``; see set_frame_log
        self.closed_by_user = False  # set by close(), cleared by connect()
        self.pending_reconnect: dict | None = None  # {"retry", "at" (epoch s), "handle"} while waiting
        self._lock = threading.Lock()
        self._message_waiters: list[asyncio.Future] = []

    # Commands, from any thread.

    def connect(
        self, target: Target, options: Options, context: contextvars.Context, keep_alive: bool = False
    ) -> Attempt:
        """Start a new attempt; an earlier one still alive is closed (1000) first."""
        if options.frame_log:
            self.frame_log = True
        self.closed_by_user = False
        attempt = Attempt(target, options, context, keep_alive)
        with self._lock:
            previous, self.attempt = self.attempt, attempt
        ioloop.call_soon(self._cancel_reconnect)
        ioloop.call_soon(self._start, attempt, previous)
        return attempt

    def send(self, payload: str | bytes, fragments: int = 1) -> None:
        """Queue a message; it goes out in order once the connection is open, in ``fragments``
        frames (a first frame, then continuation frames) when more than one.

        Raises:
            NotConnectedError: the socket is closing, closed or was never connected.
        """
        attempt = self._require_live("send")
        ioloop.call_soon(self._enqueue, attempt, (_SEND, payload, fragments))

    def ping(self, payload: bytes | None = None) -> concurrent.futures.Future:
        """Send a ping; the future gives the round-trip time in seconds.

        Raises:
            NotConnectedError: the socket is closing, closed or was never connected.
        """
        attempt = self._require_live("ping")
        result: concurrent.futures.Future = concurrent.futures.Future()
        ioloop.call_soon(self._enqueue, attempt, (_PING, payload, result))
        return result

    def close(self, code: int = 1000, reason: str = "") -> Attempt | None:
        """Close the current attempt after what was queued before; no-op when closed.

        While connecting with nothing queued, the attempt is abandoned at once; with writes
        queued, it opens, sends them, then closes.
        """
        attempt = self.attempt
        self.closed_by_user = True  # no automatic reconnect from now on, even one being scheduled
        if self.pending_reconnect is not None:  # only then: a Close() after the end touches no loop
            ioloop.call_soon(self._cancel_reconnect)
        if attempt is not None and not attempt.finished.done():
            ioloop.call_soon(self._request_close, attempt, code, reason)
        return attempt

    def set_frame_log(self, on: bool) -> None:
        """Record every frame from now on (also on the open connection), or stop."""
        self.frame_log = on
        attempt = self.attempt
        if attempt is not None:
            ioloop.call_soon(lambda: attempt.recorder is not None and attempt.recorder.enable(on))

    def next_message(self, after_seq: int, match=None) -> concurrent.futures.Future:
        """Return a future of the first incoming message recorded after ``after_seq`` (for
        which ``match(payload)`` is true, when given).

        The future fails with :class:`NotConnectedError` once no message can come.
        """
        return ioloop.submit(self._next_message(after_seq, match))

    def _require_live(self, action: str) -> Attempt:
        attempt = self.attempt
        if attempt is None:
            raise NotConnectedError(f"cannot {action}: the socket was never connected; call Connect first")
        if attempt.state in (State.CLOSING, State.CLOSED):
            ended = (
                f" ({attempt.close_code} {close_code_name(attempt.close_code)})" if attempt.close_code else ""
            )
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
            self._request_close(previous, 1000, "")
            await asyncio.wrap_future(previous.finished)
        try:
            if attempt.close_requested and not attempt.outbox:
                raise asyncio.CancelledError
            connection = await self._open(attempt)
        except asyncio.CancelledError:
            if not attempt.close_requested:
                raise
            self._finish(attempt, None, None)
            return
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            self._finish(attempt, exc, explain(exc, attempt.address))
            return
        writer = asyncio.get_running_loop().create_task(self._write_loop(attempt, connection))
        failure = None
        try:
            async for message in connection:
                self.record_message(attempt, message)
        except ConnectionClosed:
            pass
        except Exception as exc:  # noqa: BLE001
            failure = exc
            await connection.close(1011, "client error")
        await connection.wait_closed()
        writer.cancel()
        self._finish_open(attempt, connection, failure)

    async def _open(self, attempt: Attempt) -> ClientConnection:
        target = attempt.target
        self.debug.log(f"Connecting to {target.masked_url}")
        if target.secure and not attempt.options.verified:
            self.debug.log("Warning: the TLS certificate is NOT verified (verify=False)")

        def create_connection(protocol, **kwargs):
            attempt.raw_connection = RecordingConnection(self, protocol, **kwargs)
            recorder.attach(protocol)
            return attempt.raw_connection

        kwargs = attempt.options.connect_kwargs(target.secure)
        recorder = attempt.recorder = FrameRecorder(self.frames, self.frame_log)
        kwargs["logger"] = recorder.logger
        if kwargs["compression"] == "deflate":  # offer deflate through the observing wrapper
            kwargs.update(compression=None, extensions=[recorder.deflate_factory()])
        attempt.connect_task = asyncio.ensure_future(
            connect(
                target.url,
                additional_headers=list(target.headers) or None,
                subprotocols=list(target.subprotocols) or None,
                create_connection=create_connection,
                **kwargs,
            )
        )
        try:
            connection = await attempt.connect_task
        except Exception:
            raw = attempt.raw_connection
            if raw is not None:
                attempt.handshake = describe_handshake(raw.request, raw.response)
            raise
        attempt.connection = connection
        attempt.subprotocol = connection.subprotocol
        attempt.state = State.CLOSING if attempt.close_requested else State.OPEN
        attempt.handshake = describe_handshake(connection.request, connection.response)
        shown = mask_subprotocols(connection.subprotocol) if connection.subprotocol else None
        info = {"url": target.masked_url, **attempt.handshake, "subprotocol": shown}
        self.history.add(EVENT, OPEN, info=info)
        self.debug.log(f"Connected to {target.masked_url}" + (f" (subprotocol {shown})" if shown else ""))
        attempt.outbox.extendleft((_SEND, payload, 1) for payload in reversed(self.connect_messages))
        self.listener.opened(attempt)
        attempt.opened.set_result(True)
        connection.direct_attempt = attempt  # from now on, record whole frames as they are parsed
        return connection

    def record_message(self, attempt: Attempt, message: str | bytes) -> None:
        """The per-message path: keep it lean (no Record is built here)."""
        if message.__class__ is str:
            size = len(message) if message.isascii() else len(message.encode())
            self.history.add_message(IN_TEXT, message, size)
        else:
            size = len(message)
            self.history.add_message(IN_BINARY, message, size)
        stats = self.stats
        stats.messages_in += 1
        stats.bytes_in += size
        if self._message_waiters:
            self._wake_message_waiters()
        self.listener.message(attempt, message)  # queues the Data callback, if there is one

    def _enqueue(self, attempt: Attempt, item: tuple) -> None:
        if attempt.state is State.CLOSED or attempt.finished.done():
            self._drop(attempt, [item])
            return
        attempt.outbox.append(item)
        attempt.wake.set()

    def _request_close(self, attempt: Attempt, code: int, reason: str) -> None:
        if attempt.finished.done() or attempt.close_requested:
            return
        attempt.close_requested = True
        if attempt.connection is None and not attempt.outbox:  # nothing to deliver: abandon
            if attempt.connect_task is not None:
                attempt.connect_task.cancel()
            return
        attempt.state = State.CLOSING
        attempt.outbox.append((_CLOSE, code, reason))
        attempt.wake.set()

    async def _write_loop(self, attempt: Attempt, connection: ClientConnection) -> None:
        outbox = attempt.outbox
        while True:
            while outbox:
                item = outbox.popleft()
                try:
                    await self._write(attempt, connection, item)
                except ConnectionClosed:
                    self._drop(attempt, [item])
                except Exception as exc:  # noqa: BLE001 - report, keep serving the outbox
                    self._report(f"{item[0]} failed: {exc}", exc)
                    if item[0] == _PING and not item[2].done():
                        item[2].set_exception(exc)
            attempt.wake.clear()
            await attempt.wake.wait()

    async def _write(self, attempt: Attempt, connection: ClientConnection, item: tuple) -> None:
        action = item[0]
        if action == _SEND:
            payload, fragments = item[1], item[2]
            if fragments > 1:
                await send_fragments(connection, payload, fragments)
            else:
                await connection.send(payload)
            kind = TEXT if isinstance(payload, str) else BINARY
            size = payload_size(payload)
            self.history.add(OUT, kind, payload, size, {"fragments": fragments} if fragments > 1 else None)
            self.stats.messages_out += 1
            self.stats.bytes_out += size
        elif action == _PING:
            data, result = item[1] if item[1] is not None else os.urandom(4), item[2]
            waiter = await connection.ping(data)
            self.history.add(OUT, PING, data, len(data))
            asyncio.get_running_loop().create_task(self._await_pong(attempt, data, waiter, result))
        else:
            attempt.state = State.CLOSING
            self.debug.log(f"Closing with {item[1]} {close_code_name(item[1])} {item[2]}".rstrip())
            await connection.close(item[1], item[2])

    async def _await_pong(self, attempt, data: bytes, waiter, result: concurrent.futures.Future) -> None:
        try:
            rtt = await waiter
        except ConnectionClosed as exc:
            if not result.done():
                result.set_exception(NotConnectedError(f"no pong: the connection closed ({explain(exc)})"))
            return
        self.history.add(IN, PONG, data, len(data), {"rtt": rtt})
        self.stats.last_rtt = rtt
        self.listener.pong(attempt, rtt)
        if not result.done():
            result.set_result(rtt)

    def _drop(self, attempt: Attempt, items) -> None:
        """Report queued commands that can no longer go out; never drop them silently."""
        sends = 0
        for item in items:
            if item[0] == _SEND:
                sends += 1
            elif item[0] == _PING and not item[2].done():
                item[2].set_exception(NotConnectedError("ping not sent: the connection is closed"))
        if sends:
            self._report(f"{sends} message{'s' * (sends > 1)} not sent: the connection closed first")

    def _report(self, text: str, exc: BaseException | None = None) -> None:
        self.history.add(EVENT, ERROR, info={"message": text})
        self.debug.log(f"Error: {text}")

    def _finish_open(self, attempt: Attempt, connection: ClientConnection, failure) -> None:
        protocol = connection.protocol
        rcvd, sent = protocol.close_rcvd, protocol.close_sent
        attempt.close_code, attempt.close_reason = connection.close_code, connection.close_reason
        close_exc = protocol.close_exc
        # recv() refuses a text that is not UTF-8 only when it reaches it, which may be after the
        # server's close frame was parsed: the close is clean, yet a message was lost: an error.
        refused = connection.connection_exc
        if isinstance(refused, UnicodeDecodeError):
            close_exc.__cause__ = refused
        else:
            refused = None
        abnormal = (
            failure is not None
            or refused is not None
            or rcvd is None
            or (
                not attempt.close_requested
                and sent is not None
                and not protocol.close_rcvd_then_sent
                and sent.code not in (1000, 1001)
            )
        )
        info = {
            "code": attempt.close_code,
            "meaning": close_code_name(attempt.close_code),
            "reason": attempt.close_reason,
            "initiator": "server" if protocol.close_rcvd_then_sent else "client",
            "clean": not abnormal,
        }
        exc = (failure or close_exc) if abnormal else None
        self._finish(attempt, exc, explain(exc, attempt.address) if abnormal else None, close_info=info)

    def _finish(
        self, attempt: Attempt, exc: BaseException | None, text: str | None, close_info: dict | None = None
    ) -> None:
        """Record the end of an attempt (the error, then the close, as the callbacks see them)
        and emit ``failed`` then ``closed``."""
        attempt.state = State.CLOSED
        leftovers = list(attempt.outbox)
        attempt.outbox.clear()
        if exc is not None:
            attempt.error, attempt.error_text = exc, text
            failed_handshake = attempt.handshake if attempt.connection is None else None
            self.history.add(
                EVENT,
                ERROR,
                info={"message": text, **({"handshake": failed_handshake} if failed_handshake else {})},
            )
            self.debug.log(f"Error: {text}")
            self.listener.failed(attempt, text)
        if close_info is not None:
            self.history.add(EVENT, CLOSE, info=close_info)
            self.debug.log(
                f"Closed: {attempt.close_code} ({close_code_name(attempt.close_code)})"
                + (f" {attempt.close_reason}" if attempt.close_reason else "")
            )
        if leftovers:
            self._drop(attempt, leftovers)
        if not attempt.opened.done():
            error = ConnectFailedError(text or "the connection attempt was closed before it opened")
            error.__cause__ = exc
            attempt.opened.set_exception(error)
        if attempt.close_code is None and exc is None:
            self.debug.log("Closed before the connection opened")
        self._schedule_reconnect(attempt)
        self.listener.closed(attempt)
        attempt.finished.set_result(None)
        _live_attempts.discard(attempt)
        self._wake_message_waiters()

    def _schedule_reconnect(self, attempt: Attempt) -> None:
        """After an end the user did not ask for, connect again later if the policy says so."""
        policy = attempt.options.reconnect_policy
        if policy is None or attempt.close_requested or self.closed_by_user or self.attempt is not attempt:
            return
        retry = 1 if attempt.connection is not None else attempt.retry + 1
        if policy.gives_up(retry):
            self.debug.log(f"Not reconnecting: {retry - 1} attempts in a row failed (max_attempts)")
            return
        delay = policy.delay(retry, random.random())
        loop = asyncio.get_running_loop()
        handle = loop.call_later(delay, self._reconnect, attempt, retry)
        self.pending_reconnect = {
            "retry": retry,
            "at": time.time() + delay,
            "handle": handle,
            "keep_alive": attempt.keep_alive,
        }
        self.history.add(EVENT, RECONNECT, info={"retry": retry, "delay": round(delay, 3)})
        self.debug.log(f"Reconnecting: attempt {retry}, next try in {delay:.1f} s")
        self.listener.reconnect_scheduled(attempt, retry, delay)

    def _reconnect(self, previous: Attempt, retry: int) -> None:
        pending, self.pending_reconnect = self.pending_reconnect, None
        if self.attempt is not previous or self.closed_by_user:
            if pending is not None:
                self.listener.reconnect_cancelled(pending["keep_alive"])
            return
        attempt = Attempt(previous.target, previous.options, previous.context, previous.keep_alive)
        attempt.retry = retry
        with self._lock:
            self.attempt = attempt
        self._start(attempt, None)

    def _cancel_reconnect(self) -> None:
        pending, self.pending_reconnect = self.pending_reconnect, None
        if pending is not None:
            pending["handle"].cancel()
            self.debug.log("Reconnect cancelled")
            self.listener.reconnect_cancelled(pending["keep_alive"])
            self._wake_message_waiters()

    async def _next_message(self, after_seq: int, match=None):
        while True:
            record = self.history.first_message_after(after_seq, IN)
            while record is not None and match is not None and not match(record.payload):
                record = self.history.first_message_after(record.seq, IN)
            if record is not None:
                return record
            attempt = self.attempt
            if attempt is None or (attempt.finished.done() and self.pending_reconnect is None):
                raise NotConnectedError("no more messages: the socket is closed; call Connect again")
            after_seq = max(after_seq, self.history.last_seq)
            waiter = asyncio.get_running_loop().create_future()
            self._message_waiters.append(waiter)
            await waiter

    def _wake_message_waiters(self) -> None:
        waiters, self._message_waiters = self._message_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def control_frame(self, connection: ClientConnection, frame) -> None:
        """Record a ping from the server and a pong that answers no ping of ours."""
        data = bytes(frame.data)
        if frame.opcode is Opcode.PING:
            self.history.add(IN, PING, data, len(data))
        elif data not in connection.pending_pings:
            self.history.add(IN, PONG, data, len(data), {"unsolicited": True})


async def _close_all() -> None:
    """At interpreter exit, close every open connection with 1001 (going away)."""
    closing = [
        attempt.connection.close(1001, "client exiting")
        for attempt in list(_live_attempts)
        if attempt.connection is not None
    ]
    if closing:
        await asyncio.gather(*closing, return_exceptions=True)


ioloop.on_shutdown(_close_all)
