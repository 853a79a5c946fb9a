"""Network failures reach Error as one human line, then Closed; the exception is kept."""

from __future__ import annotations

import datetime
import shutil
import socket
import ssl
import subprocess
import sys
import textwrap

import pytest
import trustme
from rawservers import RawServer, accept_upgrade
from servers import LoopThread, WebsocketsServer

from ws_widget import ConnectFailedError, InsecureConnectionWarning, WebSocket, connect


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_attempt(recorder, *args, **options):
    ws = WebSocket.New()
    recorder.attach(ws)
    ws.Connect(*args, **options)
    recorder.wait_closed(30)
    return ws


def error_text(recorder) -> str:
    errors = [event[1] for event in recorder.events if event[0] == "Error"]
    assert len(errors) == 1, recorder.events
    assert "\n" not in errors[0]
    return errors[0]


def test_refused_port(recorder):
    """A refused port gives Error then Closed, saying the server may not be running."""
    port = closed_port()
    ws = run_attempt(recorder, "ws", "127.0.0.1", "/", port)
    assert recorder.names() == ["Error", "Closed"]
    assert error_text(recorder) == (
        f"connection refused by 127.0.0.1:{port}: is the server running and listening on that port?"
    )
    assert isinstance(ws.last_error, ConnectionRefusedError)
    assert [r.kind for r in ws.history] == ["error"]


def test_http_404_instead_of_upgrade(server, recorder):
    """An HTTP 404 instead of 101 is explained with a hint about the path."""
    ws = run_attempt(recorder, "ws", "127.0.0.1", "/missing", server.port)
    assert recorder.names() == ["Error", "Closed"]
    assert error_text(recorder).startswith("server answered HTTP 404 Not Found instead of switching")
    assert "check url" in error_text(recorder)
    assert ws.last_error.response.status_code == 404


def test_open_timeout(recorder):
    """A server that never answers the upgrade times out after open_timeout."""
    raw = RawServer(lambda client: client.recv(65536))
    try:
        run_attempt(recorder, "ws", "127.0.0.1", "/", raw.port, open_timeout=0.3)
    finally:
        raw.close()
    assert recorder.names() == ["Error", "Closed"]
    assert error_text(recorder).startswith(f"timed out opening the connection to 127.0.0.1:{raw.port}")
    assert "open_timeout=" in error_text(recorder)


def test_garbage_instead_of_http(recorder):
    """A server that answers garbage is reported as not a WebSocket server."""

    def respond(client):
        client.recv(65536)
        client.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        client.close()

    raw = RawServer(respond)
    try:
        run_attempt(recorder, "ws", "127.0.0.1", "/", raw.port)
    finally:
        raw.close()
    assert "no valid HTTP response" in error_text(recorder)


def test_subprotocol_mismatch(recorder):
    """A server choosing a subprotocol that was not offered fails the handshake clearly."""

    def respond(client):
        accept_upgrade(client, b"Sec-WebSocket-Protocol: other\r\n")

    raw = RawServer(respond)
    try:
        run_attempt(recorder, "ws", "127.0.0.1", "/", raw.port, "json")
    finally:
        raw.close()
    assert recorder.names() == ["Error", "Closed"]
    assert "other" in error_text(recorder) and "sub_protocol" in error_text(recorder)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1) for a network namespace")
def test_unresolvable_host(tmp_path):
    """An unresolvable host is explained; run in an empty network namespace so no query leaves."""
    script = tmp_path / "resolve.py"
    script.write_text(
        textwrap.dedent("""
        from ws_widget import WebSocket
        ws = WebSocket.New()
        ws.Error = lambda ws, err: print("Error", err)
        ws.Closed = lambda ws: print("Closed")
        ws.Connect("ws", "device.invalid", "/", 80)
    """)
    )
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here")
    done = subprocess.run(
        ["unshare", "-n", sys.executable, str(script)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Error cannot resolve host device.invalid ("), lines
    assert "check the host name" in lines[0]
    assert lines[1] == "Closed"


@pytest.fixture(scope="module")
def tls():
    """A self-signed CA, a server certificate for 127.0.0.1 and a wss server using it."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = WebsocketsServer(ssl_context=context)
    yield ca, server
    server.close()


def test_tls_self_signed_fails_by_default(tls, recorder):
    """By default a self-signed certificate is refused, suggesting verify=False or ca=."""
    _ca, server = tls
    ws = run_attempt(recorder, "wss", "127.0.0.1", "/echo", server.port)
    text = error_text(recorder)
    assert text.startswith("TLS certificate verification failed")
    assert "verify=False" in text and "ca=" in text
    assert isinstance(ws.last_error, ssl.SSLCertVerificationError)


def test_tls_verify_false_connects(tls):
    """verify=False connects to a self-signed server, warning once per connection."""
    _ca, server = tls
    with pytest.warns(InsecureConnectionWarning, match="NOT verified") as warned:
        ws = connect(server.url("/echo"), verify=False)
        ws.reconnect().wait_open(5)
    assert len(warned) == 2
    assert ws.verified is False
    assert "NOT verified" in str(ws.debug_output)
    ws.send("secure")
    assert ws.receive(5) == "secure"
    ws.close()


def test_tls_ca_file_connects(tls, tmp_path):
    """ca= with the device's CA file connects with verification on."""
    ca, server = tls
    pem = tmp_path / "device-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    ws = WebSocket.New()
    ws.Connect("wss", "127.0.0.1", "/echo", server.port, ca=str(pem))
    ws.wait_open(10)
    assert ws.verified is True
    ws.close()


@pytest.fixture(scope="module")
def tls_other_name(tmp_path_factory):
    """A wss server whose certificate, from a CA the client is given, is for other.example only."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("other.example").configure_cert(context)
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    server = WebsocketsServer(ssl_context=context)
    yield str(pem), server
    server.close()


@pytest.mark.parametrize(
    "host, mismatch", [("127.0.0.1", "IP address mismatch"), ("localhost", "Hostname mismatch")]
)
def test_tls_host_name_mismatch_is_refused(tls_other_name, recorder, host, mismatch):
    """A trusted certificate for another name is refused, naming the host and what to do."""
    pem, server = tls_other_name
    ws = run_attempt(recorder, "wss", host, "/echo", server.port, ca=pem)
    assert recorder.names() == ["Error", "Closed"]
    text = error_text(recorder)
    assert text.startswith(
        f"TLS certificate is for another host name ({mismatch}, certificate is not valid for '{host}'"
    )
    assert "connect with a name the certificate was issued for" in text and "verify=False" in text
    assert "ca=" not in text  # the CA is trusted already: trusting it again would not help
    assert (
        isinstance(ws.last_error, ssl.SSLCertVerificationError) and ws.verified is True
    )  # checks on by default
    with pytest.raises(ConnectFailedError, match="another host name"):
        connect(server.url("/echo").replace("127.0.0.1", host), ca=pem)


def test_tls_expired_certificate_is_refused(tmp_path, recorder):
    """An expired certificate from a trusted CA is refused, pointing at the clocks."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    ca.issue_cert("127.0.0.1", not_before=past, not_after=past + datetime.timedelta(days=1)).configure_cert(
        context
    )
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    server = WebsocketsServer(ssl_context=context)
    try:
        run_attempt(recorder, "wss", "127.0.0.1", "/echo", server.port, ca=str(pem))
    finally:
        server.close()
    assert error_text(recorder).startswith("TLS certificate verification failed (certificate has expired)")
    assert "clock" in error_text(recorder)


def test_wait_open_raises_the_explanation(server):
    """wait_open after a failed attempt raises ConnectFailedError with the same line."""
    ws = WebSocket.New()
    ws.Error = lambda ws, err: None
    ws.Connect("ws", "127.0.0.1", "/missing", server.port)
    with pytest.raises(ConnectFailedError, match="HTTP 404"):
        ws.wait_open(10)


def test_abnormal_end_gives_error_then_closed(recorder):
    """A server that drops the TCP connection gives Error (1006 explained) then Closed."""
    loop = LoopThread()
    from websockets.asyncio.server import serve

    async def start():
        async def drop(connection):
            connection.transport.abort()

        return await serve(drop, "127.0.0.1", 0)

    server = loop.run(start())
    try:
        ws = run_attempt(recorder, "ws", "127.0.0.1", "/", server.sockets[0].getsockname()[1])
    finally:
        server.close()
        loop.stop()
    assert recorder.names() == ["Connected", "Error", "Closed"]
    assert "1006" in error_text(recorder)
    assert ws.close_code == 1006


def test_message_too_big_gives_error_then_closed(server, recorder):
    """A message above max_size closes with 1009, reported as Error then Closed."""
    ws = run_attempt(recorder, "ws", "127.0.0.1", "/big?size=2000", server.port, max_size=1000)
    assert recorder.names() == ["Connected", "Error", "Closed"]
    assert "max_size" in error_text(recorder)
    assert ws.close_code in (1009, 1006)


def test_keepalive_timeout_is_explained(recorder):
    """A peer that stops answering pings is reported as a keepalive timeout (1011), then Closed."""

    def respond(client):
        accept_upgrade(client)
        while client.recv(65536):  # reads everything, answers nothing: no pong ever comes
            pass

    raw = RawServer(respond)
    try:
        ws = run_attempt(
            recorder, "ws", "127.0.0.1", "/", raw.port, ping_interval=0.1, ping_timeout=0.1, close_timeout=0.2
        )
    finally:
        raw.close()
    assert recorder.names() == ["Connected", "Error", "Closed"]
    assert error_text(recorder).startswith(
        "no pong to a keepalive ping within ping_timeout (1011 keepalive ping timeout)"
    )
    assert ws.close_code == 1006


def test_invalid_utf8_in_a_text_frame_closes_with_1007(recorder):
    """Invalid UTF-8 in a text frame after a good one gives Error (1007), then Closed; the good one stays."""

    def respond(client):
        accept_upgrade(client)
        client.sendall(b"\x81\x02ok" + b"\x81\x02\xff\xfe")  # TEXT "ok", then TEXT with invalid UTF-8
        while client.recv(65536):
            pass

    raw = RawServer(respond)
    try:
        ws = run_attempt(recorder, "ws", "127.0.0.1", "/", raw.port, close_timeout=0.5)
    finally:
        raw.close()
    assert recorder.names() == ["Connected", "Data", "Error", "Closed"]
    assert recorder.data() == ["ok"]
    assert "1007" in error_text(recorder)
    sent_close = next(r for r in ws.history if r.kind == "close")
    assert sent_close.info["initiator"] == "client"
