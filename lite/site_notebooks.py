"""Cells of the JupyterLite site's notebooks (lite/build.py writes them into the site, unexecuted).

Like notebooks/sources (and with its cell constructors), one list of cells per notebook; these
run in the browser's Pyodide kernel, so they install ws_widget from the site's own wheels and use
only what a page can do.
"""

from __future__ import annotations

from notebooks.sources.cells import code, md  # the cell constructors of notebooks/sources

INSTALL = code("%pip install -q ws_widget")

QUICKSTART = [
    md("""
# ws_widget in the browser

This notebook runs in your browser: the kernel is Pyodide (Python compiled to WebAssembly) and
nothing is installed on a computer. `%pip install` below installs ws_widget from this site's
own files, without the internet.
"""),
    INSTALL,
    md("""
## Your server

Type the host and port of a WebSocket server here. For an echo server on your computer, run
`python -m ws_widget.demo` there (it prints its URL; its echo path is `/echo`). A page served
over `https://` may only connect to `wss://` servers.
"""),
    code("""
SCHEME, HOST, PATH, PORT = "ws", "127.0.0.1", "/echo", 8765
"""),
    md("""
## The Q-SYS seed, line by line

Callbacks run one at a time, in arrival order, on the kernel's loop; what they `print()` lands
under the cell that called `Connect`, even for messages that come later.
"""),
    code("""
import ws_widget
from ws_widget import WebSocket

ws = WebSocket.New()
ws.Connected = lambda ws: print("Connected")
ws.Data = lambda ws, data: print("Data", data)
ws.Closed = lambda ws: print("Closed", ws.close_code, ws.close_reason)
ws.Connect(SCHEME, HOST, PATH, PORT)
ws
"""),
    md("""
The widget above shows the state, the history and a composer (Ctrl+Enter sends). In the
browser a cell waits with `await`: `ws.aio` has the waiting calls.
"""),
    code("""
await ws.aio.wait_open(10)
ws.Write("echo-me")
print("aio.receive:", await ws.aio.receive(10))
"""),
    md("""
## What a page cannot do

A web page cannot set handshake headers, send pings or see frames; ws_widget says so instead
of failing later.
"""),
    code("""
try:
    WebSocket.New().Connect(SCHEME, HOST, PATH, PORT, None, {"Authorization": "Bearer x"})
except ws_widget.BrowserLimitError as exc:
    print("refused:", exc)
"""),
    md("""
## Close with a code and a reason
"""),
    code("""
ws.Close(4000, "done")
await ws.aio.wait_closed(10)
print("closed:", ws.close_code, ws.close_reason, [record.kind for record in ws.history])
"""),
]

RECORDED = [
    md("""
# A recorded session, offline

`qrc.cassette.txt` next to this notebook is a session recorded once against the QRC
simulator of ws_widget's demo server (`ws.save_cassette(path)` on a computer). Here it is read
and explored without any device or server. (A cassette is JSON Lines; these files end in `.txt`
because the kernel's view of the site's files cannot open a `.jsonl` file in JupyterLite 0.8.6.)
"""),
    INSTALL,
    code("""
import ws_widget
from ws_widget import History

cassette = ws_widget.load_cassette("qrc.cassette.txt")
print(cassette.url, "-", len(cassette.frames), "frames")
for frame in cassette.frames:
    print(f"{frame.t:7.3f} s", frame.direction, frame.kind, (frame.payload or "")[:80])
"""),
    md("""
## The whole history, as JSON Lines

`ws.history.to_jsonl(path)` wrote `qrc.session.txt`; `History.from_jsonl` reads it back, with
its filters and exports.
"""),
    code("""
history = History.from_jsonl("qrc.session.txt")
print(len(history), "records:", [record.kind for record in history])
history
"""),
    md("""
## Replaying it, offline, with the seed API

`ws_widget.ReplayServer(path)` plays the cassette's server side. A page cannot listen on a
port, so here it plays in-process, at a reserved address (`ws://replay.invalid:<n>/...`) that
only this kernel's WebSockets reach: each recorded answer comes once the client has sent the
request recorded before it, with the recorded timing. The seed API connects to it as to a device.
"""),
    code("""
from ws_widget import WebSocket

server = ws_widget.ReplayServer("qrc.cassette.txt")
ws = WebSocket.New()
ws.Connected = lambda ws: print("Connected to", server.url)
ws.Data = lambda ws, data: print("Data", data[:60])
ws.Closed = lambda ws: print("Closed", ws.close_code, ws.close_reason)
ws.Connect("ws", server.host, server.path, server.port)
await ws.aio.wait_open(10)
for frame in cassette.frames:
    if frame.direction == "out" and frame.is_message:
        ws.Write(frame.payload)  # what the recorded client sent
await ws.aio.wait_for(3, 10)
ws.Close()
await ws.aio.wait_closed(10)
server.stop()
"""),
    md("""
## Or replay the whole session

`ws_widget.replay(path)` also sends the recorded client messages at their recorded times, so
the new WebSocket's history, callbacks and widget show the recorded session.
"""),
    code("""
copy = ws_widget.replay("qrc.cassette.txt", speed=None)
await copy.aio.wait_closed(10)
print("replayed:", [record.kind for record in copy.history], copy.close_code)
copy
"""),
]

NOTEBOOKS = {"quickstart.ipynb": QUICKSTART, "recorded_session.ipynb": RECORDED}
