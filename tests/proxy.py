"""A real TCP proxy on loopback (port 0) that the tests switch at run time to make faults.

It forwards both ways between a client and ``127.0.0.1:upstream_port``, one upstream connection
per client connection, on an asyncio loop of its own thread (one thread: closing a socket
aborts it at once, with an RST, instead of waiting for a blocked reader in another thread).

- :meth:`Proxy.black_hole` stops forwarding in both directions and keeps every TCP connection
  open (a half-open path, as a dead NAT or a pulled cable gives); what arrives meanwhile is held
  back, the first chunk of each direction in the proxy (counted in ``held``), the rest in the
  kernel's buffers;
- :meth:`Proxy.resume` forwards what was held back, in order, and goes on forwarding;
- :meth:`Proxy.cut_after` forwards ``n`` more bytes from the server, then resets both sides
  (``SO_LINGER`` 0: an RST, no FIN) in the middle of whatever frame those bytes belong to;
- ``connections`` counts the client connections accepted, ``forwarded`` the bytes per direction.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading

UP, DOWN = "up", "down"  # client -> server, server -> client


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close a connection abruptly: RST instead of FIN, buffered data dropped."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass  # already closed: nothing left to reset
    writer.transport.abort()


class _Pair:
    """One client connection and its upstream connection."""

    def __init__(self, client: asyncio.StreamWriter, upstream: asyncio.StreamWriter):
        self.writers = {UP: upstream, DOWN: client}
        self.cut = False

    def reset(self) -> None:
        self.cut = True
        for writer in self.writers.values():
            _reset(writer)


class Proxy:
    """A switchable TCP proxy from ``127.0.0.1:port`` to ``127.0.0.1:upstream_port``."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.connections = 0
        self.held = {UP: 0, DOWN: 0}  # bytes read, not forwarded for a black hole (all connections)
        self.forwarded = {UP: 0, DOWN: 0}
        self.was_cut = threading.Event()
        self._cut_left: int | None = None
        self._pairs: list[_Pair] = []
        self._handlers: set[asyncio.Task] = set()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="test-proxy")
        self._thread.start()
        self._flowing = self._call(asyncio.Event)
        self._call(self._flowing.set)
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self.loop
        ).result(10)
        self.port = self._server.sockets[0].getsockname()[1]

    def _call(self, fn, *args):
        """Run ``fn(*args)`` on the proxy's loop and return its result."""

        async def call():
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(10)

    # Switches, from the test's thread.

    def black_hole(self) -> None:
        """Stop forwarding both ways; the TCP connections stay open and nothing is closed."""
        self._call(self._flowing.clear)

    def resume(self) -> None:
        """Forward what was held back, in order, then everything that comes."""
        self._call(self._flowing.set)

    def cut_after(self, n_bytes: int) -> None:
        """Forward ``n_bytes`` more bytes from the server to the client (the next bytes of any
        connection), then reset both sides of that connection;
        ``was_cut`` is set once done."""
        if n_bytes < 1:
            raise ValueError("n_bytes must be at least 1")
        self._call(setattr, self, "_cut_left", n_bytes)

    def close(self) -> None:
        """Stop listening, reset every connection and stop the loop."""

        async def stop():
            self._server.close()
            for pair in self._pairs:
                pair.reset()
            self._flowing.set()  # held pumps wake up, see their pair cut, and end
            if self._handlers:
                await asyncio.wait(self._handlers, timeout=5)

        try:
            asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(5)
            if not self._thread.is_alive():
                self.loop.close()

    def __enter__(self) -> Proxy:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # On the proxy's loop.

    async def _handle(self, client_reader, client_writer) -> None:
        self.connections += 1
        task = asyncio.current_task()
        self._handlers.add(task)
        task.add_done_callback(self._handlers.discard)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            _reset(client_writer)  # as a dead server behind it would look: refused
            return
        pair = _Pair(client_writer, upstream_writer)
        self._pairs.append(pair)
        await asyncio.gather(self._pump(pair, client_reader, UP), self._pump(pair, upstream_reader, DOWN))
        for writer in pair.writers.values():
            writer.close()

    async def _pump(self, pair: _Pair, reader: asyncio.StreamReader, direction: str) -> None:
        writer = pair.writers[direction]
        try:
            while not pair.cut:
                data = await reader.read(65536)
                self.held[direction] += len(data)
                await self._flowing.wait()
                self.held[direction] -= len(data)
                if pair.cut:
                    return
                if not data:  # EOF: pass the half-close on
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                if direction == DOWN and self._cut_left is not None:
                    data = data[: self._cut_left]
                    self._cut_left -= len(data)
                    writer.transport.set_write_buffer_limits(0)  # drain(): all bytes in the kernel
                writer.write(data)
                self.forwarded[direction] += len(data)
                await writer.drain()
                if direction == DOWN and self._cut_left == 0:
                    self._cut_left = None
                    pair.reset()
                    self.was_cut.set()
                    return
        except (ConnectionError, OSError):
            return
