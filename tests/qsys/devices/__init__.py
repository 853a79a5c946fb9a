"""Fake devices on loopback for Q-SYS scripts run by ``python -m ws_widget.qsys``, and the command.

Each device is a real ``websockets`` server on 127.0.0.1, port 0, on its own loop thread, that
speaks one protocol and records what it received: every connection's path, request headers,
messages and the close code the client sent. ``Command`` runs the command in a real subprocess
and follows its standard output; ``texts`` strips the Debug Output timestamps.

The ``.lua`` files next to this module are the scripts, run unchanged: they take the device's
address from their ``Controls`` (``--control IP=127.0.0.1 --control Port=N``), as scripts on a
Core read it from text controls.
"""

from __future__ import annotations

import asyncio
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

HERE = Path(__file__).parent
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\t")
TIMEOUT = 60.0  # seconds a command may take before a test gives up on it


def script(name: str) -> Path:
    """The path of one of the device scripts."""
    return HERE / name


def texts(stdout: str) -> list[str]:
    """The text of each Debug Output line of ``stdout``, after checking its timestamp."""
    lines = stdout.splitlines()
    bad = [line for line in lines if not LINE.match(line)]
    assert not bad, f"lines not in the Debug Output format: {bad}"
    return [line.split("\t", 1)[1] for line in lines]


@dataclass
class Session:
    """What a device saw of one connection."""

    path: str
    headers: dict[str, str]
    received: list[Any] = field(default_factory=list)  # JSON messages decoded, others as they came
    close_code: int | None = None
    ended: threading.Event = field(default_factory=threading.Event)


class Device:
    """A fake device: a websockets server on loopback running ``self.serve`` per connection."""

    def __init__(self, **serve_options: Any) -> None:
        self.sessions: list[Session] = []
        self.connected = threading.Event()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="fake-device")
        self._thread.start()

        async def start() -> Any:
            return await serve(self._handler, "127.0.0.1", 0, max_size=None, **serve_options)

        self._server = self._run(start())
        self.port: int = self._server.sockets[0].getsockname()[1]

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _handler(self, connection: ServerConnection) -> None:
        request = connection.request
        assert request is not None  # the handler runs once the opening handshake is done
        session = Session(request.path, dict(request.headers.raw_items()))
        self.sessions.append(session)
        self.connected.set()
        try:
            await self.serve(connection, session)
        except ConnectionClosed:
            pass
        finally:
            await connection.wait_closed()
            session.close_code = connection.close_code
            session.ended.set()

    async def serve(self, connection: ServerConnection, session: Session) -> None:
        """Speak the device's protocol on one connection (subclasses)."""
        raise NotImplementedError

    @staticmethod
    async def receive(connection: ServerConnection, session: Session) -> Any:
        """Receive one message, record it (decoded when it is JSON) and return it."""
        message = await connection.recv()
        try:
            value = json.loads(message)
        except ValueError:
            value = message
        session.received.append(value)
        return value

    def controls(self) -> list[str]:
        """The command's options that tell a script where this device is."""
        return ["--control", "IP=127.0.0.1", "--control", f"Port={self.port}"]

    def wait_ended(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until ``count`` connections have ended."""
        deadline = time.monotonic() + timeout
        while len(self.sessions) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        for session in self.sessions[:count]:
            assert session.ended.wait(max(0.0, deadline - time.monotonic())), "a connection did not end"

    def close(self) -> None:
        async def stop() -> None:
            self._server.close()
            await self._server.wait_closed()

        try:
            self._run(stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(5)


class Echo(Device):
    """Echoes every message on any path, text or binary, as the seed's examples expect."""

    async def serve(self, connection: ServerConnection, session: Session) -> None:
        async for message in connection:
            session.received.append(message)
            await connection.send(message)


class Command:
    """``python -m ws_widget.qsys ARGS`` in a real subprocess, its stdout followed line by line."""

    def __init__(self, *args: str | Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ws_widget.qsys", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._new.put(line.rstrip("\n"))
        self._new.put(None)

    def wait_line(self, text: str, count: int = 1, timeout: float = TIMEOUT) -> None:
        """Wait until ``count`` Debug Output lines containing ``text`` have been written."""
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            try:
                line = self._new.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} in {self.lines}") from None
            if line is None:
                raise AssertionError(f"the command ended without a line with {text!r}: {self.lines}")
            self.lines.append(line)

    def interrupt(self, signum: int = signal.SIGINT) -> None:
        """Press Ctrl-C: send SIGINT (or ``signum``)."""
        self.process.send_signal(signum)

    def finish(self, timeout: float = TIMEOUT) -> Result:
        """Wait for the command to end; return its status and output."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        self._reader.join(timeout)
        while (line := self._new.get_nowait() if not self._new.empty() else None) is not None:
            self.lines.append(line)
        assert self.process.stderr is not None
        return Result(code, "\n".join(self.lines) + ("\n" if self.lines else ""), self.process.stderr.read())


@dataclass
class Result:
    """A finished command: exit status, standard output and standard error."""

    code: int
    stdout: str
    stderr: str

    @property
    def texts(self) -> list[str]:
        """The text of each Debug Output line."""
        return texts(self.stdout)


def run_command(*args: str | Path, timeout: float = TIMEOUT) -> Result:
    """Run ``python -m ws_widget.qsys ARGS`` to its end."""
    return Command(*args).finish(timeout)
