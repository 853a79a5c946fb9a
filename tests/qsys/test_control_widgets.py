"""The controls' ipywidgets without a browser: a widget change fires the Lua EventHandler, a
script assignment updates the widget, metadata and Component.Status show."""

from __future__ import annotations

import pytest
from luascripts import output, wait_output

from ws_widget.qsys.control_widgets import control_widget, control_widgets

widgets = pytest.importorskip("ipywidgets")

CONTROLS = {
    "Gain": {"Type": "Knob", "Unit": "dB", "Min": -100, "Max": 20, "Value": -10},
    "Mute": True,
    "Go": {"Type": "Button", "ButtonType": "Trigger", "Legend": "Recall"},
    "Push": {"Type": "Button", "ButtonType": "Momentary"},
    "Name": "lobby",
    "Source": {"Type": "ComboBox", "Choices": ["HDMI", "USB"], "String": "HDMI"},
    "Online": {"Type": "Indicator", "IndicatorType": "Led"},
    "Level": {"Type": "Indicator", "IndicatorType": "Meter", "Min": 0, "Max": 10},
    "Health": {"Type": "Indicator", "IndicatorType": "Status"},
    "Reply": {"Type": "Indicator", "IndicatorType": "Text"},
}

HANDLERS = """
n = 0
for _, name in ipairs({"Gain", "Mute", "Go", "Push", "Name", "Source"}) do
  Controls[name].EventHandler = function(ctl)
    n = n + 1
    print("event", n, ctl.Name, ctl.String)
  end
end
"""


def _inner(control, script):
    widget = control_widget(script.controls[control])
    return widget.children[0] if isinstance(widget, widgets.HBox) else widget


def test_every_control_has_a_row_and_the_status_shows(lua):
    """control_widgets gives one row per control and a Component.Status line."""
    script = lua.run("Component.Status = 'Fault'", controls=CONTROLS)
    box = control_widgets(script)
    assert len(box.children) == len(CONTROLS) + 1
    assert "Fault" in box.children[-1].value
    script.start()  # reset to OK, then set by the script again
    assert "Fault" in box.children[-1].value


def test_widget_changes_fire_the_event_handler(lua):
    """Moving the slider, toggling, clicking, typing and choosing each fire EventHandler once."""
    script = lua.run(HANDLERS, controls=CONTROLS)
    _inner("Gain", script).value = 5.0
    wait_output(script, "event\t1")
    _inner("Mute", script).value = False
    wait_output(script, "event\t2")
    _inner("Go", script).click()
    wait_output(script, "event\t3")
    _inner("Push", script).click()  # a press and a release
    wait_output(script, "event\t5")
    _inner("Name", script).value = "foyer"
    wait_output(script, "event\t6")
    _inner("Source", script).value = "USB"
    texts = wait_output(script, "event\t7")
    assert [line for line in texts if line.startswith("event")] == [
        "event\t1\tGain\t5.0dB",
        "event\t2\tMute\tfalse",
        "event\t3\tGo\tfalse",
        "event\t4\tPush\ttrue",
        "event\t5\tPush\tfalse",
        "event\t6\tName\tfoyer",
        "event\t7\tSource\tUSB",
    ]


def test_script_assignments_update_the_widgets_without_events(lua):
    """The script's assignments show in the widgets and fire no EventHandler."""
    script = lua.run(HANDLERS, controls=CONTROLS)
    gain, source, online = _inner("Gain", script), _inner("Source", script), _inner("Online", script)
    health, level = control_widget(script.controls["Health"]), _inner("Level", script)
    script.controls["Gain"].set("Value", 12.0, user=False)
    script.controls["Source"].set("Choices", ["A", "B"], user=False)
    script.controls["Source"].set("String", "B", user=False)
    script.controls["Online"].set("Boolean", True, user=False)
    script.controls["Level"].set("Value", 5.0, user=False)
    script.controls["Health"].set("Value", 2, user=False)
    assert (gain.value, list(source.options), source.value, online.value, level.value) == (
        12.0,
        ["A", "B"],
        "B",
        True,
        0.5,
    )
    assert "Fault" in health.value
    script.controls["Name"].trigger()  # a marker: the events so far came before it
    texts = wait_output(script, "event\t1\tName")
    assert [line for line in texts if line.startswith("event")] == ["event\t1\tName\tlobby"]
    assert output(script)[0] == "Starting Script"


def test_metadata_shows_on_the_widget(lua):
    """IsDisabled disables, IsInvisible hides, Legend names and Color colours the widget."""
    script = lua.run(
        """
        Controls.Mute.IsDisabled = true
        Controls.Name.IsInvisible = true
        Controls.Go.Legend = "Fire"
        Controls.Go.Color = "#ff0000"
        """,
        controls=CONTROLS,
    )
    mute, name, go = _inner("Mute", script), control_widget(script.controls["Name"]), _inner("Go", script)
    assert mute.disabled is True
    assert name.layout.display == "none"
    assert (go.description, go.style.button_color) == ("Fire", "#ff0000")
    script.controls["Name"].set("IsInvisible", False, user=False)
    assert name.layout.display == ""


BROWSER_CELL = """
from ws_widget import qsys
from ws_widget.qsys.control_widgets import control_widgets
script = qsys.run('''
Controls.Mute.EventHandler = function(ctl) print("Mute from the page", ctl.Boolean) end
Controls.Name.EventHandler = function(ctl) print("Name from the page", ctl.String) end
''', controls={"Mute": {"Type": "Button", "ButtonType": "Toggle", "Legend": "Mute it"}, "Name": "lobby"})
control_widgets(script)
"""


@pytest.fixture(scope="module")
def lab(chromium):
    """A JupyterLab server for this module's browser test."""
    from browser import JupyterServer

    server = JupyterServer("lab").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.browser
def test_a_click_and_typing_in_jupyterlab_fire_the_lua_event_handler(chromium, lab):
    """A real click on the toggle and typing in the text field run the script's EventHandler."""
    lab.write_notebook("controls.ipynb", [BROWSER_CELL])
    with chromium.open_notebook(lab, "controls.ipynb") as nb:
        nb.run_all()
        nb.wait_for_output(".ws-widget-qsys-controls")
        nb.outputs("button", has_text="Mute it").first.click()
        field = nb.outputs(".widget-text input").first
        field.fill("foyer")
        field.press("Enter")
        code = (
            "import time\n"
            "for _ in range(200):\n"
            "    if any('Name from the page' in line for line in script.debug_output.lines): break\n"
            "    time.sleep(0.05)\n"
            "print('\\n'.join(line.split('\\t', 1)[1] for line in script.debug_output.lines))"
        )
        lines = nb.execute_in_kernel(code)["stdout"].splitlines()
    assert lines[1:] == ["Mute from the page\ttrue", "Name from the page\tfoyer"]
