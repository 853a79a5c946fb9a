"""Replaying cassettes: a local server that plays the recorded server side, and an offline
replay that drives a WebSocket through it so its history and callbacks match the recording.

The server answers client messages in order: before each server frame that followed client
messages in the recording, it waits (up to ``RACE_GRACE`` seconds) until the client has sent as
many messages, whatever they say, then keeps the recorded delay after the last of them,
divided by ``speed``. A push that only raced a request in the recording goes out after the
grace even if the client waits for it first.
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

from ..core import runtime
from ..exceptions import BrowserLimitError
from ..pure.cassette import Cassette, load
from ..pure.kinds import IN, OUT
from .websocket import WebSocket

RACE_GRACE = 0.5  # seconds a server frame waits for client messages recorded before it


class ReplayServer:
    """Plays a cassette's server side to every client that connects, on loopback.

    Args:
        cassette: a :class:`Cassette` or the path of a cassette file.
        speed: how much faster than recorded (2.0 halves the delays); None sends at once.

    Use as a context manager, or call :meth:`stop`.

    Raises:
        BrowserLimitError: in the browser (Pyodide), where a page cannot listen on a port.
    """

    def __init__(self, cassette: Cassette | str | os.PathLike, speed: float | None = 1.0, port: int = 0):
        if not runtime.THREADS:
            raise BrowserLimitError(
                "replaying a cassette needs a local server, and a page in the browser cannot listen on a "
                "port: replay it in a kernel on a computer (ws_widget.load_cassette(path) reads it here)"
            )
        self.cassette = cassette if isinstance(cassette, Cassette) else load(cassette)
        if speed is not None and not speed > 0:
            raise ValueError(f"speed must be a positive number or None, got {speed!r}")
        self.speed = speed
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ws_widget-replay", daemon=True)
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._start(port), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        """The URL to connect to: the recorded path and query on this server (masked values
        stay masked: the server ignores them)."""
        path = self.cassette.url.split("//", 1)[-1].partition("/")[2]
        return f"ws://127.0.0.1:{self.port}/{path}"

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

        reader = asyncio.create_task(read())
        opened, needed, after_t = loop.time(), 0, 0.0
        try:
            for frame in self.cassette.frames:
                if frame.direction == OUT and frame.is_message:
                    needed, after_t = needed + 1, frame.t
                    continue
                if frame.direction != IN or not frame.is_message:
                    continue
                # Answer in order: wait for the client messages recorded before this frame, but
                # not forever: a push that merely raced a request in the recording goes anyway.
                deadline = loop.time() + RACE_GRACE
                while len(arrived) < needed and loop.time() < deadline:
                    changed.clear()
                    try:
                        await asyncio.wait_for(changed.wait(), deadline - loop.time())
                    except asyncio.TimeoutError:
                        break
                if self.speed is not None:
                    answered = needed and len(arrived) >= needed
                    anchor_t, anchor_clock = (after_t, arrived[needed - 1]) if answered else (0.0, opened)
                    delay = (frame.t - anchor_t) / self.speed - (loop.time() - anchor_clock)
                    if delay > 0:
                        await asyncio.sleep(delay)
                await connection.send(frame.payload or b"")  # a message's payload is never None
            close = self.cassette.close
            if close is not None and (close.info or {}).get("initiator") == "server":
                await connection.close(
                    (close.info or {}).get("code") or 1000, (close.info or {}).get("reason") or ""
                )
            await connection.wait_closed()
        except ConnectionClosed:
            pass
        finally:
            reader.cancel()

    def stop(self) -> None:
        """Stop serving and end the server's thread."""

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
    cassette: Cassette | str | os.PathLike, speed: float | None = 1.0, ws: WebSocket | None = None
) -> WebSocket:
    """Replay a cassette offline into a WebSocket: its history, callbacks and widget see the
    recorded session. The recorded client messages are sent at their recorded times.

    Set callbacks on ``ws`` (or on a new ``WebSocket()``) before passing it in. The replay
    server stops once the connection has closed.

    Args:
        speed: how much faster than recorded; None plays without delays.
    """
    server = ReplayServer(cassette, speed)
    ws = ws if ws is not None else WebSocket()
    frames = server.cassette.frames
    close = server.cassette.close
    client_closes = close is not None and (close.info or {}).get("initiator") == "client"

    def drive() -> None:
        try:
            ws.wait_open(10)
            clock, cursor, received, due = _Clock(speed), before_connect, 0, 0
            for frame in frames:
                if frame.direction == IN and frame.is_message:
                    due += 1  # server messages recorded before the next client action
                    continue
                if not (frame.direction == OUT and frame.is_message) and not (
                    client_closes and frame is close
                ):
                    continue
                while received < due:  # keep the recorded order
                    cursor = ws.wait_message(cursor, 30).seq
                    received += 1
                clock.sleep_until(frame.t)
                if ws.state is not State.OPEN:
                    return
                if frame is close:
                    info = close.info or {}
                    ws.close(info.get("code") or 1000, info.get("reason") or "")
                else:
                    ws.send(frame.payload)
            ws.wait_closed(None)
        finally:
            server.stop()

    before_connect = ws.history.last_seq
    ws.connect(server.url, sub_protocol=server.cassette.subprotocol, wait=False)
    threading.Thread(target=drive, name="ws_widget-replay-driver", daemon=True).start()
    return ws


class _Clock:
    """Sleeps until recorded times, scaled by the replay speed."""

    def __init__(self, speed: float | None):
        self.speed = speed
        self.start = time.monotonic()

    def sleep_until(self, t: float) -> None:
        """Sleep until ``t`` recorded seconds (divided by speed) after the clock started."""
        if self.speed is None:
            return
        delay = t / self.speed - (time.monotonic() - self.start)
        if delay > 0:
            time.sleep(delay)
