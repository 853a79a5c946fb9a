"""The demo server's endpoints: thin ``websockets`` handlers over the pure simulators.

- ``/echo``: sends back every message, text or binary;
- ``/telemetry?rate=10&count=&seed=``: JSON sensor readings (see ``telemetry``);
- ``/close?code=4000&reason=bye``: closes at once with that code and reason;
- ``/qrc`` and ``/qrc-public-api/v0``: the QRC JSON-RPC simulator (see ``qrc``).

A bad query closes the connection with 1008 (policy violation) and a reason that says what
was wrong. Any other path answers HTTP 404 with the list of endpoints.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.frames import EXTERNAL_CLOSE_CODES, CloseCode
from websockets.http11 import Request, Response

from .design import Design
from .qrc import QrcSession
from .telemetry import Sensors, TelemetryQuery, TelemetryQueryError

MAX_REASON_BYTES = 123  # RFC 6455: a close frame's payload is at most 125 bytes, 2 of them the code


class Endpoints:
    """Routes connections to their endpoint; holds the design that QRC clients share.

    Args:
        design: The simulated Q-SYS design.
        users: ``{user: password}`` that QRC ``Logon`` must match; ``None`` accepts anyone.
    """

    PATHS = ("/echo", "/telemetry", "/close", "/qrc", "/qrc-public-api/v0")

    def __init__(self, design: Design, users: dict[str, str] | None = None):
        self.design = design
        self.users = users
        self._handlers: dict[str, Callable[[ServerConnection, str], Awaitable[None]]] = {
            "/echo": self.echo,
            "/telemetry": self.telemetry,
            "/close": self.close,
            "/qrc": self.qrc,
            "/qrc-public-api/v0": self.qrc,
        }

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Answer 404, listing the endpoints, for a path that has none."""
        path = urlsplit(request.path).path
        if path in self._handlers:
            return None
        body = f"no endpoint at {path}; the endpoints are {', '.join(self.PATHS)}\n"
        return connection.respond(HTTPStatus.NOT_FOUND, body)

    async def __call__(self, connection: ServerConnection) -> None:
        assert connection.request is not None  # websockets runs the handler after the handshake
        parts = urlsplit(connection.request.path)
        try:
            await self._handlers[parts.path](connection, parts.query)
        except ConnectionClosed:
            pass

    async def echo(self, connection: ServerConnection, query: str) -> None:
        """Send back every message as it came."""
        async for message in connection:
            await connection.send(message)

    async def telemetry(self, connection: ServerConnection, query: str) -> None:
        """Send readings at the rate asked for, then close with 1000 if a count was given."""
        try:
            request = TelemetryQuery.parse(query)
        except TelemetryQueryError as exc:
            await connection.close(CloseCode.POLICY_VIOLATION, _reason(str(exc)))
            return
        sensors = Sensors(request.seed)
        loop = asyncio.get_running_loop()
        start = loop.time()
        sent = 0
        while True:
            await connection.send(json.dumps(sensors.read()))
            sent += 1
            if sent == request.count:
                break
            await asyncio.sleep(max(0.0, start + sent / request.rate - loop.time()))
        await connection.close(CloseCode.NORMAL_CLOSURE, f"sent {sent} readings")

    async def close(self, connection: ServerConnection, query: str) -> None:
        """Close with the code and reason of the query, or 1008 if they cannot be sent."""
        values = dict(parse_qsl(query, keep_blank_values=True))
        unknown = set(values) - {"code", "reason"}
        code_text, reason = values.get("code", "1000"), values.get("reason", "")
        if unknown:
            problem = f"unknown parameter {min(unknown)!r}: use code, reason"
        elif not (code_text.isdigit() and _can_send(int(code_text))):
            problem = f"code must be 1000-1003, 1007-1014 or 3000-4999, got {code_text[:20]!r}"
        elif len(reason.encode()) > MAX_REASON_BYTES:
            problem = f"reason must be at most {MAX_REASON_BYTES} bytes of UTF-8"
        else:
            await connection.close(int(code_text), reason)
            return
        await connection.close(CloseCode.POLICY_VIOLATION, _reason(problem))

    async def qrc(self, connection: ServerConnection, query: str) -> None:
        """Push ``EngineStatus``, answer each request frame, push automatic polls."""
        session = QrcSession(self.design, users=self.users)
        pollers: dict[Any, tuple[float, asyncio.Task]] = {}
        try:
            await connection.send(json.dumps(session.engine_status()))
            async for message in connection:
                response = session.handle_text(message)
                if response is not None:
                    await connection.send(json.dumps(response))
                _update_pollers(connection, session, pollers)
        finally:
            for _, task in pollers.values():
                task.cancel()
            await asyncio.gather(*(task for _, task in pollers.values()), return_exceptions=True)


def _update_pollers(connection: ServerConnection, session: QrcSession, pollers: dict) -> None:
    """Start, restart or stop one task per change group that ``ChangeGroup.AutoPoll`` started."""
    wanted = session.autopolls
    for key in list(pollers):
        rate, task = pollers[key]
        if wanted.get(key) != rate or task.done():
            task.cancel()
            del pollers[key]
    for key, rate in wanted.items():
        if key not in pollers:
            pollers[key] = (rate, asyncio.create_task(_autopoll(connection, session, key, rate)))


async def _autopoll(connection: ServerConnection, session: QrcSession, key: Any, rate: float) -> None:
    """Push ``ChangeGroup.Poll`` at once, then every ``rate`` seconds, empty ones too."""
    loop = asyncio.get_running_loop()
    start, pushes = loop.time(), 0
    try:
        while (notification := session.autopoll_notification(key)) is not None:
            await connection.send(json.dumps(notification))
            pushes += 1
            await asyncio.sleep(max(0.0, start + pushes * rate - loop.time()))
    except ConnectionClosed:
        pass


def _can_send(code: int) -> bool:
    """Whether a close frame may carry ``code`` (RFC 6455 section 7.4)."""
    return code in EXTERNAL_CLOSE_CODES or 3000 <= code <= 4999


def _reason(text: str) -> str:
    """``text`` cut to fit a close frame."""
    data = text.encode()
    if len(data) <= MAX_REASON_BYTES:
        return text
    return data[: MAX_REASON_BYTES - 3].decode(errors="ignore") + "..."
