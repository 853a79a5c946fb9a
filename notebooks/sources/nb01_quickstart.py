"""Cells of notebooks/01_quickstart.ipynb."""

from .cells import code, md

CELLS = [
    md("""
# ws_widget quick start

A WebSocket client for notebooks that speaks the **Q-SYS Lua WebSocket and Timer API**, with a
live widget and a full message history. Everything here runs offline against the built-in demo
server, which this first cell starts on `127.0.0.1`.
"""),
    code("""
from ws_widget import WebSocket, Timer, demo

server = demo.start()          # a local device: /echo, /telemetry, /close, /qrc
print(server.url)
"""),
    md("""
## The Q-SYS seed, line by line

Callbacks run on ws_widget's own event thread, one at a time, in the order events arrive; what
they `print()` lands in the cell that called `Connect`, even after that cell has finished.
"""),
    code("""
ws = WebSocket.New()
print(ws)
ws.Connected = lambda ws: print("Connected")
ws.Data      = lambda ws, data: print("Data", data)
ws.Error     = lambda ws, err: print("Error", err)
ws.Closed    = lambda ws: print("closed", ws.close_code)
ws.Pong      = lambda ws: print("pong")
ws.Connect("ws", "127.0.0.1", "/echo", server.port, None, {"Authorization": "Bearer my-auth-token"})
"""),
    md("""
When the notebook runs live in JupyterLab or Notebook 7, what the callbacks print (`Data Hey!`,
`pong`) appears under the cell above, the one that called `Connect` (`ws_widget.callback_output`
can send it to the running cell, or to the Debug Output only). Writes made while still connecting are queued and
sent in order once open. Every socket also keeps a Q-SYS-style Debug Output, shown here.
"""),
    code("""
ws.Write("Hey!")
ws.Write(b"\\x01\\x02", True)  # a binary frame
ws.Ping()
ws.wait_for(2)                 # Python only: wait for the two echoes
print(ws.debug_output)
"""),
    md("""
## The widget

The last expression of a cell shows the socket's widget: state, URL (secrets masked), counters,
a composer (Text, JSON, hex, base64; Ctrl+Enter sends), Ping, and the whole history with
filters. Click a row to see its full payload.
"""),
    code("ws"),
    md("""
## A Timer, as in Q-SYS

`Start(seconds)` repeats, first tick one period after `Start`.
"""),
    code("""
t = Timer.New()
t.EventHandler = lambda timer: ws.Write(f"tick at {Timer.Now():.0f}")
t.Start(0.5)
Timer.CallAfter(t.Stop, 1.6)   # three ticks, then stop
"""),
    md("""
## The Pythonic API

`ws_widget.connect(url)` waits until the connection is open; `receive()` returns each incoming
message once; dicts are sent as JSON.
"""),
    code("""
import json
import ws_widget

telemetry = ws_widget.connect(server.url_for("/telemetry", rate=20, count=10, seed=1))
readings = [json.loads(message) for message in telemetry]   # until the server closes
print(len(readings), "readings; first:", readings[0])
"""),
    md("""
## The history

Every frame and event is recorded with a sequence number, times, direction, kind and size.
"""),
    code("""
import time
time.sleep(2)                  # let the timer finish
ws.history.tail(4)
"""),
    code("""
ws.history.to_pandas()[["direction", "kind", "size", "payload"]].tail(8)
"""),
    code("""
ws.Close()
ws.wait_closed(5)
print(ws.state.name, ws.close_code)
"""),
]
