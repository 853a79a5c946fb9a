"""Q-SYS plugins (``.qplug``) loaded as Designer loads them: defined first, then run.

A plugin is one Lua file: ``PluginInfo = {Name=, Version=, Id=, ...}``, ``GetProperties()``
(a list of ``{Name=, Type="string"|"integer"|"double"|"boolean"|"enum", Value=, Min=, Max=,
Choices=}``), optionally ``RectifyProperties(props)``, ``GetControls(props)`` (a list of
``{Name=, ControlType="Button"|"Knob"|"Indicator"|"Text", ButtonType=, IndicatorType=,
ControlUnit=, Min=, Max=, Count=, DefaultValue=, PinStyle=, UserPin=}``), optionally
``GetControlLayout(props)`` (``Style = "ComboBox"`` makes a Text control a combo box, ``Legend``
its first legend), and its runtime code inside ``if Controls then ... end``.

:func:`evaluate` runs the file once in a bare sandbox, without ``Controls`` (and without
WebSocket, Timer, ...: Designer's design-time evaluation has none), calls those functions with
``props`` (``props["Name"].Value``; the user's ``properties=`` over the defaults, each checked
against its Type, Min, Max and Choices), and returns what they define. The Controls binding
then runs the file in the script's real state with ``Controls`` from ``GetControls`` (the
user's ``controls=`` over them) and ``Properties`` as ``props``. A script is a plugin when its
name ends in ``.qplug`` or its text defines a ``GetControls`` function.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..exceptions import ScriptError
from . import runtime

if TYPE_CHECKING:
    from .script import Script

_DEFINES_GET_CONTROLS = re.compile(
    rb"(^|[\s;])function\s+GetControls\s*\(|\bGetControls\s*=\s*function\b", re.M
)
_CONTROL_KEYS = {"ControlType": "Type", "ControlUnit": "Unit", "DefaultValue": "Value"}
_KEPT_KEYS = {
    "Type",
    "ButtonType",
    "IndicatorType",
    "Unit",
    "Min",
    "Max",
    "Count",
    "Value",
    "String",
    "Legend",
    "Choices",
    "PinStyle",
    "UserPin",
}
PROPERTY_TYPES = ("string", "integer", "double", "boolean", "enum")


@dataclass
class Plugin:
    """What a plugin defines.

    Attributes:
        info: its ``PluginInfo`` (Name, Version, Id, Description, ...).
        properties: ``Properties`` by name, each ``{"Name", "Value", "Type", ...}``.
        controls: control definitions by name (``controls.py``'s keys).
    """

    info: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    controls: dict[str, dict[str, Any]] = field(default_factory=dict)


def is_plugin(script: Script) -> bool:
    """Whether ``script`` is a plugin: a ``.qplug`` name, or a ``GetControls`` function in it."""
    source = script.source.encode() if isinstance(script.source, str) else script.source
    return script.name.endswith(".qplug") or bool(_DEFINES_GET_CONTROLS.search(source))


def evaluate(script: Script) -> Plugin | None:
    """Define the plugin ``script`` as Designer does (module docstring); None for a plain script.

    Raises:
        ScriptError: a bad plugin (a syntax error, an error while defining, a missing or bad
            GetControls, a bad property value); the message says which and where.
    """
    if not is_plugin(script):
        return None
    where = f"plugin {script.name}"
    state = runtime.LuaState(lambda _: None, script.search_path, script.max_instructions)
    try:
        chunk = state.load_main(script.source, script.name)
    except ScriptError as exc:
        raise ScriptError(f"{exc}\n({where} has a syntax error)") from None
    _run(state, where, "evaluating the file without Controls", chunk)
    env = state.env
    get_controls = env[b"GetControls"]
    if runtime.lua_type(get_controls) != "function":
        raise ScriptError(
            f"{where} defines no GetControls(props) function: a plugin returns its controls from it"
        )
    info = to_python(env[b"PluginInfo"]) if runtime.lua_type(env[b"PluginInfo"]) == "table" else {}
    props = _properties(state, where, env[b"GetProperties"], script.property_values)
    rectify = env[b"RectifyProperties"]
    if runtime.lua_type(rectify) == "function":
        result = _run(state, where, "RectifyProperties(props)", rectify, props)
        if result and runtime.lua_type(result[0]) == "table":
            props = result[0]
    properties = to_python(props) or {}
    if not isinstance(properties, dict):
        properties = {}
    controls = _controls(state, where, get_controls, props)
    _layout(state, where, env[b"GetControlLayout"], props, controls, script)
    return Plugin(info=info if isinstance(info, dict) else {}, properties=properties, controls=controls)


def _run(state: runtime.LuaState, where: str, what: str, fn: Any, *args: Any) -> tuple[Any, ...]:
    """Call a Lua function of the plugin; return its results.

    Raises:
        ScriptError: it failed; the message has Lua's error and traceback.
    """
    result = state.lib.call(fn, *args)
    if result is True:
        return ()
    if type(result) is tuple and result[0] is True:
        return result[1:]
    message = result[1] if type(result) is tuple and len(result) > 1 else result
    error = message.decode("utf-8", "replace") if type(message) is bytes else str(message)
    head, cut, _ = error.partition("\n\t[C]: in function 'xpcall'")  # the host's frames
    error = head if cut else error
    raise ScriptError(f"{error}\n({where} failed in {what})")


def _properties(state: runtime.LuaState, where: str, get_properties: Any, user: Mapping[str, object]) -> Any:
    """The ``props`` table: GetProperties()'s defaults, the user's values over them."""
    defined: list[Any] = []
    if runtime.lua_type(get_properties) == "function":
        result = _run(state, where, "GetProperties()", get_properties)
        listed: Any = result[0] if result else None
        if runtime.lua_type(listed) != "table":
            raise ScriptError(
                f"{where}: GetProperties() must return a table of properties, got {runtime.lua_type(listed)}"
            )
        defined = [listed[i] for i in range(1, len(listed) + 1)]
    props = state.table()
    for i, prop in enumerate(defined, 1):
        if runtime.lua_type(prop) != "table" or type(prop[b"Name"]) is not bytes:
            raise ScriptError(f"{where}: GetProperties() entry {i} needs a Name (a string)")
        name = prop[b"Name"].decode("utf-8", "replace")
        kind = prop[b"Type"].decode() if type(prop[b"Type"]) is bytes else "string"
        if kind not in PROPERTY_TYPES:
            raise ScriptError(
                f"{where}: property '{name}' has Type {kind!r}; one of {', '.join(PROPERTY_TYPES)}"
            )
        props[prop[b"Name"]] = prop
    for name, value in user.items():
        prop = props[name.encode()]
        if prop is None:
            known = ", ".join(f"'{n}'" for n in (to_python(props) or {})) or "none"
            raise ScriptError(f"{where} has no property '{name}' (its properties: {known})")
        prop[b"Value"] = to_lua(state, property_value(name, value, to_python(prop)))
    return props


def property_value(name: str, value: object, prop: Mapping[str, Any]) -> object:
    """The user's ``value`` for the property ``prop`` (a dict of its Type, Min, Max, Choices),
    as that Type: ``"8"`` for an integer is 8, ``"yes"`` for a boolean is True.

    Raises:
        ScriptError: a value the property cannot take; the message says what it takes.
    """
    kind = prop.get("Type") or "string"
    what = f"property '{name}' ({kind})"
    result: object
    try:
        if kind == "boolean":
            if isinstance(value, bool):
                result = value
            elif str(value).strip().lower() in ("true", "yes", "1"):
                result = True
            elif str(value).strip().lower() in ("false", "no", "0"):
                result = False
            else:
                raise ValueError
        elif kind in ("integer", "double"):
            if isinstance(value, bool):
                raise ValueError
            number = float(value) if isinstance(value, (int, float)) else float(str(value).strip())
            if kind == "integer" and number != int(number):
                raise ValueError
            result = int(number) if kind == "integer" else number
            low, high = prop.get("Min"), prop.get("Max")
            if (low is not None and number < low) or (high is not None and number > high):
                raise ScriptError(f"{what} must be between {low} and {high}, got {value!r}")
        elif kind == "enum":
            choices = [str(c) for c in prop.get("Choices") or []]
            if str(value) not in choices:
                raise ScriptError(f"{what} must be one of {', '.join(map(repr, choices))}, got {value!r}")
            result = str(value)
        else:
            result = str(value)
    except (ValueError, TypeError):
        raise ScriptError(f"{what} cannot be {value!r}") from None
    return result


def _controls(
    state: runtime.LuaState, where: str, get_controls: Any, props: Any
) -> dict[str, dict[str, Any]]:
    """Control definitions by name from GetControls(props)."""
    result = _run(state, where, "GetControls(props)", get_controls, props)
    listed = to_python(result[0]) if result else None
    if listed == {}:
        listed = []
    if not isinstance(listed, list):
        got = runtime.lua_type(result[0]) if result else "nothing"
        raise ScriptError(f"{where}: GetControls(props) must return a list of controls, got {got}")
    controls: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(listed, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("Name"), str) or not entry["Name"]:
            raise ScriptError(f"{where}: GetControls(props) entry {i} needs a Name (a string)")
        spec = {_CONTROL_KEYS.get(str(key), str(key)): value for key, value in entry.items() if key != "Name"}
        spec = {key: value for key, value in spec.items() if key in _KEPT_KEYS}
        if spec.get("Type") == "Indicator" and spec.get("IndicatorType") is None:
            spec["IndicatorType"] = "Led"
        if spec.get("Type") == "Knob" and spec.get("Unit") is None:
            spec["Unit"] = "Float"
        controls[entry["Name"]] = spec
    return controls


def _layout(
    state: runtime.LuaState,
    where: str,
    get_layout: Any,
    props: Any,
    controls: dict[str, dict[str, Any]],
    script: Script,
) -> None:
    """Take a ComboBox Style and a Legend from GetControlLayout(props), if the plugin has one;
    a failure there only costs the look and is logged."""
    if runtime.lua_type(get_layout) != "function":
        return
    if props[b"page_index"] is None:
        props[b"page_index"] = state.table(Name=b"page_index", Value=1, Type=b"integer")
    try:
        result = _run(state, where, "GetControlLayout(props)", get_layout, props)
    except ScriptError as exc:
        script.debug_output.log(f"ws_widget: the controls keep their default look: {exc}")
        return
    finally:
        props[b"page_index"] = None
    layout = to_python(result[0]) if result else None
    if not isinstance(layout, dict):
        return
    for name, spec in controls.items():
        look = layout.get(name) or layout.get(f"{name} 1")
        if not isinstance(look, dict):
            continue
        if look.get("Style") in ("ComboBox", "ListBox") and spec.get("Type", "Text") == "Text":
            spec["Type"] = "ComboBox"
        if isinstance(look.get("Legend"), str) and "Legend" not in spec:
            spec["Legend"] = look["Legend"]


def plain_properties(values: Mapping[str, object]) -> dict[str, dict[str, Any]]:
    """``Properties`` of a plain script from the user's values: a str is a string property,
    an int an integer, a float a double, a bool a boolean."""
    kinds = {bool: "boolean", int: "integer", float: "double"}
    return {
        name: {"Name": name, "Value": value, "Type": kinds.get(type(value), "string")}
        for name, value in values.items()
    }


def to_python(value: Any, depth: int = 0) -> Any:
    """A Lua value as plain Python: strings as str, a table with keys 1..n as a list, another
    as a dict; functions and deeper nesting than 20 as None."""
    if type(value) is bytes:
        return value.decode("utf-8", "replace")
    if value is None or type(value) in (bool, int, float):
        return value
    if runtime.lua_type(value) != "table" or depth > 20:
        return None
    items = list(value.items())
    keys = sorted(key for key, _ in items if type(key) is int)
    if items and keys == list(range(1, len(items) + 1)):
        return [to_python(item, depth + 1) for _, item in sorted(items, key=lambda pair: pair[0])]
    return {
        (key.decode("utf-8", "replace") if type(key) is bytes else key): to_python(item, depth + 1)
        for key, item in items
    }


def to_lua(state: runtime.LuaState, value: Any) -> Any:
    """A plain Python value (str, number, bool, None, list, dict) as a Lua value."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (list, tuple)):
        return state.table(*(to_lua(state, item) for item in value))
    if isinstance(value, Mapping):
        return state.table_from({key: to_lua(state, item) for key, item in value.items()})
    return value
