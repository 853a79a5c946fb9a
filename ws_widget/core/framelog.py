"""The frame log: every frame of a connection, in both directions, from the ``Frame`` objects
that ``websockets`` logs at DEBUG level on a per-connection logger.

``websockets`` logs frames before compressing them (sent) and after decompressing them
(received), so the RSV1 bit and the length on the wire come from a thin wrapper around the
permessage-deflate extension, which sees each frame on the wire side.

Each record also keeps the frame's first bytes as on the wire (``info["wire"]``, hex: the
header and the first ``WIRE_PAYLOAD_KEPT`` payload bytes) for the Frames tab's byte layout.
A sent frame's are the very bytes written, masking key included: websockets serializes a frame
right after logging it, into ``protocol.writes``, which the connection hands to
:meth:`FrameRecorder.written` before writing them. A received frame's header is rebuilt from
its parsed bits and wire length in the shortest length form (RFC 6455, 5.2, requires it; the
parser does not keep the bytes); its payload bytes are the wire's (deflated when RSV1).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from websockets.extensions.base import Extension
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame
from websockets.protocol import Protocol
from websockets.typing import ExtensionParameter

from ..pure.frames import WIRE_PAYLOAD_KEPT, frame_info, header_bytes, wire_start
from ..pure.history import History, Record
from ..pure.kinds import IN, OUT


class FrameRecorder(logging.Handler):
    """Records the frames logged by one connection's ``websockets`` logger into ``frames``."""

    def __init__(self, frames: History, enabled: bool):
        super().__init__(logging.DEBUG)
        self.frames = frames
        self._wire_in: tuple[bool, int, bytes] | None = None  # RSV1, length, payload start on the wire
        self._last_out: Record | None = None  # the record of the frame being encoded
        self._unwritten: list[tuple[int, Record]] = []  # sent frames' records by index in protocol.writes
        self.logger = logging.Logger("ws_widget.frames", logging.DEBUG)  # not in the global tree
        self.logger.addHandler(self)
        self.protocol: Protocol | None = None
        self.enabled = enabled

    def attach(self, protocol: Protocol) -> None:
        """Follow a connection's Sans-I/O protocol; it logs frames only while enabled."""
        self.protocol = protocol
        self._unwritten = []
        protocol.debug = self.enabled

    def enable(self, on: bool) -> None:
        """Start or stop recording frames, also on a live connection (call on the I/O loop)."""
        self.enabled = on
        if self.protocol is not None:
            self.protocol.debug = on  # websockets checks it before logging each frame

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if not self.enabled or record.msg not in ("< %s", "> %s") or not isinstance(args, tuple):
            return
        frame = args[0]
        if not isinstance(frame, Frame):
            return  # handshake lines and state changes are not frames (and may hold secrets)
        if record.msg == "< %s":
            rsv1, length, payload = self._wire_in or (
                frame.rsv1,
                len(frame.data),
                frame.data[:WIRE_PAYLOAD_KEPT],
            )
            self._wire_in = None
            wire = header_bytes(frame, rsv1, length) + payload
            self.frames.add(IN, *_record_fields(frame, IN, rsv1, length, wire))
        else:
            self._last_out = self.frames.add(OUT, *_record_fields(frame, OUT, frame.rsv1, len(frame.data)))
            if self.protocol is not None and len(self._unwritten) < _UNWRITTEN_MAX:
                # websockets appends this frame's bytes to protocol.writes right after logging it
                self._unwritten.append((len(self.protocol.writes), self._last_out))

    def written(self, writes: list[bytes]) -> None:
        """Keep the wire bytes of the sent frames logged since the last call (the connection
        calls it with ``protocol.writes`` before writing them out)."""
        if not self._unwritten:
            return
        unwritten, self._unwritten = self._unwritten, []
        for index, record in unwritten:
            if index < len(writes) and writes[index] and record.info is not None:
                record.info["wire"] = wire_start(writes[index]).hex()  # the record shares this dict

    def decoded(self, wire_frame: Frame) -> None:
        """Note a received frame as it was on the wire (called before it is decompressed)."""
        self._wire_in = (wire_frame.rsv1, len(wire_frame.data), bytes(wire_frame.data[:WIRE_PAYLOAD_KEPT]))

    def encoded(self, wire_frame: Frame) -> None:
        """Correct the last sent frame's record with its wire form (after compression)."""
        last = self._last_out
        if last is not None and last.info is not None:
            last.info["rsv1"] = wire_frame.rsv1  # the record shares this dict
            last.info["length"] = len(wire_frame.data)
        self._last_out = None

    def deflate_factory(self) -> ClientPerMessageDeflateFactory:
        """A permessage-deflate offer, with websockets' default settings, that reports to us."""
        return _ObservedDeflateFactory(self, compress_settings={"memLevel": 5})


_UNWRITTEN_MAX = 1024  # sent frames awaiting their bytes; more means writes are not flushed


def _record_fields(
    frame: Frame, direction: str, rsv1: bool, length: int, wire: bytes | None = None
) -> tuple[str, bytes, int, dict[str, Any]]:
    kind, preview, info = frame_info(frame, direction, rsv1, length, wire)
    return kind, preview, length, info


class _ObservedDeflateFactory(ClientPerMessageDeflateFactory):
    def __init__(self, recorder: FrameRecorder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._recorder = recorder

    def process_response_params(  # type: ignore[override]  # returns a wrapper, not a PerMessageDeflate
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> Extension:
        return _ObservedExtension(
            super().process_response_params(params, accepted_extensions), self._recorder
        )


class _ObservedExtension(Extension):
    """Delegates to the real extension and shows the recorder each frame's wire form."""

    def __init__(self, extension: Extension, recorder: FrameRecorder) -> None:
        self._extension, self._recorder = extension, recorder
        self.name = extension.name

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        self._recorder.decoded(frame)
        return self._extension.decode(frame, max_size=max_size)

    def encode(self, frame: Frame) -> Frame:
        encoded = self._extension.encode(frame)
        self._recorder.encoded(encoded)
        return encoded

    def __repr__(self) -> str:
        return repr(self._extension)
