"""In-process replay: a cassette's server side played without a listening socket, to the seed
API and the Pythonic API, as it runs in the browser."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import ws_widget
from ws_widget import WebSocket
from ws_widget.faces.replay import ReplayServer, replay
from ws_widget.pure import cassette

BUNDLED = Path(__file__).parent.parent.parent / "lite" / "content" / "qrc.cassette.txt"


def said(history):
    """The messages of a history, in order, as (direction, payload)."""
    return [(r.direction, r.payload) for r in history if r.kind in ("text", "binary")]


def closes(history):
    """The close records of a history, as (code, reason, initiator)."""
    return [(r.info["code"], r.info["reason"], r.info["initiator"]) for r in history if r.kind == "close"]


@pytest.fixture
def server_closing(tmp_path):
    """A cassette whose server answers one request, pushes, then closes with 4001 "bye"."""
    recording = cassette.Cassette(
        {"cassette": "ws_widget", "version": 1, "url": "ws://127.0.0.1:1/qrc?x=1", "subprotocol": None},
        (
            cassette.Frame(0.001, "in", "text", '{"method": "EngineStatus"}'),
            cassette.Frame(0.002, "out", "text", '{"id": 1}'),
            cassette.Frame(0.003, "in", "text", '{"id": 1, "result": true}'),
            cassette.Frame(0.004, "in", "binary", b"\x00\x01"),
            cassette.Frame(
                0.005, "event", "close", None, {"code": 4001, "reason": "bye", "initiator": "server"}
            ),
        ),
    )
    cassette.save(recording, tmp_path / "closing.jsonl")
    return tmp_path / "closing.jsonl"


def test_in_process_server_listens_on_no_port(server_closing):
    """An in-process replay server has a reserved address that never resolves, and listens nowhere."""
    with ReplayServer(server_closing, speed=None, in_process=True) as server:
        assert server.host == "replay.invalid" and server.path == "/qrc?x=1"
        assert server.url == f"ws://replay.invalid:{server.port}/qrc?x=1"
        assert not hasattr(server, "_server")


def test_seed_api_receives_the_recorded_messages_and_close(server_closing):
    """WebSocket.New, Connect and Write get the recorded answers in order, then the recorded close."""
    data, closed = [], threading.Event()
    with ReplayServer(server_closing, speed=None, in_process=True) as server:
        ws = WebSocket.New()
        ws.Data = lambda ws, message: data.append(message)
        ws.Closed = lambda ws: closed.set()
        ws.Connect("ws", server.host, server.path, server.port)
        ws.Write('{"id": 1}')
        assert closed.wait(10)
    assert data == ['{"method": "EngineStatus"}', '{"id": 1, "result": true}', b"\x00\x01"]
    assert ws.close_code == 4001 and ws.close_reason == "bye"
    assert closes(ws.history) == [(4001, "bye", "server")]


def test_answers_wait_for_the_client(server_closing):
    """The recorded answer to a request comes only once the client has sent it (within the grace)."""
    with ReplayServer(server_closing, speed=None, in_process=True) as server:
        ws = ws_widget.connect(server.url)
        assert json.loads(ws.receive(5)) == {"method": "EngineStatus"}
        with pytest.raises(ws_widget.WaitTimeoutError):
            ws.receive(0.2)  # less than RACE_GRACE: the answer waits for the request
        ws.send({"id": 1})
        assert json.loads(ws.receive(5)) == {"id": 1, "result": True}
        ws.wait_closed(10)


def test_replay_of_the_bundled_cassette_matches_the_recording():
    """replay(in_process=True) reproduces the bundled QRC session: messages, order and client close."""
    recording = cassette.load(BUNDLED)
    ws = replay(BUNDLED, speed=None, in_process=True)
    ws.wait_closed(20)
    expected = [(f.direction, f.payload) for f in recording.frames if f.is_message]
    assert said(ws.history) == expected
    assert closes(ws.history) == [(1000, "", "client")]


def test_a_stopped_replay_refuses_new_connections(server_closing):
    """Connecting to an in-process replay that was stopped fails with a line saying so."""
    server = ReplayServer(server_closing, speed=None, in_process=True)
    server.stop()
    ws = WebSocket()
    with pytest.raises(ConnectionError, match="replay was stopped"):
        ws.connect(server.url)
