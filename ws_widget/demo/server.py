"""The demo server's life: a ``websockets`` server on a daemon thread with an asyncio loop of its own.

It never shares the client's I/O loop, so a notebook can talk to it through ws_widget like to any
remote device. ``start()`` is idempotent: a second call with the same arguments returns the
server already running.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import logging
import shutil
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from websockets.asyncio.server import Server, serve

from .certs import CertificateFiles, make_certificates
from .design import Design
from .endpoints import Endpoints

START_TIMEOUT = 10.0
# Outside the logging tree and never at DEBUG, where websockets logs every request header: a
# notebook that turns on DEBUG logging must not print the tokens it sent to the demo server.
_LOGGER = logging.Logger("ws_widget.demo", logging.INFO)
STOP_TIMEOUT = 10.0

_running: list[DemoServer] = []
_running_lock = threading.Lock()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DemoServer:
    """The demo device server: ``/echo``, ``/telemetry``, ``/close``, ``/qrc``, ``/qrc-public-api/v0``.

    Prefer ``ws_widget.demo.start()``, which reuses a running server.

    Args:
        host: Address to listen on; loopback only unless ``allow_remote`` is true.
        port: TCP port; 0 picks a free one.
        tls: Serve ``wss://`` with a certificate made at start; its CA is ``ca_file``.
        users: ``{user: password}`` that QRC ``Logon`` must match; ``None`` accepts any logon.
        allow_remote: Allow a non-loopback ``host``, which exposes the server to the network.

    Raises:
        ValueError: ``host`` is not a loopback address and ``allow_remote`` is false.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
        *,
        users: dict[str, str] | None = None,
        allow_remote: bool = False,
    ):
        if not allow_remote and not _is_loopback(host):
            raise ValueError(
                f"the demo server listens on loopback only, not {host!r}; "
                "pass allow_remote=True to expose it to the network"
            )
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be 0 to 65535, got {port!r}")
        self.host = "127.0.0.1" if host == "localhost" else host  # one address, so port 0 means one port
        self.port = port
        self.tls = tls
        self.users = dict(users) if users is not None else None
        self.allow_remote = allow_remote
        self._certificates: CertificateFiles | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- addresses -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server accepts connections."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def scheme(self) -> str:
        return "wss" if self.tls else "ws"

    @property
    def url(self) -> str:
        """The server's base URL, e.g. ``ws://127.0.0.1:8765``."""
        if not self.running:
            raise RuntimeError("the demo server is not running: call start() first")
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"{self.scheme}://{host}:{self.port}"

    def url_for(self, path: str = "/", **query: Any) -> str:
        """The URL of an endpoint: ``url_for("/telemetry", rate=5)`` -> ``ws://...:port/telemetry?rate=5``."""
        path = path if path.startswith("/") else "/" + path
        if query:
            path += ("&" if "?" in path else "?") + urlencode(query)
        return self.url + path

    @property
    def endpoints(self) -> dict[str, str]:
        """The URL of every endpoint, by path."""
        return {path: self.url_for(path) for path in Endpoints.PATHS}

    @property
    def ca_file(self) -> Path | None:
        """The PEM file of the CA that signed the server's certificate (``tls=True`` only), for ``ca=``."""
        return self._certificates.ca_file if self._certificates else None

    def client_ssl_context(self) -> ssl.SSLContext | None:
        """An SSL context that trusts this server's certificate (``None`` without TLS)."""
        return self._certificates.client_context() if self._certificates else None

    # -- life ------------------------------------------------------------------------------

    def start(self) -> DemoServer:
        """Start serving on a daemon thread; return at once if already running.

        Raises:
            OSError: the port is taken, or the address cannot be bound.
            ImportError: ``tls=True`` and ``cryptography`` is missing (``pip install 'ws-widget[demo]'``).
        """
        with self._lock:
            if self.running:
                return self
            ssl_context = None
            if self.tls:
                directory = Path(tempfile.mkdtemp(prefix="ws_widget-demo-"))
                try:
                    self._certificates = make_certificates(directory, self.host)
                except BaseException:
                    shutil.rmtree(directory, ignore_errors=True)
                    raise
                ssl_context = self._certificates.server_context()
            started: concurrent.futures.Future[int] = concurrent.futures.Future()
            self._thread = threading.Thread(
                target=self._run, args=(ssl_context, started), name="ws_widget-demo-server", daemon=True
            )
            self._thread.start()
            try:
                self.port = started.result(START_TIMEOUT)
            except BaseException as exc:
                self._thread.join(STOP_TIMEOUT)
                self._thread = None
                self._remove_certificates()
                if isinstance(exc, OSError):
                    raise OSError(
                        exc.errno,
                        f"cannot start the demo server on {self.host}:{self.port}: {exc.strerror or exc}",
                    ) from exc
                raise
        return self

    def stop(self) -> None:
        """Close every connection (1001, going away), stop the thread and delete the certificate."""
        with self._lock:
            thread, loop, event = self._thread, self._loop, self._stop_event
            if thread is None:
                return
            if threading.current_thread() is thread:
                raise RuntimeError("stop() cannot run on the demo server's own thread")
            if loop is not None and event is not None and thread.is_alive():
                loop.call_soon_threadsafe(event.set)
            thread.join(STOP_TIMEOUT)
            self._thread = None
            self._remove_certificates()
        with _running_lock:
            if self in _running:
                _running.remove(self)

    def _remove_certificates(self) -> None:
        if self._certificates is not None:
            shutil.rmtree(self._certificates.ca_file.parent, ignore_errors=True)
            self._certificates = None

    def _run(self, ssl_context: ssl.SSLContext | None, started: concurrent.futures.Future[int]) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(loop, ssl_context, started))
        finally:
            loop.close()

    async def _serve(
        self,
        loop: asyncio.AbstractEventLoop,
        ssl_context: ssl.SSLContext | None,
        started: concurrent.futures.Future[int],
    ) -> None:
        endpoints = Endpoints(Design(), users=self.users)
        try:
            server: Server = await serve(
                endpoints,
                self.host,
                self.port,
                ssl=ssl_context,
                process_request=endpoints.process_request,
                logger=_LOGGER,
            )
        except BaseException as exc:  # noqa: BLE001 - handed to start(), which raises it
            started.set_exception(exc)
            return
        self._loop, self._stop_event = loop, asyncio.Event()
        started.set_result(server.sockets[0].getsockname()[1])
        try:
            await self._stop_event.wait()
        finally:
            server.close()
            await server.wait_closed()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"<DemoServer {where}>"

    def _matches(self, host: str, port: int, tls: bool, users: dict[str, str] | None) -> bool:
        host = "127.0.0.1" if host == "localhost" else host
        return (
            self.running
            and self.host == host
            and self.tls == tls
            and self.users == users
            and port in (0, self.port)
        )


def start(
    host: str = "127.0.0.1",
    port: int = 0,
    tls: bool = False,
    *,
    users: dict[str, str] | None = None,
    allow_remote: bool = False,
) -> DemoServer:
    """Start the demo server in the background, or return the one running with these arguments.

    Args:
        host: Address to listen on; loopback only unless ``allow_remote`` is true.
        port: TCP port; 0 picks a free one (and matches a running server on any port).
        tls: Serve ``wss://`` with a certificate made now; trust it with ``server.ca_file``.
        users: ``{user: password}`` that QRC ``Logon`` must match; ``None`` accepts any logon.
        allow_remote: Allow a non-loopback ``host``.

    Returns:
        The running server: ``.url``, ``.port``, ``.url_for(path)``, ``.stop()``.
    """
    with _running_lock:
        for server in _running:
            if server._matches(host, port, tls, users):
                return server
        server = DemoServer(host, port, tls, users=users, allow_remote=allow_remote).start()
        _running.append(server)
        return server


def stop_all() -> None:
    """Stop every server that ``start()`` started."""
    with _running_lock:
        servers = list(_running)
    for server in servers:
        server.stop()
