"""The commands a face queues for a connection: small typed records, served in order."""

from __future__ import annotations

import concurrent.futures
import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Send:
    """Send one message: str as text, bytes as binary, in ``fragments`` frames (1: unfragmented)."""

    payload: str | bytes
    fragments: int = 1


@dataclasses.dataclass(frozen=True, slots=True)
class Ping:
    """Send a ping (``payload`` None: 4 random bytes); ``result`` gets the round-trip seconds."""

    payload: bytes | None
    result: concurrent.futures.Future[float] = dataclasses.field(default_factory=concurrent.futures.Future)


@dataclasses.dataclass(frozen=True, slots=True)
class Close:
    """Start the closing handshake with ``code`` and ``reason`` after the commands before it."""

    code: int = 1000
    reason: str = ""


Command = Send | Ping | Close
