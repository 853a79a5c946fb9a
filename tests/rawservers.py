"""Raw TCP servers for the tests: they speak exactly the bytes a test gives them, so they can
break every rule of HTTP and RFC 6455 that a real server library would refuse to break.

- :class:`RawServer` listens on 127.0.0.1, port 0, and runs ``respond(sock)`` per connection;
- :func:`read_request` / :func:`accept_upgrade` read the client's upgrade request and answer it;
- :func:`frame` builds a server frame (any opcode, FIN, RSV bits, optionally masked);
- :class:`FrameReader` reads the client's (masked) frames;
- :func:`finish_closing` ends a connection as an RFC-abiding server would after the client's
  close frame: echo it, then close TCP.
"""

from __future__ import annotations

import socket
import struct
import threading

from ws_widget.pure.handshake import accept_steps

_SWITCHING = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"


class RawServer:
    """A TCP server on loopback that answers each connection with ``respond(sock)``.

    ``respond`` runs on a thread of its own per connection; an ``OSError`` in it (the client
    went away, which hostile servers provoke on purpose) ends that thread quietly.
    """

    def __init__(self, respond):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.respond = respond
        self.clients = []
        threading.Thread(target=self._serve, daemon=True, name="raw-server").start()

    def _serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)
            threading.Thread(
                target=self._respond, args=(client,), daemon=True, name="raw-server-client"
            ).start()

    def _respond(self, client):
        try:
            self.respond(client)
        except OSError:
            pass

    def close(self):
        """Stop listening and end every connection. ``shutdown`` first: a bare ``close`` sends
        no FIN while a ``respond`` thread is still blocked in ``recv`` on that socket, and the
        client (and with it the interpreter, which waits for open connections) would wait."""
        self.sock.close()
        for client in self.clients:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by respond
            client.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def read_request(client) -> str:
    """Read a client's HTTP request head (up to the blank line) and return it as text."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def request_key(request: str) -> str:
    """The ``Sec-WebSocket-Key`` of a request read by :func:`read_request`."""
    return next(
        line.split(":", 1)[1].strip()
        for line in request.split("\r\n")
        if line.lower().startswith("sec-websocket-key")
    )


def switching_protocols(request: str, extra_headers: bytes = b"") -> bytes:
    """The bytes of a valid 101 answer to ``request``."""
    accept = accept_steps(request_key(request))["accept"].encode()
    return _SWITCHING + b"Sec-WebSocket-Accept: " + accept + b"\r\n" + extra_headers + b"\r\n"


def accept_upgrade(client, extra_headers: bytes = b"") -> str:
    """Read a client's upgrade request on a raw socket and answer 101 with the right accept;
    return the request."""
    request = read_request(client)
    client.sendall(switching_protocols(request, extra_headers))
    return request


def frame(
    opcode: int, payload: bytes = b"", *, fin: bool = True, rsv: int = 0, mask: bytes | None = None
) -> bytes:
    """One WebSocket frame as a server would send it (unmasked unless ``mask`` is given)."""
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if mask is not None else 0
    length = len(payload)
    if length < 126:
        head += bytes([mask_bit | length])
    elif length < 65536:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if mask is not None:
        payload = mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + payload


class FrameReader:
    """Reads the frames a client sends on a raw socket: ``(opcode, payload)``, unmasked."""

    def __init__(self, client):
        self.client = client
        self.buffer = bytearray()

    def _exactly(self, count: int) -> bytes | None:
        while len(self.buffer) < count:
            chunk = self.client.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def next(self) -> tuple[int, bytes] | None:
        """The next frame, or None at EOF."""
        head = self._exactly(2)
        if head is None:
            return None
        opcode, length = head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._exactly(8))[0]
        mask = self._exactly(4) if head[1] & 0x80 else b"\0\0\0\0"
        payload = self._exactly(length) if length else b""
        if payload is None:
            return None
        return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def finish_closing(client, reader: FrameReader | None = None, reply: bool = True) -> bytes | None:
    """Read the client's frames until its close frame; echo it (``reply``) and close TCP.

    Returns the close frame's payload (code and reason), or None if the client never sent one.
    """
    reader = reader or FrameReader(client)
    while (received := reader.next()) is not None:
        opcode, payload = received
        if opcode == 0x8:
            if reply:
                client.sendall(frame(0x8, payload))
            client.close()
            return payload
    client.close()
    return None


def drain(client) -> None:
    """Read and ignore everything until the client closes the TCP connection."""
    try:
        while client.recv(65536):
            pass
    except OSError:
        pass
