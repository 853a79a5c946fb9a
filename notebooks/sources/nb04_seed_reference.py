"""Cells of notebooks/04_seed_reference.ipynb."""

from .cells import code, md

CELLS = [
    md("""
# The Q-SYS seed API, Lua and Python side by side

ws_widget speaks the Q-SYS Lua `WebSocket` and `Timer` API, so a control script moves between
a Q-SYS Core and a notebook line by line. Every call below is shown in Lua (as in a Q-SYS
Control Script) and in Python, then run against the local demo server.

| Q-SYS Lua | ws_widget Python | Notes |
| --- | --- | --- |
| `ws = WebSocket.New()` | `ws = WebSocket.New()` | `print(ws)` prints `websocket` in both |
| `ws:Connect(protocol, host, url, port, sub_protocol, headers)` | `ws.Connect(protocol, host, url, port, sub_protocol, headers)` | `nil` is `None`, a table of headers is a dict; Python adds keyword options |
| `ws:Write(data)` | `ws.Write(data)` | a text frame |
| `ws:Write(data, true)` | `ws.Write(data, True)` | a binary frame |
| `ws:Ping()` | `ws.Ping()` | `Pong` fires; `ws.ping()` returns the round-trip time |
| `ws:Close()` | `ws.Close()` | code 1000; Python also takes `code=`, `reason=` |
| `ws.Connected = function(ws) ... end` | `ws.Connected = lambda ws: ...` | |
| `ws.Data = function(ws, data) ... end` | `ws.Data = lambda ws, data: ...` | `data` is `str` for text, `bytes` for binary |
| `ws.Error = function(ws, err) ... end` | `ws.Error = lambda ws, err: ...` | `err` is one line saying what to try |
| `ws.Closed = function(ws) ... end` | `ws.Closed = lambda ws: ...` | then `ws.close_code`, `ws.close_reason` |
| `ws.Pong = function(ws) ... end` | `ws.Pong = lambda ws: ...` | |
| `t = Timer.New()` | `t = Timer.New()` | |
| `t.EventHandler = function(timer) ... end` | `t.EventHandler = lambda timer: ...` | |
| `t:Start(seconds)` / `t:Stop()` | `t.Start(seconds)` / `t.Stop()` | repeats; first tick one period after `Start` |
| `t:IsRunning()` | `t.IsRunning()` | |
| `Timer.CallAfter(fn, seconds)` | `Timer.CallAfter(fn, seconds)` | once |
| `Timer.Now()` | `Timer.Now()` | seconds; compare two readings |
| `print(...)` | `print(...)` | Q-SYS: the Debug Output; here: the cell that called `Connect` or `Start`, and `ws.debug_output` (`ws_widget.callback_output` chooses) |

Lua's `ws:Connect(...)` is Python's `ws.Connect(...)`: the colon passes `ws` itself, which a
Python method does by itself. A callback may take fewer parameters than it is given
(`lambda: print("open")`), as in Lua.

**Reading this notebook.** Callbacks run on ws_widget's event thread, and what they print
lands in the cell that called `Connect`, even after that cell finished: run live in
JupyterLab or Notebook 7, you see it there. (Voila shows no output that comes after it ran the
notebook: there, later prints are in the widget's Debug Output tab only.)
`ws_widget.callback_output = "running_cell"` sends them to the cell running when the message
comes instead, `"debug_output"` only to the Debug Output; `ws.callback_output` chooses for one
socket. Cells below also print the socket's Debug Output, which ws_widget
keeps like a Core does (every callback's print is copied there, with a Q-SYS time stamp), so
the executed notebook reads top to bottom.
"""),
    code("""
import threading
import time

import ws_widget
from ws_widget import Timer, WebSocket, demo

server = demo.start()          # a local device: /echo, /telemetry, /close, /qrc
HOST, PORT = "127.0.0.1", server.port


def settle(ws, timeout=5.0):
    \"\"\"Wait until the callbacks queued for ``ws`` so far have run.\"\"\"
    deadline = time.monotonic() + timeout
    while ws.pending_callbacks and time.monotonic() < deadline:
        time.sleep(0.01)


def debug_output(ws):
    \"\"\"Print the socket's Debug Output lines since the last call.\"\"\"
    settle(ws)
    print(ws.debug_output)
    ws.debug_output.clear()
"""),
    md("""
## WebSocket.New

```lua
ws = WebSocket.New()
print(ws)
```
"""),
    code("""
ws = WebSocket.New()
print(ws)
"""),
    md("""
## The callbacks

```lua
ws.Connected = function(ws) print("Connected") end
ws.Data = function(ws, data) print("Data", data) end
ws.Error = function(ws, err) print("Error", err) end
ws.Closed = function(ws) print("Closed") end
ws.Pong = function(ws) print("Pong") end
```

In Python a `lambda` fits on one line; a `def` takes as many lines as the Lua function.
"""),
    code("""
ws.Connected = lambda ws: print("Connected")
ws.Data = lambda ws, data: print("Data", repr(data))
ws.Error = lambda ws, err: print("Error", err)
ws.Pong = lambda ws: print("Pong")

def closed(ws):
    print("Closed", ws.close_code, ws.close_reason)

ws.Closed = closed
"""),
    md("""
## Connect, with an auth header

```lua
ws:Connect("ws", "127.0.0.1", "/echo", 8765, nil, { ["Authorization"] = "Bearer my-auth-token" })
```

Arguments: protocol (`"ws"` or `"wss"`), host, url (path and query), port, sub-protocol (or
`nil`/`None`), and a table of extra HTTP headers for the opening handshake: the place for
credentials such as `Authorization`. `Connect` returns at once; `Connected` fires once the
connection is open. Here `wait_open()` waits for that, so that this cell shows it.

Secrets never show: the history records the handshake with `Authorization`, `Cookie`,
`X-Api-Key` and the like masked as `****`, and the same goes for passwords and token-like
query parameters in URLs, in the widget, the Debug Output and every export.
"""),
    code("""
ws.Connect("ws", HOST, "/echo", PORT, None, {"Authorization": "Bearer my-auth-token"})
ws.wait_open(5)
debug_output(ws)
"""),
    md("""
The socket's widget: its Debug Output tab shows these lines, and every callback's print from
now on.
"""),
    code("""
ws
"""),
    code("""
opened = next(record for record in ws.history if record.kind == "open")
for name, value in opened.info.get("request_headers", []):
    print(f"{name}: {value}")
"""),
    code("""
with ws_widget.connect(server.url_for("/echo", access_token="my-auth-token")) as other:
    print(other.url)           # the token in the query is masked too
"""),
    md("""
## Write: text and binary

```lua
ws:Write("Hey!")
ws:Write("\\x01\\x02", true)    -- a binary frame
```

Lua strings hold bytes; in Python, text is `str` and binary is `bytes`. The echo endpoint
sends both back: `Data` gets a `str` and a `bytes`.
"""),
    code("""
ws.Write("Hey!")
ws.Write(b"\\x01\\x02", True)
ws.wait_for(2, timeout=5)      # both echoes arrived
debug_output(ws)
"""),
    md("""
## Ping and Pong

```lua
ws:Ping()
```

`Pong` fires when the answer arrives. Python's `ws.ping()` also waits for it and returns the
round-trip time in seconds; `Pong` fires for both pings below. ws_widget also pings by itself
every 20 s to keep the connection alive (`ping_interval=`).
"""),
    code("""
ws.Ping()
rtt = ws.ping()
print(f"round trip: {rtt * 1000:.2f} ms")
debug_output(ws)
"""),
    md("""
## Close

```lua
ws:Close()
```

`Closed` fires once the closing handshake is over; Python can also give a code and a reason,
`ws.Close(code=4000, reason="bye")`.
"""),
    code("""
ws.Close()
ws.wait_closed(5)
debug_output(ws)
"""),
    md("""
## Error

```lua
ws.Error = function(ws, err) print("Error", err) end
ws:Connect("ws", "127.0.0.1", "/", 1, nil)   -- nobody listens there
```

A connection that cannot open gives `Error` with one line that says what to try, then
`Closed`. Since this cell calls `Connect` and waits, the callbacks print right here.
"""),
    code("""
failing = WebSocket.New()
failing.Error = lambda ws, err: print("Error", err)
failing.Closed = lambda ws: print("Closed")
failing.Connect("ws", HOST, "/", 1)
failing.wait_closed(5)
settle(failing)
"""),
    md("""
## Timer

```lua
count = 0
t = Timer.New()
t.EventHandler = function(timer)
  count = count + 1
  print("tick", count)
  if count == 3 then timer:Stop() end
end
t:Start(0.2)
```

`Start(seconds)` repeats, the first tick one period after `Start`, until `Stop`. The handler
prints into the cell that called `Start`; this cell waits for the third tick.
"""),
    code("""
count = 0
done = threading.Event()

def tick(timer):
    global count
    count += 1
    print("tick", count, "running:", timer.IsRunning())
    if count == 3:
        timer.Stop()
        done.set()

t = Timer.New()
t.EventHandler = tick
t.Start(0.2)
done.wait(5)
print("running:", t.IsRunning())
"""),
    md("""
```lua
start = Timer.Now()
Timer.CallAfter(function() print("later", Timer.Now() - start) end, 0.3)
```

`Timer.Now()` gives seconds; ws_widget's are epoch seconds (`time.time()`), so use the
difference between two readings, which means the same on a Core.
"""),
    code("""
start = Timer.Now()
Timer.CallAfter(lambda: print(f"later, after {Timer.Now() - start:.2f} s"), 0.3)
time.sleep(0.5)
"""),
    md("""
## Reconnect from Closed

Q-SYS has no automatic reconnect: a script calls `Connect` again in its `Closed` callback
(often after a pause with `Timer.CallAfter`). The same works here, unchanged. The
`/telemetry?count=2` endpoint sends two readings and closes, so each connection ends by itself;
a counter stops after three connections.

```lua
connections = 0
ws = WebSocket.New()
ws.Connected = function(ws)
  connections = connections + 1
  print("Connected", connections)
end
ws.Data = function(ws, data) print("Data", data) end
ws.Closed = function(ws)
  print("Closed")
  if connections < 3 then
    ws:Connect("ws", "127.0.0.1", "/telemetry?count=2&rate=20", 8765, nil)
  end
end
ws:Connect("ws", "127.0.0.1", "/telemetry?count=2&rate=20", 8765, nil)
```
"""),
    code("""
connections = 0
finished = threading.Event()

def connected(ws):
    global connections
    connections += 1
    print("Connected", connections)

def closed(ws):
    print("Closed", ws.close_code, ws.close_reason)
    if connections < 3:
        ws.Connect("ws", HOST, "/telemetry?count=2&rate=20", PORT, None)
    else:
        finished.set()

sensor = WebSocket.New()
sensor.Connected = connected
sensor.Data = lambda ws, data: print("Data", data[:60], "...")
sensor.Closed = closed
sensor.Connect("ws", HOST, "/telemetry?count=2&rate=20", PORT, None)
finished.wait(10)
settle(sensor)
"""),
    md("""
## What differs in Python

- **Keyword options of `Connect`**, after the six seed arguments: `verify=False` skips the TLS
  certificate check for a device with a self-signed certificate (the widget then says
  *TLS NOT verified*), `ca="core.pem"` trusts that certificate and keeps checking,
  `client_cert=`, `ping_interval=`, `ping_timeout=`, `open_timeout=`, `close_timeout=`,
  `max_size=`, `compression=`, `origin=`, `user_agent=`, `proxy=`.
- **Callbacks run on an event thread**, one at a time in arrival order, never on the loop
  that does the I/O: a slow callback delays the next callbacks, not keepalive or recording.
- **`print` in a callback lands in the cell that called `Connect`** (or `Start`), and in
  `ws.debug_output`; `ws_widget.callback_output` (or `ws.callback_output`) chooses
  `"running_cell"` or `"debug_output"` instead.
- **A Pythonic API** sits beside the seed: `ws_widget.connect(url)` waits until open,
  `receive()`, `expect()`, `ping()` return results, and everything is recorded in
  `ws.history`.

A Core's `wss` port usually has a self-signed certificate; the demo server can make one:
"""),
    code("""
secure = demo.start(tls=True)  # wss with a certificate made just now

for label, options in [("verify=True (the default)", {}), ("verify=False", {"verify": False}),
                       ("ca=secure.ca_file", {"ca": secure.ca_file})]:
    print(label)
    ws = WebSocket.New()
    ws.Error = lambda ws, err: print("  Error", err)
    ws.Connected = lambda ws: print("  Connected; certificate verified:", ws.verified)
    ws.Connect("wss", HOST, "/echo", secure.port, None, **options)
    try:
        ws.wait_open(5)
        ws.Close()
    except ws_widget.ConnectFailedError:
        pass
    ws.wait_closed(5)
    settle(ws)
"""),
    md("""
And the event thread, seen from a callback:
"""),
    code("""
ws = WebSocket.New()
ws.Connected = lambda ws: print("Connected runs on", threading.current_thread().name)
ws.Connect("ws", HOST, "/echo", PORT)
ws.wait_open(5)
settle(ws)
print("this cell runs on", threading.current_thread().name)
ws.Close()
"""),
]
