"""Controls in Lua: the user's forms, linked aspects, arrays, EventHandler on a user change only,
nil for unknown names, Properties of a plain script and Component.Status."""

from __future__ import annotations

import threading

import pytest
from luascripts import output, wait_output

from ws_widget.exceptions import ScriptError
from ws_widget.qsys import controls as qcontrols
from ws_widget.qsys.controls import Control

GAIN = {"Type": "Knob", "Unit": "dB", "Min": -100, "Max": 20, "Value": -10}


def test_a_string_is_a_text_control_with_its_number_as_value(lua):
    """A str form sets .String, and .Value to its number when it is one."""
    script = lua.run(
        "print(Controls.Port.String, Controls.Port.Value, Controls.Host.String, Controls.Host.Value)",
        controls={"Port": "8080", "Host": "core.local"},
    )
    assert output(script)[-1] == "8080\t8080.0\tcore.local\t0.0"


def test_a_knob_links_value_string_position_and_boolean(lua):
    """Setting one aspect of a knob updates the others, within Min..Max."""
    script = lua.run(
        """
        local g = Controls.Gain
        print(g.Value, g.String, g.Position)
        g.Position = 0.5
        print(g.Value, g.String, g.Boolean)
        g.String = "12dB"
        print(g.Value, g.Position)
        g.Value = 99
        print(g.Value, g.Position, g.Boolean)
        g.Boolean = false
        print(g.Value, g.String)
        """,
        controls={"Gain": GAIN},
    )
    assert output(script)[1:] == [
        "-10.0\t-10.0dB\t0.75",
        "-40.0\t-40.0dB\ttrue",
        "12.0\t0.93333333333333",
        "20.0\t1.0\ttrue",
        "-100.0\t-100.0dB",
    ]


def test_a_toggle_button_links_boolean_value_and_string(lua):
    """A bool form is a toggle: Boolean, Value 0/1, Position and String follow each other."""
    script = lua.run(
        """
        local m = Controls.Mute
        print(m.Type, m.ButtonType, m.Boolean, m.Value, m.String)
        m.Value = 0
        print(m.Boolean, m.Position, m.String)
        m.String = "true"
        print(m.Boolean, m.Value)
        """,
        controls={"Mute": True},
    )
    assert output(script)[1:] == ["Button\tToggle\ttrue\t1.0\ttrue", "false\t0.0\tfalse", "true\t1.0"]


def test_numbers_are_knobs_that_hold_their_value(lua):
    """An int is an Integer knob, a float a Float knob; the range widens to hold the value."""
    script = lua.run(
        "local v, l = Controls.Volume, Controls.Level print(v.Value, v.Position, l.MaxValue, l.Value)",
        controls={"Volume": 50, "Level": 2.5},
    )
    assert output(script)[-1] == "50\t0.5\t2.5\t2.5"


def test_metadata_is_writable_and_read_back(lua):
    """Legend, Choices, Color, IsDisabled and IsInvisible are stored as the script sets them."""
    script = lua.run(
        """
        local s = Controls.Source
        print(s.Type, #s.Choices, s.Choices[2])
        s.Choices = {"A", "B", "C"}
        s.Legend, s.Color, s.IsDisabled, s.IsInvisible = "Input", "#ff0000", true, false
        print(#s.Choices, s.Legend, s.Color, s.IsDisabled, s.IsInvisible)
        """,
        controls={"Source": {"Type": "ComboBox", "Choices": ["HDMI", "USB"], "String": "HDMI"}},
    )
    assert output(script)[1:] == ["ComboBox\t2\tUSB", "3\tInput\t#ff0000\ttrue\tfalse"]
    source = script.controls["Source"]
    assert (source.Choices, source.Legend, source.IsDisabled) == (["A", "B", "C"], "Input", True)


def test_arrays_are_indexed_from_one(lua):
    """A list or a Count > 1 makes an array: Controls.Name[i], with .Index, # and ipairs."""
    script = lua.run(
        """
        for i, c in ipairs(Controls.Decoder) do print(i, c.Index, c.String) end
        print(#Controls.Input, Controls.Input[4].Type, type(Controls.Input), type(Controls.Input[1]))
        """,
        controls={"Decoder": ["a", "b"], "Input": {"Type": "Knob", "Count": 4}},
    )
    assert output(script)[1:] == ["1\t1\ta", "2\t2\tb", "4\tKnob\ttable\tuserdata"]
    assert [c.String for c in script.controls["Decoder"]] == ["a", "b"]


def test_an_unknown_name_is_nil_and_fails_as_on_a_core(lua):
    """Indexing a control the user did not define fails with Lua's nil-index error at its line."""
    script = lua.run("print(Controls.Missing)\nprint(Controls.Missing.String)", controls={"Known": "x"})
    assert script.status == "failed"
    assert output(script)[1] == "nil"
    assert "[string \"script\"]:2: attempt to index a nil value (field 'Missing')" in script.errors[-1]


def test_errors_name_the_property_at_the_scripts_line(lua):
    """A bad assignment or an unknown property fails at the script's line with a clear message."""
    script = lua.run(
        """
        print(pcall(function() Controls.Gain.Value = "loud" end))
        print(pcall(function() return Controls.Gain.Vlaue end))
        print(pcall(function() Controls.Gain.Type = "Text" end))
        """,
        controls={"Gain": GAIN},
    )
    assert output(script)[1:] == [
        'false\t[string "script"]:2: Gain.Value must be a number, got string',
        "false\t[string \"script\"]:3: control 'Gain' has no property 'Vlaue'",
        "false\t[string \"script\"]:4: control 'Gain': Type is read-only",
    ]


def test_a_user_change_fires_the_event_handler_and_a_script_assignment_does_not(lua):
    """script.controls[...] assigned from Python fires EventHandler(ctl); the script's own
    assignment, before and inside the handler, does not."""
    script = lua.run(
        """
        Controls.Gain.EventHandler = function(ctl)
          print("event", ctl.Value, ctl.String)
          ctl.Value = ctl.Value - 1 -- the script's own change: no second event
        end
        Controls.Gain.Value = 5
        print("assigned")
        """,
        controls={"Gain": GAIN},
    )
    gain = script.controls["Gain"]
    gain.Value = 3
    wait_output(script, "event")
    script.wait(5)
    assert output(script)[1:] == ["assigned", "event\t3.0\t3.0dB"]
    assert gain.Value == 2.0


def test_user_changes_from_other_threads_run_one_at_a_time_in_order(lua):
    """Changes made from several threads each fire the handler once, on the script's lane."""
    script = lua.run(
        "n = 0\nControls.Count.EventHandler = function(c) n = n + 1 print('n', n) end",
        controls={"Count": {"Type": "Knob", "Unit": "Integer", "Max": 1000}},
    )
    control = script.controls["Count"]
    threads = [threading.Thread(target=lambda i=i: setattr(control, "Value", i)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wait_output(script, "n\t20")
    script.wait(5)
    assert [line for line in output(script) if line.startswith("n")] == [f"n\t{i}" for i in range(1, 21)]


def test_trigger_fires_the_event_handler(lua):
    """ctl:Trigger() in Lua and control.trigger() in Python run the EventHandler."""
    script = lua.run(
        """
        n = 0
        Controls.Go.EventHandler = function(ctl) n = n + 1 print("pressed", ctl.Name, n) end
        Controls.Go:Trigger()
        print("after Trigger")
        """,
        controls={"Go": {"Type": "Button", "ButtonType": "Trigger"}},
    )
    wait_output(script, "pressed")
    script.controls["Go"].trigger()
    wait_output(script, "pressed\tGo\t2")
    assert output(script)[1:] == ["after Trigger", "pressed\tGo\t1", "pressed\tGo\t2"]


def test_observers_see_the_scripts_assignments(lua):
    """An observer of a control is told of the script's assignments (what the widget follows)."""
    seen = []
    script = lua.run(
        "Controls.Level.EventHandler = function(c)\n"
        "  Controls.Status.String = 'at ' .. c.String print('done')\nend",
        controls={"Level": 1, "Status": {"Type": "Indicator", "IndicatorType": "Text"}},
    )
    script.controls["Status"].observe(lambda control, changed: seen.append((control.String, sorted(changed))))
    script.controls["Level"].Value = 7
    wait_output(script, "done")
    assert seen == [("at 7", ["String"])]


def test_a_status_indicator_keeps_value_and_string_apart(lua):
    """A Status indicator's Value (0 OK .. 5 Initializing) and String are set apart."""
    script = lua.run(
        """
        local s = Controls.Status
        s.Value = 2
        s.String = "no reply"
        print(s.Value, s.String)
        """,
        controls={"Status": {"Type": "Indicator", "IndicatorType": "Status"}},
    )
    assert output(script)[-1] == "2.0\tno reply"


def test_definitions_are_checked(lua):
    """A definition with an unknown key or Type is an error that names it."""
    with pytest.raises(ValueError, match="unknown key 'Colour'"):
        qcontrols.definition("Gain", {"Type": "Knob", "Colour": "red"})
    with pytest.raises(ValueError, match="Type must be one of"):
        Control("Gain", {"Type": "Slider"})
    with pytest.raises(TypeError, match="must be a str, bool, number, list or dict"):
        qcontrols.definition("Gain", None)


def test_python_assignments_check_their_values():
    """A Control refuses read-only and unknown aspects and values of the wrong kind."""
    knob = Control("Gain", qcontrols.definition("Gain", GAIN))
    with pytest.raises(AttributeError, match="read-only"):
        knob.Type = "Text"
    with pytest.raises(AttributeError, match="no property 'Volume'"):
        knob.Volume = 1
    with pytest.raises(TypeError, match="must be a number"):
        knob.Value = "1"
    knob.String = "not a number"
    assert knob.String == "-10.0dB"


def test_properties_of_a_plain_script(lua):
    """properties= of a plain script are Properties[name] with .Name, .Value and .Type."""
    script = lua.run(
        "for _, n in ipairs({'IP', 'Port', 'Debug'}) do\n"
        "  local p = Properties[n] print(p.Name, p.Value, p.Type)\nend",
        properties={"IP": "10.0.0.5", "Port": 1710, "Debug": True},
    )
    assert output(script)[1:] == ["IP\t10.0.0.5\tstring", "Port\t1710\tinteger", "Debug\ttrue\tboolean"]


def test_component_status_is_writable_and_observable(lua):
    """Component.Status starts as OK; the script's value reaches Python and its observers."""
    seen = []
    script = lua.run("print(Component.Status)\nComponent.Status = 'Compromised'")
    component = qcontrols.component(script)
    component.observe(seen.append)
    assert component.status == "Compromised"
    assert output(script)[-1] == "OK"
    script.start()
    assert component.status == "Compromised"
    assert seen == ["OK", "Compromised"]  # reset at the start, then set by the main chunk


def test_component_new_fails_clearly(lua):
    """Component.New says named components exist only in a Q-SYS design."""
    script = lua.run("Component.New('Mixer')")
    assert "Component.New is not available" in script.errors[-1]


def test_a_restart_keeps_the_control_objects(lua):
    """A restart keeps script.controls' objects (and their observers) and their new first values."""
    script = lua.run("Controls.Gain.Value = 1", controls={"Gain": GAIN})
    gain = script.controls["Gain"]
    script.start()
    assert script.controls["Gain"] is gain
    assert gain.Value == 1.0


def test_a_bad_control_definition_stops_the_start(lua):
    """A control defined badly by the user is a ScriptError that names it."""
    with pytest.raises(ScriptError, match="control 'Gain': Min must be below Max"):
        lua.run("print(1)", controls={"Gain": {"Type": "Knob", "Min": 5, "Max": 1}}).check()
