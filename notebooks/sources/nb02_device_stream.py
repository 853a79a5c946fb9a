"""Cells of notebooks/02_device_stream.ipynb."""

from .cells import code, md

CELLS = [
    md("""
# A live device stream, as data

A Q-SYS Core publishes control values over QRC, its JSON-RPC protocol on a WebSocket: you put
controls in a *change group*, ask the Core to *AutoPoll* it, and it pushes what changed every
`Rate` seconds. This notebook subscribes to meters that way, records a few seconds of the
stream, then works with the recording in pandas: one row per frame, then one row per control
value, then plots.

It runs offline against the QRC simulator of ws_widget's demo server (`/qrc-public-api/v0`,
the path a real Core serves); for a Core, change the URL and keep everything else.
"""),
    code("""
%matplotlib inline
import json
import time

import matplotlib.pyplot as plt
import pandas as pd

import ws_widget
from ws_widget import demo

plt.rcParams.update({"figure.figsize": (7, 2.6), "figure.dpi": 80})

server = demo.start()          # the simulated Core, on 127.0.0.1
url = server.url_for("/qrc-public-api/v0")
print(url)
"""),
    md("""
## Connect

`ws_widget.connect` waits until the connection is open. A Core pushes `EngineStatus` as soon
as a client connects; `receive()` returns it.
"""),
    code("""
ws = ws_widget.connect(url)
status = json.loads(ws.receive(timeout=5))
engine = status["params"]
print(status["method"], engine["Platform"], engine["DesignName"], engine["State"])
"""),
    md("""
## Subscribe: a change group with AutoPoll

QRC requests are JSON-RPC 2.0 objects with an `id`; the answer carries the same `id`.
`ws.expect({"id": n})` waits for the next message *containing* that, passing over the pushes
that arrive in between (they all stay in the history). The group `meters` gets both meters of
the `Meter1` component (`AddComponentControl`) and two Named Controls (`AddControl`); AutoPoll
then pushes `ChangeGroup.Poll` ten times a second.
"""),
    code("""
request_ids = iter(range(1, 1_000_000))

def call(method, params):
    \"\"\"Send one QRC request and return its result (raise on a JSON-RPC error).\"\"\"
    request_id = next(request_ids)
    ws.send({"jsonrpc": "2.0", "method": method, "params": params, "id": request_id})
    reply = json.loads(ws.expect({"id": request_id}, timeout=5))
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]

meters = {"Name": "Meter1", "Controls": [{"Name": "meter.1"}, {"Name": "meter.2"}]}
print(call("ChangeGroup.AddComponentControl", {"Id": "meters", "Component": meters}))
print(call("ChangeGroup.AddControl", {"Id": "meters", "Controls": ["MainGain", "MainMute"]}))
print(call("ChangeGroup.AutoPoll", {"Id": "meters", "Rate": 0.1}))
"""),
    md("""
## Collect a few seconds

The simulated meters follow the gain stage `Gain1` (Named Control `MainGain`), so to have
something to look at the gain is faded down over a second, muted for half a second, then
brought back. Destroying the group stops the pushes.
"""),
    code("""
time.sleep(1.0)
call("Control.Set", {"Name": "MainGain", "Value": -40, "Ramp": 1.0})    # fade down over 1 s
time.sleep(1.5)
call("Control.Set", {"Name": "MainMute", "Value": 1})
time.sleep(0.5)
call("Control.Set", {"Name": "MainMute", "Value": 0})
call("Control.Set", {"Name": "MainGain", "Value": -10, "Ramp": 0.5})
time.sleep(1.0)
call("ChangeGroup.Destroy", {"Id": "meters"})
ws.close()
print(ws.stats)
"""),
    md("""
## The history as a DataFrame

`ws.history.to_pandas()` gives one row per record, indexed by sequence number: every message
in both directions, and the open and close events, with times, direction, kind, size and
payload.
"""),
    code("""
frame = ws.history.to_pandas()
frame[["time", "direction", "kind", "size", "payload"]].head(8)
"""),
    code("""
frame.groupby(["direction", "kind"]).size()
"""),
    md("""
## From pushes to a tidy frame: (time, control, value)

Each `ChangeGroup.Poll` push lists the controls that changed since the previous one (the first
lists them all). Parse the incoming JSON, keep the polls, and explode their `Changes` into one
row per control value. A poll with no change explodes to an empty row, dropped here but
counted: AutoPoll pushes every `Rate` seconds whether anything changed or not.
"""),
    code("""
incoming = frame[(frame.direction == "in") & (frame.kind == "text")]
messages = incoming.payload.map(json.loads)
is_poll = messages.map(lambda message: message.get("method") == "ChangeGroup.Poll")
polls = pd.DataFrame({"time": incoming.time[is_poll],
                      "change": messages[is_poll].map(lambda message: message["params"]["Changes"])})
print(f"{len(polls)} polls, {(polls.change.map(len) == 0).sum()} of them without a change")

def control_name(change):
    return f"{change['Component']}.{change['Name']}" if "Component" in change else change["Name"]

changes = polls.explode("change").dropna(subset=["change"])
start = polls.time.iloc[0]
tidy = pd.DataFrame({
    "time": changes.time,
    "seconds": (changes.time - start).dt.total_seconds().round(3),
    "control": changes.change.map(control_name),
    "value": changes.change.map(lambda change: change["Value"]),
    "string": changes.change.map(lambda change: change["String"]),
}).reset_index(drop=True)
tidy.head(8)
"""),
    md("""
## A meter over time

Pivot to one column per control; a control appears only when it changed, so carry each
value forward. The meters move with the programme signal, fall with the gain and drop to the
floor (-100 dB) while muted.
"""),
    code("""
levels = (tidy.pivot_table(index="seconds", columns="control", values="value", aggfunc="last")
          .ffill())
axes = levels[["Meter1.meter.1", "Meter1.meter.2", "MainGain"]].plot(
    drawstyle="steps-post", ylim=(-105, 5), xlabel="seconds", ylabel="dB", title="Meter1 and MainGain")
axes.legend(loc="lower left", fontsize="small")
plt.show()
"""),
    md("""
## The message rate

Half-second bins from the first poll on: incoming messages per second stay near AutoPoll's ten
(plus the replies to requests). The control changes they carry grow while the gain ramps (the
gain itself then changes at every poll) and drop while muted: the meters sit at the floor, yet
a poll, empty or not, still comes every `Rate` seconds.
"""),
    code("""
def per_second(times):
    \"\"\"Events per second in half-second bins from the first poll on.\"\"\"
    return pd.Series(1, index=times[times >= start]).resample("500ms", origin=start).count() * 2

rate = pd.DataFrame({
    "messages in": per_second(incoming.time),
    "control changes": per_second(tidy.time),
}).iloc[:-1]                   # the last bin is only partly filled
rate.index = (rate.index - start).total_seconds()
axes = rate.plot.bar(rot=0, width=0.8, xlabel="seconds (each bin's start)", ylabel="per second",
                     title="Message rate")
axes.legend(loc="upper left", fontsize="small")
plt.show()
"""),
    md("""
## The widget

`ws` as the last expression of a cell shows the live widget: the same history, filterable,
with a composer to send more requests. Saved in a notebook and opened without its kernel
(GitHub, nbviewer, before running), the output shows a dated snapshot of the socket instead.
"""),
    code("""
ws
"""),
    md("""
## Next

- `ws.history.to_pandas(flatten_json=True)` turns JSON payloads into `json.<key>` columns
  directly; `ws.history.to_jsonl(path)` and `ws.save_cassette(path)` keep the session for
  later (see `05_reproducible_demo`).
"""),
]
