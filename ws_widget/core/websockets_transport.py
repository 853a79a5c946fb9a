"""The transport over websockets' asyncio client, on ws_widget's I/O thread (see ``transport.py``).

It opens the connection through :class:`~ws_widget.core.connection.RecordingConnection` (whole
messages recorded as they are parsed), records every frame when the frame log is on (through
``framelog.py``), and describes the opening handshake with secrets masked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed

from ..pure.handshake import describe_handshake
from ..pure.options import Options
from ..pure.outcome import EndFacts
from ..pure.status import Capabilities
from ..pure.target import Target
from .connection import RecordingConnection, send_fragments
from .framelog import FrameRecorder
from .transport import Wiring

_CAPABILITIES = Capabilities()  # everything


class WebsocketsTransport:
    """One connection of websockets' asyncio client; every method runs on the I/O loop."""

    capabilities = _CAPABILITIES

    def __init__(self, target: Target, options: Options, wiring: Wiring) -> None:
        self.target, self.options = target, options
        self.subprotocol: str | None = None
        self.handshake: dict[str, object] | None = None
        self._deliver, self._events, self._debug = wiring.deliver, wiring.events, wiring.debug
        self._recorder = FrameRecorder(wiring.frames, wiring.frame_log)
        self._raw: RecordingConnection | None = None  # set as soon as TCP is up
        self._connection: ClientConnection | None = None  # set once open
        self._opening: asyncio.Future[ClientConnection] | None = None

    async def open(self) -> None:
        """Open the connection (see :meth:`Transport.open`)."""
        recorder = self._recorder

        def create_connection(protocol: ClientProtocol, **kwargs: Any) -> RecordingConnection:
            self._raw = RecordingConnection(self._events, protocol, **kwargs)
            self._raw.watch_writes = recorder.written
            recorder.attach(protocol)
            return self._raw

        kwargs = self.options.connect_kwargs(self.target.secure)
        kwargs["logger"] = recorder.logger
        if kwargs["compression"] == "deflate":  # offer deflate through the observing wrapper
            kwargs.update(compression=None, extensions=[recorder.deflate_factory()])
        self._opening = asyncio.ensure_future(
            connect(
                self.target.url,
                additional_headers=list(self.target.headers) or None,
                subprotocols=list(self.target.subprotocols) or None,  # type: ignore[arg-type]
                create_connection=create_connection,  # type: ignore[arg-type]
                **kwargs,
            )
        )
        try:
            connection = await self._opening
        except BaseException:
            raw = self._raw
            if raw is not None:
                self.handshake = describe_handshake(raw.request, raw.response)
            raise
        self._connection = connection
        self.subprotocol = connection.subprotocol
        self.handshake = describe_handshake(connection.request, connection.response)

    def abandon(self) -> None:
        """Cancel an ``open()`` in progress."""
        if self._opening is not None:
            self._opening.cancel()

    def start_delivering(self) -> None:
        """Record whole messages as they are parsed from now on."""
        assert self._raw is not None
        self._raw.deliver = self._deliver

    async def run(self) -> EndFacts:
        """Receive until the connection ends; return the facts of its end."""
        connection = self._connection
        assert connection is not None
        deliver, failure = self._deliver, None
        try:
            async for message in connection:  # messages the direct path could not take
                deliver(message)
        except ConnectionClosed:
            pass
        except Exception as exc:  # noqa: BLE001 - a failure while reading is part of the end
            failure = exc
            await connection.close(1011, "client error")
        await connection.wait_closed()
        protocol = connection.protocol
        close_exc = protocol.close_exc
        refused = connection.connection_exc  # a text that is not UTF-8, refused when reached
        return EndFacts(
            close_code=connection.close_code,
            close_reason=connection.close_reason,
            received=protocol.close_rcvd,
            sent=protocol.close_sent,
            peer_started=bool(protocol.close_rcvd_then_sent),
            failure=failure,
            close_exc=close_exc,
            refused=refused if isinstance(refused, UnicodeDecodeError) else None,
        )

    async def send(self, payload: str | bytes, fragments: int) -> None:
        """Send one message (see :meth:`Transport.send`)."""
        connection = self._connection
        assert connection is not None
        if fragments > 1:
            await send_fragments(connection, payload, fragments)
        else:
            await connection.send(payload)

    async def ping(self, data: bytes) -> Awaitable[float]:
        """Send a ping; return the awaitable of its round-trip time."""
        assert self._connection is not None
        return await self._connection.ping(data)

    async def close(self, code: int, reason: str) -> None:
        """Start the closing handshake."""
        assert self._connection is not None
        await self._connection.close(code, reason)

    def set_frame_log(self, on: bool) -> None:
        """Record every frame from now on, or stop."""
        self._recorder.enable(on)

    def pause_reading(self) -> None:
        """Stop reading and parsing the TCP stream (see ``RecordingConnection.pause_flow``)."""
        if self._raw is not None:
            self._raw.pause_flow()

    def resume_reading(self) -> None:
        """Parse what was held back and read the TCP stream again."""
        if self._raw is not None:
            self._raw.resume_flow()

    def is_closed_error(self, exc: BaseException) -> bool:
        """websockets raises ConnectionClosed for a send or ping after the end."""
        return isinstance(exc, ConnectionClosed)
