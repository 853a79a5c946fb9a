"""``python -m ws_widget.qsys``: options, Debug Output on stdout, how it ends and its exit statuses.

Every test but the last runs the command in a real subprocess (``devices.Command``) against real
servers on loopback.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from devices import Command, Echo, run_command

from ws_widget.demo.certs import make_certificates
from ws_widget.qsys.command import gather


@pytest.fixture
def echo() -> Iterator[Echo]:
    device = Echo()
    yield device
    device.close()


def lua(tmp_path: Path, source: str, name: str = "script.lua") -> Path:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


CONNECT = """
ws = WebSocket.New()
ws.Connected = function(ws) print("Connected") end
ws.Closed = function(ws) print("Closed") end
ws.Error = function(ws, err) print("Error: " .. err) end
ws:Connect("{scheme}", "127.0.0.1", "/stay", {port})
"""


def test_help_shows_examples_and_exit_statuses() -> None:
    """--help prints the usage, examples and the exit statuses, and exits 0."""
    result = run_command("--help")
    assert result.code == 0
    assert "SCRIPT.lua|PLUGIN.qplug" in result.stdout
    assert "examples:" in result.stdout
    assert "--control IP=192.168.1.20" in result.stdout
    assert "exit status:" in result.stdout
    assert "130" in result.stdout


def test_a_script_that_ends_exits_0(tmp_path: Path) -> None:
    """A script with nothing left to do ends the command with 0 and its lines on stdout."""
    path = lua(tmp_path, 'print("one", 2, nil)\nTimer.CallAfter(function() print("later") end, 0.1)\n')
    result = run_command(path)
    assert result.code == 0, result.stderr
    assert result.texts == ["Starting Script", "one\t2\tnil", "later"]
    assert result.stderr == ""


def test_a_callback_error_is_reported_and_the_script_goes_on(tmp_path: Path) -> None:
    """A Lua error in a callback goes to Debug Output with its line; the script goes on, exit 0."""
    source = "Timer.CallAfter(function() local t = nil; print(t.x) end, 0.05)\n"
    source += 'Timer.CallAfter(function() print("still here") end, 0.2)\n'
    result = run_command(lua(tmp_path, source, "oops.lua"))
    assert result.code == 0, result.stderr
    assert any(
        text.startswith('[string "oops.lua"]:1: attempt to index a nil value') for text in result.texts
    )
    assert result.texts[-1] == "still here"


def test_seconds_stops_a_running_script_and_closes_its_socket_with_1001(tmp_path: Path, echo: Echo) -> None:
    """--seconds stops a script that would run forever: its timer stops, its socket closes with 1001, exit 0;
    lines reach stdout while it runs."""
    source = CONNECT.format(scheme="ws", port=echo.port)
    source += "n = 0\nt = Timer.New()\n"
    source += 't.EventHandler = function() n = n + 1 print("tick " .. n) end\nt:Start(0.05)\n'
    command = Command(lua(tmp_path, source), "--seconds", "1")
    command.wait_line("tick 1")
    assert command.process.poll() is None  # still running: the line came as it was logged
    result = command.finish()
    assert result.code == 0, result.stderr
    assert "Connected" in result.texts
    assert result.texts[-1].startswith("tick ")  # stopped: Closed is not reported after the stop
    echo.wait_ended()
    assert echo.sessions[0].close_code == 1001


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_closes_the_sockets_with_1001_and_exits_0(tmp_path: Path, echo: Echo, signum: int) -> None:
    """SIGINT (Ctrl-C), or SIGTERM, stops the script: the server sees a clean close with 1001, exit 0."""
    command = Command(lua(tmp_path, CONNECT.format(scheme="ws", port=echo.port)))
    command.wait_line("Connected")
    command.interrupt(signum)
    result = command.finish()
    assert result.code == 0, result.stderr
    echo.wait_ended()
    (session,) = echo.sessions
    assert session.path == "/stay"
    assert session.close_code == 1001
    assert "Traceback" not in result.stderr


def test_a_syntax_error_exits_2(tmp_path: Path) -> None:
    """A syntax error is reported in Debug Output and on stderr, and the command exits 2."""
    result = run_command(lua(tmp_path, 'print("a"\n', "bad.lua"))
    assert result.code == 2
    assert result.texts[0] == "Starting Script"
    assert result.texts[1].startswith('[string "bad.lua"]:2:')
    assert "did not start" in result.stderr
    assert '[string "bad.lua"]:2:' in result.stderr


def test_an_error_in_the_main_chunk_exits_2(tmp_path: Path) -> None:
    """An error in the main chunk: what ran before it is shown, then the error; exit 2."""
    result = run_command(lua(tmp_path, 'print("before")\nerror("boom")\nprint("after")\n', "main.lua"))
    assert result.code == 2
    assert result.texts[:3] == ["Starting Script", "before", '[string "main.lua"]:2: boom']
    assert "after" not in result.texts
    assert '[string "main.lua"]:2: boom' in result.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    """A script file that does not exist: a message on stderr, nothing on stdout, exit 2."""
    result = run_command(tmp_path / "nowhere.lua")
    assert result.code == 2
    assert result.stdout == ""
    assert "cannot read the script" in result.stderr
    assert "nowhere.lua" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["--seconds", "soon"], ["--seconds", "0"], ["--control", "NoEquals"], ["--ca", "/no/such/ca.pem"]],
)
def test_a_bad_option_exits_2(tmp_path: Path, args: list[str]) -> None:
    """A bad option is refused by the parser with a message, exit 2, before the script runs."""
    result = run_command(lua(tmp_path, 'print("ran")\n'), *args)
    assert result.code == 2
    assert "ran" not in result.stdout
    assert "error:" in result.stderr


def test_controls_come_from_control_options(tmp_path: Path) -> None:
    """--control NAME=VALUE defines Controls.NAME (.String VALUE, .Value its number); a repeated
    name makes an array; an undefined name is nil."""
    source = (
        'print(Controls.IP.String, string.format("%d", Controls.Port.Value), Controls.Port.String)\n'
        "print(#Controls.Input, Controls.Input[1].String, Controls.Input[2].String)\n"
        "print(Controls.Missing)\n"
        'print(Controls.Empty.String == "")\n'
    )
    result = run_command(
        lua(tmp_path, source),
        *["--control", "IP=192.168.1.20", "--control", "Port=8080", "--control", "Empty="],
        *["--control", "Input=HDMI 1", "--control", "Input=a=b"],
    )
    assert result.code == 0, result.stderr
    assert result.texts == ["Starting Script", "192.168.1.20\t8080\t8080", "2\tHDMI 1\ta=b", "nil", "true"]


def test_an_unverified_certificate_names_insecure_and_insecure_connects(tmp_path: Path) -> None:
    """A self-signed wss server fails verification with a hint naming --insecure; with --insecure
    the same script connects; with --ca it connects verified."""
    certificates = make_certificates(tmp_path)
    device = Echo(ssl=certificates.server_context())
    try:
        path = lua(
            tmp_path,
            CONNECT.format(scheme="wss", port=device.port)
            + "ws.Connected = function(ws) print('Connected') ws:Close() end\n",
        )
        refused = run_command(path)
        unverified = run_command(path, "--insecure")
        verified = run_command(path, "--ca", certificates.ca_file)
    finally:
        device.close()
    assert refused.code == 0, refused.stderr
    (error,) = [text for text in refused.texts if text.startswith("Error: ")]
    assert "--insecure" in error and "--ca" in error
    assert unverified.code == verified.code == 0
    assert unverified.texts[-2:] == verified.texts[-2:] == ["Connected", "Closed"]


def test_gather_makes_arrays_of_repeated_names() -> None:
    """Pairs with one name given once map to its value, given several times to the list of values."""
    assert gather([("IP", "10.0.0.1"), ("In", "a"), ("In", "b")]) == {"IP": "10.0.0.1", "In": ["a", "b"]}


PLUGIN = """
PluginInfo = {Name = "Greeter", Version = "1.0", Id = "ws-widget.greeter"}
function GetProperties()
  return {
    {Name = "Greeting", Type = "string", Value = "hello"},
    {Name = "Times", Type = "integer", Value = 1, Min = 1, Max = 3},
  }
end
function GetControls(props)
  return {{Name = "Who", ControlType = "Text", Count = props["Times"].Value}}
end
if Controls then
  for i = 1, Properties["Times"].Value do
    local who = Controls.Who
    if type(who) == "table" then who = who[i] end
    print(Properties["Greeting"].Value .. ", " .. who.String)
  end
end
"""


def test_a_plugin_runs_with_property_and_control_options(tmp_path: Path) -> None:
    """A .qplug runs as Designer runs it: --property values (an integer from its text) over its
    defaults, --control over its controls (a repeated name for each of an array's)."""
    path = lua(tmp_path, PLUGIN, "Greeter.qplug")
    defaults = run_command(path, "--control", "Who=Ada")
    chosen = run_command(
        path,
        "--property",
        "Greeting=hi",
        "--property",
        "Times=2",
        "--control",
        "Who=Ada",
        "--control",
        "Who=Bob",
    )
    assert defaults.code == chosen.code == 0, defaults.stderr + chosen.stderr
    assert defaults.texts == ["Starting Script", "hello, Ada"]
    assert chosen.texts == ["Starting Script", "hi, Ada", "hi, Bob"]
