"""The protocol made visible: the handshake, every frame, close codes, and teaching controls."""

from __future__ import annotations

import pytest
from servers import NodeServer

import ws_widget
from ws_widget.pure.closecodes import close_code_name, explain_close_code
from ws_widget.pure.handshake import accept_steps


def test_accept_check_on_rfc_6455_example():
    """The accept check reproduces RFC 6455's own example, step by step."""
    steps = accept_steps("dGhlIHNhbXBsZSBub25jZQ==")
    assert steps["key_plus_guid"] == "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    assert steps["sha1"] == "b37a4f2cc0624f1690f64606cf385945b2bec4ea"
    assert steps["accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize(
    "code, start",
    [
        (1000, "NORMAL_CLOSURE"),
        (1001, "GOING_AWAY"),
        (1005, "NO_STATUS_RCVD"),
        (1006, "ABNORMAL_CLOSURE"),
        (1009, "MESSAGE_TOO_BIG"),
        (1011, "INTERNAL_ERROR"),
        (1015, "TLS_HANDSHAKE"),
        (3001, "registered"),
        (4000, "private use"),
        (2000, "reserved"),
        (999, "not used"),
        (5000, "invalid"),
    ],
)
def test_every_close_code_is_explained(code, start):
    """Every close code, and each range, has a name and a one-line meaning."""
    assert explain_close_code(code).startswith(start)
    assert close_code_name(code)


def test_handshake_record_of_a_successful_connection(server):
    """The handshake shows request line, headers (masked), status, accept check and extensions."""
    ws = ws_widget.connect(
        server.url("/echo?token=abc"), headers={"Authorization": "Bearer abc"}, sub_protocol="json"
    )
    shake = ws.handshake
    assert shake["request_line"] == "GET /echo?token=**** HTTP/1.1"
    assert ("Authorization", "****") in shake["request_headers"]
    assert shake["status"] == 101 and shake["accept_check"]["ok"]
    key = dict(shake["request_headers"])["Sec-WebSocket-Key"]
    assert (
        shake["accept_check"]["key"] == key
        and shake["accept_check"]["received"] == shake["accept_check"]["accept"]
    )
    assert shake["subprotocol"] == "json"
    assert shake["extensions"][0]["name"] == "permessage-deflate"
    assert "server_max_window_bits" in shake["extensions"][0]["parameters"]
    assert ws.history[1].info["accept_check"]["ok"]
    ws.close()


def test_handshake_record_of_a_server_answering_403(server):
    """A 403 at the handshake is recorded with status, headers and the start of the body."""
    ws = ws_widget.WebSocket()
    ws.Error = lambda ws, err: None
    ws.Connect("ws", "127.0.0.1", "/forbidden", server.port)
    ws.wait_closed(10)
    shake = ws.handshake
    assert (shake["status"], shake["reason"]) == (403, "Forbidden")
    assert ("WWW-Authenticate", 'Bearer realm="device"') in shake["response_headers"]
    assert shake["body"] == "forbidden: bad token\n"
    error = next(r for r in ws.history if r.kind == "error")
    assert error.info["handshake"]["status"] == 403
    assert "HTTP 403 Forbidden" in error.info["message"] and "credentials" in error.info["message"]


def test_frame_log_of_three_server_fragments(request):
    """A message sent in three fragments shows TEXT (FIN clear), CONT, CONT (FIN set)."""
    node = NodeServer()
    request.addfinalizer(node.close)
    ws = ws_widget.connect(node.url("/fragments"), frame_log=True, compression=None)
    assert ws.receive(5) == "alpha-beta-gamma"
    ws.close()
    frames = [(r.kind, r.info["fin"], r.payload, r.info["masked"]) for r in ws.frames if r.direction == "in"]
    assert frames[:3] == [
        ("TEXT", False, b"alpha-", False),
        ("CONT", False, b"beta-", False),
        ("CONT", True, b"gamma", False),
    ]


def test_frame_log_of_ping_pong_and_closing_handshake(server):
    """Ping and pong with their payload, and both close frames, are in the frame log."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    ws.ping(payload="lab")
    ws.close(4000, "class over")
    frames = [(r.direction, r.kind, r.payload) for r in ws.frames]
    assert ("out", "PING", b"lab") in frames and ("in", "PONG", b"lab") in frames
    closes = [r for r in ws.frames if r.kind == "CLOSE"]
    assert [(r.direction, r.info["code"], r.info["meaning"]) for r in closes] == [
        ("out", 4000, "private use"),
        ("in", 4000, "private use"),
    ]
    assert all(r.info["masked"] for r in ws.frames if r.direction == "out")


@pytest.mark.parametrize("compression, compressed", [("deflate", True), (None, False)])
def test_rsv1_follows_permessage_deflate(server, compression, compressed):
    """RSV1 is set on data frames with permessage-deflate on, and clear with it off."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True, compression=compression)
    ws.send("a" * 500)
    ws.receive(5)
    ws.close()
    data = [r for r in ws.frames if r.kind == "TEXT"]
    assert [r.info["rsv1"] for r in data] == [compressed, compressed]
    sent = data[0]
    assert (sent.info["length"] < 500) is compressed  # the length on the wire


def test_send_as_fragments(server):
    """send(fragments=N) sends exactly N frames that the server reassembles."""
    ws = ws_widget.connect(server.url("/echo"), frame_log=True)
    ws.send("0123456789", fragments=4)
    assert ws.receive(5) == "0123456789"
    out = [(r.kind, r.info["fin"]) for r in ws.frames if r.direction == "out" and r.kind in ("TEXT", "CONT")]
    assert out == [("TEXT", False), ("CONT", False), ("CONT", False), ("CONT", True)]
    assert ws.history.messages()[0].info == {"fragments": 4}
    with pytest.raises(ValueError, match="fragments must be a positive integer"):
        ws.send("x", fragments=0)
    ws.close()


def test_frame_log_is_off_by_default(server):
    """Without frame_log=True nothing is recorded per frame."""
    ws = ws_widget.connect(server.url("/echo"))
    ws.send("x")
    ws.receive(5)
    ws.close()
    assert len(ws.frames) == 0


def test_frame_log_switches_on_while_connected(server):
    """Setting ws.frame_log on an open connection starts recording from the next frame."""
    ws = ws_widget.connect(server.url("/echo"))
    ws.send("before")
    ws.receive(5)
    ws.frame_log = True
    ws.ping()  # the switch takes effect on the I/O loop before this ping goes out
    ws.send("after")
    ws.receive(5)
    ws.close()
    texts = [r.payload for r in ws.frames if r.kind == "TEXT"]
    assert texts == [b"after", b"after"] and ws.frame_log
