""".qplug plugins: defined without Controls (GetProperties, GetControls), then run with the
Controls and Properties they define, the user's values over the defaults; bad plugins."""

from __future__ import annotations

from pathlib import Path

import pytest
from luascripts import output, wait_output

from ws_widget.exceptions import ScriptError
from ws_widget.qsys import controls as qcontrols
from ws_widget.qsys.script import Script

PLUGINS = Path(__file__).parent / "data" / "plugins"
MIXER = PLUGINS / "mixer.qplug"


def test_a_plugin_runs_with_the_controls_and_properties_it_defines(lua):
    """The defaults of GetProperties and GetControls give Properties and Controls (Count arrays)."""
    script = lua.run(MIXER)
    assert script.status == "running"
    assert output(script)[1:] == [
        "top level runs in both phases",
        "runtime\t1.2.0\t2\t2\tSmall\tfalse\tmixer.local",
    ]
    gains = script.controls["Gain"]
    assert [(g.Index, g.Value, g.String, g.MinValue, g.MaxValue) for g in gains] == [
        (1, -20.0, "-20.0dB", -100.0, 10.0),
        (2, -20.0, "-20.0dB", -100.0, 10.0),
    ]
    assert [m.ButtonType for m in script.controls["Mute"]] == ["Toggle", "Toggle"]
    assert script.controls["Recall"].ButtonType == "Trigger"
    assert script.controls["Online"].IndicatorType == "Led"


def test_the_definitions_are_made_without_controls(lua):
    """GetControls runs in a first evaluation where Controls is nil, as in Designer."""
    script = lua.run(MIXER)
    assert script.controls["Phase"].String == "defined without Controls"


def test_the_layout_gives_combo_boxes_and_legends(lua):
    """A ComboBox Style in GetControlLayout makes a combo box; its Legend is the first legend."""
    script = lua.run(MIXER)
    assert script.controls["Source"].Type == "ComboBox"
    assert script.controls["Source"].Choices == ["HDMI", "USB"]
    assert script.controls["Recall"].Legend == "Recall preset"


def test_plugin_info_and_properties_are_read(lua):
    """plugin_of(script) holds PluginInfo, Properties (after RectifyProperties) and the controls."""
    plugin = qcontrols.plugin_of(lua.run(MIXER))
    assert plugin is not None
    assert plugin.info["Name"] == "Tests~Mini Mixer"
    assert plugin.properties["Host"]["IsHidden"] is True
    assert plugin.properties["Channels"] == {
        "Name": "Channels",
        "Type": "integer",
        "Value": 2,
        "Min": 1,
        "Max": 8,
    }


def test_user_properties_override_the_defaults_as_their_type(lua):
    """properties= values (strings too, as the command passes them) take each property's Type."""
    script = lua.run(
        MIXER, properties={"Channels": "4", "Model": "Large", "Debug": "yes", "Host": "10.0.0.9"}
    )
    assert output(script)[-1] == "runtime\t1.2.0\t4\t4\tLarge\ttrue\t10.0.0.9"
    assert len(script.controls["Gain"]) == 4


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"Channels": "two"}, "property 'Channels' (integer) cannot be 'two'"),
        ({"Channels": 9}, "property 'Channels' (integer) must be between 1 and 8, got 9"),
        ({"Model": "Huge"}, "property 'Model' (enum) must be one of 'Small', 'Large', got 'Huge'"),
        ({"Colour": "red"}, "has no property 'Colour' (its properties: "),
    ],
)
def test_bad_property_values_are_refused(lua, properties, message):
    """A property value the plugin's definition does not allow is refused with what it takes."""
    with pytest.raises(ScriptError, match=None) as caught:
        lua.run(MIXER, properties=properties).check()  # failed to start: check() raises it
    assert message in str(caught.value)


def test_user_controls_override_the_plugins(lua):
    """controls= sets a plugin control's first value (each element of an array, or per element)
    and a dict replaces the plugin's keys."""
    script = lua.run(
        MIXER,
        controls={"Gain": [-6, -12], "Mute": True, "Source": "USB", "Online": {"Legend": "Link"}},
    )
    assert [g.Value for g in script.controls["Gain"]] == [-6.0, -12.0]
    assert [m.Boolean for m in script.controls["Mute"]] == [True, True]
    assert script.controls["Source"].String == "USB"
    assert (script.controls["Online"].IndicatorType, script.controls["Online"].Legend) == ("Led", "Link")


def test_a_user_change_reaches_the_plugins_handler(lua):
    """A change of a plugin's array control from Python fires the handler the plugin attached."""
    script = lua.run(MIXER)
    script.controls["Gain"][1].Value = -3
    assert wait_output(script, "gain")[-1] == "gain\t2\t-3.0dB"


def test_component_status_set_by_a_plugin(lua):
    """The plugin's Component.Status reaches Python."""
    script = lua.run(MIXER)
    assert qcontrols.component(script).status == "Initializing"


def test_a_script_with_a_get_controls_function_is_a_plugin(lua):
    """Lua text that defines GetControls is loaded as a plugin, whatever its name."""
    script = lua.run(
        """
        function GetControls(props)
          return { { Name = "Level", ControlType = "Knob", ControlUnit = "Percent" } }
        end
        if Controls then print(Controls.Level.String, Controls.Level.MaxValue) end
        """
    )
    assert output(script)[-1] == "0%\t100.0"


def test_a_plain_script_is_no_plugin(lua):
    """A script that only mentions GetControls is run as a plain script."""
    script = lua.run("print('GetControls is a name', GetControls)")
    assert qcontrols.plugin_of(script) is None
    assert output(script)[-1] == "GetControls is a name\tnil"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_controls.qplug", "plugin no_controls.qplug defines no GetControls(props) function"),
        (
            "error_in_controls.qplug",
            "[string \"error_in_controls.qplug\"]:7: attempt to index a nil value (field 'Outputs')",
        ),
        ("syntax_error.qplug", "[string \"syntax_error.qplug\"]:3: '}' expected near 'ControlType'"),
    ],
)
def test_a_bad_plugin_fails_to_start_with_its_error_in_debug_output(lua, name, message):
    """A bad plugin does not start; Debug Output and errors say what is wrong and where."""
    script = lua.run(PLUGINS / name)
    assert script.status == "failed"
    assert message in script.errors[-1]
    assert any(message in line for line in output(script))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_controls.qplug", "plugin no_controls.qplug defines no GetControls(props) function"),
        ("error_in_controls.qplug", "(plugin error_in_controls.qplug failed in GetControls(props))"),
        ("syntax_error.qplug", "(plugin syntax_error.qplug has a syntax error)"),
    ],
)
def test_a_bad_plugin_is_a_script_error_that_says_which_phase(lua, name, message):
    """The error of a bad plugin names the plugin and the step that failed."""
    script = Script((PLUGINS / name).read_text(), name=name)
    with pytest.raises(ScriptError) as caught:
        qcontrols.plugin.evaluate(script)
    assert message in str(caught.value)
    assert "xpcall" not in str(caught.value)
