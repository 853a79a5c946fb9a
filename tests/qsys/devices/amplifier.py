"""A two-channel amplifier polled for its meters, which also pushes changes on its own.

Protocol (JSON text messages): on connect it sends ``{"type": "info", "model", "channels"}``;
each ``{"cmd": "meters"}`` is answered with ``{"type": "meters", "seq", "temperature",
"levels": [l1, l2]}``. Between the first and second answers it pushes a mute change,
``{"type": "mute", "channel": 2, "muted": true}``, and after the ``standby_after``-th answer it
pushes ``{"type": "power", "state": "standby"}``.
"""

from __future__ import annotations

import json
from typing import Any

from websockets.asyncio.server import ServerConnection

from . import Device, Session


class Amplifier(Device):
    """The amplifier; ``standby_after`` polls, it goes to standby."""

    def __init__(self, standby_after: int = 4) -> None:
        self.standby_after = standby_after
        super().__init__()

    @staticmethod
    def meters(seq: int) -> dict[str, Any]:
        """The meters answer to poll number ``seq`` (from 1)."""
        return {"type": "meters", "seq": seq, "temperature": 40 + seq / 2, "levels": [-20.5 + seq, -30 + seq]}

    async def serve(self, connection: ServerConnection, session: Session) -> None:
        await connection.send(json.dumps({"type": "info", "model": "PA-2", "channels": 2}))
        seq = 0
        while True:
            request = await self.receive(connection, session)
            if request != {"cmd": "meters"}:
                await connection.send(json.dumps({"type": "error", "reason": "unknown command"}))
                continue
            seq += 1
            if seq == 2:
                await connection.send(json.dumps({"type": "mute", "channel": 2, "muted": True}))
            await connection.send(json.dumps(self.meters(seq)))
            if seq == self.standby_after:
                await connection.send(json.dumps({"type": "power", "state": "standby"}))
