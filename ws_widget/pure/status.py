"""What a face may read about a WebSocket's connection: one read-only snapshot."""

from __future__ import annotations

import dataclasses

from websockets.protocol import State


@dataclasses.dataclass(frozen=True)
class Reconnecting:
    """An automatic reconnect waiting to start: retry number ``retry`` at ``at`` (epoch s)."""

    retry: int
    at: float


@dataclasses.dataclass(frozen=True)
class Status:
    """The current (or last) connection attempt of one WebSocket, as of the moment it was read.

    Attributes:
        state: ``State.CONNECTING``, ``OPEN``, ``CLOSING`` or ``CLOSED`` (also before any Connect).
        connected_once: whether Connect was ever called (False: a new, never connected socket).
        url: the attempt's URL, secrets masked; None before any Connect.
        secure: whether the URL is ``wss``.
        verified: for ``wss``, whether the certificate is checked; None for ``ws`` or before Connect.
        subprotocol: the subprotocol the server chose, or None.
        close_code: the close code of the attempt once it ended (1006: no closing handshake).
        close_reason: the close reason of the attempt once it ended.
        error: the exception behind the attempt's ``Error``, or None.
        error_text: one line that says what went wrong and what to try, or None.
        handshake: the opening handshake, described with secrets masked, or None.
        reconnecting: a pending automatic reconnect, or None.
        frame_log: whether every frame is being recorded.
        paused: why reading is paused (``"4,096 Data callbacks behind"``), or None.
        capabilities: what this connection's transport can do (see ``Capabilities``).
    """

    state: State
    connected_once: bool
    url: str | None
    secure: bool
    verified: bool | None
    subprotocol: str | None
    close_code: int | None
    close_reason: str | None
    error: BaseException | None
    error_text: str | None
    handshake: dict[str, object] | None
    reconnecting: Reconnecting | None
    frame_log: bool
    paused: str | None
    capabilities: Capabilities


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What a transport can do. A browser WebSocket, for instance, can do none of these.

    Attributes:
        custom_headers: send handshake headers other than the subprotocols.
        ping: send pings and see pongs.
        frames: see individual frames (the frame log).
        handshake: see the opening handshake's request and response.
        tls_options: choose TLS verification, CA and client certificates.
        close_codes: close with any code RFC 6455 lets a client send (a browser: only 1000
            and 3000-4999).
    """

    custom_headers: bool = True
    ping: bool = True
    frames: bool = True
    handshake: bool = True
    tls_options: bool = True
    close_codes: bool = True
