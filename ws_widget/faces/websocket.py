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

The core reports to a private adapter (``dispatch.py``), the async twins live in ``aio.py``, and
both faces wait through ``waiting.py``; the user's object carries only the API below.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from websockets.protocol import State

from ..core import capture, lanes, lifetime, runtime
from ..core.attempt import Attempt
from ..core.attempts import Core
from ..exceptions import BlockingUnavailableError, InsecureConnectionWarning, NotConnectedError
from ..pure import cassette
from ..pure.callbacks import Callback
from ..pure.debuglog import DebugLog
from ..pure.history import History, Record
from ..pure.limits import blocking_hint
from ..pure.matching import Pattern
from ..pure.messages import check_close, check_ping_payload, encode_any, encode_message
from ..pure.options import Options
from ..pure.status import Status
from ..pure.target import Target, build_target, target_from_url
from .aio import AsyncFace
from .dispatch import CallbackSlots, Dispatch
from .saved import SavedOutputs
from .timer import Timer
from .waiting import Waiting

if TYPE_CHECKING:
    from .widget import WebSocketWidget

Headers = Mapping[str, str] | Sequence[tuple[str, str]]
"""Extra handshake headers: a dict, or (name, value) pairs when a name repeats."""


def _registrar(name: str) -> Callable[[WebSocket, Callable[..., object]], Callable[..., object]]:
    """A method that sets the callback ``name`` and returns the function: usable as a decorator."""

    def register(self: WebSocket, fn: Callable[..., object]) -> Callable[..., object]:
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
        history: every message and event, see :class:`ws_widget.History`.
        frames: every frame, while the frame log is on (``frame_log``).
        debug_output: Debug Output lines in the Q-SYS format.
    """

    Connected = Callback("ws")
    Data = Callback("ws", "data")
    Error = Callback("ws", "err")
    Closed = Callback("ws")
    Pong = Callback("ws")

    def __init__(
        self, *, max_records: int = 1_000_000, max_bytes: int = 512 * 2**20, lane: lanes.Lane | None = None
    ):
        """Create an unconnected WebSocket; the history keeps at most these many records/bytes.

        Args:
            max_records: the most records the history keeps; the oldest go first.
            max_bytes: the most payload bytes the history keeps; the oldest go first.
            lane: run the callbacks on this lane, shared with other sockets and timers (a Lua
                script's: all of its callbacks run one at a time, in arrival order); default:
                a lane of its own.
        """
        self._callbacks: CallbackSlots = {}
        self.history = History(max_records, max_bytes)
        self.frames = History(max_records=100_000)  # filled while the frame log is on
        self.debug_output = DebugLog()
        self._lane = lanes.Lane() if lane is None else lane
        self._dispatch = dispatch = Dispatch(self, self._callbacks, self._lane, self.debug_output)
        self._core = Core(dispatch, self.history, self.debug_output, self.frames, self._lane)
        self._waiting = Waiting(self._core, self.history)
        self._aio = AsyncFace(self, self._core, self._waiting, dispatch)
        self._widget: WebSocketWidget | None = None
        self._saved: SavedOutputs | None = None

    @classmethod
    def New(cls) -> WebSocket:
        """Create a WebSocket, as ``WebSocket.New()`` does in Q-SYS."""
        return cls()

    # The seed API.

    def Connect(
        self,
        protocol: str,
        host: str,
        url: str = "/",
        port: int | str | None = None,
        sub_protocol: str | list[str] | None = None,
        headers: Headers | None = None,
        **options: Any,
    ) -> None:
        """Open a connection in the background; ``Connected`` fires once it is open.

        As in Q-SYS, a plain script stays alive while the connection is active (until its
        ``Closed``); a failure with no ``Error`` callback is printed, unless ``wait_open()``
        raises it.

        Args:
            protocol: ``"ws"`` or ``"wss"``.
            host: name or address; IPv6 literals with or without brackets.
            url: path and query on the server; empty means ``/``.
            port: 1..65535, or None for 80/443.
            sub_protocol: a subprotocol name or a list of them to offer.
            headers: extra handshake headers, e.g. ``{"Authorization": "Bearer ..."}``.
            **options: see :class:`ws_widget.pure.options.Options` (``verify``, ``ca``, ...).

        Raises:
            ValueError, TypeError: an argument is not acceptable; the message says which.
        """
        target = build_target(protocol, host, url, port, sub_protocol, headers)
        self._start(target, Options.from_kwargs(options))

    def Write(self, message: str | bytes, isBinary: bool = False) -> None:
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

    def Ping(self, payload: bytes | str | None = None) -> None:
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
        self,
        url: str,
        *,
        sub_protocol: str | list[str] | None = None,
        headers: Headers | None = None,
        wait: bool = True,
        **options: Any,
    ) -> WebSocket:
        """Connect to a ``ws://`` or ``wss://`` URL; return self.

        Unlike the seed's ``Connect``, this connection does not keep a plain script alive: the
        script ends when its code does, as with any Python socket, and open connections are
        then closed with 1001 (going away). To keep a script running while callbacks work,
        block on ``ws.wait_closed()`` or ``for message in ws``. (In a notebook, IPython or
        ``python -i`` nothing is held either way.)

        Args:
            wait: block until open; a failure is raised as :class:`ConnectFailedError` (and
                not printed as well); with ``wait=False`` it goes to ``Error``, or is printed.

        Raises:
            ValueError, TypeError: an argument is not acceptable.
            ConnectFailedError: with ``wait``, the connection could not be opened.
            BlockingUnavailableError: with ``wait``, where the code cannot block (the browser
                without JSPI); nothing was started.
        """
        target, parsed = target_from_url(url, sub_protocol, headers), Options.from_kwargs(options)
        context = runtime.capture_context()
        if wait and not runtime.can_block():
            raise BlockingUnavailableError(blocking_hint("connect"))
        if not wait:
            self._start(target, parsed, context, hold=False)
            return self
        with self._dispatch.open_wait(context) as opening:  # before the start: a fast failure is ours
            opening.attempt = attempt = self._start(target, parsed, context, hold=False)
            self._waiting.block(attempt.opened, None, "the connection to open")
        return self

    def reconnect(self, **changes: Any) -> WebSocket:
        """Connect again to the last URL with the same headers and options; return self.

        Args:
            **changes: options to change for this and later reconnects, e.g.
                ``reconnect(compression=None)`` turns permessage-deflate off.

        Raises:
            NotConnectedError: the socket was never connected, so there is nothing to redo.
            TypeError, ValueError: a change names no option or has a bad value.
        """
        attempt = self._waiting.attempt("reconnect")
        options = attempt.options.changed(changes) if changes else attempt.options
        self._start(attempt.target, options, hold=attempt.keep_alive)
        return self

    @property
    def callback_output(self) -> str | None:
        """Where this socket's callbacks' printed text goes (besides its Debug Output):
        ``"connecting_cell"``, ``"running_cell"``, ``"debug_output"``, or None to follow
        ``ws_widget.callback_output`` (docs/guide/callback-output.md).

        Raises:
            ValueError: on setting another value; the message lists the choices.
        """
        return self.debug_output.callback_output

    @callback_output.setter
    def callback_output(self, mode: str | None) -> None:
        self.debug_output.callback_output = None if mode is None else capture.check_callback_output(mode)

    @property
    def widget(self) -> WebSocketWidget:
        """The live widget of this socket (created on first use); ``display(ws)`` shows it."""
        if self._widget is None:
            from .widget import WebSocketWidget  # anywidget is loaded only when a widget is used

            self._widget = WebSocketWidget(self)
        return self._widget

    def plot(self, *fields: str) -> WebSocketWidget:
        """Plot these numeric fields of incoming JSON on the widget's Plot tab and return the
        widget, so a cell ending with ``ws.plot("temperature_c")`` shows it (see
        :meth:`WebSocketWidget.plot`; ``ws.widget.plot_frame()`` gives the values as data).

        Raises:
            ValueError, TypeError: a path cannot be read, or more than 16 fields.
        """
        self.widget.plot(*fields)
        return self.widget

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        return self._saved_outputs().bundle(**kwargs)

    def _ipython_display_(self) -> None:
        """Show the widget in an output that keeps a dated snapshot for kernel-less viewers."""
        self._saved_outputs().display()

    def _refresh_saved(self) -> None:
        """A cell that waited for the close updates the socket's outputs before it ends (so a
        notebook run by nbclient saves the closed state; see ws_widget/faces/saved.py)."""
        if self._saved is not None:
            self._saved.refresh()

    def _saved_outputs(self) -> SavedOutputs:
        if self._saved is None:
            self._saved = SavedOutputs(self)
        return self._saved

    def send(self, data: object, fragments: int = 1) -> None:
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

    def ping(self, payload: bytes | str | None = None, timeout: float | None = 10.0) -> float:
        """Send a ping and return the round-trip time in seconds once the pong arrives.

        Raises:
            NotConnectedError: the socket is closed, or closed before the pong.
            WaitTimeoutError: no pong within ``timeout`` seconds.
        """
        return self._waiting.block(self._core.ping(check_ping_payload(payload)), timeout, "a pong")

    def close(self, code: int = 1000, reason: str = "", timeout: float | None = None) -> None:
        """Close and wait until the closing handshake is over (``Closed`` has been queued).

        From a callback it does not wait (the callback's own lane would wait for itself), nor
        where the code cannot block (the browser without JSPI: ``await ws.aio.close()`` waits).
        """
        attempt = self._core.close(*check_close(code, reason))
        if attempt is not None and not lanes.in_event_thread() and runtime.can_block():
            wait = self._waiting.close_wait(attempt, timeout)
            self._waiting.block(attempt.finished, wait, "the closing handshake")
            self._refresh_saved()

    def wait_open(self, timeout: float | None = None) -> WebSocket:
        """Block until the current attempt is open; return self. A failure raised here is not
        printed as well (nor given to the ``Error`` callback, if none is set).

        Raises:
            NotConnectedError: there is no attempt to wait for.
            ConnectFailedError: the attempt failed; the message explains why.
            WaitTimeoutError: still not open after ``timeout`` seconds.
        """
        attempt = self._waiting.attempt("wait_open")
        with self._dispatch.open_wait(attempt.context, attempt):
            self._waiting.block(attempt.opened, timeout, "the connection to open")
        return self

    def wait_closed(self, timeout: float | None = None) -> None:
        """Block until the current attempt has ended and its callbacks, up to ``Closed``, have
        run (from a callback: until it has ended). The way to keep a plain script that uses
        ``connect()`` and callbacks running until the connection closes.

        Raises:
            WaitTimeoutError: still open, or its callbacks still running, after ``timeout`` s.
        """
        attempt = self._core.attempt
        if attempt is None:
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        self._waiting.block(attempt.finished, timeout, "the connection to close")
        if not lanes.in_event_thread():  # a callback would wait for its own lane
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            self._waiting.block(self._callbacks_done(), left, "the callbacks up to Closed")
            self._refresh_saved()

    def _callbacks_done(self) -> concurrent.futures.Future[None]:
        """A future resolved once the callbacks queued so far on this socket's lane have run."""
        done: concurrent.futures.Future[None] = concurrent.futures.Future()
        lanes.call(self._lane, done.set_result, None)
        return done

    def receive(self, timeout: float | None = None, *, latest: bool = False) -> str | bytes:
        """Return the next incoming message: receiving is a queue.

        Each message is returned once, oldest first, by whichever of ``receive()``,
        ``expect()``, ``wait_for()`` or a loop takes it first; so ``receive()`` minutes after
        connecting returns the oldest message not taken yet, not the newest. Nothing is taken
        from ``ws.history``: it keeps every message either way.

        Args:
            timeout: seconds to wait when no message is waiting; None waits for ever.
            latest: skip to the newest: take every message waiting and return the newest of
                them (the older ones count as taken), or wait for the next if none is waiting.

        Raises:
            NotConnectedError: the socket closed and every message was returned.
            WaitTimeoutError: no message within ``timeout`` seconds.
        """
        if latest:
            newest = self._waiting.take_newest()
            if newest is not None:
                return newest
        return self._waiting.receive(timeout)

    def expect(self, pattern: Pattern, timeout: float | None = 10.0) -> str | bytes:
        """Return the next incoming message matching ``pattern``; those before it are consumed.

        Args:
            pattern: a regex str for text, bytes for binary, a dict/list that a JSON message
                must contain (``{"id": 1}``), or a function of the payload.

        Raises:
            WaitTimeoutError: no match within ``timeout``; the message shows the last records.
            NotConnectedError: the socket closed before a match arrived.
        """
        test, what = self._waiting.matcher(pattern)
        return self._waiting.receive(timeout, test, what)

    def wait_for(self, count: int, timeout: float | None = 10.0) -> list[str | bytes]:
        """Return the next ``count`` incoming messages once they have all arrived.

        Raises:
            WaitTimeoutError: fewer arrived within ``timeout``; the message says how many.
            NotConnectedError: the socket closed first.
        """
        waiting = self._waiting
        deadline = None if timeout is None else time.monotonic() + timeout
        messages: list[str | bytes] = []
        while len(messages) < count:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            messages.append(waiting.receive(left, None, f"message {len(messages) + 1} of {count}"))
        return messages

    def wait_message(self, after: int, timeout: float | None = 10.0) -> Record:
        """Return the first incoming message recorded after sequence number ``after``, waiting
        for it if needed; unlike :meth:`receive` it takes nothing (the cursor stays).

        Raises:
            NotConnectedError: the socket closed before such a message arrived.
            WaitTimeoutError: none within ``timeout`` seconds.
        """
        return self._waiting.peek_after(after, timeout)

    def notify_next_message(self, fn: Callable[[], None]) -> None:
        """Call ``fn()`` once, on ws_widget's I/O thread, when the next message is recorded or
        the socket ends (at once, in this thread, if no message can come). For tools that
        follow the history without polling, as the widget does; ``fn`` must return at once."""
        history = self.history
        if not self._core.add_message_waiter(fn, history.last_seq):
            fn()

    def every(self, seconds: float, message: object) -> Timer:
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

    def send_on_connect(self, data: object) -> None:
        """Send ``data`` first thing on every (re)connect, e.g. to resubscribe; now too if open.

        ``ws.connect_messages`` holds them; clear it to stop.
        """
        payload = encode_any(data)
        self._core.connect_messages.append(payload)
        if self.state is State.OPEN:
            self._core.send(payload)

    def save_cassette(self, path: str, connection: int = -1) -> cassette.Cassette:
        """Record one connection of the history (default: the last) to a cassette file, secrets
        masked; ``ws_widget.replay(path)`` plays it back. Returns the :class:`Cassette`."""
        return cassette.record(self.history, path, connection)

    @property
    def connect_messages(self) -> list[str | bytes]:
        """The messages sent first on every (re)connect."""
        return self._core.connect_messages

    @property
    def aio(self) -> AsyncFace:
        """The async twins of the blocking calls, awaitable from any event loop."""
        return self._aio

    def __iter__(self) -> Iterator[str | bytes]:
        """Yield incoming messages until the connection closes.

        While the loop runs, the history keeps every message it has not taken yet, and reading
        pauses when it falls ``max_backlog`` messages behind (docs/guide/pythonic.md, Flow control).
        """
        waiting = self._waiting
        take = waiting.take
        waiting.hold()
        try:
            while True:
                payload = take()
                if payload is None:
                    try:
                        payload = waiting.receive(None)
                    except NotConnectedError:
                        return
                yield payload
        finally:
            waiting.release()

    def __aiter__(self) -> Any:
        return self.aio.messages()

    def __enter__(self) -> WebSocket:
        return self.wait_open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> WebSocket:
        await self.aio.wait_open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aio.close()

    # State.

    @property
    def status(self) -> Status:
        """A read-only snapshot of the current (or last) connection: state, URL, close code and
        reason, error, handshake, pending reconnect, frame log, what the transport can do."""
        return self._core.status()

    @property
    def state(self) -> State:
        """``State.CONNECTING``, ``OPEN``, ``CLOSING`` or ``CLOSED`` (also before any Connect)."""
        attempt = self._core.attempt
        return State.CLOSED if attempt is None else attempt.state

    @property
    def url(self) -> str | None:
        """The URL of the current or last attempt, secrets masked."""
        return self.status.url

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server chose, or None."""
        return self.status.subprotocol

    @property
    def close_code(self) -> int | None:
        """Close code of the last connection (1006: no closing handshake)."""
        return self.status.close_code

    @property
    def close_reason(self) -> str | None:
        """Close reason of the last connection."""
        return self.status.close_reason

    @property
    def last_error(self) -> BaseException | None:
        """The exception behind the last ``Error`` of the current attempt, or None."""
        return self.status.error

    @property
    def frame_log(self) -> bool:
        """Whether every frame is recorded in ``ws.frames``; settable, also while connected."""
        return self._core.frame_log

    @frame_log.setter
    def frame_log(self, on: bool) -> None:
        self._core.set_frame_log(bool(on))

    @property
    def handshake(self) -> dict[str, object] | None:
        """The current attempt's opening handshake, described with secrets masked: request line
        and headers, status and headers, the accept check step by step, subprotocol,
        extensions; a failed one's body."""
        return self.status.handshake

    @property
    def reconnecting(self) -> dict[str, float] | None:
        """While an automatic reconnect waits: ``{"retry": n, "at": epoch seconds}``; else None."""
        pending = self.status.reconnecting
        return None if pending is None else {"retry": pending.retry, "at": pending.at}

    @property
    def verified(self) -> bool | None:
        """For wss, whether the certificate is checked; None for ws or before Connect."""
        return self.status.verified

    @property
    def stats(self) -> dict[str, float | None]:
        """Totals: ``messages_in``, ``bytes_in``, ``messages_out``, ``bytes_out``, ``last_rtt``."""
        return self._core.stats.as_dict()

    @property
    def paused(self) -> str | None:
        """Why reading is paused because a consumer fell behind (``"4,096 Data callbacks
        behind"``), or None while it reads."""
        return self._core.flow.paused

    @property
    def pending_callbacks(self) -> int:
        """Callbacks queued for this socket that have not finished yet."""
        return self._lane.pending

    def __str__(self) -> str:
        return "websocket"

    def __repr__(self) -> str:
        url = f" {self.url}" if self.url else ""
        return f"<WebSocket {self.state.name}{url}, {len(self.history)} records>"

    def _start(
        self, target: Target, options: Options, context: contextvars.Context | None = None, hold: bool = True
    ) -> Attempt:
        """Start an attempt; ``hold``: keep a plain script alive until its ``Closed`` (the seed's
        Q-SYS semantics; the Pythonic ``connect()`` passes False)."""
        self._core.check_connect(target, options)  # before the warning: the browser refuses verify=False
        if target.secure and not options.verified:
            _warn_unverified(target.masked_url)
        keep_alive = lifetime.hold() if hold else False
        context = runtime.capture_context() if context is None else context
        return self._core.connect(target, options, context, keep_alive)


def _warn_unverified(url: str) -> None:
    """Warn once per connection (not once per line of code) that TLS is not verified, at the
    user's line; the process's warning filters are respected and left alone."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith("ws_widget."):
        frame = frame.f_back
    warnings.warn_explicit(
        f"TLS certificate of {url} is NOT verified (verify=False): anyone on the network path can "
        "read and change this connection; prefer ca='device.pem'",
        InsecureConnectionWarning,
        frame.f_code.co_filename,
        frame.f_lineno,
        module=frame.f_globals.get("__name__", "__main__"),
        registry={},  # a fresh registry: shown for every connection, unless a filter ignores it
        module_globals=frame.f_globals,
    )


def connect(
    url: str,
    *,
    sub_protocol: str | list[str] | None = None,
    headers: Headers | None = None,
    wait: bool = True,
    **options: Any,
) -> WebSocket:
    """Create a WebSocket and connect it to ``url``; see :meth:`WebSocket.connect` (it does
    not keep a plain script alive; a failure is raised, not printed as well)."""
    return WebSocket().connect(url, sub_protocol=sub_protocol, headers=headers, wait=wait, **options)
