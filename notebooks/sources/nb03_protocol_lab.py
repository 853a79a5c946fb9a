"""Cells of notebooks/03_protocol_lab.ipynb."""

from .cells import code, md

CELLS = [
    md("""
# Protocol lab

What a WebSocket connection does at the protocol level (RFC 6455), and how ws_widget shows it:
the opening handshake and its accept check, every frame with its opcode and bits, fragments,
ping round trips, text and binary frames, close codes and reasons, and what a failed connection
says. Everything runs against the local demo server. The widget shows the same in its tabs:
Messages, Frames, Handshake, Debug Output and Stats.
"""),
    code("""
import socket
import time

import pandas as pd

import ws_widget
from ws_widget import WebSocket, demo

server = demo.start()
print(server.endpoints)
"""),
    md("""
## The opening handshake

A WebSocket starts as an HTTP/1.1 request with `Upgrade: websocket` and a random
`Sec-WebSocket-Key`; the server answers `101 Switching Protocols` with
`Sec-WebSocket-Accept = base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))`.
`ws.handshake` shows both sides (secrets masked) and recomputes the check step by step.
`frame_log=True` also records every frame from the start.
"""),
    code("""
lab = ws_widget.connect(server.url_for("/echo"), frame_log=True, headers={"Authorization": "Bearer class-secret"})
shake = lab.handshake
print(shake["request_line"])
for name, value in shake["request_headers"]:
    print(f"{name}: {value}")
print()
print("HTTP/1.1", shake["status"], shake["reason"])
for name, value in shake["response_headers"]:
    print(f"{name}: {value}")
"""),
    code("""
check = shake["accept_check"]
for step in ("key", "key_plus_guid", "sha1", "accept", "received"):
    print(f"{step:>14}  {check[step]}")
print("the server's accept matches:", check["ok"])
print("extensions:", shake["extensions"])
"""),
    md("""
The widget of this connection shows the same handshake in its Handshake tab, each frame in
Frames, the messages in Messages, the connect and close lines in Debug Output and the rates
and round trips in Stats. Without a kernel (GitHub, nbviewer, before running) the output
below is a dated snapshot of the socket instead.
"""),
    code("""
lab
"""),
    md("""
RFC 6455's own example, computed by the same function:
"""),
    code("""
from ws_widget.pure.handshake import accept_steps
accept_steps("dGhlIHNhbXBsZSBub25jZQ==")["accept"]   # s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
"""),
    md("""
## Frames, fragments and compression

One message may travel as several frames: a first frame (TEXT or BINARY, FIN clear), then
CONTinuation frames, the last with FIN set. `send(..., fragments=N)` sends exactly N frames.
Client frames are always masked; server frames never are. With permessage-deflate, the first
frame of a compressed message has RSV1 set and its length on the wire is the compressed one.
"""),
    code("""
lab.send("fragmented hello " * 8, fragments=3)
lab.receive(5)
lab.ping(payload="lab ping")
lab.frames.to_pandas()[["direction", "kind", "length", "fin", "rsv1", "masked", "payload"]]
"""),
    md("""
The server answered our three fragments with one compressed frame (RSV1 set, fewer bytes than
the 136 characters); the ping and its pong are control frames and never compressed.

## Ping and round-trip time

A ping is a control frame; the peer must answer with a pong carrying the same bytes.
`ws.ping()` sends one and returns the round-trip time in seconds. Each pong is recorded in the
history with its `rtt`; `ws.stats["last_rtt"]` keeps the latest.
"""),
    code("""
echo = ws_widget.connect(server.url_for("/echo"))
rtts = pd.Series([echo.ping() for _ in range(20)]) * 1000
print(f"20 pings on loopback, in ms: median {rtts.median():.2f}, min {rtts.min():.2f}, max {rtts.max():.2f}")
echo.history.tail(2)
"""),
    md("""
## Text and binary frames

A text frame carries UTF-8 and arrives as `str`; a binary frame carries bytes and arrives as
`bytes`. `size` is the size on the wire: `"héllo"` is 5 characters but 6 bytes. A dict is
sent as JSON text. In the seed API, `Write(data)` sends text and `Write(data, True)` binary;
bytes that are not UTF-8 cannot go out as text.
"""),
    code("""
for message in ["héllo", b"\\x00\\x01\\xfe\\xff", {"jsonrpc": "2.0", "method": "NoOp", "id": 1}]:
    echo.send(message)
    reply = echo.receive(timeout=5)
    print(f"sent {type(message).__name__:5} -> received {type(reply).__name__:5} {reply!r}")

try:
    echo.Write(b"\\xff\\xfe")               # as a text frame: not UTF-8
except ValueError as error:
    print("ValueError:", error)

echo.history.to_pandas()[["direction", "kind", "size", "payload"]].tail(6)
"""),
    code("""
echo.close()
"""),
    md("""
## Close codes and reasons

A close frame carries a code and a reason. `/close?code=...&reason=...` makes the demo server
close with the ones asked for. After `Closed`, `ws.close_code` and `ws.close_reason` hold them,
the history's close record has them in its `info` with who closed and whether the closing
handshake was clean, and the Debug Output line names the code's meaning (1000-1015 are
registered in RFC 6455, 3000-3999 by IANA, 4000-4999 are for private use, as a device's own
"session expired" would be). A code the server may not send is refused by the demo with 1008.
"""),
    code("""
rows = []
for code, reason in [(1000, "done"), (1001, "going down"), (1011, "internal error"),
                     (3000, "unauthorized"), (4001, "session expired"), (99, "")]:
    ws = WebSocket()
    ws.connect(server.url_for("/close", code=code, reason=reason))
    ws.wait_closed(5)
    record = ws.history.tail(1)[0]     # the close event
    details = {f"info.{key}": value for key, value in record.info.items() if key not in ("code", "reason")}
    closed_line = next(line for line in reversed(ws.debug_output.lines) if "\\tClosed:" in line)
    rows.append({"asked": code, "close_code": ws.close_code, "close_reason": ws.close_reason, **details,
                 "Debug Output": closed_line.split("\\t", 1)[1]})
pd.DataFrame(rows)
"""),
    md("""
## A failed connection, in one line

When a connection cannot open, the `Error` callback gets one line that says what happened and
what to try, then `Closed` follows; `ws.last_error` keeps the exception behind it. First, a
port nobody listens on:
"""),
    code("""
with socket.socket() as probe:            # a free port: bound, then released
    probe.bind(("127.0.0.1", 0))
    closed_port = probe.getsockname()[1]

ws = WebSocket.New()
ws.Error = lambda ws, err: print("Error:", err)
ws.Closed = lambda ws: print("Closed; close_code:", ws.close_code)
ws.Connect("ws", "127.0.0.1", "/", closed_port)
ws.wait_closed(5)
while ws.pending_callbacks:                # let both callbacks print here
    time.sleep(0.01)
print("last_error:", repr(ws.last_error))
"""),
    md("""
With the Pythonic API, `ws_widget.connect()` raises `ConnectFailedError` with the same line:
here for a path the server has no endpoint at, and for a server that accepts the TCP
connection but never answers the opening handshake (`open_timeout=` seconds, 10 by default).
With no `Error` callback set, ws_widget also prints the line itself (to stderr, in the cell
that connected): a failure is never silent.
"""),
    code("""
silent = socket.socket()                   # accepts TCP connections, never answers the handshake
silent.bind(("127.0.0.1", 0))
silent.listen()

for url, options in [(server.url_for("/no-such-endpoint"), {}),
                     (f"ws://127.0.0.1:{silent.getsockname()[1]}/", {"open_timeout": 0.5})]:
    try:
        ws_widget.connect(url, **options)
    except ws_widget.ConnectFailedError as error:
        print(f"{url}\\n  ConnectFailedError: {error}\\n")
silent.close()
"""),
]
