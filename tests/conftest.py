"""Shared fixtures: real servers on loopback and a helper to wait for callbacks."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from servers import AiohttpServer, NodeServer, WebsocketsServer  # noqa: E402
from browser import Chromium, JupyterServer  # noqa: E402
from kernels import Kernel  # noqa: E402


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
