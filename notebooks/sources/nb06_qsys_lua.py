"""Cells of notebooks/06_qsys_lua.ipynb."""

from .cells import code, md

QRC_PLUGIN = r"""
-- A QRC client, written as a small Q-SYS plugin: a gain knob and a mute toggle that follow
-- the Core's MainGain and MainMute, and set them when the user moves them.
PluginInfo = {Name = "Notebook~QRC client", Version = "1.0", Id = "ws-widget-nb06-qrc"}

function GetProperties()
  return {
    {Name = "IP Address", Type = "string", Value = "127.0.0.1"},
    {Name = "Port", Type = "integer", Value = 443, Min = 1, Max = 65535},
  }
end

function GetControls(props)
  return {
    {Name = "Gain", ControlType = "Knob", ControlUnit = "dB", Min = -100, Max = 20},
    {Name = "Mute", ControlType = "Button", ButtonType = "Toggle"},
  }
end

if Controls then
  rapidjson = require("rapidjson")
  ws = WebSocket.New()
  lastId = 0
  pending = {}                      -- id -> the method of each request not answered yet

  function Send(method, params)
    lastId = lastId + 1
    pending[lastId] = method
    ws:Write(rapidjson.encode({jsonrpc = "2.0", id = lastId, method = method, params = params}))
  end

  ws.Connected = function(ws)
    print("Connected")
    Component.Status = "OK"
    Send("StatusGet", 0)
    Send("ChangeGroup.AddControl", {Id = "notebook", Controls = {"MainGain", "MainMute"}})
    Send("ChangeGroup.AutoPoll", {Id = "notebook", Rate = 0.2})
  end

  ws.Data = function(ws, data)
    local message, err = rapidjson.decode(data)
    if message == nil then
      print("Not JSON:", err)
    elseif message.method == "EngineStatus" then
      print("Engine", message.params.DesignName, message.params.State)
    elseif message.method == "ChangeGroup.Poll" then
      for _, change in ipairs(message.params.Changes) do
        print("Poll", change.Name, change.String)
        if change.Name == "MainGain" then
          Controls.Gain.Value = change.Value
        elseif change.Name == "MainMute" then
          Controls.Mute.Boolean = change.Value == 1
        end
      end
    elseif message.id ~= nil then
      local method = pending[message.id]
      pending[message.id] = nil
      if message.error ~= nil then
        print("Reply", message.id, method, "error", message.error.message)
      elseif method == "StatusGet" then
        print("Reply", message.id, method, message.result.Platform, message.result.Status.String)
      else
        print("Reply", message.id, method, tostring(message.result))
      end
    end
  end

  -- The user moved a control: tell the Core. (The script's own assignments above fire nothing.)
  Controls.Gain.EventHandler = function(ctl)
    Send("Control.Set", {Name = "MainGain", Value = ctl.Value})
  end
  Controls.Mute.EventHandler = function(ctl)
    Send("Control.Set", {Name = "MainMute", Value = ctl.Boolean and 1 or 0})
  end

  -- Q-SYS does not reconnect by itself: Error and Closed both come here; the timer debounces.
  retry = Timer.New()
  function Connect()
    ws:Connect("ws", Properties["IP Address"].Value, "/qrc", Properties.Port.Value)
  end
  retry.EventHandler = function(timer)
    timer:Stop()
    Connect()
  end
  function Lost(why)
    Component.Status = "Missing"
    if not retry:IsRunning() then
      print("Lost the connection (" .. why .. "); reconnecting in 1 s")
      pending = {}
      retry:Start(1)
    end
  end
  ws.Error = function(ws, err) Lost(err) end
  ws.Closed = function(ws) Lost("closed") end
  Connect()
end
""".strip()

CELLS = [
    md("""
# Q-SYS Lua scripts, unchanged

A Q-SYS control script is Lua. ws_widget runs it as it is, in an embedded Lua 5.3 (Q-SYS's
version) with the Q-SYS environment: `WebSocket`, `Timer`, `require("rapidjson")`,
`Controls`, `Properties`, `Component.Status`, `Crypto`, `HttpClient`, and a Debug Output in
the Core's format. Each socket a script makes is a ws_widget WebSocket, with its history
and its widget, secrets masked as everywhere else. There are three ways in, one runtime
under them:

| where | how |
| --- | --- |
| a notebook cell | `%%qsys [--name NAME] [--control NAME=VALUE]... [--property NAME=VALUE]...` after `%load_ext ws_widget` |
| Python | `script = ws_widget.qsys.run(source_or_path, controls=..., properties=...)` |
| a terminal, CI | `python -m ws_widget.qsys SCRIPT.lua [--control NAME=VALUE]... [--seconds S]` |

A `%%qsys` cell's output is the script's panel: the live Debug Output, its controls as
widgets, `Component.Status` and each socket's widget. Running the cell again restarts the
script, as Designer's Save does. `--name seed` also binds the running script to the Python
variable `seed`, so the next cell can look at it.

**Reading this notebook.** The panel is live while the notebook runs; saved, it keeps what it
showed, and on GitHub it shows as text. So after each script a Python cell waits for the line
that script is expected to print and then prints its Debug Output, and the saved notebook reads
top to bottom. The scripts talk to ws_widget's demo server on this machine.
"""),
    code("""
%load_ext ws_widget

import time

from ws_widget import demo

server = demo.start()          # a local device: /echo, /telemetry, /close, /qrc
PORT = server.port
shown = {}


def wait_for(script, text, timeout=5, count=1):
    \"\"\"Wait until ``count`` Debug Output lines of ``script`` contain ``text``.\"\"\"
    deadline = time.monotonic() + timeout
    while sum(text in line for line in script.debug_output.lines) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {text!r} in {script.name}'s Debug Output")
        time.sleep(0.02)


def show(script):
    \"\"\"Print the Debug Output lines of ``script`` that this function has not printed yet.\"\"\"
    lines = script.debug_output.lines
    print("\\n".join(lines[shown.get(script.name, 0):]))
    shown[script.name] = len(lines)
"""),
    md("""
## WebSocket.New

The seed's first lines. Debug Output starts with `Starting Script`, as on a Core, and
`print(ws)` prints `websocket`.
"""),
    code("""
%%qsys --name hello
ws = WebSocket.New()
print(ws)
"""),
    code("""
wait_for(hello, "websocket")
show(hello)
hello.stop()
"""),
    md("""
## The callbacks, and Connect with an auth header

The seed connects with an `Authorization` header. Only the address is changed: a Q-SYS script
reads it from its controls, so the port comes in as the text control `Port`
(`--control Port=$PORT`; IPython puts the value of `PORT` in) and `Connect` takes
`Controls.Port.String`, a numeric string, as a Core does. The token never shows: the history,
the widget and the Debug Output mask `Authorization` (and cookies, API keys, token-like query
parameters) as `****`.
"""),
    code("""
%%qsys --name seed --control Port=$PORT
ws = WebSocket.New()
ws.Connected = function(ws) print("Connected") end
ws.Data = function(ws, data) print("Data", data) end
ws.Error = function(ws, err) print("Error", err) end
ws.Closed = function(ws) print("closed") end
ws.Pong = function(ws) print("pong") end
ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String, nil,
           {Authorization = "Bearer my-auth-token"})
"""),
    code("""
wait_for(seed, "Connected")
show(seed)
opened = next(record for record in seed.sockets[0].history if record.kind == "open")
for name, value in opened.info.get("request_headers", []):
    print(f"{name}: {value}")
"""),
    md("""
## Write: text and binary

`ws:Write(data)` sends a text frame, `ws:Write(data, true)` a binary one. Lua strings hold
bytes; `Data` gets them back from the echo endpoint as Lua strings either way.
"""),
    code("""
%%qsys --name writer --control Port=$PORT
ws = WebSocket.New()
ws.Connected = function(ws)
  ws:Write("Hey!")
  ws:Write("\\x01\\x02", true)    -- a binary frame
end
ws.Data = function(ws, data) print("Data", #data .. " bytes", data:byte(1, -1)) end
ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String)
"""),
    code("""
wait_for(writer, "Data", count=2)
show(writer)
"""),
    md("""
## The ping timer, and Pong

The seed pings from a timer: `t.EventHandler = function(timer) ws:Ping() end; t:Start(10)`.
Scripts start it in `Connected`; here it ticks every 0.2 s instead of every 10 s, and the
`Pong` handler stops it after the third pong. `Start(seconds)` repeats until `Stop`; the first
tick comes one period after `Start`.
"""),
    code("""
%%qsys --name pinger --control Port=$PORT
ws = WebSocket.New()
t = Timer.New()
t.EventHandler = function(timer) ws:Ping() end
pongs = 0
ws.Connected = function(ws) print("Connected") t:Start(0.2) end
ws.Pong = function(ws)
  pongs = pongs + 1
  print("pong", pongs)
  if pongs == 3 then t:Stop() end
end
ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String)
"""),
    code("""
wait_for(pinger, "pong\\t3")
show(pinger)
"""),
    md("""
## Close

`ws:Close()` closes with code 1000; `Closed` fires once the closing handshake is over.
Calling it when not connected is no error, as on a Core.
"""),
    code("""
%%qsys --name closer --control Port=$PORT
ws = WebSocket.New()
ws:Close()                        -- not connected yet: nothing happens
ws.Connected = function(ws) print("Connected") ws:Close() end
ws.Closed = function(ws) print("closed") end
ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String)
"""),
    code("""
wait_for(closer, "closed")
show(closer)
print("close code:", closer.sockets[0].close_code)
"""),
    md("""
## Timer.CallAfter, Timer.Now, IsRunning

`Timer.CallAfter(fn, seconds)` runs `fn` once. `Timer.Now()` gives seconds (since the epoch
here; the Q-SYS help notes that Emulate and a Core differ), so a script compares two readings.
`t:IsRunning()` tells whether a timer is started.
"""),
    code("""
%%qsys --name timers
start = Timer.Now()
count = 0
t = Timer.New()
t.EventHandler = function(timer)
  count = count + 1
  print("tick", count, "running:", timer:IsRunning())
  if count == 3 then
    timer:Stop()
    print("stopped; running:", timer:IsRunning())
  end
end
t:Start(0.1)
Timer.CallAfter(function() print(string.format("CallAfter, %.1f s later", Timer.Now() - start)) end, 0.5)
"""),
    code("""
wait_for(timers, "CallAfter")
show(timers)
"""),
    md("""
The seed's scripts are done; stopping a script closes its sockets (code 1001, going away)
and stops its timers, as a Core does when a script is updated.
"""),
    code("""
socket = seed.sockets[0]
for script in (seed, writer, pinger, closer, timers):
    script.stop()
socket.wait_closed(5)
print(seed, "- its socket closed with", socket.close_code)
"""),
    md("""
## A QRC client in Lua, with controls as widgets

QRC is the Q-SYS Remote Control protocol: JSON-RPC 2.0 over TCP port 1710, where each message
ends with a NUL byte, or over a WebSocket (`/qrc-public-api/v0` on a Core), where each frame
holds one message and needs no terminator. The demo server simulates a small design at `/qrc`
(a gain with its mute, meters, Named Controls such as `MainGain` and `MainMute`); on
connecting it pushes `EngineStatus`.

The script below is shaped like the published ones: `require("rapidjson")`, a sequence id per
request to match each reply to its request, a change group polled automatically (the Core
pushes `ChangeGroup.Poll` every 0.2 s with what changed) whose changes go into `Controls`, an
`EventHandler` per control that sends `Control.Set` when the user moves it, and a reconnect
from `Error` and `Closed` through a timer. A Core with users would also need
`Logon` (`{User=, Password=}`) first.

It is written as a small plugin (`GetProperties`, `GetControls`, the runtime code under
`if Controls then`), because that is how a Q-SYS script defines a knob and a toggle:
`--control` defines text controls, and a plugin's `GetControls` the types it names. The panel
shows the knob as a slider and the toggle as a toggle button; the address is a property,
`--property Port=$PORT`.
"""),
    code("%%qsys --name qrc --property Port=$PORT\n" + QRC_PLUGIN),
    code("""
wait_for(qrc, "Poll\\tMainMute")
show(qrc)
print("Gain:", qrc.controls["Gain"].String, " Mute:", qrc.controls["Mute"].Boolean)
"""),
    md("""
Moving the slider in the panel is a user's change: the `EventHandler` runs and sends
`Control.Set`. From Python, setting a control is the same user's change. Each `Control.Set`
gets its reply (`Reply 4`, `Reply 5`, matched by id), and the next poll reports the new values
back into the controls; the script's own assignments fire no event, so nothing loops.
"""),
    code("""
qrc.controls["Gain"].Value = -12
qrc.controls["Mute"].Boolean = True
wait_for(qrc, "Poll\\tMainMute", count=2)
show(qrc)
print("Gain:", qrc.controls["Gain"].String, " Mute:", qrc.controls["Mute"].Boolean)
"""),
    md("""
The frames are in the socket's history, as for any ws_widget connection (the panel shows
them in the socket's widget):
"""),
    code("""
for record in list(qrc.sockets[0].history)[1:9]:
    print(record.direction.ljust(3), record.payload[:96])
"""),
    md("""
### Reconnecting

Restarting the device drops the connection: the script's `Closed` starts the retry timer and
it connects again, sets up its change group again, and the first poll brings the device's
values into the controls (the restarted demo design starts at -10 dB, unmuted).
"""),
    code("""
server.stop()
wait_for(qrc, "Lost the connection")
server = demo.start(port=PORT)
wait_for(qrc, "Connected", count=2, timeout=10)
wait_for(qrc, "Poll\\tMainMute", count=3)
show(qrc)
print("Gain:", qrc.controls["Gain"].String, " Mute:", qrc.controls["Mute"].Boolean)
"""),
    md("""
## The same script from Python and from a terminal

`ws_widget.qsys.run` takes the same source (or a path to a `.lua` or `.qplug` file) and
returns the same `Script`; `display(script)` shows its panel. `python -m ws_widget.qsys` runs a
file and prints its Debug Output lines as they come; it ends when the script has no socket or
timer left, after `--seconds`, or on Ctrl-C.
"""),
    code("""
import pathlib
import subprocess
import sys
import tempfile

from ws_widget import qsys

ECHO = '''
ws = WebSocket.New()
ws.Connected = function(ws) print("Connected") ws:Write("Hey!") end
ws.Data = function(ws, data) print("Data", data) ws:Close() end
ws.Closed = function(ws) print("closed") end
ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String)
'''

script = qsys.run(ECHO, controls={"Port": str(PORT)}, name="echo")
script.wait(5)                 # until no socket or timer is active
print("\\n".join(script.debug_output.lines))

with tempfile.TemporaryDirectory() as folder:
    path = pathlib.Path(folder, "echo.lua")
    path.write_text(ECHO)
    command = [sys.executable, "-m", "ws_widget.qsys", str(path), "--control", f"Port={PORT}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
print(result.stdout, "exit status", result.returncode)
"""),
    md("""
## Stopping

Stopping the QRC client closes its socket (1001) and stops its timers; then the demo server
stops.
"""),
    code("""
qrc.stop()
script.stop()
server.stop()
print(qrc)
"""),
]
