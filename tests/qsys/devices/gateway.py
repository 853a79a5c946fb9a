"""A lighting gateway that logs clients on with a SHA-256 digest of a nonce it sends.

Protocol (JSON text messages): the gateway opens with ``{"event": "hello", "realm", "nonce"}``;
the client answers ``{"method": "login", "user", "digest"}`` where ``digest`` is the lower-case
hex SHA-256 of ``nonce .. ":" .. password``; the gateway says ``{"event": "welcome", "user",
"session"}``, or ``{"event": "denied", "reason"}`` and closes with 4003. Once logged on,
``{"method": "get", "path": "/status"}`` is answered with ``{"event": "status", "model",
"firmware", "zones": [...]}``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from websockets.asyncio.server import ServerConnection

from . import Device, Session

DENIED = 4003


class Gateway(Device):
    """The gateway; ``users`` maps user names to passwords."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users = users
        self.nonces: list[str] = []
        super().__init__()

    def digest(self, nonce: str, password: str) -> str:
        """The digest a client must send."""
        return hashlib.sha256(f"{nonce}:{password}".encode()).hexdigest()

    async def serve(self, connection: ServerConnection, session: Session) -> None:
        nonce = secrets.token_hex(16)
        self.nonces.append(nonce)
        await connection.send(json.dumps({"event": "hello", "realm": "lumen", "nonce": nonce}))
        login = await self.receive(connection, session)
        user = login.get("user") if isinstance(login, dict) else None
        password = self.users.get(user) if isinstance(user, str) else None
        given = login.get("digest") if isinstance(login, dict) else None
        if (
            password is None
            or not isinstance(given, str)
            or not hmac.compare_digest(given, self.digest(nonce, password))
        ):
            await connection.send(json.dumps({"event": "denied", "reason": "unknown user or wrong digest"}))
            await connection.close(DENIED, "authentication failed")
            return
        await connection.send(
            json.dumps({"event": "welcome", "user": user, "session": f"s-{len(self.nonces)}"})
        )
        while True:
            request = await self.receive(connection, session)
            if request == {"method": "get", "path": "/status"}:
                zones = [{"name": f"Zone {n}", "level": n * 10} for n in range(1, 5)]
                status = {"event": "status", "model": "LX-200", "firmware": "2.1.0", "zones": zones}
                await connection.send(json.dumps(status))
            else:
                await connection.send(json.dumps({"event": "error", "reason": "unknown request"}))
