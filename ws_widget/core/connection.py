"""websockets' asyncio client connection as ws_widget changes it: whole messages recorded as
they are parsed, fragmented messages assembled here, control frames reported, and two close
deadlines enforced; plus sending one message as an exact number of frames.

The connection reports to the transport's *deliver* callable each whole message once
``deliver`` is set (after Connected was emitted), and to its *events* (see ``transport.py``)
each ping from the peer and each pong that answers no ping of ours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import Event

from .transport import Deliver, TransportEvents


async def send_fragments(connection: ClientConnection, payload: str | bytes, fragments: int) -> None:
    """Send one message as exactly ``fragments`` frames (``send(iterable)`` would add an empty
    final frame), through the same send context as ``websockets``' own ``send``."""
    data = payload.encode() if isinstance(payload, str) else payload
    step = max(1, -(-len(data) // fragments))
    pieces = [data[i : i + step] for i in range(0, len(data), step)] or [b""]
    pieces += [b""] * (fragments - len(pieces))
    protocol = connection.protocol
    async with connection.send_context():
        first = protocol.send_text if isinstance(payload, str) else protocol.send_binary
        first(pieces[0], fin=len(pieces) == 1)
        for index, piece in enumerate(pieces[1:], 2):
            protocol.send_continuation(piece, fin=index == len(pieces))


_DATA = (Opcode.TEXT, Opcode.BINARY)
FEED_BYTES = 16 * 1024  # bytes parsed at a time, so that a flow-control pause takes effect soon


class RecordingConnection(ClientConnection):
    """A ``websockets`` client connection that reports incoming control frames, assembles
    fragmented messages itself, and records whole messages as they are parsed, without the
    per-message Assembler, future and ``recv`` coroutine of ``async for`` (a message that came
    before Connected, a text that is not UTF-8, and any message while the Assembler still holds
    one take that path, so the order of messages is kept)."""

    def __init__(self, events: TransportEvents, protocol: ClientProtocol, **kwargs: Any) -> None:
        super().__init__(protocol, **kwargs)
        self._events = events
        self.deliver: Deliver | None = None  # set once Connected was recorded and emitted
        self._parts: tuple[Opcode, bytearray] | None = None  # a fragmented message being assembled
        self._held: list[bytes] | None = None  # bytes read but not parsed while flow control pauses
        self.watch_writes: Callable[[list[bytes]], None] | None = None  # shown the bytes before each write

    # Flow control. One read can hold thousands of compressed messages: with permessage-deflate
    # bytes are parsed a slice at a time, and once a message paused reading the rest waits here,
    # unparsed (compressed), until resume_flow(); so a pause takes effect within FEED_BYTES of
    # the stream. Without compression a read (256 KiB) holds at most its own size of messages.

    def pause_flow(self) -> None:
        """Stop reading and parsing until :meth:`resume_flow`."""
        if self._held is None:
            self._held = []
            self.transport.pause_reading()

    def resume_flow(self) -> None:
        """Parse what was held back, then read again (unless that paused once more)."""
        held, self._held = self._held, None
        for index, chunk in enumerate(held or ()):
            self.data_received(chunk)
            if self._held is not None:  # paused again: keep the rest for later
                assert held is not None
                self._held.extend(held[index + 1 :])
                return
        if not self.transport.is_closing():
            self.transport.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        held, self._held = self._held, None
        for chunk in held or ():  # bytes already read are messages the server sent: keep them
            self._feed(chunk, pausable=False)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._held is not None:
            self._held.append(data)
            return
        if len(data) <= FEED_BYTES or not self.protocol.extensions:  # only compression multiplies
            super().data_received(data)
        else:
            self._feed(data, pausable=True)
        # websockets sets a close deadline when it starts closing (e.g. after the server broke
        # the protocol) but enforces it only on a later send: enforce it here, once.
        if self.close_deadline is not None and not getattr(self, "_close_watch", None):
            self._close_watch = self.loop.call_at(self.close_deadline, self._close_overdue)

    def _feed(self, data: bytes, pausable: bool) -> None:
        for start in range(0, len(data), FEED_BYTES):
            super().data_received(data[start : start + FEED_BYTES])
            if pausable and self._held is not None:  # a message in this slice paused reading
                rest = data[start + FEED_BYTES :]
                if rest:
                    self._held.append(rest)
                return

    def send_data(self) -> None:
        if self.watch_writes is not None:
            self.watch_writes(self.protocol.writes)  # the frame log reads sent frames' bytes
        super().send_data()
        # After a keepalive timeout the peer has been silent for ping_timeout: waiting
        # close_timeout more for its close frame only delays the Error. End the connection now.
        sent = self.protocol.close_sent
        if (
            sent is not None
            and sent.code == 1011
            and sent.reason == "keepalive ping timeout"
            and not self.connection_lost_waiter.done()
        ):
            self.transport.abort()

    def _close_overdue(self) -> None:
        if not self.connection_lost_waiter.done():
            self.set_connection_exc(TimeoutError("timed out while closing connection"))
            self.transport.abort()

    def process_event(self, event: Event) -> None:
        if event.__class__ is not Frame:  # the handshake's response
            super().process_event(event)
            return
        opcode = event.opcode
        if opcode is Opcode.CONT or (not event.fin and opcode in _DATA):
            # A fragmented message is assembled here: max_size bounds it (the parser counts every
            # fragment, and refuses a CONT with no message started), and the Assembler's limit
            # on the number of fragments does not apply. It goes on as one whole frame.
            if opcode is not Opcode.CONT:
                self._parts = (opcode, bytearray(event.data))
                return
            parts = self._parts
            assert parts is not None  # the parser refuses a CONT with no message started
            parts[1].extend(event.data)
            if not event.fin:
                return
            (opcode, data), self._parts = parts, None
            event = Frame(opcode, bytes(data))
        if opcode in _DATA:
            deliver = self.deliver
            if deliver is not None and not len(self.recv_messages.frames):  # nothing older waits
                if opcode is Opcode.BINARY:
                    deliver(bytes(event.data))
                    return
                try:
                    text = event.data.decode()  # type: ignore[union-attr]  # the parser gives bytes
                except UnicodeDecodeError:
                    pass  # the Assembler raises it and the connection closes with 1007
                else:
                    deliver(text)
                    return
        elif opcode is Opcode.PING:
            self._events.ping_received(bytes(event.data))
        elif opcode is Opcode.PONG and bytes(event.data) not in self.pending_pings:
            self._events.unsolicited_pong(bytes(event.data))
        super().process_event(event)
