"""The %%qsys cell magic in IPython's shell: runs the cell as Lua, shows the panel, restarts."""

from __future__ import annotations

import time

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from luascripts import output, wait_output
from shells import fresh_shell

from ws_widget import State

SEED = """
ws = WebSocket.New()
print(ws)
ws.Connected = function(ws) print("Connected") ws:Write("Hey!") end
ws.Data = function(ws, data) print("Data", data) end
ws:Connect("ws", "127.0.0.1", "/echo", Controls.Port.String, nil, {Authorization = "Bearer my-auth-token"})
"""


@pytest.fixture
def ip(tmp_path, monkeypatch):
    """A fresh IPython shell with the extension loaded; its scripts are stopped afterwards."""
    with fresh_shell(tmp_path, monkeypatch) as shell:
        yield shell
        magics = shell.magics_manager.registry.get("QsysMagics")
        for script in list(getattr(magics, "running", {}).values()):
            script.stop()


def qsys(ip, line: str, cell: str):
    """Run %%qsys; return the capture and the script it started."""
    with capture_output() as captured:
        ip.run_cell_magic("qsys", line, cell)
    magics = ip.magics_manager.registry["QsysMagics"]
    return captured, list(magics.running.values())[-1]


def test_load_ext_registers_qsys(ip):
    """%load_ext ws_widget registers %%qsys; %unload_ext removes it."""
    assert ip.find_cell_magic("qsys") is not None
    assert "%%qsys" in ip.find_cell_magic("qsys").__doc__ and "Example" in ip.find_cell_magic("qsys").__doc__
    ip.run_line_magic("unload_ext", "ws_widget")
    assert ip.find_cell_magic("qsys") is None


def test_the_seed_example_runs_in_a_cell_and_shows_the_panel(ip, server):
    """The seed's socket in a %%qsys cell prints what the seed says; the output is the panel."""
    ip.user_ns["PORT"] = server.port
    captured, script = qsys(ip, f"--control Port={server.port}", SEED)
    texts = wait_output(script, "Data\tHey!")
    assert texts[:3] == ["Starting Script", "websocket", "Connected"]
    shown = captured.outputs[0].data  # no frontend here: the widget shows as its text
    assert "qsys.Script script running" in shown["text/plain"]
    panel = script.panel
    deadline = time.monotonic() + 5
    while "Data\tHey!" not in panel._output.value and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Data\tHey!" in panel._output.value
    assert "my-auth-token" not in panel._output.value and "my-auth-token" not in repr(script.sockets[0])


def test_running_the_cell_again_restarts_the_script(ip, server):
    """A second run of the cell stops the first script (1001) and starts over."""
    _, first = qsys(ip, f"--control Port={server.port}", SEED)
    wait_output(first, "Data\tHey!")
    old = first.sockets[0]
    _, second = qsys(ip, f"--control Port={server.port}", SEED)
    assert second is not first and first.status == "stopped"
    wait_output(second, "Data\tHey!")
    deadline = time.monotonic() + 5
    while old.state is not State.CLOSED and time.monotonic() < deadline:
        time.sleep(0.02)
    assert old.close_code == 1001
    magics = ip.magics_manager.registry["QsysMagics"]
    assert list(magics.running.values()) == [second]


def test_name_binds_the_script_and_names_its_errors(ip):
    """--name binds the script to that variable and is the chunk name in its errors."""
    _, script = qsys(ip, "--name gateway", "local x = nil\nprint(x.y)")
    assert ip.user_ns["gateway"] is script
    assert script.status == "failed"
    assert output(script)[1].startswith('[string "gateway"]:2: attempt to index a nil value')


def test_insecure_and_ca_reach_the_script(ip, tmp_path):
    """--insecure turns verification off for this script; --ca names the bundle."""
    _, script = qsys(ip, "--insecure", "print(1)")
    assert script.verify is False
    pem = tmp_path / "device.pem"
    pem.write_text("x")
    _, script = qsys(ip, f"--ca {pem} --name other", "print(1)")
    assert script.verify is True and script.ca == str(pem)


@pytest.mark.parametrize(
    ("line", "message"),
    [("--control NoEquals", "expected NAME=VALUE"), ("--colour red", "unrecognized arguments")],
)
def test_bad_options_give_a_usage_error(ip, line, message):
    """A bad option is one UsageError line that says what was wrong."""
    with pytest.raises(UsageError, match=message):
        ip.run_cell_magic("qsys", line, "print(1)")


@pytest.mark.kernel
def test_a_qsys_cell_in_a_real_kernel_shows_the_panel_widget(kernel, server):
    """Under a real kernel the cell's output is the panel (a widget), with no error."""
    kernel.run("%load_ext ws_widget")
    cell = kernel.run(f"%%qsys --name seed --control Port={server.port}\n{SEED}\nprint('main chunk done')")
    kernel.pump_until(lambda: "qsys.Script seed" in cell.text("result"), 30, cell, "the panel")
    assert cell.errors == ""
    check = kernel.run(
        "import time\n"
        "for _ in range(500):\n"
        "    if 'Data\\tHey!' in seed.panel.children[1].value: break\n"
        "    time.sleep(0.01)\n"
        "print(seed.panel.children[1].value.count('Hey!'), len(seed.panel.children))"
    )
    assert check.wait_for("\n").startswith("1 4"), check.stdout + check.errors
    kernel.run("seed.stop()")


def test_controls_names_a_dict_of_definitions_in_the_notebook(ip):
    """--controls VARIABLE defines knobs and toggles from a notebook dict; --control adds text."""
    ip.user_ns["panel_controls"] = {"Gain": {"Type": "Knob", "Unit": "dB", "Value": -10}, "Mute": False}
    _, script = qsys(
        ip,
        "--controls panel_controls --control IP=10.0.0.5",
        "print(Controls.Gain.Type, Controls.Gain.String, Controls.Mute.Type, Controls.IP.String)",
    )
    assert output(script)[-1] == "Knob\t-10.0dB\tButton\t10.0.0.5"


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, "no such variable"), ("Gain=1", "must be a dict of control definitions, got str")],
)
def test_controls_must_name_a_dict(ip, value, message):
    """--controls with a missing variable or a non-dict is a UsageError that says so."""
    if value is not None:
        ip.user_ns["bad"] = value
    with pytest.raises(UsageError, match=message):
        ip.run_cell_magic("qsys", "--controls bad", "print(1)")
