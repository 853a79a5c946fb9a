"""The transport seam: how the core drives one connection, whatever carries its bytes.

The core (``attempts.py``) runs an attempt as ``open()``, then ``run()`` until the connection
ends, while its writer serves ``send()``, ``ping()`` and ``close()`` in order; all of it on the
loop that runs the core. A transport reports each whole received message through the
``deliver`` callable of its :class:`Wiring` (the per-message path: one call, no other work),
and control frames and the frame log through :class:`TransportEvents`.

Three implement it: :class:`~ws_widget.core.websockets_transport.WebsocketsTransport`
(websockets' asyncio client on ws_widget's I/O thread),
:class:`~ws_widget.core.browser_transport.BrowserTransport` (the page's WebSocket under
Pyodide) and :class:`~ws_widget.core.replay_transport.ReplayTransport` (a cassette played
in-process). Each declares what it cannot do in :attr:`Transport.capabilities` (a browser: no
custom headers, pings, frames or handshake), and the faces turn that into clear errors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from ..pure.debuglog import DebugLog
from ..pure.history import History
from ..pure.options import Options
from ..pure.outcome import EndFacts
from ..pure.status import Capabilities
from ..pure.target import Target

Deliver = Callable[[str | bytes], None]
"""Called with each whole received message, in order: str for text, bytes for binary."""


class TransportEvents(Protocol):
    """What a transport reports to the core besides messages (on the core's loop)."""

    def ping_received(self, data: bytes) -> None:
        """A ping arrived from the peer (the transport answers it)."""

    def unsolicited_pong(self, data: bytes) -> None:
        """A pong arrived that answers no ping of ours."""


class Transport(Protocol):
    """One connection, opened once, driven by the core on its loop."""

    capabilities: Capabilities
    subprotocol: str | None
    """The subprotocol the server chose, once open."""
    handshake: dict[str, object] | None
    """The opening handshake described with secrets masked, once known (also after a refusal)."""

    async def open(self) -> None:
        """Open the connection.

        Raises:
            Exception: it could not open; ``explain()`` turns the exception into a line.
            asyncio.CancelledError: :meth:`abandon` was called.
        """

    def start_delivering(self) -> None:
        """From now on hand every received message to ``deliver`` (after Connected was emitted)."""

    async def run(self) -> EndFacts:
        """Receive until the connection has ended; return what was seen of the end."""

    async def send(self, payload: str | bytes, fragments: int) -> None:
        """Send one message, in ``fragments`` frames when more than one.

        Raises:
            ConnectionError: the connection closed first (the core reports it as not sent).
        """

    async def ping(self, data: bytes) -> Awaitable[float]:
        """Send a ping; return an awaitable of the round-trip seconds once the pong arrives.

        Raises:
            ConnectionError: the connection closed first.
        """

    async def close(self, code: int, reason: str) -> None:
        """Start the closing handshake; :meth:`run` returns once it is over."""

    def abandon(self) -> None:
        """Give up an ``open()`` in progress (the user closed before it opened)."""

    def set_frame_log(self, on: bool) -> None:
        """Start or stop recording every frame into the frames history."""

    def pause_reading(self) -> None:
        """Stop reading from the network (flow control); the peer's sends then back up."""

    def resume_reading(self) -> None:
        """Read from the network again."""

    def is_closed_error(self, exc: BaseException) -> bool:
        """Whether ``exc`` from send/ping means the connection had closed (not a real failure)."""


@dataclass(frozen=True, slots=True)
class Wiring:
    """What the core gives the transport of one attempt to report into."""

    deliver: Deliver
    """Called with each whole received message."""
    events: TransportEvents
    """Control frames and the wire's bytes."""
    frames: History
    """The frames history, filled while ``frame_log`` is on."""
    frame_log: bool
    """Whether every frame is recorded from the start."""
    debug: DebugLog
    """The socket's Debug Output."""


class TransportFactory(Protocol):
    """Makes the transport of one attempt."""

    def __call__(self, target: Target, options: Options, wiring: Wiring) -> Transport: ...
