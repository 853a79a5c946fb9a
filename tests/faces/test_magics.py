"""The IPython extension: %ws, %ws_send, %%ws_send, %ws_close and %ws_demo in IPython's shell."""

from __future__ import annotations

import json

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from shells import fresh_shell

from ws_widget import State, WebSocket

SECRETS = ("s3cret-token", "k3y-value", "pl4in-value")
HEADERS = (
    "--header 'Authorization: Bearer s3cret-token' --header=X-Device-Key:k3y-value -H 'X-Plain: pl4in-value'"
)


@pytest.fixture
def ip(tmp_path, monkeypatch):
    """A fresh IPython shell with the extension loaded, its history in memory."""
    with fresh_shell(tmp_path, monkeypatch) as shell:
        yield shell
        for value in list(shell.user_ns.values()):
            if isinstance(value, WebSocket) and value.state is not State.CLOSED:
                value.close(timeout=10)


@pytest.fixture
def demo_servers():
    """Stops the demo servers a test started through %ws_demo."""
    started = []
    yield started
    for server in started:
        server.stop()


def run(ip, kind: str, name: str, line: str, cell: str | None = None):
    """Run a magic while capturing its output; return the capture."""
    with capture_output() as captured:
        if kind == "line":
            ip.run_line_magic(name, line)
        else:
            ip.run_cell_magic(name, line, cell)
    return captured


def open_echo(ip, server, name="dev") -> WebSocket:
    """Open ``/echo`` with %ws under ``name`` and wait until it is open."""
    run(ip, "line", "ws", f"{server.url('/echo')} --name {name} --no-display")
    return ip.user_ns[name].wait_open(5)


def everything_shown(captured) -> str:
    """All text a capture holds: stdout, stderr and every display's data."""
    return captured.stdout + captured.stderr + "".join(repr(output.data) for output in captured.outputs)


def test_load_ext_registers_every_magic(ip):
    """%load_ext ws_widget registers the line magics and the %%ws_send cell magic."""
    for name in ("ws", "ws_send", "ws_close", "ws_demo"):
        assert ip.find_line_magic(name) is not None, name
    assert ip.find_cell_magic("ws_send") is not None


def test_unload_ext_removes_the_magics(ip):
    """%unload_ext ws_widget removes the magics again, and %load_ext brings them back."""
    ip.run_line_magic("unload_ext", "ws_widget")
    assert ip.find_line_magic("ws") is None and ip.find_cell_magic("ws_send") is None
    ip.run_line_magic("load_ext", "ws_widget")
    assert ip.find_line_magic("ws_demo") is not None


def test_every_magic_has_help_with_an_example(ip):
    """The help text of each magic (what %ws? shows) lists its options and gives an example."""
    helps = {name: ip.find_line_magic(name).__doc__ for name in ("ws", "ws_send", "ws_close", "ws_demo")}
    for name, text in helps.items():
        assert f"%{name}" in text and "Example" in text, name
    options = ("--name", "--subprotocol", "--header", "--insecure", "--ca", "--ping-interval", "--no-display")
    for option in options:
        assert option in helps["ws"], option
    assert "--json" in helps["ws_send"] and "%%ws_send" in helps["ws_send"]
    assert "--code" in helps["ws_close"] and "--reason" in helps["ws_close"]
    assert "--tls" in helps["ws_demo"]


def test_ws_binds_the_name_and_shows_the_widget(ip, server):
    """%ws binds the given name, reports it, shows the widget and connects without blocking."""
    captured = run(ip, "line", "ws", f"{server.url('/echo')} --name dev")
    ws = ip.user_ns["dev"]
    assert isinstance(ws, WebSocket)
    assert captured.stdout.splitlines()[0] == f"dev: connecting to {server.url('/echo')}"
    assert len(captured.outputs) == 1
    assert "application/vnd.jupyter.widget-view+json" in captured.outputs[0].data
    assert ws.wait_open(5).state is State.OPEN


def test_ws_binds_ws_by_default_and_no_display_shows_nothing(ip, server):
    """Without --name the socket is bound to ws; --no-display shows no widget."""
    captured = run(ip, "line", "ws", f"{server.url('/echo')} --no-display")
    assert captured.stdout.startswith("ws: connecting to ") and captured.outputs == []
    assert ip.user_ns["ws"].wait_open(5).state is State.OPEN


def test_ws_again_closes_the_connection_it_opened_before(ip, server):
    """Running %ws again with the same name closes the earlier connection with 1000."""
    first = open_echo(ip, server)
    captured = run(ip, "line", "ws", f"{server.url('/echo')} --name dev --no-display")
    first.wait_closed(10)
    assert first.close_code == 1000 and "closed the previous dev" in captured.stdout
    assert ip.user_ns["dev"] is not first and ip.user_ns["dev"].wait_open(5).state is State.OPEN


def test_ws_offers_subprotocols_and_takes_options(ip, server):
    """--subprotocol offers names in order; --ping-interval accepts seconds or off."""
    run(
        ip,
        "line",
        "ws",
        f"{server.url('/echo')} --subprotocol first --subprotocol second --ping-interval off --no-display",
    )
    assert ip.user_ns["ws"].wait_open(5).subprotocol == "first"
    run(ip, "line", "ws", f"{server.url('/echo')} --name quick --ping-interval 0.5 --no-display")
    assert ip.user_ns["quick"].wait_open(5).ping(timeout=5) > 0


def test_ws_masks_a_token_offered_as_a_subprotocol(ip, server):
    """A bearer token offered with --subprotocol is masked in the connecting line."""
    token = "base64url.bearer.authorization.k8s.io.CANARY42"
    captured = run(ip, "line", "ws", f"{server.url('/echo')} --subprotocol {token} --no-display")
    assert "offering base64url.bearer.authorization.k8s.io.****" in captured.stdout
    assert "CANARY42" not in captured.stdout + captured.stderr
    ip.user_ns["ws"].close()


def test_ws_send_text_json_hex_and_base64_arrive_echoed(ip, server):
    """%ws_send sends text as typed, JSON compact, and hex or base64 as binary."""
    ws = open_echo(ip, server)
    ip.user_ns["x"] = 42
    run(ip, "line", "ws_send", "hello   {x} $x")
    assert ws.receive(timeout=5) == "hello   {x} $x"
    run(ip, "line", "ws_send", '--json {"method": "NoOp",  "params": {"v": 2.50, "s": "a  b"}, "id": 1}')
    assert ws.receive(timeout=5) == '{"method":"NoOp","params":{"v":2.50,"s":"a  b"},"id":1}'
    run(ip, "line", "ws_send", "--hex 01 02 ff")
    assert ws.receive(timeout=5) == b"\x01\x02\xff"
    run(ip, "line", "ws_send", "--base64 AAEC/w==")
    assert ws.receive(timeout=5) == b"\x00\x01\x02\xff"
    run(ip, "line", "ws_send", "-- --json is text here")
    assert ws.receive(timeout=5) == "--json is text here"


def test_cell_magic_sends_the_cell_body(ip, server):
    """%%ws_send sends the body as typed, or as compact JSON or binary with a mode."""
    ws = open_echo(ip, server)
    run(ip, "cell", "ws_send", "", "first line\n  second line\n")
    assert ws.receive(timeout=5) == "first line\n  second line"
    run(ip, "cell", "ws_send", "--json", '{\n  "jsonrpc": "2.0",\n  "method": "StatusGet",\n  "id": 2\n}\n')
    assert json.loads(ws.receive(timeout=5)) == {"jsonrpc": "2.0", "method": "StatusGet", "id": 2}
    run(ip, "cell", "ws_send", "--hex", "de ad\nbe ef\n")
    assert ws.receive(timeout=5) == b"\xde\xad\xbe\xef"


def test_ws_send_targets_the_last_socket_or_the_named_one(ip, server):
    """%ws_send goes to the socket %ws opened last unless --name picks another."""
    first = open_echo(ip, server, "first")
    second = open_echo(ip, server, "second")
    run(ip, "line", "ws_send", "to the last")
    assert second.receive(timeout=5) == "to the last"
    run(ip, "line", "ws_send", "--name first to the first")
    assert first.receive(timeout=5) == "to the first"


def test_ws_send_right_after_ws_is_queued_until_open(ip, server):
    """A message sent while the connection is still opening goes out once it is open."""
    run(ip, "line", "ws", f"{server.url('/echo')} --no-display")
    run(ip, "line", "ws_send", "early")
    assert ip.user_ns["ws"].receive(timeout=5) == "early"


def test_ws_close_closes_with_code_and_reason(ip, server):
    """%ws_close waits for the closing handshake and reports the code and reason."""
    ws = open_echo(ip, server)
    captured = run(ip, "line", "ws_close", "--code 4000 --reason 'bye now'")
    assert ws.state is State.CLOSED and (ws.close_code, ws.close_reason) == (4000, "bye now")
    assert captured.stdout.strip() == "dev: closed (4000 private use, 'bye now')"
    captured = run(ip, "line", "ws_close", "--name dev")
    assert captured.stdout.startswith("dev: already closed")


def test_ws_demo_starts_the_server_and_prints_its_urls(ip, demo_servers):
    """%ws_demo binds demo_server, prints every endpoint URL, and %ws can use them."""
    captured = run(ip, "line", "ws_demo", "")
    server = ip.user_ns["demo_server"]
    demo_servers.append(server)
    assert server.running and captured.stdout.startswith(f"demo_server: the demo server at {server.url}")
    for path in ("/echo", "/telemetry", "/close", "/qrc", "/qrc-public-api/v0"):
        assert server.url_for(path) in captured.stdout, path
    ip.run_line_magic("ws", '{demo_server.url_for("/echo")} --no-display')
    ws = ip.user_ns["ws"].wait_open(5)
    run(ip, "line", "ws_send", "via the demo")
    assert ws.receive(timeout=5) == "via the demo"


def test_ws_demo_tls_with_ca_or_insecure(ip, demo_servers):
    """%ws_demo --tls prints its CA file; --ca verifies against it, --insecure skips the check."""
    captured = run(ip, "line", "ws_demo", "--tls")
    server = ip.user_ns["demo_server"]
    demo_servers.append(server)
    assert server.url.startswith("wss://") and str(server.ca_file) in captured.stdout
    line = "{demo_server.url_for('/echo')} --name trusted --ca {demo_server.ca_file} --no-display"
    ip.run_line_magic("ws", line)
    assert ip.user_ns["trusted"].wait_open(5).verified is True
    captured = run(ip, "line", "ws", f"{server.url_for('/echo')} --name unchecked --insecure --no-display")
    assert ip.user_ns["unchecked"].wait_open(5).verified is False
    assert "TLS NOT verified" in captured.stdout


@pytest.mark.parametrize(
    ("kind", "name", "line", "cell", "message"),
    [
        ("line", "ws", "http://127.0.0.1/echo", None, r"^%ws: url must start with ws:// or wss://"),
        ("line", "ws", "", None, r"^%ws: the following arguments are required: url$"),
        ("line", "ws", "ws://127.0.0.1:1/ --name 2fast", None, r"^%ws: --name must be a Python identifier"),
        (
            "line",
            "ws",
            "ws://127.0.0.1:1/ --ping-interval soon",
            None,
            r"--ping-interval: expected a positive",
        ),
        (
            "line",
            "ws",
            "ws://127.0.0.1:1/ --ca /no/such.pem",
            None,
            r"^%ws: ca must name an existing PEM file",
        ),
        ("line", "ws", "ws://127.0.0.1:1/ --header NoColon", None, r"must look like 'Name: value'"),
        ("line", "ws", "'ws://127.0.0.1:1/", None, r"^%ws: cannot split the line into words"),
        ("line", "ws_send", "--name nope hello", None, r"^%ws_send: no WebSocket named 'nope'"),
        ("line", "ws_send", "hello", None, r"^%ws_send: no socket yet: open one with %ws URL"),
        ("line", "ws_close", "--name nope", None, r"^%ws_close: no WebSocket named 'nope'"),
    ],
)
def test_bad_input_gives_one_clear_usage_error(ip, kind, name, line, cell, message):
    """Bad arguments raise a UsageError whose message says what is wrong."""
    with pytest.raises(UsageError, match=message):
        run(ip, kind, name, line, cell)


def test_bad_messages_give_a_usage_error_and_send_nothing(ip, server):
    """Invalid JSON, hex or base64, mixed modes and empty messages raise UsageError; nothing is sent."""
    ws = open_echo(ip, server)
    cases = [
        ("line", "--json {bad", None, r"^%ws_send: invalid JSON at line 1 column 2"),
        ("cell", "--json", '{"a": 1,}\n', r"^%%ws_send: invalid JSON at line 1 column 9"),
        ("line", "--hex 0g", None, r"^%ws_send: invalid hex"),
        ("line", "--base64 ***", None, r"^%ws_send: invalid base64"),
        ("line", "--json --hex 00", None, r"^%ws_send: choose one of --json, --hex and --base64"),
        ("line", "--json", None, r"^%ws_send: nothing to send"),
        ("line", "--jsn {}", None, r"^%ws_send: unrecognized arguments: --jsn"),
        ("cell", "on the line", "and in the body\n", r"^%%ws_send: the message goes in the cell body"),
    ]
    for kind, line, cell, message in cases:
        with pytest.raises(UsageError, match=message):
            run(ip, kind, "ws_send", line, cell)
    run(ip, "line", "ws_send", "only this")
    assert ws.receive(timeout=5) == "only this"


def test_closed_socket_and_bad_close_code_give_a_usage_error(ip, server):
    """Sending on a closed socket and closing with a forbidden code raise UsageError."""
    open_echo(ip, server)
    with pytest.raises(UsageError, match=r"^%ws_close: close code 1005 may not be sent"):
        run(ip, "line", "ws_close", "--code 1005")
    run(ip, "line", "ws_close", "")
    with pytest.raises(UsageError, match=r"^%ws_send: dev: cannot send"):
        run(ip, "line", "ws_send", "too late")


def test_usage_errors_show_as_one_line_without_traceback(ip):
    """In a cell, a bad %ws shows one UsageError line and no traceback."""
    with capture_output() as captured:
        ip.run_cell("%ws http://127.0.0.1/echo")
    lines = captured.stderr.strip().splitlines()
    assert lines == ["UsageError: %ws: url must start with ws:// or wss://, got 'http://127.0.0.1/echo'"]
    assert "Traceback" not in captured.stdout + captured.stderr


def test_header_values_are_sent_but_never_shown(ip, server):
    """Header values reach the server, yet appear nowhere in what %ws prints or displays."""
    captured = run(ip, "line", "ws", f"{server.url('/headers')} --name dev {HEADERS}")
    received = json.loads(ip.user_ns["dev"].receive(timeout=5))
    assert received["Authorization"] == "Bearer s3cret-token" and received["X-Plain"] == "pl4in-value"
    shown = everything_shown(captured)
    assert "Authorization, X-Device-Key, X-Plain" in shown
    assert not [secret for secret in SECRETS if secret in shown]
    captured = run(ip, "line", "ws_close", "")
    assert not [secret for secret in SECRETS if secret in everything_shown(captured)]


@pytest.mark.parametrize(
    "line",
    [
        "ws://127.0.0.1:1/ --header Authorization: Bearer s3cret-token",
        "ws://127.0.0.1:1/ --header Authorization:Bearer s3cret-token",
        "--header X-Plain: pl4in-value",
        "--header X-Plain:pl4in-value http://127.0.0.1/",
        "ws://127.0.0.1:1/ --header 'X-Plain: pl4in-value' --header 'X-Device-Key: k3y-value' extra",
        "ws://127.0.0.1:1/ --header 'X-Plain: pl4in-value\u00e9'",
        "ws://127.0.0.1:1/ --header 'Bad Name: pl4in-value'",
        "ws://127.0.0.1:1/ -H Authorization: Bearer s3cret-token",
        "ws://127.0.0.1:1/ --head Authorization: Bearer s3cret-token",
        "ws://127.0.0.1:1/ --headers 'Authorization: Bearer s3cret-token' k3y-value",
        "ws://127.0.0.1:1/ Authorization: Bearer s3cret-token",
        "ws://127.0.0.1:1/ --header=X-Device-Key:k3y-value pl4in-value",
    ],
)
def test_header_values_never_appear_in_errors(ip, line):
    """A UsageError about a %ws line never contains a header value, however the line is wrong."""
    with pytest.raises(UsageError) as info:
        run(ip, "line", "ws", line)
    assert str(info.value).startswith("%ws: ")
    assert not [secret for secret in SECRETS if secret in str(info.value)], str(info.value)
