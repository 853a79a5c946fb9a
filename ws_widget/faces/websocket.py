"""The WebSocket object: the Q-SYS seed API and a Pythonic API (sync and async) over one core.

Seed::

    ws = WebSocket.New()
    ws.Data = lambda ws, data: print("Data", data)
    ws.Connect("ws", "127.0.0.1", "/echo", 8765)
    ws.Write("Hey!")

Pythonic::

    ws = ws_widget.connect("ws://127.0.0.1:8765/echo")
    ws.send({"method": "NoOp"})
    reply = ws.receive(timeout=5)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import sys
import time
import warnings

from websockets.protocol import State

from ..core import events
from ..core.attempts import Attempt, Core
from ..exceptions import InsecureConnectionWarning, NotConnectedError, WaitTimeoutError
from ..pure import cassette
from ..pure.callbacks import Callback
from ..pure.debuglog import DebugLog
from ..pure.history import History, Record
from ..pure.matching import describe, matcher
from ..pure.messages import check_close, check_ping_payload, encode_any, encode_message
from ..pure.options import Options
from ..pure.target import Target, build_target, target_from_url
from .timer import Timer

warnings.simplefilter("always", InsecureConnectionWarning)  # once per connection, not per line


def _of_attempt(name: str, doc: str) -> property:
    """A read-only property giving the current attempt's ``name``, None before any Connect."""

    def get(self):
        attempt = self._core.attempt
        return None if attempt is None else getattr(attempt, name)

    return property(get, doc=doc)


def _registrar(name: str):
    """A method that sets the callback ``name`` and returns the function: usable as a decorator."""

    def register(self, fn):
        setattr(self, name, fn)
        return fn

    register.__doc__ = f"Set ``{name}``; usable as a decorator (``@ws.on_{name.lower()}``)."
    return register


class WebSocket:
    """A WebSocket client whose connection lives on ws_widget's I/O thread.

    Callbacks (set as attributes, or with the ``on_*`` decorators) run one at a time on
    ws_widget's event thread, in the order events arrived, inside the context of the cell that
    called ``Connect`` so that their output lands there.

    Attributes:
        history: every message and event, see :class:`ws_widget.history.History`.
        debug_output: Debug Output lines in the Q-SYS format.
        last_error: the exception behind the latest ``Error``, or None.
    """

    Connected = Callback("ws")
    Data = Callback("ws", "data")
    Error = Callback("ws", "err")
    Closed = Callback("ws")
    Pong = Callback("ws")

    def __init__(self, *, max_records: int = 1_000_000, max_bytes: int = 512 * 2**20):
        """Create an unconnected WebSocket; the history keeps at most these many records/bytes."""
        self._callbacks: dict = {}
        self.history = History(max_records, max_bytes)
        self.frames = History(max_records=100_000)  # filled when connected with frame_log=True
        self.debug_output = DebugLog()
        self._core = Core(self, self.history, self.debug_output, self.frames)
        self._lane = events.Lane()
        self._receive_cursor = 0
        self._widget = None

    @classmethod
    def New(cls) -> WebSocket:
        """Create a WebSocket, as ``WebSocket.New()`` does in Q-SYS."""
        return cls()

    # The seed API.

    def Connect(self, protocol, host, url="/", port=None, sub_protocol=None, headers=None, **options) -> None:
        """Open a connection in the background; ``Connected`` fires once it is open.

        Args:
            protocol: ``"ws"`` or ``"wss"``.
            host: name or address; IPv6 literals with or without brackets.
            url: path and query on the server; empty means ``/``.
            port: 1..65535, or None for 80/443.
            sub_protocol: a subprotocol name or a list of them to offer.
            headers: extra handshake headers, e.g. ``{"Authorization": "Bearer ..."}``.
            **options: see :class:`ws_widget.options.Options` (``verify``, ``ca``, ...).

        Raises:
            ValueError, TypeError: an argument is not acceptable; the message says which.
        """
        target = build_target(protocol, host, url, port, sub_protocol, headers)
        self._start(target, Options.from_kwargs(options))

    def Write(self, message, isBinary: bool = False) -> None:  # noqa: N803 - the seed's name
        """Send a text frame, or a binary frame when ``isBinary`` is true.

        Raises:
            TypeError: message is not str or bytes.
            ValueError: bytes sent as text are not valid UTF-8.
            NotConnectedError: the socket is closed or was never connected.
        """
        self._core.send(encode_message(message, bool(isBinary)))

    def Close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (after what was written before); ``Closed`` fires."""
        self._core.close(*check_close(code, reason))

    def Ping(self, payload=None) -> None:
        """Send a ping; ``Pong`` fires when the answer arrives and its RTT is recorded.

        Raises:
            NotConnectedError: the socket is closed or was never connected.
        """
        self._core.ping(check_ping_payload(payload))

    # The Pythonic API.

    on_connected = _registrar("Connected")
    on_data = _registrar("Data")
    on_error = _registrar("Error")
    on_closed = _registrar("Closed")
    on_pong = _registrar("Pong")

    def connect(
        self, url: str, *, sub_protocol=None, headers=None, wait: bool = True, **options
    ) -> WebSocket:
        """Connect to a ``ws://`` or ``wss://`` URL; return self.

        Args:
            wait: block until open (raising :class:`ConnectFailedError` on failure).

        Raises:
            ValueError, TypeError: an argument is not acceptable.
            ConnectFailedError: with ``wait``, the connection could not be opened.
        """
        attempt = self._start(target_from_url(url, sub_protocol, headers), Options.from_kwargs(options))
        if wait:
            self._wait(attempt.opened, None, "the connection to open")
        return self

    def reconnect(self) -> WebSocket:
        """Connect again to the last URL with the same headers and options; return self.

        Raises:
            NotConnectedError: the socket was never connected, so there is nothing to redo.
        """
        attempt = self._attempt("reconnect")
        self._start(attempt.target, attempt.options)
        return self

    @property
    def widget(self):
        """The live widget of this socket (created on first use); ``display(ws)`` shows it."""
        if self._widget is None:
            from .widget import WebSocketWidget  # the face above this one, loaded on demand

            self._widget = WebSocketWidget(self)
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = self.widget._repr_mimebundle_(**kwargs)
        return {**data, "text/plain": repr(self)}, metadata

    def send(self, data, fragments: int = 1) -> None:
        """Send str as text, bytes as binary, and a dict or list as JSON text; with
        ``fragments=N`` the message goes as N frames (first frame plus continuations).

        Raises:
            TypeError: data of another type.
            ValueError: fragments is not a positive integer.
            NotConnectedError: the socket is closed or was never connected.
        """
        if isinstance(fragments, bool) or not isinstance(fragments, int) or fragments < 1:
            raise ValueError(f"fragments must be a positive integer, got {fragments!r}")
        self._core.send(encode_any(data), fragments)

    def ping(self, payload=None, timeout: float | None = 10.0) -> float:
        """Send a ping and return the round-trip time in seconds once the pong arrives.

        Raises:
            NotConnectedError: the socket is closed, or closed before the pong.
            WaitTimeoutError: no pong within ``timeout`` seconds.
        """
        return self._wait(self._core.ping(check_ping_payload(payload)), timeout, "a pong")

    def close(self, code: int = 1000, reason: str = "", timeout: float | None = None) -> None:
        """Close and wait until the closing handshake is over (``Closed`` has been queued)."""
        attempt = self._core.close(*check_close(code, reason))
        if attempt is not None and not events.in_event_thread():
            wait = timeout if timeout is not None else (attempt.options.close_timeout or 10) + 5
            self._wait(attempt.finished, wait, "the closing handshake")

    def wait_open(self, timeout: float | None = None) -> WebSocket:
        """Block until the current attempt is open; return self.

        Raises:
            NotConnectedError: there is no attempt to wait for.
            ConnectFailedError: the attempt failed; the message explains why.
            WaitTimeoutError: still not open after ``timeout`` seconds.
        """
        self._wait(self._attempt("wait_open").opened, timeout, "the connection to open")
        return self

    def wait_closed(self, timeout: float | None = None) -> None:
        """Block until the current attempt has ended.

        Raises:
            WaitTimeoutError: still open after ``timeout`` seconds.
        """
        if self._core.attempt is not None:
            self._wait(self._core.attempt.finished, timeout, "the connection to close")

    def receive(self, timeout: float | None = None) -> str | bytes:
        """Return the next incoming message (each message is returned once).

        Raises:
            NotConnectedError: the socket closed and every message was returned.
            WaitTimeoutError: no message within ``timeout`` seconds.
        """
        future = self._core.next_message(self._receive_cursor)
        return self._take(self._wait(future, timeout, "a message", owned=True))

    def expect(self, pattern, timeout: float | None = 10.0) -> str | bytes:
        """Return the next incoming message matching ``pattern``; those before it are consumed.

        Args:
            pattern: a regex str for text, bytes for binary, a dict/list that a JSON message
                must contain (``{"id": 1}``), or a function of the payload.

        Raises:
            WaitTimeoutError: no match within ``timeout``; the message shows the last records.
            NotConnectedError: the socket closed before a match arrived.
        """
        future = self._core.next_message(self._receive_cursor, matcher(pattern))
        return self._take(self._wait(future, timeout, describe(pattern), owned=True))

    def wait_for(self, count: int, timeout: float | None = 10.0) -> list[str | bytes]:
        """Return the next ``count`` incoming messages once they have all arrived.

        Raises:
            WaitTimeoutError: fewer arrived within ``timeout``; the message says how many.
            NotConnectedError: the socket closed first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        messages = []
        while len(messages) < count:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            future = self._core.next_message(self._receive_cursor)
            what = f"message {len(messages) + 1} of {count}"
            messages.append(self._take(self._wait(future, left, what, owned=True)))
        return messages

    def every(self, seconds: float, message) -> Timer:
        """Send ``message`` (or what a function returns, unless None) every ``seconds`` while
        open; return the :class:`Timer`, whose ``Stop()`` ends it.

        Raises:
            ValueError: seconds is not positive.
            TypeError: message of a type that cannot be sent.
        """
        if not callable(message):
            encode_any(message)  # refuse what cannot be sent now, not at every tick

        def tick() -> None:
            if self.state is State.OPEN:
                data = message() if callable(message) else message
                if data is not None:
                    self.send(data)

        timer = Timer()
        timer.EventHandler = tick
        timer.Start(seconds)
        return timer

    def send_on_connect(self, data) -> None:
        """Send ``data`` first thing on every (re)connect, e.g. to resubscribe; now too if open.

        ``ws.connect_messages`` holds them; clear it to stop.
        """
        payload = encode_any(data)
        self._core.connect_messages.append(payload)
        if self.state is State.OPEN:
            self._core.send(payload)

    def save_cassette(self, path, connection: int = -1):
        """Record one connection of the history (default: the last) to a cassette file, secrets
        masked; ``ws_widget.replay(path)`` plays it back. Returns the :class:`Cassette`."""
        return cassette.record(self.history, path, connection)

    @property
    def connect_messages(self) -> list[str | bytes]:
        """The messages sent first on every (re)connect."""
        return self._core.connect_messages

    def _take(self, record: Record) -> str | bytes:
        self._receive_cursor = max(self._receive_cursor, record.seq)
        return record.payload

    @property
    def aio(self) -> AsyncFace:
        """The async twins of the blocking calls, awaitable from any event loop."""
        return AsyncFace(self)

    def __iter__(self):
        """Yield incoming messages until the connection closes."""
        while True:
            try:
                yield self.receive()
            except NotConnectedError:
                return

    def __aiter__(self):
        return self.aio.messages()

    def __enter__(self) -> WebSocket:
        return self.wait_open()

    def __exit__(self, *exc_info) -> None:
        self.close()

    async def __aenter__(self) -> WebSocket:
        await self.aio.wait_open()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.aio.close()

    # State.

    @property
    def state(self) -> State:
        """``State.CONNECTING``, ``OPEN``, ``CLOSING`` or ``CLOSED`` (also before any Connect)."""
        attempt = self._core.attempt
        return State.CLOSED if attempt is None else attempt.state

    @property
    def url(self) -> str | None:
        """The URL of the current or last attempt, secrets masked."""
        attempt = self._core.attempt
        return None if attempt is None else attempt.target.masked_url

    subprotocol = _of_attempt("subprotocol", "The subprotocol the server chose, or None.")
    close_code = _of_attempt("close_code", "Close code of the last connection (1006: no closing handshake).")
    close_reason = _of_attempt("close_reason", "Close reason of the last connection.")
    last_error = _of_attempt(
        "error", "The exception behind the last ``Error`` of the current attempt, or None."
    )

    @property
    def frame_log(self) -> bool:
        """Whether every frame is recorded in ``ws.frames``; settable, also while connected."""
        return self._core.frame_log

    @frame_log.setter
    def frame_log(self, on: bool) -> None:
        self._core.set_frame_log(bool(on))

    @property
    def handshake(self) -> dict | None:
        """The current attempt's opening handshake, described with secrets masked: request line
        and headers, status and headers, the accept check step by step, subprotocol,
        extensions; a failed one's body."""
        attempt = self._core.attempt
        return None if attempt is None else attempt.handshake

    @property
    def reconnecting(self) -> dict | None:
        """While an automatic reconnect waits: ``{"retry": n, "at": epoch seconds}``; else None."""
        pending = self._core.pending_reconnect
        return None if pending is None else {"retry": pending["retry"], "at": pending["at"]}

    @property
    def verified(self) -> bool | None:
        """For wss, whether the certificate is checked; None for ws or before Connect."""
        attempt = self._core.attempt
        if attempt is None or not attempt.target.secure:
            return None
        return attempt.options.verified

    @property
    def stats(self) -> dict:
        """Totals: ``messages_in``, ``bytes_in``, ``messages_out``, ``bytes_out``, ``last_rtt``."""
        return self._core.stats.as_dict()

    @property
    def pending_callbacks(self) -> int:
        """Callbacks queued for this socket that have not finished yet."""
        return self._lane.pending

    def __str__(self) -> str:
        return "websocket"

    def __repr__(self) -> str:
        url = f" {self.url}" if self.url else ""
        return f"<WebSocket {self.state.name}{url}, {len(self.history)} records>"

    # Internals.

    def _start(self, target: Target, options: Options) -> Attempt:
        if target.secure and not options.verified:
            warnings.warn(
                f"TLS certificate of {target.masked_url} is NOT verified (verify=False): anyone on the "
                "network path can read and change this connection; prefer ca='device.pem'",
                InsecureConnectionWarning,
                stacklevel=3,
            )
        keep_alive = events.hold()
        return self._core.connect(target, options, contextvars.copy_context(), keep_alive)

    def _attempt(self, action: str) -> Attempt:
        attempt = self._core.attempt
        if attempt is None:
            raise NotConnectedError(f"cannot {action}: the socket was never connected; call Connect first")
        return attempt

    def _wait(self, future: concurrent.futures.Future, timeout: float | None, what: str, owned: bool = False):
        """Wait for a future of the I/O loop; cancel it on timeout only if this call ``owned`` it
        (an attempt's ``opened``/``finished`` futures are shared by every waiter)."""
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            if owned:
                future.cancel()
            raise WaitTimeoutError(self._timeout_text(what, timeout)) from None

    def _timeout_text(self, what: str, timeout) -> str:
        seen = "; ".join(repr(r) for r in self.history.tail(3)) or "nothing recorded yet"
        return f"timed out after {timeout} s waiting for {what} (state {self.state.name}); last seen: {seen}"

    def _emit(self, attempt: Attempt, name: str, args: tuple) -> bool:
        slot = self._callbacks.get(name)
        if slot is None:
            return False
        fn, count = slot
        events.submit(self._lane, attempt.context, fn, args[:count], self.debug_output)
        return True

    # The core's listener interface; called on the I/O loop.

    def opened(self, attempt: Attempt) -> None:
        self._emit(attempt, "Connected", (self,))

    def message(self, attempt: Attempt, payload: str | bytes) -> None:
        slot = self._callbacks.get("Data")  # the per-message path: _emit inlined
        if slot is not None:
            fn, count = slot
            events.submit(self._lane, attempt.context, fn, (self, payload)[:count], self.debug_output)

    def pong(self, attempt: Attempt, rtt: float) -> None:
        self._emit(attempt, "Pong", (self,))

    def failed(self, attempt: Attempt, text: str) -> None:
        if not self._emit(attempt, "Error", (self, text)):
            events.submit(self._lane, attempt.context, _print_error, (text,), DebugLog(1))

    def closed(self, attempt: Attempt) -> None:
        self._emit(attempt, "Closed", (self,))
        if attempt.keep_alive:
            events.call(self._lane, events.release)

    def reconnect_scheduled(self, attempt: Attempt, retry: int, delay: float) -> None:
        if attempt.keep_alive:  # a script waits for the reconnect too
            events.hold()

    def reconnect_cancelled(self, keep_alive: bool) -> None:
        if keep_alive:
            events.call(self._lane, events.release)


def _print_error(text: str) -> None:
    """Show an error that no ``Error`` callback handles, in the cell that connected."""
    print(f"ws_widget: {text}", file=sys.stderr)


def connect(url: str, *, sub_protocol=None, headers=None, wait: bool = True, **options) -> WebSocket:
    """Create a WebSocket and connect it to ``url``; see :meth:`WebSocket.connect`."""
    return WebSocket().connect(url, sub_protocol=sub_protocol, headers=headers, wait=wait, **options)


class AsyncFace:
    """Async twins of the blocking calls: ``await ws.aio.receive()`` from any event loop."""

    def __init__(self, ws: WebSocket):
        self._ws = ws

    async def _await(self, future: concurrent.futures.Future, timeout: float | None, what: str):
        try:  # shielded: a timeout here must not cancel a future other waiters share
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout)
        except asyncio.TimeoutError:
            raise WaitTimeoutError(self._ws._timeout_text(what, timeout)) from None

    async def wait_open(self, timeout: float | None = None) -> WebSocket:
        """Wait until the current attempt is open; see :meth:`WebSocket.wait_open`."""
        await self._await(self._ws._attempt("wait_open").opened, timeout, "the connection to open")
        return self._ws

    async def wait_closed(self, timeout: float | None = None) -> None:
        """Wait until the current attempt has ended."""
        attempt = self._ws._core.attempt
        if attempt is not None:
            await self._await(attempt.finished, timeout, "the connection to close")

    async def receive(self, timeout: float | None = None) -> str | bytes:
        """Return the next incoming message; see :meth:`WebSocket.receive`."""
        future = self._ws._core.next_message(self._ws._receive_cursor)
        return self._ws._take(await self._await(future, timeout, "a message"))

    async def expect(self, pattern, timeout: float | None = 10.0) -> str | bytes:
        """Return the next incoming message matching ``pattern``; see :meth:`WebSocket.expect`."""
        future = self._ws._core.next_message(self._ws._receive_cursor, matcher(pattern))
        return self._ws._take(await self._await(future, timeout, describe(pattern)))

    async def wait_for(self, count: int, timeout: float | None = 10.0) -> list[str | bytes]:
        """Return the next ``count`` incoming messages; see :meth:`WebSocket.wait_for`."""

        async def collect():
            return [await self.receive() for _ in range(count)]

        try:
            return await asyncio.wait_for(collect(), timeout)
        except asyncio.TimeoutError:
            raise WaitTimeoutError(self._ws._timeout_text(f"{count} messages", timeout)) from None

    async def ping(self, payload=None, timeout: float | None = 10.0) -> float:
        """Send a ping and return its round-trip time in seconds."""
        return await self._await(self._ws._core.ping(check_ping_payload(payload)), timeout, "a pong")

    async def close(self, code: int = 1000, reason: str = "", timeout: float | None = None) -> None:
        """Close and wait until the closing handshake is over."""
        attempt = self._ws._core.close(*check_close(code, reason))
        if attempt is not None:
            wait = timeout if timeout is not None else (attempt.options.close_timeout or 10) + 5
            await self._await(attempt.finished, wait, "the closing handshake")

    async def messages(self):
        """Yield incoming messages until the connection closes."""
        while True:
            try:
                yield await self.receive()
            except NotConnectedError:
                return
