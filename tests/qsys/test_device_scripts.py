"""Device-style Q-SYS scripts, run unchanged through ``python -m ws_widget.qsys`` against fakes.

Each script in ``devices/`` is written the way published Q-SYS scripts are (docs/notes/qsys-lua.md):
the address in text controls, ``rapidjson`` for every message, a poll timer, reconnecting from
``Error`` and ``Closed`` with a debounce. Each test runs one in a real subprocess against a fake
device on loopback and checks both sides: what the device received and what Debug Output shows.
The seed's own examples run the same way against an echo server over ``wss``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from devices import Command, Echo, run_command, script
from devices.amplifier import Amplifier
from devices.gateway import DENIED, Gateway
from devices.rpc import ControlProcessor

from ws_widget.demo.certs import make_certificates

USERS = {"admin": "s3cret-pass"}


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    device = Gateway(USERS)
    yield device
    device.close()


@pytest.fixture
def amplifier() -> Iterator[Amplifier]:
    device = Amplifier(standby_after=4)
    yield device
    device.close()


@pytest.fixture
def processor() -> Iterator[ControlProcessor]:
    device = ControlProcessor(components=300, drop_first=1)
    yield device
    device.close()


def test_gateway_logs_on_with_the_nonce_digest(gateway: Gateway) -> None:
    """The gateway script answers the nonce with its SHA-256 hex digest, logs on and reads the status."""
    result = run_command(
        script("gateway.lua"),
        *gateway.controls(),
        "--control",
        "User=admin",
        "--control",
        "Password=s3cret-pass",
    )
    assert result.code == 0, result.stderr
    (session,) = gateway.sessions
    nonce = gateway.nonces[0]
    assert session.path == "/api/v1"
    assert session.headers["X-Client"] == "Q-SYS"
    assert session.received[0] == {
        "method": "login",
        "user": "admin",
        "digest": hashlib.sha256(f"{nonce}:s3cret-pass".encode()).hexdigest(),
    }
    assert session.received[1] == {"method": "get", "path": "/status"}
    assert session.close_code == 1000
    assert result.texts == [
        "Starting Script",
        "Connected to 127.0.0.1",
        "Logged on as admin, session s-1",
        "LX-200 firmware 2.1.0, 4 zones",
        "Gateway closed",
    ]
    assert "s3cret-pass" not in result.stdout


def test_gateway_refuses_a_wrong_password(gateway: Gateway) -> None:
    """A wrong password gives another digest: the gateway refuses it and closes with 4003."""
    result = run_command(
        script("gateway.lua"), *gateway.controls(), "--control", "User=admin", "--control", "Password=guess"
    )
    assert result.code == 0, result.stderr
    (session,) = gateway.sessions
    assert session.received[0]["digest"] != gateway.digest(gateway.nonces[0], USERS["admin"])
    assert len(session.received) == 1
    assert result.texts[-2:] == ["Log-on refused: unknown user or wrong digest", "Gateway closed"]
    assert session.close_code == DENIED or session.close_code is None  # the server's own code


AMPLIFIER_CONTROLS = [
    "--control",
    "PollTime=0.05",
    "--control",
    "Temperature=0",
    "--control",
    "Power=off",
    "--control",
    "Level=0",
    "--control",
    "Level=0",
    "--control",
    "Mute=0",
    "--control",
    "Mute=0",
]


def test_amplifier_is_polled_and_its_pushes_land_in_controls(amplifier: Amplifier) -> None:
    """A poll timer asks for the meters; answers and pushes go into Controls until standby stops it."""
    result = run_command(script("amplifier.lua"), *amplifier.controls(), *AMPLIFIER_CONTROLS)
    assert result.code == 0, result.stderr
    (session,) = amplifier.sessions
    assert session.path == "/ws"
    assert session.received == [{"cmd": "meters"}] * 4
    assert session.close_code == 1000
    meters = [Amplifier.meters(seq) for seq in range(1, 5)]
    assert result.texts == [
        "Starting Script",
        "PA-2 with 2 channels",
        "Meters 1: {:.1f} C, levels {:.1f} {:.1f}".format(meters[0]["temperature"], *meters[0]["levels"]),
        "Channel 2 mute true, control 1",
        *(
            "Meters {}: {:.1f} C, levels {:.1f} {:.1f}".format(m["seq"], m["temperature"], *m["levels"])
            for m in meters[1:]
        ),
        "Power standby: polling stopped after 4 polls",
        "Amplifier closed",
    ]


def test_rpc_replies_match_their_requests_and_the_client_reconnects(processor: ControlProcessor) -> None:
    """Replies out of order (one over 16 KiB) meet their requests by id; a dropped connection is
    reconnected once, although both Error and Closed may report it; Ctrl-C closes with 1001."""
    command = Command(script("rpc.lua"), *processor.controls())
    try:
        command.wait_line("Connected, session 2")
        command.wait_line("Design Lab is Active", count=2)
    finally:
        command.interrupt()
        result = command.finish()
    assert result.code == 0, result.stderr
    first, second = processor.sessions
    assert [r["method"] for r in first.received] == ["Component.GetComponents", "Status.Get"]
    assert [r["id"] for r in first.received] == [1, 2]
    assert [r["id"] for r in second.received[:2]] == [3, 4]
    assert first.close_code == 1006  # dropped: no close frame
    processor.wait_ended(2)
    assert second.close_code == 1001
    big = len(processor.replies[0][2])
    assert big > 16 * 1024
    texts = result.texts
    start = texts.index("Connected, session 1")
    assert texts[start : start + 5] == [
        "Connected, session 1",
        "Notification EngineStatus: Active",
        f"Reply 2 to Status.Get, {len(processor.replies[0][1])} bytes",
        "Design Lab is Active",
        f"Reply 1 to Component.GetComponents, {big} bytes",
    ]
    assert texts[start + 5] == "300 components, the last Gain_300"
    lost = [text for text in texts if text.startswith("Connection lost")]
    assert len(lost) == 1, texts
    assert lost[0].endswith("0 unanswered; reconnecting in 0.3 s")
    assert texts.index(lost[0]) < texts.index("Connected, session 2")


SEED_ENDPOINT = '"example.com", "/my-websocket-endpoint", 443'


@pytest.fixture
def tls_echo(tmp_path: Path) -> Iterator[tuple[Echo, Path]]:
    certificates = make_certificates(tmp_path)
    device = Echo(ssl=certificates.server_context())
    yield device, certificates.ca_file
    device.close()


def test_the_seed_examples_print_what_the_seed_says(tls_echo: tuple[Echo, Path], tmp_path: Path) -> None:
    """The seed's examples, in Lua, run against a wss echo server and print websocket, Connected,
    Data ..., pong, closed; only the host and port are changed to point at loopback."""
    echo, ca_file = tls_echo
    source = script("seed.lua").read_text(encoding="utf-8")
    assert SEED_ENDPOINT in source
    seed = tmp_path / "seed.lua"
    seed.write_text(source.replace(SEED_ENDPOINT, f'"127.0.0.1", "/my-websocket-endpoint", {echo.port}'))
    result = run_command(seed, "--ca", ca_file)
    assert result.code == 0, result.stderr
    assert result.texts == [
        "Starting Script",
        "websocket",
        "Connected",
        "Data\tHey!",
        "Data\t2 bytes\t1\t2",
        "pong",
        "closed",
        "CallAfter\ttrue\tfalse",
    ]
    (session,) = echo.sessions
    assert session.path == "/my-websocket-endpoint"
    assert session.headers["Authorization"] == "Bearer my-auth-token"
    assert session.received == ["Hey!", b"\x01\x02"]
    assert session.close_code == 1000
    assert "my-auth-token" not in result.stdout
