"""Replaying cassettes: a server that plays the recorded server side, and an offline replay
that drives a WebSocket through it so its history and callbacks match the recording.

The server is a local websockets server on loopback, or, in the browser (Pyodide, where a page
cannot listen) or when asked, the in-process replay transport (``core/replay_transport.py``),
reached at a reserved ``ws://replay.invalid:<key>/`` address. Both answer client messages on
the one schedule of :func:`~ws_widget.core.replay_transport.play`: before each server frame
that followed client messages in the recording, it waits (up to ``RACE_GRACE`` seconds) until
the client has sent as many messages, whatever they say, then keeps the recorded delay after
the last of them, divided by ``speed``. A push that only raced a request in the recording goes
out after the grace even if the client waits for it first.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Sequence

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State
from websockets.typing import Subprotocol

from ..core import replay_transport, runtime
from ..core.replay_transport import RACE_GRACE
from ..pure.cassette import Cassette, Frame, load
from ..pure.kinds import IN, OUT
from .websocket import WebSocket

__all__ = ["RACE_GRACE", "ReplayServer", "replay"]


class ReplayServer:
    """Plays a cassette's server side to every client that connects to :attr:`url`.

    Args:
        cassette: a :class:`Cassette` or the path of a cassette file.
        speed: how much faster than recorded (2.0 halves the delays); None sends at once.
        port: the loopback port to listen on (0: any free one).
        in_process: play in-process, without a listening socket (connections from this kernel
            only); None: in-process in the browser (Pyodide), a loopback server elsewhere.

    Use as a context manager, or call :meth:`stop`.

    Raises:
        ValueError: speed is not positive.
    """

    def __init__(
        self,
        cassette: Cassette | str | os.PathLike,
        speed: float | None = 1.0,
        port: int = 0,
        in_process: bool | None = None,
    ):
        self.cassette = cassette if isinstance(cassette, Cassette) else load(cassette)
        if speed is not None and not speed > 0:
            raise ValueError(f"speed must be a positive number or None, got {speed!r}")
        self.speed = speed
        self.in_process = not runtime.THREADS if in_process is None else bool(in_process)
        self.path = "/" + replay_transport.recorded_path(self.cassette)
        """The recorded path and query (masked values stay masked: the replay ignores them)."""
        if self.in_process:
            self.host = replay_transport.HOST
            """Where to connect: 127.0.0.1, or the reserved ``replay.invalid`` in-process."""
            self.port = replay_transport.register(self.cassette, speed)
            """The loopback port; in-process, the key of this replay (nothing listens)."""
            return
        self.host = "127.0.0.1"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ws_widget-replay", daemon=True)
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._start(port), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        """The URL to connect to: the recorded path and query on this server (masked values
        stay masked: the server ignores them). The seed API's ``Connect("ws", server.host,
        server.path, server.port)`` reaches the same."""
        return f"ws://{self.host}:{self.port}{self.path}"

    async def _start(self, port: int) -> Server:
        recorded = self.cassette.subprotocol

        def choose(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
            return Subprotocol(recorded) if recorded is not None and recorded in offered else None

        return await serve(
            self._play,
            "127.0.0.1",
            port,
            select_subprotocol=choose if recorded else None,
            max_size=None,
            ping_interval=None,
        )

    async def _play(self, connection: ServerConnection) -> None:
        loop = asyncio.get_running_loop()
        arrived: list[float] = []  # loop times of the client's messages
        changed = asyncio.Event()

        async def read() -> None:
            async for _ in connection:
                arrived.append(loop.time())
                changed.set()

        async def close(code: int, reason: str) -> None:
            await connection.close(code, reason)

        reader = asyncio.create_task(read())
        try:
            await replay_transport.play(self.cassette, self.speed, arrived, changed, connection.send, close)
            await connection.wait_closed()
        except ConnectionClosed:
            pass
        finally:
            reader.cancel()

    def stop(self) -> None:
        """Stop serving and end the server's thread (in-process: new connections fail)."""
        if self.in_process:
            replay_transport.unregister(self.port)
            return

        async def close() -> None:
            self._server.close()
            await self._server.wait_closed()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> ReplayServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<ReplayServer {self.url} speed={self.speed}>"


def replay(
    cassette: Cassette | str | os.PathLike,
    speed: float | None = 1.0,
    ws: WebSocket | None = None,
    in_process: bool | None = None,
) -> WebSocket:
    """Replay a cassette offline into a WebSocket: its history, callbacks and widget see the
    recorded session. The recorded client messages are sent at their recorded times.

    Set callbacks on ``ws`` (or on a new ``WebSocket()``) before passing it in. The replay
    server stops once the connection has closed. In the browser (Pyodide) the replay runs
    in-process, driven from the kernel's loop (``await ws.aio.wait_closed()`` waits for its end).

    Args:
        speed: how much faster than recorded; None plays without delays.
        in_process: see :class:`ReplayServer` (None: in-process only in the browser).
    """
    server = ReplayServer(cassette, speed, in_process=in_process)
    ws = ws if ws is not None else WebSocket()
    actions = _client_actions(server.cassette)
    before_connect = ws.history.last_seq

    close = server.cassette.close
    info = (close.info if close is not None else None) or {}
    code, reason = info.get("code") or 1000, info.get("reason") or ""

    def drive() -> None:
        try:
            ws.wait_open(10)
            clock, cursor, received = _Clock(speed), before_connect, 0
            for due, frame in actions:
                while received < due:  # keep the recorded order
                    cursor = ws.wait_message(cursor, 30).seq
                    received += 1
                clock.sleep_until(frame.t)
                if ws.state is not State.OPEN:
                    return
                if frame is close:
                    ws.close(code, reason)
                else:
                    ws.send(frame.payload)
            ws.wait_closed(None)
        finally:
            server.stop()

    async def adrive() -> None:  # the same, on the kernel's loop (no threads in the browser)
        waiting = ws._waiting
        try:
            await ws.aio.wait_open(10)
            clock, cursor, received = _Clock(speed), before_connect, 0
            for due, frame in actions:
                while received < due:
                    cursor = (await waiting.apeek_after(cursor, 30)).seq
                    received += 1
                await asyncio.sleep(clock.left(frame.t))
                if ws.state is not State.OPEN:
                    return
                if frame is close:
                    await ws.aio.close(code, reason)
                else:
                    ws.send(frame.payload)
            await ws.aio.wait_closed(None)
        finally:
            server.stop()

    ws.connect(server.url, sub_protocol=server.cassette.subprotocol, wait=False)
    if runtime.THREADS:
        threading.Thread(target=drive, name="ws_widget-replay-driver", daemon=True).start()
    else:
        _drivers.add(task := asyncio.get_event_loop().create_task(adrive()))
        task.add_done_callback(_drivers.discard)
    return ws


_drivers: set[asyncio.Task[None]] = set()  # the running in-browser drivers (a task needs a reference)


def _client_actions(cassette: Cassette) -> list[tuple[int, Frame]]:
    """The recorded client messages (and the client's close, if it closed), each with how many
    server messages were recorded before it."""
    close = cassette.close
    client_closes = close is not None and (close.info or {}).get("initiator") == "client"
    actions, due = [], 0
    for frame in cassette.frames:
        if frame.direction == IN and frame.is_message:
            due += 1
        elif (frame.direction == OUT and frame.is_message) or (client_closes and frame is close):
            actions.append((due, frame))
    return actions


class _Clock:
    """Sleeps until recorded times, scaled by the replay speed."""

    def __init__(self, speed: float | None):
        self.speed = speed
        self.start = time.monotonic()

    def left(self, t: float) -> float:
        """Seconds until ``t`` recorded seconds (divided by speed) after the clock started."""
        if self.speed is None:
            return 0.0
        return max(0.0, t / self.speed - (time.monotonic() - self.start))

    def sleep_until(self, t: float) -> None:
        """Sleep until ``t`` recorded seconds (divided by speed) after the clock started."""
        delay = self.left(t)
        if delay > 0:
            time.sleep(delay)
