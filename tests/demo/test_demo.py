"""The demo device server: echo, telemetry, close, the QRC simulator, TLS, start() and the CLI."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from ws_widget import demo
from ws_widget.demo import Design, QrcSession
from ws_widget.demo.design import Meter

REPO = Path(__file__).resolve().parent.parent.parent
NODE_CLIENT = REPO / "tests" / "node" / "client.js"


def run(coro, timeout=20):
    """Run a coroutine on a fresh loop, failing after ``timeout`` seconds."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.fixture
def server():
    """A demo server of the test's own, on a free loopback port."""
    instance = demo.DemoServer().start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def tls_server():
    """A demo server with TLS, shared by the module."""
    instance = demo.DemoServer(tls=True).start()
    yield instance
    instance.stop()


class Qrc:
    """A QRC client over the websockets client: calls by id, keeps pushed notifications."""

    def __init__(self, ws):
        self.ws = ws
        self.pushes: list[dict] = []
        self.engine_status: dict | None = None

    @classmethod
    async def open(cls, url, **options):
        client = cls(await connect(url, **options))
        client.engine_status = json.loads(await client.ws.recv())
        return client

    async def close(self):
        await self.ws.close()

    async def send(self, request) -> dict:
        """Send a request (dict or raw text); return the next response, keeping pushes aside."""
        await self.ws.send(request if isinstance(request, (str, bytes)) else json.dumps(request))
        while True:
            message = json.loads(await self.ws.recv())
            if "method" in message:
                self.pushes.append(message)
            else:
                return message

    async def call(self, method, params=None, request_id=1) -> dict:
        request = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            request["params"] = params
        response = await self.send(request)
        assert response["id"] == request_id
        return response

    async def result(self, method, params=None):
        response = await self.call(method, params)
        assert "error" not in response, response
        return response["result"]

    async def error(self, method, params=None) -> int:
        response = await self.call(method, params)
        assert "result" not in response, response
        assert response["error"]["message"]
        return response["error"]["code"]

    async def next_push(self, timeout=5) -> dict:
        if self.pushes:
            return self.pushes.pop(0)
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))


def qrc_test(url, scenario, **options):
    """Run ``scenario(client)`` against a fresh QRC connection."""

    async def main():
        client = await Qrc.open(url, **options)
        try:
            return await scenario(client)
        finally:
            await client.close()

    return run(main())


async def received_until_closed(url, **options):
    """Every message a server sends, then its close code and reason."""
    messages = []
    async with connect(url, **options) as ws:
        try:
            while True:
                messages.append(await ws.recv())
        except ConnectionClosed:
            pass
        return messages, ws.close_code, ws.close_reason


# -- echo, telemetry, close --------------------------------------------------------------------


def test_echo_sends_back_text_and_binary(server):
    """/echo sends back text as text and bytes as bytes."""

    async def main():
        async with connect(server.url_for("/echo")) as ws:
            await ws.send("hello")
            assert await ws.recv() == "hello"
            await ws.send(b"\x00\x01\xff")
            assert await ws.recv() == b"\x00\x01\xff"

    run(main())


def test_telemetry_sends_readings_at_the_rate_asked(server):
    """/telemetry sends count readings at rate per second, then closes with 1000."""
    messages, code, reason = run(received_until_closed(server.url_for("/telemetry", rate=20, count=10)))
    readings = [json.loads(message) for message in messages]
    assert code == 1000 and "10" in reason
    assert [reading["counter"] for reading in readings] == list(range(1, 11))
    for reading in readings:
        assert set(reading) == {"counter", "timestamp", "time", "temperature_c", "humidity_pct", "voltage_v"}
        assert 15 < reading["temperature_c"] < 30 and 20 < reading["humidity_pct"] < 70
        assert 11 < reading["voltage_v"] < 13
        assert reading["time"].endswith("Z") and abs(reading["timestamp"] - time.time()) < 60
    span = readings[-1]["timestamp"] - readings[0]["timestamp"]
    assert 0.3 < span < 2.0  # nine intervals of 0.05 s


def test_telemetry_with_a_seed_repeats_its_readings(server):
    """/telemetry with the same seed sends the same values."""

    def values(url):
        messages, _, _ = run(received_until_closed(url))
        return [{k: v for k, v in json.loads(m).items() if k not in ("timestamp", "time")} for m in messages]

    url = server.url_for("/telemetry", rate=100, count=5, seed=42)
    assert values(url) == values(url)


@pytest.mark.parametrize(
    "query, words",
    [
        ("rate=abc", "rate must be a number"),
        ("rate=0", "rate must be"),
        ("rate=5000", "rate must be"),
        ("rate=nan", "rate must be"),
        ("count=0", "count must be"),
        ("count=1.5", "count must be an integer"),
        ("colour=red", "unknown parameter 'colour'"),
    ],
)
def test_telemetry_refuses_a_bad_query_with_1008(server, query, words):
    """/telemetry closes with 1008 and a reason saying what was wrong."""
    messages, code, reason = run(received_until_closed(server.url_for("/telemetry?" + query)))
    assert (messages, code) == ([], 1008)
    assert words in reason


@pytest.mark.parametrize(
    "query, code, reason",
    [
        ("code=4000&reason=bye", 4000, "bye"),
        ("code=1001&reason=going%20away", 1001, "going away"),
        ("", 1000, ""),
    ],
)
def test_close_closes_with_the_code_and_reason_asked(server, query, code, reason):
    """/close closes with the code and reason of its query."""
    assert run(received_until_closed(server.url_for("/close?" + query))) == ([], code, reason)


@pytest.mark.parametrize(
    "query, words",
    [
        ("code=1006", "code must be"),
        ("code=5000", "code must be"),
        ("code=abc", "code must be"),
        ("reason=" + "x" * 124, "at most 123 bytes"),
        ("cod=4000", "unknown parameter 'cod'"),
    ],
)
def test_close_refuses_what_cannot_be_sent_with_1008(server, query, words):
    """/close answers a code or reason that no close frame may carry with 1008."""
    messages, code, reason = run(received_until_closed(server.url_for("/close?" + query)))
    assert (messages, code) == ([], 1008)
    assert words in reason


def test_an_unknown_path_answers_404_listing_the_endpoints(server):
    """A path without an endpoint answers HTTP 404 naming the endpoints."""
    with pytest.raises(InvalidStatus) as caught:
        run(connect(server.url_for("/nope")))
    assert caught.value.response.status_code == 404
    assert b"/qrc-public-api/v0" in caught.value.response.body


# -- QRC: connection, status, logon -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/qrc", "/qrc-public-api/v0"])
def test_qrc_pushes_engine_status_on_connect(server, path):
    """Both QRC paths push EngineStatus, shaped like a Core's, as the first frame."""

    async def scenario(client):
        return client.engine_status

    status = qrc_test(server.url_for(path), scenario)
    assert status["jsonrpc"] == "2.0" and status["method"] == "EngineStatus" and "id" not in status
    params = status["params"]
    assert params["Platform"] == "Core 110f" and params["State"] == "Active"
    assert params["IsRedundant"] is False and params["IsEmulator"] is True
    assert params["Status"] == {"Code": 0, "String": "OK"}
    assert isinstance(params["DesignName"], str) and isinstance(params["DesignCode"], str)


def test_noop_status_get_and_logon_answer(server):
    """NoOp and any Logon answer true; StatusGet answers the engine status."""

    async def scenario(client):
        assert await client.result("NoOp", {}) is True
        assert await client.result("Logon", {"User": "anyone", "Password": "anything"}) is True
        status = await client.result("StatusGet", 0)
        assert status == client.engine_status["params"]
        assert await client.error("Logon", {"User": "x"}) == -32602

    qrc_test(server.url_for("/qrc"), scenario)


def test_configured_users_must_log_on_first():
    """With users configured, requests need a matching Logon first (error 10)."""
    with demo.DemoServer(users={"admin": "secret"}) as server:

        async def scenario(client):
            assert await client.error("Control.Get", ["MainGain"]) == 10
            assert await client.result("NoOp", {}) is True
            assert await client.error("Logon", {"User": "admin", "Password": "wrong"}) == 10
            assert await client.result("Logon", {"User": "admin", "Password": "secret"}) is True
            assert (await client.result("Control.Get", ["MainGain"]))[0]["Name"] == "MainGain"

        qrc_test(server.url_for("/qrc"), scenario)


# -- QRC: JSON-RPC errors and ids --------------------------------------------------------------


def test_json_rpc_errors_have_their_codes(server):
    """Bad JSON, bad requests, unknown methods and bad params answer -32700, -32600, -32601, -32602."""

    async def scenario(client):
        parse = await client.send("{not json")
        assert parse["error"]["code"] == -32700 and parse["id"] is None
        for bad in (
            "[]",
            "42",
            '{"jsonrpc": "1.0", "id": 1, "method": "NoOp"}',
            '{"jsonrpc": "2.0", "id": 1}',
            '[{"jsonrpc": "2.0", "id": 1, "method": "NoOp"}]',
            '{"jsonrpc": "2.0", "id": {}, "method": "NoOp"}',
        ):
            response = await client.send(bad)
            assert response["error"]["code"] == -32600, bad
        assert await client.error("Control.Explode", {}) == -32601
        assert await client.error("Control.Get", {"Name": "MainGain"}) == -32602
        for binary in (b"\xff\xfe", b"\xc3\x28"):
            assert (await client.send(binary))["error"]["code"] == -32700

    qrc_test(server.url_for("/qrc"), scenario)


def test_notifications_get_no_answer(server):
    """A request without id is carried out and not answered, even when it fails."""

    async def scenario(client):
        await client.ws.send(
            json.dumps(
                {"jsonrpc": "2.0", "method": "Control.Set", "params": {"Name": "MainGain", "Value": -20}}
            )
        )
        await client.ws.send(json.dumps({"jsonrpc": "2.0", "method": "NoSuchMethod"}))
        response = await client.call("Control.Get", ["MainGain"], request_id=5)
        assert response["result"][0]["Value"] == -20.0

    qrc_test(server.url_for("/qrc"), scenario)


@pytest.mark.parametrize("request_id", [7, 0, 2.5, "abc", "7"])
def test_request_ids_are_echoed_as_given(server, request_id):
    """The response carries the request's id, number or string, unchanged."""

    async def scenario(client):
        response = await client.call("NoOp", {}, request_id=request_id)
        assert response == {"jsonrpc": "2.0", "result": True, "id": request_id}
        assert type(response["id"]) is type(request_id)

    qrc_test(server.url_for("/qrc"), scenario)


# -- QRC: Named Controls -----------------------------------------------------------------------


def test_control_get_reports_name_value_string_and_position(server):
    """Control.Get reports numbers, booleans as 0/1 and text with String and Position."""

    async def scenario(client):
        names = ["MainGain", "MainMute", "RoomPower", "RoomSource", "RoomLabel"]
        return await client.result("Control.Get", names)

    gain, mute, power, source, label = qrc_test(server.url_for("/qrc"), scenario)
    assert gain == {"Name": "MainGain", "Value": -10.0, "String": "-10.0dB", "Position": 0.75}
    assert mute == {"Name": "MainMute", "Value": 0, "String": "unmuted", "Position": 0.0}
    assert power == {"Name": "RoomPower", "Value": 1, "String": "true", "Position": 1.0}
    assert source == {"Name": "RoomSource", "Value": 1, "String": "1", "Position": 0.0}
    assert label == {"Name": "RoomLabel", "Value": "Lobby", "String": "Lobby", "Position": 0.0}


def test_control_set_sets_values_booleans_and_text(server):
    """Control.Set answers true; values are clamped, booleans take true/false or 0/1."""

    async def scenario(client):
        for name, value in [("MainGain", 50), ("MainMute", True), ("RoomPower", 0), ("RoomLabel", "Hall")]:
            assert await client.result("Control.Set", {"Name": name, "Value": value}) is True
        assert await client.result("Control.Set", {"Name": "RoomSource", "Position": 1.0}) is True
        names = ["MainGain", "MainMute", "RoomPower", "RoomLabel", "RoomSource"]
        return await client.result("Control.Get", names)

    gain, mute, power, label, source = qrc_test(server.url_for("/qrc"), scenario)
    assert (gain["Value"], gain["String"], gain["Position"]) == (20.0, "20.0dB", 1.0)
    assert (mute["Value"], mute["String"], mute["Position"]) == (1, "muted", 1.0)
    assert (power["Value"], power["String"]) == (0, "false")
    assert (label["Value"], label["String"]) == ("Hall", "Hall")
    assert source["Value"] == 4


def test_control_set_ramps_over_the_seconds_asked(server):
    """Control.Set with Ramp moves the value there over Ramp seconds."""

    async def scenario(client):
        await client.result("Control.Set", {"Name": "MainGain", "Value": 10, "Ramp": 0.4})
        await asyncio.sleep(0.15)
        during = (await client.result("Control.Get", ["MainGain"]))[0]["Value"]
        await asyncio.sleep(0.4)
        after = (await client.result("Control.Get", ["MainGain"]))[0]["Value"]
        return during, after

    during, after = qrc_test(server.url_for("/qrc"), scenario)
    assert -10.0 < during < 10.0
    assert after == 10.0


def test_named_control_errors(server):
    """Unknown controls answer 8; bad values, read-only meters and bad shapes answer -32602."""

    async def scenario(client):
        assert await client.error("Control.Get", ["MainGain", "Nope"]) == 8
        assert await client.error("Control.Set", {"Name": "Nope", "Value": 1}) == 8
        assert await client.error("Control.Set", {"Name": "MainGain", "Value": "loud"}) == -32602
        assert await client.error("Control.Set", {"Name": "MainGain"}) == -32602
        assert await client.error("Control.Set", {"Name": "MainGain", "Value": 1, "Ramp": -1}) == -32602
        assert await client.error("Control.Set", {"Name": "MainLevel", "Value": 0}) == -32602
        assert await client.error("Control.Set", {"Value": 0}) == -32602
        assert await client.error("Control.Set", ["MainGain", 0]) == -32602
        assert await client.error("Control.Get", "MainGain") == -32602

    qrc_test(server.url_for("/qrc"), scenario)


def test_changes_are_shared_between_connections(server):
    """A value set on one connection reads back on another, as on one Core."""

    async def setter(client):
        await client.result("Control.Set", {"Name": "RoomLabel", "Value": "Shared"})

    async def getter(client):
        return await client.result("Control.Get", ["RoomLabel"])

    qrc_test(server.url_for("/qrc"), setter)
    assert qrc_test(server.url_for("/qrc-public-api/v0"), getter)[0]["Value"] == "Shared"


# -- QRC: Named Components ---------------------------------------------------------------------


def test_component_get_components_lists_the_design(server):
    """Component.GetComponents lists each component with ID, Name, Type and Properties."""

    async def scenario(client):
        return await client.result("Component.GetComponents")

    components = {c["Name"]: c for c in qrc_test(server.url_for("/qrc"), scenario)}
    assert set(components) == {"Gain1", "Meter1", "Room"}
    assert components["Gain1"]["Type"] == "gain" and components["Gain1"]["ID"] == "Gain1"
    assert {"Name": "max_gain", "Value": "20"} in components["Gain1"]["Properties"]


def test_component_get_controls_describes_every_control(server):
    """Component.GetControls gives type, range, strings, position and direction of each control."""

    async def scenario(client):
        return await client.result("Component.GetControls", {"Name": "Gain1"})

    result = qrc_test(server.url_for("/qrc"), scenario)
    assert result["Name"] == "Gain1"
    controls = {c["Name"]: c for c in result["Controls"]}
    assert set(controls) == {"bypass", "gain", "invert", "mute"}
    assert controls["gain"] == {
        "Name": "gain",
        "Type": "Float",
        "Value": -10.0,
        "ValueMin": -100.0,
        "ValueMax": 20.0,
        "StringMin": "-100.0dB",
        "StringMax": "20.0dB",
        "String": "-10.0dB",
        "Position": 0.75,
        "Direction": "Read/Write",
    }
    assert controls["mute"]["Type"] == "Boolean" and controls["mute"]["StringMax"] == "muted"


def test_component_get_and_set(server):
    """Component.Get reads chosen controls; Component.Set sets several, with a ramp if asked."""

    async def scenario(client):
        assert (
            await client.result(
                "Component.Set",
                {
                    "Name": "Gain1",
                    "Controls": [
                        {"Name": "gain", "Value": -6},
                        {"Name": "mute", "Value": True},
                        {"Name": "invert", "Value": 1, "Ramp": 1},
                    ],
                },
            )
            is True
        )
        wanted = [{"Name": "gain"}, {"Name": "mute"}]
        return await client.result("Component.Get", {"Name": "Gain1", "Controls": wanted})

    result = qrc_test(server.url_for("/qrc"), scenario)
    assert result == {
        "Name": "Gain1",
        "Controls": [
            {"Name": "gain", "Value": -6.0, "String": "-6.0dB", "Position": 0.783333},
            {"Name": "mute", "Value": 1, "String": "muted", "Position": 1.0},
        ],
    }


def test_component_errors_change_nothing(server):
    """Unknown components answer 7, unknown controls 8; a bad entry leaves the others unset."""

    async def scenario(client):
        assert await client.error("Component.GetControls", {"Name": "Nope"}) == 7
        assert await client.error("Component.Get", {"Name": "Nope", "Controls": [{"Name": "gain"}]}) == 7
        assert await client.error("Component.Get", {"Name": "Gain1", "Controls": [{"Name": "nope"}]}) == 8
        gain = [{"Name": "gain", "Value": 0}]
        assert await client.error("Component.Set", {"Name": "Nope", "Controls": gain}) == 7
        assert (
            await client.error(
                "Component.Set",
                {
                    "Name": "Gain1",
                    "Controls": [{"Name": "gain", "Value": 0}, {"Name": "mute", "Value": "yes please"}],
                },
            )
            == -32602
        )
        assert await client.error("Component.Get", {"Name": "Gain1", "Controls": ["gain"]}) == -32602
        assert await client.error("Component.GetControls", {}) == -32602
        return await client.result("Component.Get", {"Name": "Gain1", "Controls": [{"Name": "gain"}]})

    assert qrc_test(server.url_for("/qrc"), scenario)["Controls"][0]["Value"] == -10.0


# -- QRC: change groups ------------------------------------------------------------------------


def test_poll_returns_every_control_first_then_only_changes(server):
    """The first Poll reports every control of the group; later polls only what changed."""

    async def scenario(client):
        named = {"Id": "g", "Controls": ["MainGain", "RoomLabel"]}
        assert await client.result("ChangeGroup.AddControl", named)
        assert await client.result(
            "ChangeGroup.AddComponentControl",
            {"Id": "g", "Component": {"Name": "Gain1", "Controls": [{"Name": "mute"}]}},
        )
        first = await client.result("ChangeGroup.Poll", {"Id": "g"})
        second = await client.result("ChangeGroup.Poll", {"Id": "g"})
        await client.result("Control.Set", {"Name": "RoomLabel", "Value": "Stage"})
        third = await client.result("ChangeGroup.Poll", {"Id": "g"})
        return first, second, third

    first, second, third = qrc_test(server.url_for("/qrc"), scenario)
    assert first == {
        "Id": "g",
        "Changes": [
            {"Name": "MainGain", "Value": -10.0, "String": "-10.0dB", "Position": 0.75},
            {"Name": "RoomLabel", "Value": "Lobby", "String": "Lobby", "Position": 0.0},
            {"Component": "Gain1", "Name": "mute", "Value": 0, "String": "unmuted", "Position": 0.0},
        ],
    }
    assert second == {"Id": "g", "Changes": []}
    stage = {"Name": "RoomLabel", "Value": "Stage", "String": "Stage", "Position": 0.0}
    assert third == {"Id": "g", "Changes": [stage]}


def test_remove_clear_invalidate_and_destroy(server):
    """Remove drops controls, Invalidate resends all, Clear empties, Destroy deletes (then 6)."""

    async def scenario(client):
        await client.result("ChangeGroup.AddControl", {"Id": 3, "Controls": ["MainGain", "MainMute"]})
        assert len((await client.result("ChangeGroup.Poll", {"Id": 3}))["Changes"]) == 2
        assert await client.result("ChangeGroup.Invalidate", {"Id": 3}) is True
        assert len((await client.result("ChangeGroup.Poll", {"Id": 3}))["Changes"]) == 2
        assert await client.result("ChangeGroup.Remove", {"Id": 3, "Controls": ["MainGain"]}) is True
        await client.result("ChangeGroup.Invalidate", {"Id": 3})
        changes = (await client.result("ChangeGroup.Poll", {"Id": 3}))["Changes"]
        assert [change["Name"] for change in changes] == ["MainMute"]
        assert await client.result("ChangeGroup.Clear", {"Id": 3}) is True
        assert (await client.result("ChangeGroup.Poll", {"Id": 3}))["Changes"] == []
        assert await client.result("ChangeGroup.Destroy", {"Id": 3}) is True
        assert await client.error("ChangeGroup.Poll", {"Id": 3}) == 6

    qrc_test(server.url_for("/qrc"), scenario)


def test_change_group_errors(server):
    """Unknown groups answer 6, unknown controls 7 or 8, bad shapes -32602."""

    async def scenario(client):
        for method in ("Poll", "Clear", "Destroy", "Invalidate"):
            assert await client.error(f"ChangeGroup.{method}", {"Id": "missing"}) == 6
        assert await client.error("ChangeGroup.Remove", {"Id": "missing", "Controls": ["MainGain"]}) == 6
        assert await client.error("ChangeGroup.AutoPoll", {"Id": "missing", "Rate": 1}) == 6
        assert await client.error("ChangeGroup.AddControl", {"Id": "g", "Controls": ["Nope"]}) == 8
        assert (
            await client.error(
                "ChangeGroup.AddComponentControl",
                {"Id": "g", "Component": {"Name": "Nope", "Controls": [{"Name": "gain"}]}},
            )
            == 7
        )
        assert (
            await client.error(
                "ChangeGroup.AddComponentControl",
                {"Id": "g", "Component": {"Name": "Gain1", "Controls": [{"Name": "nope"}]}},
            )
            == 8
        )
        assert await client.error("ChangeGroup.AddControl", {"Id": True, "Controls": ["MainGain"]}) == -32602
        assert await client.error("ChangeGroup.AddControl", {"Id": "g", "Controls": "MainGain"}) == -32602
        await client.result("ChangeGroup.AddControl", {"Id": "g", "Controls": ["MainGain"]})
        assert await client.error("ChangeGroup.AutoPoll", {"Id": "g", "Rate": 0}) == -32602
        assert await client.error("ChangeGroup.AutoPoll", {"Id": "g"}) == -32602

    qrc_test(server.url_for("/qrc"), scenario)


def test_at_most_four_change_groups(server):
    """A fifth change group answers 5 (change groups exhausted) until one is destroyed."""

    async def scenario(client):
        for group in range(4):
            await client.result("ChangeGroup.AddControl", {"Id": group, "Controls": ["MainGain"]})
        assert await client.error("ChangeGroup.AddControl", {"Id": "fifth", "Controls": ["MainGain"]}) == 5
        await client.result("ChangeGroup.Destroy", {"Id": 0})
        assert await client.result("ChangeGroup.AddControl", {"Id": "fifth", "Controls": ["MainGain"]})

    qrc_test(server.url_for("/qrc"), scenario)


def test_change_group_ids_are_echoed_as_number_or_string(server):
    """Group ids keep their JSON type: 1 and "1" are two groups, each echoed as given."""

    async def scenario(client):
        await client.result("ChangeGroup.AddControl", {"Id": 1, "Controls": ["MainGain"]})
        await client.result("ChangeGroup.AddControl", {"Id": "1", "Controls": ["MainMute"]})
        number = await client.result("ChangeGroup.Poll", {"Id": 1})
        text = await client.result("ChangeGroup.Poll", {"Id": "1"})
        return number, text

    number, text = qrc_test(server.url_for("/qrc"), scenario)
    assert number["Id"] == 1 and type(number["Id"]) is int and number["Changes"][0]["Name"] == "MainGain"
    assert text["Id"] == "1" and text["Changes"][0]["Name"] == "MainMute"


def test_autopoll_pushes_polls_every_rate_seconds_empty_ones_too(server):
    """AutoPoll pushes ChangeGroup.Poll at once and every Rate seconds, with or without changes."""

    async def scenario(client):
        await client.result("ChangeGroup.AddControl", {"Id": 9, "Controls": ["MainGain", "RoomLabel"]})
        started = time.monotonic()
        assert await client.result("ChangeGroup.AutoPoll", {"Id": 9, "Rate": 0.05}) is True
        pushes = [await client.next_push() for _ in range(6)]
        elapsed = time.monotonic() - started
        await client.result("Control.Set", {"Name": "RoomLabel", "Value": "Pushed"})
        for _ in range(20):
            push = await client.next_push()
            if push["params"]["Changes"]:
                return pushes, elapsed, push
        raise AssertionError("the change was never pushed")

    pushes, elapsed, changed = qrc_test(server.url_for("/qrc"), scenario)
    for push in pushes:
        assert push["jsonrpc"] == "2.0" and push["method"] == "ChangeGroup.Poll" and "id" not in push
        assert push["params"]["Id"] == 9
    assert [c["Name"] for c in pushes[0]["params"]["Changes"]] == ["MainGain", "RoomLabel"]
    assert all(push["params"]["Changes"] == [] for push in pushes[1:])
    assert 0.2 < elapsed < 2.0  # five intervals of 0.05 s
    pushed = {"Name": "RoomLabel", "Value": "Pushed", "String": "Pushed", "Position": 0.0}
    assert changed["params"]["Changes"] == [pushed]


def test_autopoll_stops_when_the_group_is_destroyed(server):
    """After ChangeGroup.Destroy no more polls are pushed."""

    async def scenario(client):
        await client.result("ChangeGroup.AddControl", {"Id": "a", "Controls": ["MainGain"]})
        await client.result("ChangeGroup.AutoPoll", {"Id": "a", "Rate": 0.02})
        await client.next_push()
        await client.result("ChangeGroup.Destroy", {"Id": "a"})
        client.pushes.clear()
        with pytest.raises(asyncio.TimeoutError):
            await client.next_push(timeout=0.3)

    qrc_test(server.url_for("/qrc"), scenario)


def test_meters_move_and_follow_the_gain(server):
    """Meter levels change over time, read only, and drop to the floor when the gain is muted."""

    async def scenario(client):
        meters = {"Name": "Meter1", "Controls": [{"Name": "meter.1"}, {"Name": "meter.2"}]}
        await client.result("ChangeGroup.AddComponentControl", {"Id": "m", "Component": meters})
        levels = set()
        for _ in range(8):
            for change in (await client.result("ChangeGroup.Poll", {"Id": "m"}))["Changes"]:
                levels.add(change["Value"])
            await asyncio.sleep(0.11)
        await client.result("Control.Set", {"Name": "MainMute", "Value": 1})
        muted = await client.result("Component.Get", {"Name": "Meter1", "Controls": [{"Name": "meter.1"}]})
        described = await client.result("Component.GetControls", {"Name": "Meter1"})
        return levels, muted, described

    levels, muted, described = qrc_test(server.url_for("/qrc"), scenario)
    assert len(levels) >= 4
    assert all(-100.0 <= level <= 20.0 for level in levels)
    assert muted["Controls"][0] == {"Name": "meter.1", "Value": -100.0, "String": "-100.0dB", "Position": 0.0}
    assert {c["Direction"] for c in described["Controls"]} == {"Read Only"}


# -- the simulator without sockets -------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_simulator_runs_without_sockets_on_a_fake_clock():
    """QrcSession.handle answers dicts; ramps and meters follow the injected clock."""
    clock = FakeClock()
    session = QrcSession(Design(clock=clock))

    def call(method, params=None):
        return session.handle({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})["result"]

    call("Control.Set", {"Name": "MainGain", "Value": 10, "Ramp": 2})
    clock.now += 1
    assert call("Control.Get", ["MainGain"])[0]["Value"] == 0.0  # half way from -10 to 10
    clock.now += 5
    assert call("Control.Get", ["MainGain"])[0]["Value"] == 10.0
    meter = Design(clock=clock).components["Meter1"].controls["meter.1"]
    assert isinstance(meter, Meter)
    steady = meter.value
    clock.now += 0.01
    assert meter.value == steady  # one reading per 0.1 s
    readings = set()
    for _ in range(10):
        clock.now += 0.1
        readings.add(meter.value)
    assert len(readings) > 3
    assert session.handle({"jsonrpc": "2.0", "method": "NoOp"}) is None


# -- TLS -----------------------------------------------------------------------------------------


def test_tls_works_with_the_ca_file(tls_server):
    """With tls=True the server speaks wss:// with a certificate that ca_file verifies."""
    assert tls_server.url.startswith("wss://127.0.0.1:")
    assert tls_server.ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")

    async def main():
        context = ssl.create_default_context(cafile=str(tls_server.ca_file))
        async with connect(tls_server.url_for("/echo"), ssl=context) as ws:
            await ws.send("secure")
            return await ws.recv()

    assert run(main()) == "secure"


def test_tls_refuses_clients_that_do_not_trust_it_unless_verify_is_off(tls_server):
    """Without ca_file verification fails; with verification off it connects."""
    with pytest.raises(ssl.SSLCertVerificationError):
        run(connect(tls_server.url_for("/echo"), ssl=ssl.create_default_context()))

    async def main():
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        async with connect(tls_server.url_for("/qrc"), ssl=context) as ws:
            return json.loads(await ws.recv())["method"]

    assert run(main()) == "EngineStatus"


def test_stop_deletes_the_certificate():
    """stop() removes the certificate files made at start."""
    server = demo.DemoServer(tls=True).start()
    ca_file = server.ca_file
    assert ca_file.exists()
    server.stop()
    assert not ca_file.exists() and server.ca_file is None and not server.running


# -- start(), stop() and the addresses ---------------------------------------------------------


def test_start_returns_the_running_server_when_arguments_match():
    """start() twice gives one server; other arguments give another; stop_all stops them."""
    try:
        first = demo.start()
        assert demo.start() is first
        assert demo.start(port=first.port) is first
        assert demo.start("localhost") is first
        secure = demo.start(tls=True)
        assert secure is not first and secure.url.startswith("wss://")
        first.stop()
        again = demo.start()
        assert again is not first and again.running
    finally:
        demo.stop_all()
    assert not again.running and not secure.running


def test_urls_name_the_endpoints(server):
    """url, port, url_for and endpoints give the addresses to connect to."""
    assert server.url == f"ws://127.0.0.1:{server.port}"
    assert server.url_for("echo") == server.url + "/echo"
    assert server.url_for("/telemetry", rate=5, count=2) == server.url + "/telemetry?rate=5&count=2"
    close = server.url_for("/close?code=4000", reason="bye now")
    assert close == server.url + "/close?code=4000&reason=bye+now"
    assert set(server.endpoints) == {"/echo", "/telemetry", "/close", "/qrc", "/qrc-public-api/v0"}
    assert repr(server) == f"<DemoServer {server.url}>"


def test_it_listens_on_loopback_only_unless_allowed():
    """A non-loopback host is refused with a message that says how to allow it."""
    with pytest.raises(ValueError, match="allow_remote=True"):
        demo.DemoServer("0.0.0.0")
    with pytest.raises(ValueError, match="port"):
        demo.DemoServer(port=70000)


def test_a_taken_port_fails_with_a_clear_error(server):
    """Starting on a port in use raises OSError naming the address."""
    with pytest.raises(OSError, match=f"cannot start the demo server on 127.0.0.1:{server.port}"):
        demo.DemoServer(port=server.port).start()


def test_stop_closes_connections_with_going_away():
    """stop() closes open connections with 1001 and frees the thread."""
    server = demo.DemoServer().start()

    async def main():
        async with connect(server.url_for("/echo")) as ws:
            await asyncio.get_running_loop().run_in_executor(None, server.stop)
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            return ws.close_code

    assert run(main()) == 1001
    assert not server.running
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


# -- the command line ----------------------------------------------------------------------------


def test_the_command_line_prints_the_urls_and_stops_on_ctrl_c():
    """python -m ws_widget.demo --port 0 prints each endpoint's URL and stops cleanly on SIGINT."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ws_widget.demo", "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(6)]
        assert lines[0].startswith("ws_widget demo server on ws://127.0.0.1:"), lines
        urls = {line.split()[0]: line.split()[1] for line in lines[1:]}
        assert set(urls) == {"/echo", "/telemetry", "/close", "/qrc", "/qrc-public-api/v0"}
        assert urls["/telemetry"].endswith("/telemetry?rate=10")

        async def echo():
            async with connect(urls["/echo"]) as ws:
                await ws.send("cli")
                return await ws.recv()

        assert run(echo()) == "cli"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "demo server stopped" in out
    assert "Traceback" not in err


def test_the_command_line_reports_a_taken_port(server):
    """The command line exits 1 with one line of error when the port is taken."""
    result = subprocess.run(
        [sys.executable, "-m", "ws_widget.demo", "--port", str(server.port)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


# -- an independent client: Node's ws ----------------------------------------------------------


def node_client(url, *messages, expect=None, ca=None):
    """Run tests/node/client.js; return the events it printed."""
    node = shutil.which("node")
    if node is None or not (REPO / "tests" / "node" / "node_modules" / "ws").is_dir():
        pytest.fail("Node's ws is not installed: run `npm ci --prefix tests/node` (make test does)")
    command = [node, str(NODE_CLIENT), url]
    if expect is not None:
        command += ["--expect", str(expect)]
    if ca is not None:
        command += ["--ca", str(ca)]
    result = subprocess.run(command + list(messages), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_node_ws_client_echoes_and_sees_close_codes(server):
    """Node's ws gets echoes, telemetry and the asked close code and reason."""
    events = node_client(server.url_for("/echo"), "one", "two", expect=2)
    assert [e.get("data") for e in events if e["event"] == "message"] == ["one", "two"]
    events = node_client(server.url_for("/close", code=4000, reason="bye"))
    assert events[-1] == {"event": "close", "code": 4000, "reason": "bye"}
    events = node_client(server.url_for("/telemetry", rate=50, count=3))
    readings = [json.loads(e["data"]) for e in events if e["event"] == "message"]
    assert [r["counter"] for r in readings] == [1, 2, 3]
    assert events[-1]["code"] == 1000
    events = node_client(server.url_for("/telemetry", rate="fast"))
    assert events[-1]["code"] == 1008 and "rate" in events[-1]["reason"]


def test_node_ws_client_speaks_qrc(server):
    """Node's ws gets EngineStatus, answers with echoed ids, and AutoPoll pushes."""
    requests = [
        {"jsonrpc": "2.0", "id": "get", "method": "Control.Get", "params": ["MainMute"]},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "ChangeGroup.AddControl",
            "params": {"Id": "n", "Controls": ["MainGain"]},
        },
        {"jsonrpc": "2.0", "id": 3, "method": "ChangeGroup.AutoPoll", "params": {"Id": "n", "Rate": 0.05}},
    ]
    events = node_client(server.url_for("/qrc-public-api/v0"), *map(json.dumps, requests), expect=7)
    messages = [json.loads(e["data"]) for e in events if e["event"] == "message"]
    assert messages[0]["method"] == "EngineStatus"
    assert messages[1] == {
        "jsonrpc": "2.0",
        "result": [{"Name": "MainMute", "Value": 0, "String": "unmuted", "Position": 0.0}],
        "id": "get",
    }
    assert [m["id"] for m in messages[2:4]] == [2, 3]
    polls = messages[4:7]  # more may arrive while the client closes
    assert [p["method"] for p in polls] == ["ChangeGroup.Poll"] * 3
    assert polls[0]["params"]["Changes"][0]["Name"] == "MainGain" and polls[1]["params"]["Changes"] == []


def test_node_ws_client_trusts_the_ca_file(tls_server):
    """Node's ws connects over wss:// with ca_file, and refuses without it."""
    events = node_client(tls_server.url_for("/echo"), "tls", expect=1, ca=tls_server.ca_file)
    assert [e.get("data") for e in events if e["event"] == "message"] == ["tls"]
    events = node_client(tls_server.url_for("/echo"), "tls", expect=1)
    assert events[0]["event"] == "error"
