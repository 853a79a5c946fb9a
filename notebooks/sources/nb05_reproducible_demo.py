"""Cells of notebooks/05_reproducible_demo.ipynb."""

from .cells import code, md

CELLS = [
    md("""
# Reproducible demos: keep a session, replay it anywhere

A demo that needs a device fails where the device is not: on Binder, in CI, on a laptop on
the train. ws_widget keeps every frame of a session, so a session recorded once against the
real device can be analysed later as data, and replayed as if the device were there.

Here the "device" is the QRC simulator of the demo server.
"""),
    code("""
import json
import tempfile
from pathlib import Path

import pandas as pd

import ws_widget
from ws_widget import History, demo

server = demo.start()
folder = Path(tempfile.mkdtemp())   # where this notebook writes its files
"""),
    md("""
## Record a short session

A Core without access control needs no `Logon`: its `EngineStatus` push, then `StatusGet`
and `Control.Get`.
"""),
    code("""
ws = ws_widget.connect(server.url_for("/qrc-public-api/v0"))
ws.send({"jsonrpc": "2.0", "method": "StatusGet", "params": 0, "id": 1})
print(ws.expect({"id": 1}, timeout=5))
ws.send({"jsonrpc": "2.0", "method": "Control.Get", "params": ["MainGain", "MainMute"], "id": 2})
print(ws.expect({"id": 2}, timeout=5))
ws.close()
"""),
    md("""
## The history as JSON Lines, read back with pandas

`ws.history.to_jsonl(path)` writes one JSON object per record (binary payloads as hex) and
returns how many; any tool that reads JSON Lines reads it, pandas included. `time` is epoch
seconds, turned into datetimes here. `History.from_jsonl(path)` reads it back into a history.
"""),
    code("""
path = folder / "session.jsonl"
print(ws.history.to_jsonl(path), "records written")
print(path.read_text().splitlines()[1][:120], "...")

frame = pd.read_json(path, lines=True)
frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
frame[["seq", "time", "direction", "kind", "size", "payload"]]
"""),
    code("""
History.from_jsonl(path)
"""),
    md("""
## A cassette, replayed without the device

`ws.save_cassette(path)` records the last connection as a versioned JSON Lines file, times
relative to the open and secrets masked: a file to commit next to a notebook.
`ws_widget.replay(path)` then plays it into a new WebSocket, with no device and no demo
server: the recorded server side answers the recorded requests, so its history, callbacks
and widget see the same session. `speed=None` plays without the recorded delays.
(`ws_widget.ReplayServer(path)` serves it to any client instead, at a local URL.)
"""),
    code("""
cassette = folder / "qrc.cassette.jsonl"
ws.save_cassette(cassette)
print(len(cassette.read_text().splitlines()), "lines;", cassette.read_text().splitlines()[0][:100], "...")

copy = ws_widget.replay(cassette, speed=None)
copy.wait_closed(10)
recorded = [record.payload for record in ws.history.messages()]
replayed = [record.payload for record in copy.history.messages()]
print("same messages, in the same order:", replayed == recorded)
"""),
    md("""
The replayed socket's widget shows the recorded session like the live one did:
"""),
    code("""
copy
"""),
    md("""
## A replay server: the notebook changes only its URL

A notebook written against a real Core connects to `device.url` instead: the replay server
plays the recorded server side to any client and answers its requests in order, with the
recorded delays divided by `speed`. The same cells run on Binder, where no Core is.
"""),
    code("""
with ws_widget.ReplayServer(cassette, speed=2.0) as device:
    core = ws_widget.connect(device.url)
    print(json.loads(core.receive(5))["method"])                     # the EngineStatus push
    core.send({"jsonrpc": "2.0", "method": "StatusGet", "params": 0, "id": 1})
    print(json.loads(core.expect({"id": 1}, timeout=5))["result"]["State"])
    core.send({"jsonrpc": "2.0", "method": "Control.Get", "params": ["MainGain", "MainMute"], "id": 2})
    gains = json.loads(core.expect({"id": 2}, timeout=5))["result"]
    core.close()
pd.DataFrame(gains)
"""),
    md("""
## The same session as a HAR file

HAR is what browsers export; Chrome DevTools puts a WebSocket's messages in
`_webSocketMessages`. `ws_widget.to_har` writes that layout and `ws_widget.from_har` reads it,
so a session captured in a browser can be explored here, and the other way round.
"""),
    code("""
har = folder / "session.har"
ws_widget.to_har(ws.history, har)
(from_browser,) = ws_widget.from_har(har)
from_browser.to_pandas(flatten_json=True).filter(["direction", "kind", "json.id", "json.method"]).dropna(how="all")
"""),
]
