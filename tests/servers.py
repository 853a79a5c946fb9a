"""Real WebSocket servers on loopback (port 0) for the tests, each on its own thread or process.

Every server speaks the same small set of paths so that one test can run against several
independent implementations:

- ``/echo``: echoes each message, text or binary;
- ``/fragments``: sends ``alpha-beta-gamma`` as three fragments (TEXT, CONT, CONT+FIN);
- ``/close?code=&reason=``: closes with that code and reason;
- ``/headers``: sends the request headers as a JSON object;
- ``/forbidden`` answers HTTP 403 (websockets server only); any other path answers HTTP 404.

The websockets server also has ``/big?size=`` (one binary message of that size), ``/ping``
(the server pings once), ``/silent`` (never answers anything), ``/flood?n=&size=`` (n messages
as fast as it can), ``/mixed?n=`` (text, binary and fragmented messages in turn) and
``/count?n=&close=1`` (sends n numbered messages, then closes if asked).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import ssl
import subprocess
import threading
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

NODE_DIR = Path(__file__).parent / "node"


class LoopThread:
    """An asyncio loop on a daemon thread, for servers."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="test-server")
        self.thread.start()

    def run(self, coro, timeout=10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.thread.is_alive():
            self.loop.close()


def _query(path: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(path).query).items()}


async def _websockets_handler(connection):
    path = urlsplit(connection.request.path).path
    query = _query(connection.request.path)
    if path == "/echo":
        async for message in connection:
            await connection.send(message)
    elif path == "/fragments":
        await connection.send(iter(["alpha-", "beta-", "gamma"]))
        await connection.wait_closed()
    elif path == "/close":
        await connection.close(int(query.get("code", 1000)), query.get("reason", ""))
    elif path == "/headers":
        await connection.send(json.dumps(dict(connection.request.headers.raw_items())))
        await connection.wait_closed()
    elif path == "/big":
        await connection.send(os.urandom(int(query["size"])))
        await connection.wait_closed()
    elif path == "/ping":
        await connection.ping(b"server-ping")
        await connection.wait_closed()
    elif path == "/count":
        for number in range(int(query.get("n", 10))):
            await connection.send(str(number))
        if query.get("close"):
            await connection.close()
        await connection.wait_closed()
    elif path == "/mixed":
        for number in range(int(query.get("n", 300))):
            if number % 3 == 0:
                await connection.send(iter([f"{number}", "-", "fragmented"]))
            elif number % 3 == 1:
                await connection.send(str(number).encode())
            else:
                await connection.send(str(number))
        await connection.wait_closed()
    elif path == "/flood":
        payload = "x" * int(query.get("size", 64))
        for _ in range(int(query.get("n", 100000))):
            await connection.send(payload)
        await connection.wait_closed()
    elif path == "/numbered":  # n messages "00000000xxxx..." of size bytes each, as fast as TCP takes them
        size = int(query.get("size", 64))
        for number in range(int(query.get("n", 1000))):
            await connection.send(f"{number:08d}".ljust(size, "x"))
        await connection.wait_closed()
    elif path == "/silent":
        await connection.wait_closed()


def _websockets_process_request(connection, request):
    path = urlsplit(request.path).path
    if path == "/forbidden":
        response = connection.respond(HTTPStatus.FORBIDDEN, "forbidden: bad token\n")
        response.headers["WWW-Authenticate"] = 'Bearer realm="device"'
        return response
    if path not in (
        "/echo",
        "/fragments",
        "/close",
        "/headers",
        "/big",
        "/ping",
        "/count",
        "/silent",
        "/flood",
        "/mixed",
        "/numbered",
    ):
        return connection.respond(HTTPStatus.NOT_FOUND, "not found\n")
    return None


def _select_first(connection, subprotocols):
    return subprotocols[0] if subprotocols else None


class WebsocketsServer:
    """The ``websockets`` asyncio server."""

    name = "websockets"

    def __init__(self, ssl_context: ssl.SSLContext | None = None, port: int = 0, **kwargs):
        self.close_codes: list[int | None] = []  # close code of each finished connection
        self.loop = LoopThread()
        self.server = self.loop.run(self._start(ssl_context, port, kwargs))
        self.port = self.server.sockets[0].getsockname()[1]
        self.scheme = "wss" if ssl_context else "ws"

    async def _start(self, ssl_context, port, kwargs):
        async def handler(connection):
            try:
                await _websockets_handler(connection)
            except ConnectionClosed:
                pass  # the client left with an error code: not the server's failure
            finally:
                await connection.wait_closed()
                self.close_codes.append(connection.close_code)

        return await serve(
            handler,
            "127.0.0.1",
            port,
            ssl=ssl_context,
            process_request=_websockets_process_request,
            select_subprotocol=_select_first,
            max_size=None,
            **kwargs,
        )

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def close(self):
        async def stop():
            self.server.close()
            await self.server.wait_closed()

        try:
            self.loop.run(stop())
        finally:
            self.loop.stop()


class AiohttpServer:
    """aiohttp's WebSocket server, an implementation independent of websockets.

    It has no ``/fragments``: aiohttp offers no public way to send fragments."""

    name = "aiohttp"

    def __init__(self):
        self.loop = LoopThread()
        self.runner, self.port = self.loop.run(self._start())
        self.scheme = "ws"

    async def _start(self):
        from aiohttp import WSMsgType, web

        async def handle(request):
            path = request.path
            offered = request.headers.get("Sec-WebSocket-Protocol", "").replace(" ", "").split(",")
            ws = web.WebSocketResponse(protocols=offered[:1] if offered[0] else ())
            await ws.prepare(request)
            if path == "/echo":
                async for message in ws:
                    if message.type == WSMsgType.TEXT:
                        await ws.send_str(message.data)
                    elif message.type == WSMsgType.BINARY:
                        await ws.send_bytes(message.data)
            elif path == "/close":
                await ws.close(
                    code=int(request.query.get("code", 1000)),
                    message=request.query.get("reason", "").encode(),
                )
            elif path == "/headers":
                await ws.send_str(json.dumps(dict(request.headers)))
                async for _ in ws:
                    pass
            return ws

        app = web.Application()
        for path in ("/echo", "/close", "/headers"):
            app.router.add_get(path, handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, site._server.sockets[0].getsockname()[1]

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def close(self):
        try:
            self.loop.run(self.runner.cleanup())
        finally:
            self.loop.stop()


class NodeServer:
    """Node's ``ws`` server in a child process: ``tests/node/server.js``, or another ``script``
    that prints its port and ends when its stdin closes (``benchmarks/server.js``)."""

    name = "node-ws"

    def __init__(self, script: Path = NODE_DIR / "server.js"):
        node = shutil.which("node")
        if node is None or not (NODE_DIR / "node_modules" / "ws").is_dir():
            raise RuntimeError(
                "Node's ws is not installed: run `npm ci --prefix tests/node` (make test does)"
            )
        self.process = subprocess.Popen(
            [node, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.process.stdout.readline())
        self.scheme = "ws"

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
