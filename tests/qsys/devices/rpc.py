"""A JSON-RPC 2.0 control processor, QRC-like, that answers out of order and drops a connection.

Requests ``{"jsonrpc": "2.0", "id", "method", "params"}``; methods ``Status.Get`` (small),
``Component.GetComponents`` (``components`` of them: over 16 KiB of JSON) and ``NoOp``. On
connect it sends an ``EngineStatus`` notification (no ``id``). It holds the answer to
``Component.GetComponents`` until it has answered the next request, so the two replies come in
the other order; on the first ``drop_first`` connections it then drops the TCP connection
(no close frame) once the client has all of its replies.
"""

from __future__ import annotations

import json
from typing import Any

from websockets.asyncio.server import ServerConnection

from . import Device, Session

DESIGN = "Lab"


class ControlProcessor(Device):
    """The processor; ``drop_first`` connections are dropped after their replies."""

    def __init__(self, components: int = 300, drop_first: int = 1) -> None:
        self.components = components
        self.drop_first = drop_first
        self.replies: list[list[str]] = []  # each connection's replies as sent, in order
        super().__init__()

    def component_list(self) -> list[dict[str, Any]]:
        """The design's components."""
        return [
            {
                "Name": f"Gain_{n:03d}",
                "Type": "gain",
                "Properties": [{"Name": "max_gain", "Value": "20"}, {"Name": "min_gain", "Value": "-100"}],
            }
            for n in range(1, self.components + 1)
        ]

    def result(self, method: str) -> Any:
        """The result of ``method``."""
        if method == "Status.Get":
            return {"State": "Active", "DesignName": DESIGN, "IsRedundant": False}
        if method == "Component.GetComponents":
            return self.component_list()
        if method == "NoOp":
            return True
        raise KeyError(method)

    async def serve(self, connection: ServerConnection, session: Session) -> None:
        sent: list[str] = []
        self.replies.append(sent)

        async def send(message: dict[str, Any]) -> None:
            text = json.dumps(message)
            sent.append(text)
            await connection.send(text)

        await send({"jsonrpc": "2.0", "method": "EngineStatus", "params": {"State": "Active"}})
        held: dict[str, Any] | None = None
        while True:
            request = await self.receive(connection, session)
            try:
                reply = {"jsonrpc": "2.0", "id": request["id"], "result": self.result(request["method"])}
            except (KeyError, TypeError):
                reply = {
                    "jsonrpc": "2.0",
                    "id": request.get("id"),
                    "error": {"code": -32601, "message": "no such method"},
                }
            if request.get("method") == "Component.GetComponents" and held is None:
                held = reply
                continue
            await send(reply)
            if held is not None:
                await send(held)
                held = None
                if len(self.replies) <= self.drop_first:
                    await (await connection.ping())  # the pong comes after every reply has arrived
                    connection.transport.abort()
                    return
