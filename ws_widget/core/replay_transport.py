"""A cassette's server side played in-process: the third transport (see ``transport.py``),
for replaying where no local server can listen (a page under Pyodide), and anywhere asked.

:func:`register` files a cassette under a reserved address, ``ws://replay.invalid:<key>/<path>``
(``.invalid`` never resolves, RFC 2606); :func:`routing` wraps the runtime's transport so a
connection to such an address gets a :class:`ReplayTransport`, every other the usual one.
:func:`play` is the one schedule of the recorded server side, used here and by the loopback
:class:`~ws_widget.faces.replay.ReplayServer`: before each server message that followed client
messages in the recording, it waits (up to ``RACE_GRACE`` seconds) until the client has sent as
many, whatever they say, then keeps the recorded delay after the last of them, divided by
``speed``; at the end it closes with the recorded code and reason if the server closed.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Awaitable, Callable

from ..pure.browserend import end_facts
from ..pure.cassette import Cassette
from ..pure.kinds import IN, OUT
from ..pure.limits import BROWSER, NO_PING
from ..pure.options import Options
from ..pure.outcome import EndFacts
from ..pure.target import Target
from .transport import Transport, TransportFactory, Wiring

RACE_GRACE = 0.5  # seconds a server frame waits for client messages recorded before it
HOST = "replay.invalid"

_cassettes: dict[int, tuple[Cassette, float | None]] = {}
_keys = itertools.count(1)


def register(cassette: Cassette, speed: float | None) -> int:
    """File ``cassette`` for in-process replay; return its key, the port of its address
    (``ws://replay.invalid:<key>/``, any path)."""
    key = next(_keys)
    _cassettes[key] = (cassette, speed)
    return key


def recorded_path(cassette: Cassette) -> str:
    """The recorded URL's path and query, without the leading slash."""
    return cassette.url.split("//", 1)[-1].partition("/")[2]


def unregister(key: int) -> None:
    """Forget the cassette filed under ``key`` (connections already open play on)."""
    _cassettes.pop(key, None)


def _key(url: str) -> int:
    netloc = url.split("//", 1)[-1].partition("/")[0]
    host, _, port = netloc.rpartition(":")
    return int(port) if host == HOST and port.isdigit() else 0


async def play(
    cassette: Cassette,
    speed: float | None,
    arrived: list[float],
    changed: asyncio.Event,
    send: Callable[[str | bytes], Awaitable[None]],
    close: Callable[[int, str], Awaitable[None]],
) -> None:
    """Play the recorded server side of ``cassette`` to one client.

    Args:
        arrived: the loop times of the client's messages so far (the caller appends, then sets
            ``changed``).
        send, close: what sends a server message and closes the connection.
    """
    loop = asyncio.get_running_loop()
    opened, needed, after_t = loop.time(), 0, 0.0
    for frame in cassette.frames:
        if frame.direction == OUT and frame.is_message:
            needed, after_t = needed + 1, frame.t
            continue
        if frame.direction != IN or not frame.is_message:
            continue
        # Answer in order: wait for the client messages recorded before this frame, but not
        # forever: a push that merely raced a request in the recording goes anyway.
        deadline = loop.time() + RACE_GRACE
        while len(arrived) < needed and loop.time() < deadline:
            changed.clear()
            try:
                await asyncio.wait_for(changed.wait(), deadline - loop.time())
            except asyncio.TimeoutError:
                break
        if speed is not None:
            answered = needed and len(arrived) >= needed
            anchor_t, anchor_clock = (after_t, arrived[needed - 1]) if answered else (0.0, opened)
            delay = (frame.t - anchor_t) / speed - (loop.time() - anchor_clock)
            if delay > 0:
                await asyncio.sleep(delay)
        await send(frame.payload or b"")  # a message's payload is never None
    end = cassette.close
    info = (end.info or {}) if end is not None else {}
    if end is not None and info.get("initiator") == "server":
        await close(info.get("code") or 1000, info.get("reason") or "")


class ReplayTransport:
    """One connection to a registered cassette; every method runs on the core's loop. Like a
    page's WebSocket it has no pings, frames or handshake to show."""

    capabilities = BROWSER

    def __init__(self, target: Target, options: Options, wiring: Wiring) -> None:
        self.target = target
        self.subprotocol: str | None = None
        self.handshake: dict[str, object] | None = None
        self._deliver = wiring.deliver
        self._held: deque[str | bytes] | None = deque()  # before start_delivering, and while paused
        self._paused = False
        self._arrived: list[float] = []
        self._changed = asyncio.Event()
        self._ended: asyncio.Future[tuple[int, str]] | None = None
        self._sent_close: tuple[int, str] | None = None
        self._player: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Open at once on a registered cassette.

        Raises:
            ConnectionError: no cassette is filed under this address (its replay was stopped).
        """
        filed = _cassettes.get(_key(self.target.url))
        if filed is None:
            raise ConnectionError(
                f"no cassette is being replayed at {self.target.masked_url}: its replay was stopped; "
                "start a new one (ws_widget.ReplayServer(path).url)"
            )
        cassette, speed = filed
        recorded = cassette.subprotocol
        self.subprotocol = recorded if recorded is not None and recorded in self.target.subprotocols else None
        loop = asyncio.get_running_loop()
        self._ended = loop.create_future()
        self._player = loop.create_task(
            play(cassette, speed, self._arrived, self._changed, self._server_send, self._server_close)
        )

    async def _server_send(self, message: str | bytes) -> None:
        held = self._held
        if held is None:
            self._deliver(message)
        else:
            held.append(message)

    async def _server_close(self, code: int, reason: str) -> None:
        self._end(code, reason)

    def _end(self, code: int, reason: str) -> None:
        if self._ended is not None and not self._ended.done():
            self._ended.set_result((code, reason))

    def abandon(self) -> None:
        """Nothing to give up: opening does not wait."""

    def start_delivering(self) -> None:
        """Hand messages to the core from now on (those sent since open first)."""
        if not self._paused:
            self._flush_held()

    def _flush_held(self) -> None:
        held = self._held
        if held is None:
            return
        while held and not self._paused:
            self._deliver(held.popleft())
        if not self._paused:
            self._held = None

    async def run(self) -> EndFacts:
        """Wait for the end (the recorded server close, or the client's); return its facts."""
        assert self._ended is not None  # open() came first
        code, reason = await self._ended
        if self._player is not None:
            self._player.cancel()
        self._paused = False
        self._flush_held()
        return end_facts(code, reason, True, self._sent_close)

    async def send(self, payload: str | bytes, fragments: int) -> None:
        """Count one client message (the recorded answers wait for it; its content is not
        compared, as on the replay server)."""
        if self._ended is None or self._ended.done():
            raise ConnectionError("the replayed connection is not open")
        self._arrived.append(asyncio.get_running_loop().time())
        self._changed.set()

    async def ping(self, data: bytes) -> Awaitable[float]:
        """Refused before it gets here (no pings)."""
        raise NotImplementedError(NO_PING)

    async def close(self, code: int, reason: str) -> None:
        """End the connection with ``code`` and ``reason`` (the recording answers no more)."""
        self._sent_close = (code, reason)
        self._end(code, reason)

    def set_frame_log(self, on: bool) -> None:
        """No frames here."""

    def pause_reading(self) -> None:
        """Hold the server messages until :meth:`resume_reading`."""
        self._paused = True
        if self._held is None:
            self._held = deque()

    def resume_reading(self) -> None:
        """Deliver the held messages, then each as it is played."""
        self._paused = False
        self._flush_held()

    def is_closed_error(self, exc: BaseException) -> bool:
        """A send after the end raises ConnectionError here."""
        return isinstance(exc, ConnectionError)


def routing(base: TransportFactory) -> TransportFactory:
    """``base``, except for connections to a registered cassette's address."""

    def make(target: Target, options: Options, wiring: Wiring) -> Transport:
        factory: TransportFactory = ReplayTransport if _key(target.url) else base
        return factory(target, options, wiring)

    make.__name__ = make.__qualname__ = getattr(base, "__name__", "make")  # it stands for base
    make.__wrapped__ = base  # type: ignore[attr-defined]
    if hasattr(base, "capabilities"):
        make.capabilities = base.capabilities  # type: ignore[attr-defined]
    return make
