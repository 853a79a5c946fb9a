"""Shared fixtures: real servers on loopback, a helper to wait for callbacks, and a bystander
connection that proves the I/O loop keeps serving others while one connection misbehaves."""

from __future__ import annotations

import contextlib
import itertools
import queue
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from browser import Chromium, JupyterServer
from kernels import Kernel
from servers import AiohttpServer, NodeServer, WebsocketsServer

from ws_widget import State, WebSocket

BYSTANDER_RTT_LIMIT = 2.0  # seconds; on loopback a round trip takes about a millisecond
_tokens = itertools.count()


@pytest.fixture(scope="session")
def server():
    """The websockets server, shared by the session."""
    instance = WebsocketsServer()
    yield instance
    instance.close()


@pytest.fixture(scope="session", params=["websockets", "aiohttp", "node-ws"])
def any_server(request):
    """Each of the three independent server implementations in turn."""
    factory = {"websockets": WebsocketsServer, "aiohttp": AiohttpServer, "node-ws": NodeServer}
    instance = factory[request.param]()
    yield instance
    instance.close()


class Recorder:
    """Collects callback invocations as ``(name, args)`` from any thread."""

    def __init__(self):
        self.events: list[tuple] = []
        self.threads: set[str] = set()
        self._changed = threading.Condition()

    def callback(self, name):
        def record(*args):
            with self._changed:
                self.threads.add(threading.current_thread().name)
                self.events.append((name, *args[1:]))
                self._changed.notify_all()

        return record

    def attach(self, ws):
        for name in ("Connected", "Data", "Error", "Closed", "Pong"):
            setattr(ws, name, self.callback(name))
        return self

    def names(self):
        return [event[0] for event in self.events]

    def data(self):
        """The payloads Data was called with, in order."""
        return [event[1] for event in self.events if event[0] == "Data"]

    def wait_data(self, count=1, timeout=10.0):
        """Wait until Data was called ``count`` times; return the payloads."""
        self.wait_for(lambda events: len(self.data()) >= count, timeout)
        return self.data()

    def wait_for(self, predicate, timeout=10.0):
        """Wait until ``predicate(events)`` holds; fail with the events seen so far."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self.events):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"condition not reached; events: {self.events}")
                self._changed.wait(remaining)

    def wait_closed(self, timeout=10.0):
        self.wait_for(lambda events: any(e[0] == "Closed" for e in events), timeout)


@pytest.fixture
def recorder():
    return Recorder()


class Bystander:
    """A connection to the normal echo server that must keep working whatever another
    connection goes through: each round trip goes out through the I/O loop and comes back
    through the ``Data`` callback on the event thread."""

    def __init__(self, server):
        self.received: queue.Queue = queue.Queue()
        self.errors: list[str] = []
        self.rtts: list[float] = []
        self.ws = WebSocket.New()
        self.ws.Data = lambda ws, data: self.received.put(data)
        self.ws.Error = lambda ws, err: self.errors.append(err)
        self.ws.connect(server.url("/echo"))

    def round_trip(self) -> float:
        token = f"bystander-{next(_tokens)}"
        started = time.monotonic()
        self.ws.Write(token)
        try:
            echoed = self.received.get(timeout=BYSTANDER_RTT_LIMIT)
        except queue.Empty:
            pytest.fail(f"the bystander's echo did not come back within {BYSTANDER_RTT_LIMIT} s")
        rtt = time.monotonic() - started
        assert echoed == token
        self.rtts.append(rtt)
        return rtt

    @contextlib.contextmanager
    def busy(self):
        """Make round trips one after another on a thread of its own while the block runs;
        a late or wrong echo fails the test when the block ends. Use :meth:`more_round_trips`
        inside the block to see some complete at a given moment."""
        stop, failures = threading.Event(), []

        def loop():
            try:
                while not stop.is_set():
                    self.round_trip()
                    stop.wait(0.005)
            except BaseException as exc:  # noqa: BLE001 - pytest.fail raises a BaseException
                failures.append(exc)

        thread = threading.Thread(target=loop, daemon=True, name="bystander")
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join(BYSTANDER_RTT_LIMIT + 5)
        if failures:
            raise failures[0]

    def more_round_trips(self, count: int = 1, timeout: float = 10.0) -> None:
        """Inside :meth:`busy`: wait until ``count`` more round trips completed."""
        target = len(self.rtts) + count
        deadline = time.monotonic() + timeout
        while len(self.rtts) < target:
            if time.monotonic() > deadline:
                pytest.fail(f"the bystander made {len(self.rtts) - target + count} of {count} round trips")
            time.sleep(0.005)

    def close(self) -> None:
        self.ws.close()
        assert self.ws.close_code == 1000
        assert self.errors == []


@pytest.fixture
def bystander(server):
    """A bystander echo connection; at the end it must still be open and answer."""
    instance = Bystander(server)
    yield instance
    assert instance.ws.state is State.OPEN, "the case disturbed another connection"
    instance.round_trip()
    instance.close()


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per module (Playwright's sync API keeps an event loop running in
    this thread while it lives, which would break later tests that call asyncio.run)."""
    with Chromium() as instance:
        yield instance


@pytest.fixture(scope="module", params=["lab", "notebook"])
def jupyter(request, chromium):
    """A JupyterLab or Notebook 7 server, shared by this module's tests of that flavour."""
    server = JupyterServer(request.param).start()
    try:
        yield server
    finally:
        server.stop()
    assert server.leftover_processes() == [], "kernels or servers outlived the server"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """One real kernel for the module, started with the venv's python3 kernelspec."""
    instance = Kernel(cwd=str(tmp_path_factory.mktemp("kernel")))
    try:
        yield instance
    finally:
        instance.shutdown()
