"""One Q-SYS control kept in Python: the forms a user gives, Q-SYS's control definitions, and
how a control's aspects are linked.

**Forms of a control** (``qsys.run(controls=...)``, ``--control NAME=VALUE``):

- a str: a Text control, ``{"IP": "10.0.0.5"}``; its ``.String`` is the text and its ``.Value``
  the text's number when it is one (else 0);
- a bool: a toggle button, ``{"Mute": True}``;
- an int or float: a knob, ``{"Volume": 50}`` (unit Integer for an int, Float for a float; the
  unit's default range, widened to hold the value);
- a list of these: an array, ``Controls.Name[1]`` .. ``Controls.Name[n]``;
- a dict, a definition with Q-SYS's keys: ``Type`` (or ``ControlType``: ``Text``, ``Knob``,
  ``Button``, ``Indicator``, ``ComboBox``), ``ButtonType`` (``Momentary``, ``Toggle``,
  ``Trigger``), ``IndicatorType`` (``Led``, ``Meter``, ``Text``, ``Status``), ``Unit`` (or
  ``ControlUnit``: ``dB``, ``Hz``, ``Float``, ``Integer``, ``Pan``, ``Percent``, ``Position``,
  ``Seconds``), ``Min``, ``Max``, ``Count``, the first values ``Value`` (or ``DefaultValue``),
  ``String``, ``Boolean``, ``Position``, and ``Legend``, ``Choices``, ``Color``, ``IsDisabled``,
  ``IsInvisible``; ``PinStyle`` and ``UserPin`` are accepted and change nothing here. E.g.
  ``{"Gain": {"Type": "Knob", "Unit": "dB", "Value": -10, "Min": -100, "Max": 20},
  "Mute": {"Type": "Button", "ButtonType": "Toggle"}, "Input": {"Type": "Text", "Count": 4},
  "Status": {"Type": "Indicator", "IndicatorType": "Status"}, "Source": {"Type": "ComboBox",
  "Choices": ["HDMI", "USB"]}}``.

For a plugin, the user's forms change the controls its ``GetControls`` defines (a value sets
that control's first value; a dict's keys replace the plugin's); see ``plugin.py``.

**Linking, as Q-SYS links a control's aspects** (the help: "a Mute button in the on state will
have a .Boolean of true, a .Value of 1, ... and a .Position of 1"). A control with a range
(knobs, buttons 0..1, LEDs, meters) keeps ``Min <= Value <= Max`` and ``Position`` =
``(Value - Min) / (Max - Min)``; ``Boolean`` is ``Position >= 0.5`` (setting it sets Position to 1
or 0); its ``String`` is the value in its unit (``"-10.0dB"``, ``"50%"``; ``"true"``/``"false"``
for buttons and LEDs), and setting ``String`` parses it (an unparsable string changes nothing). A
Text or ComboBox control keeps the ``String`` as given, ``Value`` its number or 0, ``Boolean``
``Value ~= 0``, ``Position`` the Value held to 0..1. A Status indicator's ``Value`` (0 OK,
1 Compromised, 2 Fault, 3 Not Present, 4 Missing, 5 Initializing) and ``String`` are apart, as
the help allows. ``Legend``, ``Choices``, ``Color``, ``IsDisabled``, ``IsInvisible`` are
writable; ``Name``, ``Index``, ``Type`` (and ``ButtonType``, ``IndicatorType``, ``MinValue``,
``MaxValue``) are read-only. Which rules a Core applies to each control type beyond the help's
example is not published: these are ws_widget's reading.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .runtime import lua_type, text

TYPES = ("Text", "Knob", "Button", "Indicator", "ComboBox")
BUTTON_TYPES = ("Momentary", "Toggle", "Trigger")
INDICATOR_TYPES = ("Led", "Meter", "Text", "Status")
UNITS = {  # the default range of a knob of each unit
    "dB": (-100.0, 20.0),
    "Hz": (20.0, 20000.0),
    "Float": (0.0, 1.0),
    "Integer": (0.0, 100.0),
    "Pan": (-1.0, 1.0),
    "Percent": (0.0, 100.0),
    "Position": (0.0, 1.0),
    "Seconds": (0.0, 60.0),
}
STATUS_NAMES = ("OK", "Compromised", "Fault", "Not Present", "Missing", "Initializing")

ASPECTS = ("Value", "String", "Boolean", "Position")
WRITABLE = (*ASPECTS, "Legend", "Choices", "Color", "IsDisabled", "IsInvisible")
READ_ONLY = ("Name", "Index", "Type", "ButtonType", "IndicatorType", "Unit", "MinValue", "MaxValue")
_DEFINITION_KEYS = {
    "Type",
    "ControlType",
    "ButtonType",
    "IndicatorType",
    "Unit",
    "ControlUnit",
    "Min",
    "Max",
    "Count",
    "Value",
    "DefaultValue",
    "String",
    "Boolean",
    "Position",
    "Legend",
    "Choices",
    "Color",
    "IsDisabled",
    "IsInvisible",
    "PinStyle",
    "UserPin",
}
_ALIASES = {"ControlType": "Type", "ControlUnit": "Unit", "DefaultValue": "Value"}
_TRUE, _FALSE = ("true", "yes", "on"), ("false", "no", "off", "")

Observer = Callable[["Control", frozenset[str]], object]


class Control:
    """One Q-SYS control, kept in Python; thread-safe.

    Read and write its aspects as Q-SYS names them: ``ctl.Value``, ``ctl.String``,
    ``ctl.Boolean``, ``ctl.Position``, ``ctl.Legend``, ``ctl.Choices``, ``ctl.Color``,
    ``ctl.IsDisabled``, ``ctl.IsInvisible``; read-only ``ctl.Name``, ``ctl.Index``, ``ctl.Type``,
    ``ctl.ButtonType``, ``ctl.IndicatorType``, ``ctl.Unit``, ``ctl.MinValue``, ``ctl.MaxValue``.
    Assigning from Python is the notebook user's change: it fires the script's EventHandler.

    Raises:
        AttributeError: an aspect the control does not have, or a read-only one assigned.
        TypeError, ValueError: a value of the wrong kind.
    """

    def __init__(
        self, name: str, definition: Mapping[str, Any] | None = None, index: int | None = None
    ) -> None:
        """Make the control ``name`` (element ``index`` of an array) from a definition dict
        (keys of the module docstring, aliases resolved).

        Raises:
            ValueError: an unknown Type, ButtonType, IndicatorType or Unit, or Min >= Max.
        """
        spec = dict(definition or {})
        lock = threading.RLock()
        kind = str(spec.get("Type") or "Text")
        if kind not in TYPES:
            raise ValueError(f"control '{name}': Type must be one of {', '.join(TYPES)}, got {kind!r}")
        button = str(spec.get("ButtonType") or ("Toggle" if kind == "Button" else ""))
        if kind == "Button" and button not in BUTTON_TYPES:
            raise ValueError(
                f"control '{name}': ButtonType must be one of {', '.join(BUTTON_TYPES)}, got {button!r}"
            )
        indicator = str(spec.get("IndicatorType") or ("Led" if kind == "Indicator" else ""))
        if kind == "Indicator" and indicator not in INDICATOR_TYPES:
            raise ValueError(
                f"control '{name}': IndicatorType must be one of "
                f"{', '.join(INDICATOR_TYPES)}, got {indicator!r}"
            )
        unit = str(spec.get("Unit") or ("Float" if kind in ("Knob", "Indicator") else ""))
        if unit and unit not in UNITS:
            raise ValueError(f"control '{name}': Unit must be one of {', '.join(UNITS)}, got {unit!r}")
        ranged = kind in ("Knob", "Button") or indicator in ("Led", "Meter", "Status")
        low, high = self._range(name, kind, indicator, unit, spec)
        fields = {
            "_lock": lock,
            "_observers": [],
            "_listener": None,
            "Name": name,
            "Index": index,
            "Type": kind,
            "ButtonType": button or None,
            "IndicatorType": indicator or None,
            "Unit": unit or None,
            "MinValue": low,
            "MaxValue": high,
            "_ranged": ranged and low is not None,
            "_value": 0.0,
            "_string": "",
            "Legend": str(spec.get("Legend") or ""),
            "Choices": [str(c) for c in spec.get("Choices") or []],
            "Color": str(spec.get("Color") or ""),
            "IsDisabled": bool(spec.get("IsDisabled")),
            "IsInvisible": bool(spec.get("IsInvisible")),
        }
        for key, value in fields.items():
            object.__setattr__(self, key, value)
        if low is not None and high is not None:
            self._put_value(min(max(0.0, low), high))  # a Text or ComboBox starts as "" and 0
        for aspect in ASPECTS:
            if spec.get(aspect) is not None:
                self._assign(aspect, spec[aspect])

    @staticmethod
    def _range(
        name: str, kind: str, indicator: str, unit: str, spec: Mapping[str, Any]
    ) -> tuple[float | None, float | None]:
        if kind == "Button" or indicator == "Led":
            return 0.0, 1.0
        if indicator == "Status":
            return 0.0, float(len(STATUS_NAMES) - 1)
        if kind in ("Text", "ComboBox") or indicator == "Text":
            return None, None
        low, high = UNITS[unit]
        first = spec.get("Value")
        if isinstance(first, (int, float)) and not isinstance(first, bool):
            low, high = min(low, float(first)), max(high, float(first))
        low = float(spec["Min"]) if spec.get("Min") is not None else low
        high = float(spec["Max"]) if spec.get("Max") is not None else high
        if not low < high:
            raise ValueError(f"control '{name}': Min must be below Max, got {low} and {high}")
        return low, high

    # Reading and writing.

    def __getattr__(self, name: str) -> Any:
        if name == "Value":
            with self._lock:
                return int(self._value) if self.Unit == "Integer" else self._value
        if name == "String":
            return self._string
        if name == "Boolean":
            with self._lock:
                return self._position() >= 0.5 if self._ranged else self._value != 0
        if name == "Position":
            with self._lock:
                return self._position()
        raise AttributeError(f"control '{self.Name}' has no property '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        self.set(name, value)

    def set(self, aspect: str, value: Any, *, user: bool = True) -> None:
        """Set one aspect (its linked aspects follow); ``user=True`` (a notebook user's change)
        fires the script's EventHandler, ``user=False`` (the script's own) does not.

        Raises:
            AttributeError: not a writable aspect.
            TypeError, ValueError: a value of the wrong kind.
        """
        if aspect in READ_ONLY:
            raise AttributeError(f"control '{self.Name}': {aspect} is read-only")
        if aspect not in WRITABLE:
            raise AttributeError(f"control '{self.Name}' has no property '{aspect}'")
        with self._lock:
            before = self.snapshot()
            self._assign(aspect, value)
            after = self.snapshot()
            listener = self._listener if user else None
        changed = frozenset(key for key in after if after[key] != before[key])
        if changed:
            for observer in list(self._observers):
                observer(self, changed)
        if listener is not None:
            listener(self)

    def trigger(self) -> None:
        """Fire the script's EventHandler as a press of the control would (``ctl:Trigger()``)."""
        listener = self._listener
        if listener is not None:
            listener(self)

    def snapshot(self) -> dict[str, Any]:
        """The control's aspects now, by name."""
        with self._lock:
            return {
                "Value": self.Value,
                "String": self._string,
                "Boolean": self.Boolean,
                "Position": self._position(),
                "Legend": self.Legend,
                "Choices": list(self.Choices),
                "Color": self.Color,
                "IsDisabled": self.IsDisabled,
                "IsInvisible": self.IsInvisible,
            }

    def observe(self, observer: Observer) -> None:
        """Call ``observer(control, changed_aspect_names)`` after every change, the script's too,
        on the thread that made it."""
        self._observers.append(observer)

    def unobserve(self, observer: Observer) -> None:
        """Stop calling ``observer``."""
        if observer in self._observers:
            self._observers.remove(observer)

    def on_user_change(self, listener: Callable[[Control], object] | None) -> None:
        """Call ``listener(control)`` after each user change and trigger (the binding's hook)."""
        object.__setattr__(self, "_listener", listener)

    def __repr__(self) -> str:
        where = f"[{self.Index}]" if self.Index is not None else ""
        return f"<qsys.Control {self.Name}{where} {self.Type} String={self._string!r}>"

    # The linking rules (under the lock).

    def _position(self) -> float:
        low, high = self.MinValue, self.MaxValue
        if self._ranged and low is not None and high is not None:
            return (self._value - low) / (high - low)
        return min(max(self._value, 0.0), 1.0)

    def _assign(self, aspect: str, value: Any) -> None:
        if aspect == "Value":
            self._put_value(_number(value, f"{self.Name}.Value"))
        elif aspect == "Position":
            position = min(max(_number(value, f"{self.Name}.Position"), 0.0), 1.0)
            low, high = self.MinValue, self.MaxValue
            if self._ranged and low is not None and high is not None:
                self._put_value(low + position * (high - low))
            else:
                self._put_value(position)
        elif aspect == "Boolean":
            if not isinstance(value, bool):
                raise TypeError(f"{self.Name}.Boolean must be a boolean, got {kind_of(value)}")
            if self._ranged:
                self._assign("Position", 1.0 if value else 0.0)
            else:
                self._put_value(1.0 if value else 0.0)
        elif aspect == "String":
            self._put_string(_string(value, f"{self.Name}.String"))
        elif aspect == "Choices":
            if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
                raise TypeError(f"{self.Name}.Choices must be a list of strings, got {kind_of(value)}")
            object.__setattr__(self, "Choices", [_string(c, f"{self.Name}.Choices") for c in value])
        elif aspect in ("Legend", "Color"):
            object.__setattr__(self, aspect, _string(value, f"{self.Name}.{aspect}"))
        else:  # IsDisabled, IsInvisible
            object.__setattr__(self, aspect, value is not None and value is not False)

    def _put_value(self, value: float) -> None:
        if not math.isfinite(value):
            raise ValueError(f"{self.Name}.Value must be a finite number, got {value}")
        low, high = self.MinValue, self.MaxValue
        if self._ranged and low is not None and high is not None:
            value = min(max(value, low), high)
        if self.Unit == "Integer" or self.IndicatorType == "Status":
            value = float(round(value))
        object.__setattr__(self, "_value", value)
        if self.IndicatorType != "Status":
            object.__setattr__(self, "_string", self._format(value))

    def _put_string(self, value: str) -> None:
        if self.IndicatorType == "Status" or not self._ranged:
            object.__setattr__(self, "_string", value)
            if self.IndicatorType != "Status":
                number = _parse_number(value)
                object.__setattr__(self, "_value", number if number is not None else 0.0)
            return
        if self.Type == "Button" or self.IndicatorType == "Led":
            word = value.strip().lower()
            number = _parse_number(word)
            if word in _TRUE or word in _FALSE:
                self._put_value(1.0 if word in _TRUE else 0.0)
            elif number is not None:
                self._put_value(1.0 if number != 0 else 0.0)
            return
        number = _parse_number(_UNIT_SUFFIX.sub("", value))
        if number is not None:
            self._put_value(number)

    def _format(self, value: float) -> str:
        if self.Type == "Button" or self.IndicatorType == "Led":
            return "true" if value >= 0.5 else "false"
        if self.Unit == "dB":
            return f"{value:.1f}dB"
        suffix = _SUFFIXES.get(self.Unit or "", "")
        return _number_text(value) + suffix


_SUFFIXES = {"Hz": "Hz", "Percent": "%", "Seconds": "s"}
_UNIT_SUFFIX = re.compile(r"\s*(db|hz|%|s)\s*$", re.I)  # what String may end in: "-6dB", "50 %"


def _number_text(value: float) -> str:
    """A number as a control shows it: ``3``, ``3.5``, ``-0.25``."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".14g")


def _parse_number(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def kind_of(value: Any) -> str:
    """What a value is, for error messages: a Python type name, or a Lua one for nil and strings."""
    return type(value).__name__ if not isinstance(value, (bytes, type(None))) else lua_type(value)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number, got {kind_of(value)}")
    return float(value)


def _string(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, int, float)) and not isinstance(value, bool):
        return (
            text(value, what) if not isinstance(value, float) or value != int(value) else _number_text(value)
        )
    raise TypeError(f"{what} must be a string, got {kind_of(value)}")


# The user's forms.


def definition(name: str, form: object) -> dict[str, Any]:
    """A definition dict (aliases resolved) from one of the user's forms (module docstring);
    a list becomes ``{"Count": n, "Elements": [definitions]}``.

    Raises:
        TypeError: a form that is none of these.
        ValueError: a dict with a key Q-SYS controls do not have.
    """
    if isinstance(form, bool):
        return {"Type": "Button", "ButtonType": "Toggle", "Boolean": form}
    if isinstance(form, (int, float)):
        return {"Type": "Knob", "Unit": "Integer" if isinstance(form, int) else "Float", "Value": form}
    if isinstance(form, str):
        return {"Type": "Text", "String": form}
    if isinstance(form, (list, tuple)):
        if not form:
            raise ValueError(f"control '{name}': an array needs at least one element")
        elements = [definition(name, element) for element in form]
        return {**elements[0], "Count": len(elements), "Elements": elements}
    if isinstance(form, Mapping):
        unknown = [key for key in form if key not in _DEFINITION_KEYS]
        if unknown:
            raise ValueError(
                f"control '{name}': unknown key {unknown[0]!r}; a definition has "
                f"{', '.join(sorted(_DEFINITION_KEYS))}"
            )
        return {_ALIASES.get(str(key), str(key)): value for key, value in form.items()}
    raise TypeError(f"control '{name}' must be a str, bool, number, list or dict, got {type(form).__name__}")


def override(base: Mapping[str, Any], name: str, form: object) -> dict[str, Any]:
    """``base`` (a plugin's definition) changed by the user's ``form``: a value sets the first
    value (of every element of an array), a dict replaces keys, a list sets each element."""
    result = dict(base)
    if isinstance(form, Mapping):
        result.update(definition(name, form))
        return result
    if isinstance(form, (list, tuple)):
        count = int(result.get("Count") or 1)
        elements = [override(base, name, element) for element in form][:count]
        elements += [dict(base)] * (count - len(elements))
        result["Elements"] = [{k: v for k, v in e.items() if k != "Elements"} for e in elements]
        return result
    for aspect in ASPECTS:
        result.pop(aspect, None)
    if isinstance(form, bool):
        result["Boolean"] = form
    elif isinstance(form, (int, float)):
        result["Value"] = form
    elif isinstance(form, str):
        result["String"] = form
    else:
        raise TypeError(
            f"control '{name}' must be a str, bool, number, list or dict, got {type(form).__name__}"
        )
    result.pop("Elements", None)
    return result


def build(name: str, spec: Mapping[str, Any], reuse: object = None) -> Control | list[Control]:
    """The Control (or list of them, for Count > 1) of a definition; a ``reuse``d control of
    the same shape keeps its object (and observers) and takes the new definition's state."""
    count = int(spec.get("Count") or 1)
    if count < 1:
        raise ValueError(f"control '{name}': Count must be at least 1, got {count}")
    elements = list(spec.get("Elements") or [])
    clean = {k: v for k, v in spec.items() if k not in ("Count", "Elements", "PinStyle", "UserPin")}
    if count == 1:
        return _reused(Control(name, {**clean, **_element(elements, 0)}), reuse)
    old = reuse if isinstance(reuse, list) and len(reuse) == count else [None] * count
    return [
        _reused(Control(name, {**clean, **_element(elements, i)}, index=i + 1), old[i]) for i in range(count)
    ]


def _element(elements: list[Any], i: int) -> dict[str, Any]:
    if i < len(elements):
        return {k: v for k, v in elements[i].items() if k not in ("Count", "Elements", "PinStyle", "UserPin")}
    return {}


def _reused(new: Control, old: object) -> Control:
    if not isinstance(old, Control) or (old.Type, old.ButtonType, old.IndicatorType) != (
        new.Type,
        new.ButtonType,
        new.IndicatorType,
    ):
        return new
    with old._lock:
        for key in ("Unit", "MinValue", "MaxValue", "_ranged", "_value", "_string", "Index"):
            object.__setattr__(old, key, new.__dict__[key])
    for aspect in ("Legend", "Choices", "Color", "IsDisabled", "IsInvisible"):
        old.set(aspect, getattr(new, aspect), user=False)
    for observer in list(old._observers):
        observer(old, frozenset(ASPECTS))
    return old


# Component.Status.
