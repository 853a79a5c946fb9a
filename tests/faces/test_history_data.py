"""History as data: exports, HAR, cassettes and replay, with secrets kept out of every file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd
import pytest

import ws_widget
from ws_widget import History, WebSocket, demo
from ws_widget.faces.replay import ReplayServer, replay
from ws_widget.pure import cassette
from ws_widget.pure.har import from_har, to_har

CHROME_HAR = Path(__file__).parent.parent / "data" / "chrome_websocket.har"
CANARIES = ("canary-header-1", "canary-query-2")


def conversation(history):
    """What a session said, apart from timing: messages in order, then the close code."""
    said = [(r.direction, r.kind, r.payload) for r in history if r.kind in ("text", "binary")]
    closes = [(r.info["code"], r.info["initiator"]) for r in history if r.kind == "close"]
    return said, closes


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A QRC simulator session recorded to a cassette, with canary secrets in header and query."""
    server = demo.start()
    ws = ws_widget.connect(
        server.url_for("/qrc-public-api/v0") + f"?token={CANARIES[1]}",
        headers={"Authorization": f"Bearer {CANARIES[0]}"},
    )
    ws.expect({"method": "EngineStatus"})
    ws.send({"jsonrpc": "2.0", "id": 1, "method": "StatusGet"})
    ws.expect({"id": 1})
    ws.send({"jsonrpc": "2.0", "id": "two", "method": "Control.Get", "params": ["MainGain", "MainMute"]})
    ws.expect({"id": "two"})
    ws.send({"jsonrpc": "2.0", "id": 3, "method": "NoSuchMethod"})
    ws.expect({"id": 3})
    ws.close()
    path = tmp_path_factory.mktemp("cassette") / "qrc.cassette.jsonl"
    cassette.record(ws.history, path)
    return ws, path


def test_cassette_is_versioned_and_holds_no_secret(recorded):
    """The cassette starts with a versioned header, and no canary appears in it."""
    _ws, path = recorded
    text = path.read_text()
    header = json.loads(text.splitlines()[0])
    assert header["cassette"] == "ws_widget" and header["version"] == 1 and header["status"] == 101
    assert "token=****" in header["url"]
    assert ["Authorization", "****"] in header["request_headers"]
    assert not any(canary in text for canary in CANARIES)
    loaded = cassette.load(path)
    assert [f.kind for f in loaded.frames].count("text") == 7 and loaded.close.info["code"] == 1000
    assert all(b.t >= a.t for a, b in zip(loaded.frames, loaded.frames[1:], strict=False))


def test_offline_replay_gives_the_same_history_and_callbacks(recorded):
    """Replaying into a WebSocket reproduces its history and fires the same callbacks."""
    ws, path = recorded
    copy = WebSocket()
    data, closed = [], threading.Event()
    copy.Data = lambda ws, message: data.append(message)
    copy.Closed = lambda: closed.set()
    replay(path, speed=None, ws=copy)
    assert closed.wait(20)
    assert conversation(copy.history) == conversation(ws.history)
    assert data == [r.payload for r in ws.history if r.direction == "in" and r.kind == "text"]


def test_timed_replay_keeps_the_order(recorded):
    """A replay at recorded speed (times 4) keeps the same conversation."""
    ws, path = recorded
    copy = replay(path, speed=4.0)
    copy.wait_closed(20)
    assert conversation(copy.history) == conversation(ws.history)


def test_replay_server_plays_to_any_client(recorded):
    """The replay server plays the server side and answers client messages in order."""
    ws, path = recorded
    with ReplayServer(path, speed=None) as server:
        client = ws_widget.connect(server.url)
        assert json.loads(client.receive(5))["method"] == "EngineStatus"
        for message in [r.payload for r in ws.history if r.direction == "out" and r.kind == "text"]:
            client.send(message)  # as the recorded client did: one request, then its answer
            client.wait_for(1)
        client.close()
    assert conversation(client.history) == conversation(ws.history)


def test_load_refuses_other_files(tmp_path):
    """Loading a file that is not a cassette, or of another version, says so."""
    (tmp_path / "a.jsonl").write_text('{"hello": 1}\n')
    with pytest.raises(ValueError, match="not a ws_widget cassette"):
        cassette.load(tmp_path / "a.jsonl")
    (tmp_path / "b.jsonl").write_text('{"cassette": "ws_widget", "version": 99}\n')
    with pytest.raises(ValueError, match="version 99"):
        cassette.load(tmp_path / "b.jsonl")
    with pytest.raises(ValueError, match="no opened connection"):
        cassette.record(History(), tmp_path / "c.jsonl")


def test_exports_hold_no_secret(recorded, tmp_path):
    """JSONL, Parquet, HAR and pandas exports of the session hold no canary."""
    ws, _ = recorded
    ws.history.to_jsonl(tmp_path / "h.jsonl")
    ws.history.to_parquet(tmp_path / "h.parquet")
    to_har(ws.history, tmp_path / "h.har")
    for name in ("h.jsonl", "h.parquet", "h.har"):
        data = (tmp_path / name).read_bytes()
        assert not any(canary.encode() in data for canary in CANARIES), name
    frame = ws.history.to_pandas(flatten_json=True)
    assert not any(canary in frame.to_csv() for canary in CANARIES)
    assert "json.id" in frame.columns and "json.method" in frame.columns


def test_jsonl_and_parquet_round_trip(recorded, tmp_path):
    """from_jsonl restores what to_jsonl wrote; Parquet reads back with pandas."""
    ws, _ = recorded
    ws.history.to_jsonl(tmp_path / "h.jsonl")
    again = History.from_jsonl(tmp_path / "h.jsonl")
    assert [(r.direction, r.kind, r.payload, r.size) for r in again] == [
        (r.direction, r.kind, r.payload, r.size) for r in ws.history
    ]
    assert abs(again[1].time - ws.history[1].time) < 1e-3
    ws.history.to_parquet(tmp_path / "h.parquet")
    table = pd.read_parquet(tmp_path / "h.parquet")
    assert len(table) == len(ws.history)


def test_chrome_har_round_trip(tmp_path):
    """A HAR file in Chrome's layout is imported and exported back, field by field."""
    (history,) = from_har(CHROME_HAR)
    opened = history[1]
    assert opened.kind == "open" and opened.info["url"].endswith("?access_token=****")
    assert [(r.direction, r.kind) for r in history][1:] == [
        ("in", "text"),
        ("out", "text"),
        ("in", "text"),
        ("out", "binary"),
        ("in", "binary"),
    ]
    assert history[5].payload == b"\x01\x02\xff"
    to_har(history, tmp_path / "again.har")
    original = json.loads(CHROME_HAR.read_text())["log"]["entries"][1]
    exported = json.loads((tmp_path / "again.har").read_text())["log"]["entries"][0]
    assert exported["_resourceType"] == "websocket"
    assert exported["startedDateTime"] == original["startedDateTime"]
    assert exported["request"]["method"] == original["request"]["method"]
    assert exported["request"]["url"] == "ws://127.0.0.1:8765/qrc-public-api/v0?access_token=****"
    assert exported["response"]["status"] == original["response"]["status"]
    masked = {h["name"]: h["value"] for h in exported["request"]["headers"]}
    assert masked["Cookie"] == "****" and masked["Origin"] == "http://127.0.0.1:8000"
    assert len(exported["_webSocketMessages"]) == len(original["_webSocketMessages"])
    for ours, theirs in zip(exported["_webSocketMessages"], original["_webSocketMessages"], strict=True):
        assert ours["type"] == theirs["type"]
        assert ours["opcode"] == theirs["opcode"]
        assert ours["data"] == theirs["data"]
        assert ours["time"] == pytest.approx(theirs["time"], abs=1e-5)
    text = (tmp_path / "again.har").read_text()
    assert "canary-cookie-42" not in text and "canary-query-77" not in text


def test_har_of_a_live_session(recorded, tmp_path):
    """A live session exports to a HAR that reads back with the same messages."""
    ws, _ = recorded
    assert to_har(ws.history, tmp_path / "live.har") == 1
    (back,) = from_har(tmp_path / "live.har")
    assert [(r.direction, r.payload) for r in back if r.kind == "text"] == [
        (r.direction, r.payload) for r in ws.history if r.kind == "text"
    ]


def test_from_har_refuses_other_json(tmp_path):
    """A JSON file that is not HAR is refused clearly."""
    (tmp_path / "x.har").write_text("{}")
    with pytest.raises(ValueError, match="not a HAR file"):
        from_har(tmp_path / "x.har")


def test_replay_server_sends_a_push_that_raced_a_request(tmp_path):
    """A server push recorded after the client's first request still reaches a client that waits for it."""
    recording = cassette.Cassette(
        {"cassette": "ws_widget", "version": 1, "url": "ws://127.0.0.1:1/qrc", "subprotocol": None},
        (
            cassette.Frame(0.001, "out", "text", '{"id": 1}'),
            cassette.Frame(0.002, "in", "text", '{"method": "EngineStatus"}'),
            cassette.Frame(0.003, "in", "text", '{"id": 1, "result": true}'),
        ),
    )
    cassette.save(recording, tmp_path / "race.jsonl")
    with ReplayServer(tmp_path / "race.jsonl", speed=None) as server:
        client = ws_widget.connect(server.url)
        assert client.receive(5) == '{"method": "EngineStatus"}'  # sent after the grace
        client.send({"id": 1})
        assert client.expect({"id": 1}) == '{"id": 1, "result": true}'
        client.close()
