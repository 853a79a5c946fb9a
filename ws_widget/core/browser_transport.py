"""The transport over the browser's WebSocket, under Pyodide, on the kernel's loop (see
``transport.py``; chosen by ``runtime.py``).

The browser does the network: ``WebSocket.new(url, protocols)`` with ``binaryType``
"arraybuffer", listeners made with ``pyodide.ffi.create_proxy`` that resolve futures and hand
each message to the core's ``deliver``. What a page's WebSocket cannot do it says in
:data:`~ws_widget.pure.limits.BROWSER` (no custom headers, pings, frames, handshake or TLS
options; close codes 1000 and 3000-4999 only), and the faces refuse those calls with clear
errors before they get here. The end is read from the ``close`` event (code, reason,
``wasClean``) by :func:`~ws_widget.pure.browserend.end_facts`.

Flow control: a page cannot stop its WebSocket reading. Pausing holds the messages that come
meanwhile here (delivered in order on resume) and says so once in the Debug Output.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from typing import Any

from ..pure.browserend import end_facts, open_failure
from ..pure.limits import BROWSER, NO_PING
from ..pure.options import Options
from ..pure.outcome import EndFacts
from ..pure.target import Target
from .transport import Wiring

_EVENTS = ("open", "message", "error", "close")


class BrowserTransport:
    """One browser WebSocket; every method runs on the kernel's loop."""

    capabilities = BROWSER

    def __init__(self, target: Target, options: Options, wiring: Wiring) -> None:
        self.target, self.options = target, options
        self.subprotocol: str | None = None
        self.handshake: dict[str, object] | None = None
        self._deliver, self._debug = wiring.deliver, wiring.debug
        self._socket: Any = None
        self._proxies: list[Any] = []
        self._loop = asyncio.get_event_loop()
        self._opened: asyncio.Future[None] = self._loop.create_future()
        self._ended: asyncio.Future[tuple[int, str, bool]] = self._loop.create_future()
        self._held: deque[str | bytes] | None = deque()  # before start_delivering, and while paused
        self._paused = False
        self._said_pause = False
        self._sent_close: tuple[int, str] | None = None

    async def open(self) -> None:
        """Open the connection (see :meth:`Transport.open`).

        Raises:
            ConnectionError: the browser could not open it (it does not say why).
            ValueError: the browser refused the URL or a subprotocol name.
            TimeoutError: not open within ``open_timeout``.
        """
        from pyodide.ffi import JsException, create_proxy, to_js

        from js import WebSocket  # type: ignore[attr-defined,unused-ignore]  # the browser's (js/ is the repo's)

        protocols = to_js(list(self.target.subprotocols))
        try:
            socket = WebSocket.new(self.target.url, protocols)
        except JsException as exc:  # SyntaxError: a bad URL or subprotocol name
            raise ValueError(f"the browser refused to connect: {exc}") from None
        socket.binaryType = "arraybuffer"
        self._socket = socket
        handlers = (self._on_open, self._on_message, self._on_error, self._on_close)
        for name, handler in zip(_EVENTS, handlers, strict=True):
            proxy = create_proxy(handler)
            self._proxies.append(proxy)
            socket.addEventListener(name, proxy)
        timeout = self.options.open_timeout
        try:
            await asyncio.wait_for(asyncio.shield(self._opened), timeout)
        except asyncio.TimeoutError:
            self._abort()
            raise TimeoutError(
                f"the browser did not open {self.target.masked_url} within open_timeout={timeout} s"
            ) from None
        except BaseException:
            self._abort()
            raise
        self.subprotocol = str(socket.protocol) or None

    def _abort(self) -> None:
        socket = self._socket
        if socket is not None and socket.readyState < 2:  # CONNECTING or OPEN
            socket.close()
        self._release()

    def _release(self) -> None:
        socket = self._socket
        for name, proxy in zip(_EVENTS, self._proxies, strict=True):
            if socket is not None:
                socket.removeEventListener(name, proxy)
            proxy.destroy()
        self._proxies.clear()

    # The browser's events (on the loop, one at a time).

    def _on_open(self, _event: Any) -> None:
        if not self._opened.done():
            self._opened.set_result(None)

    def _on_message(self, event: Any) -> None:
        data = event.data
        message = data if isinstance(data, str) else data.to_bytes()  # an ArrayBuffer's JsProxy
        held = self._held
        if held is None:
            self._deliver(message)
        else:
            held.append(message)

    def _on_error(self, _event: Any) -> None:
        if not self._opened.done():
            self._opened.set_exception(open_failure(self.target.masked_url))

    def _on_close(self, event: Any) -> None:
        code, reason, clean = int(event.code), str(event.reason), bool(event.wasClean)
        if not self._opened.done():
            self._opened.set_exception(open_failure(self.target.masked_url, code))
        if not self._ended.done():
            self._ended.set_result((code, reason, clean))

    # Driven by the core.

    def abandon(self) -> None:
        """Give up an ``open()`` in progress."""
        if not self._opened.done():
            self._opened.cancel()

    def start_delivering(self) -> None:
        """Hand messages to the core from now on (those that came since open first)."""
        if not self._paused:
            self._flush_held()

    def _flush_held(self) -> None:
        """Deliver the held messages in order, until the core pauses again (those left stay
        held, and new ones queue behind them)."""
        held = self._held
        if held is None:
            return
        deliver = self._deliver
        while held and not self._paused:
            deliver(held.popleft())
        if not self._paused:
            self._held = None

    async def run(self) -> EndFacts:
        """Wait for the close event; return the facts of the end."""
        code, reason, clean = await self._ended
        self._paused = False
        self._flush_held()  # a paused connection's messages still reach the history
        self._release()
        return end_facts(code, reason, clean, self._sent_close)

    async def send(self, payload: str | bytes, fragments: int) -> None:
        """Send one message (whole: the browser frames it)."""
        socket = self._socket
        if socket is None or socket.readyState != 1:
            raise ConnectionError("the browser WebSocket is not open")
        if isinstance(payload, str):
            socket.send(payload)
        else:
            from pyodide.ffi import to_js

            socket.send(to_js(memoryview(payload)))

    async def ping(self, data: bytes) -> Awaitable[float]:
        """Refused before it gets here (see ``limits.check_ping``)."""
        raise NotImplementedError(NO_PING)

    async def close(self, code: int, reason: str) -> None:
        """Start the closing handshake; :meth:`run` returns once the close event came."""
        self._sent_close = (code, reason)
        socket = self._socket
        if socket is not None and socket.readyState < 2:
            socket.close(code, reason)

    def set_frame_log(self, on: bool) -> None:
        """No frames here (refused before, see ``limits.check_frame_log``)."""

    def pause_reading(self) -> None:
        """Hold the messages that keep coming until :meth:`resume_reading` (a page cannot stop
        its WebSocket from reading)."""
        self._paused = True
        if self._held is None:
            self._held = deque()
        if not self._said_pause:
            self._said_pause = True
            self._debug.log(
                "The browser cannot stop reading: messages that come while paused are held and "
                "recorded when the consumers catch up"
            )

    def resume_reading(self) -> None:
        """Deliver the held messages, then each as it comes."""
        self._paused = False
        self._flush_held()

    def is_closed_error(self, exc: BaseException) -> bool:
        """A send after the end raises ConnectionError here."""
        return isinstance(exc, ConnectionError)
