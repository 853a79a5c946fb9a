"""The simulated Q-SYS design behind the QRC endpoints: components, their controls, Named Controls.

Pure logic, no sockets. Values that ramp or move (meters) are computed from an injectable clock,
so a test can drive time. The design:

- ``Gain1`` (``gain``): ``gain`` (-100..20 dB), ``mute``, ``invert``, ``bypass``;
- ``Meter1`` (``meter2``): ``meter.1`` and ``meter.2``, read-only levels that move all the time,
  following ``Gain1`` (muting it drops them to the floor);
- ``Room`` (``custom_controls``): ``power`` (boolean), ``source`` (integer 1..4), ``label`` (text);
- Named Controls, aliases of those: ``MainGain``, ``MainMute``, ``MainLevel``, ``RoomPower``,
  ``RoomSource``, ``RoomLabel``.

Booleans read as ``Value`` 0 or 1, ``Position`` 0.0 or 1.0 and a ``String`` of their own
(``"unmuted"``/``"muted"`` for a gain's mute, ``"false"``/``"true"`` for a custom toggle).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

Clock = Callable[[], float]

FLOAT, INTEGER, BOOLEAN, TEXT = "Float", "Integer", "Boolean", "Text"
READ_WRITE, READ_ONLY = "Read/Write", "Read Only"


class ControlValueError(ValueError):
    """A value that a control cannot take; the message says why."""


class Control:
    """One control: its type, range and value, and while a ramp runs, where it is heading.

    Args:
        name: Name of the control inside its component.
        type: One of ``"Float"``, ``"Integer"``, ``"Boolean"``, ``"Text"``.
        value: Initial value.
        minimum: Lowest value (numbers only).
        maximum: Highest value (numbers only).
        unit: Suffix of the ``String`` of a number, e.g. ``"dB"``.
        strings: ``String`` of a boolean when off and when on.
        clock: Seconds, monotonic; ramps are computed from it.
    """

    read_only = False

    def __init__(
        self,
        name: str,
        type: str,
        value: Any,
        *,
        minimum: float = 0,
        maximum: float = 1,
        unit: str = "",
        strings: tuple[str, str] = ("false", "true"),
        clock: Clock = time.monotonic,
    ):
        self.name = name
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit
        self.strings = strings
        self.clock = clock
        self._value = self._coerce(value)
        self._ramp: tuple[float, float, float, float] | None = None  # from, to, start time, seconds

    # -- reading -------------------------------------------------------------------------

    @property
    def value(self) -> Any:
        """The current value, part way through a ramp if one runs."""
        if self._ramp is None:
            return self._value
        start, target, began, seconds = self._ramp
        done = (self.clock() - began) / seconds
        if done >= 1:
            self._ramp = None
            self._value = target if self.type == FLOAT else round(target)
            return self._value
        current = start + (target - start) * done
        return round(current, 3) if self.type == FLOAT else round(current)

    @property
    def string(self) -> str:
        """The value as a Core shows it: ``"-12.0dB"``, ``"muted"``, ``"3"``."""
        value = self.value
        if self.type == BOOLEAN:
            return self.strings[value]
        if self.type == TEXT:
            return value
        return self._format(value)

    @property
    def position(self) -> float:
        """The value scaled to 0.0..1.0 over the control's range (0.0 for text)."""
        if self.type == TEXT:
            return 0.0
        span = self.maximum - self.minimum
        return round((self.value - self.minimum) / span, 6) if span else 0.0

    @property
    def direction(self) -> str:
        return READ_ONLY if self.read_only else READ_WRITE

    def state(self) -> dict[str, Any]:
        """``Value``, ``String`` and ``Position``, as ``Control.Get`` and polls report them."""
        return {"Value": self.value, "String": self.string, "Position": self.position}

    def describe(self) -> dict[str, Any]:
        """Everything ``Component.GetControls`` reports about the control."""
        low: float
        high: float
        if self.type == BOOLEAN:
            low, high, string_min, string_max = 0, 1, self.strings[0], self.strings[1]
        elif self.type == TEXT:
            low, high, string_min, string_max = 0, 0, "", ""
        else:
            low, high = self.minimum, self.maximum
            string_min, string_max = self._format(low), self._format(high)
        return {
            "Name": self.name,
            "Type": self.type,
            "Value": self.value,
            "ValueMin": low,
            "ValueMax": high,
            "StringMin": string_min,
            "StringMax": string_max,
            "String": self.string,
            "Position": self.position,
            "Direction": self.direction,
        }

    # -- writing -------------------------------------------------------------------------

    def check(self, value: Any = None, *, position: Any = None) -> Any:
        """The value that ``set`` would give the control, changing nothing.

        Raises:
            ControlValueError: the control is read-only, or the value does not fit its type.
        """
        if self.read_only:
            raise ControlValueError(f"control {self.name!r} is read-only")
        if position is not None:
            value = self._from_position(position)
        return self._coerce(value)

    def set(self, value: Any = None, *, position: Any = None, ramp: float = 0.0) -> None:
        """Set the value, or the position, at once or over ``ramp`` seconds.

        Raises:
            ControlValueError: the control is read-only, or the value does not fit its type.
        """
        target = self.check(value, position=position)
        if ramp and ramp > 0 and self.type in (FLOAT, INTEGER):
            self._ramp = (self.value, target, self.clock(), float(ramp))
        else:
            self._ramp = None
            self._value = target

    def _from_position(self, position: Any) -> float:
        if isinstance(position, bool) or not isinstance(position, (int, float)) or self.type == TEXT:
            raise ControlValueError(f"Position of {self.name!r} must be a number from 0 to 1")
        position = min(max(float(position), 0.0), 1.0)
        return self.minimum + position * (self.maximum - self.minimum)

    def _coerce(self, value: Any) -> Any:
        if self.type == TEXT:
            if not isinstance(value, str):
                raise ControlValueError(f"Value of text control {self.name!r} must be a string")
            return value
        if self.type == BOOLEAN:
            if isinstance(value, (bool, int, float)):
                return 1 if value else 0
            raise ControlValueError(f"Value of boolean control {self.name!r} must be true, false, 0 or 1")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ControlValueError(f"Value of {self.name!r} must be a number")
        clamped = min(max(value, self.minimum), self.maximum)
        return round(clamped) if self.type == INTEGER else float(clamped)

    def _format(self, value: float) -> str:
        return f"{value:.1f}{self.unit}" if self.type == FLOAT else f"{value}{self.unit}"


class Meter(Control):
    """A read-only level in dB that moves with time and follows a gain stage.

    Args:
        name: Name of the control inside its component.
        gain: The gain whose level it shows.
        mute: The mute that silences it.
        phase: Offset so that two meters do not move in lockstep.
        clock: Seconds, monotonic.
    """

    read_only = True
    FLOOR = -100.0

    def __init__(
        self, name: str, *, gain: Control, mute: Control, phase: float = 0.0, clock: Clock = time.monotonic
    ):
        super().__init__(name, FLOAT, self.FLOOR, minimum=self.FLOOR, maximum=20.0, unit="dB", clock=clock)
        self.gain = gain
        self.mute = mute
        self.phase = phase

    @property
    def value(self) -> float:
        """The level now: a programme signal through the gain, steady within each 0.1 s."""
        if self.mute.value:
            return self.FLOOR
        step = math.floor(self.clock() * 10)  # ten readings a second, like a meter's ballistics
        wobble = math.sin(step * 12.9898 + self.phase * 78.233) * 43758.5453
        noise = 2 * (wobble - math.floor(wobble)) - 1
        signal = -18.0 + 6.0 * math.sin(step / 8 + self.phase) + 3.0 * noise
        return round(min(max(signal + self.gain.value, self.FLOOR), self.maximum), 1)


class Component:
    """A Named Component: its type, properties and controls by name."""

    def __init__(
        self, name: str, type: str, controls: list[Control], properties: dict[str, str] | None = None
    ):
        self.name = name
        self.type = type
        self.controls = {control.name: control for control in controls}
        self.properties = properties or {}

    def describe(self) -> dict[str, Any]:
        """What ``Component.GetComponents`` reports about the component."""
        return {
            "ID": self.name,
            "Name": self.name,
            "Type": self.type,
            "Properties": [{"Name": key, "Value": value} for key, value in self.properties.items()],
        }


class Design:
    """The running design: components and Named Controls, shared by every QRC connection.

    Args:
        clock: Seconds, monotonic; drives ramps and meters.
    """

    name = "ws_widget demo"
    code = "wsWidgetDemo"
    platform = "Core 110f"

    def __init__(self, clock: Clock = time.monotonic):
        self.clock = clock
        gain = Control("gain", FLOAT, -10.0, minimum=-100.0, maximum=20.0, unit="dB", clock=clock)
        mute = Control("mute", BOOLEAN, 0, strings=("unmuted", "muted"), clock=clock)
        gain1 = Component(
            "Gain1",
            "gain",
            [
                Control("bypass", BOOLEAN, 0, strings=("no", "yes"), clock=clock),
                gain,
                Control("invert", BOOLEAN, 0, strings=("normal", "invert"), clock=clock),
                mute,
            ],
            {"max_gain": "20", "min_gain": "-100", "multi_channel_count": "1"},
        )
        meter1 = Component(
            "Meter1",
            "meter2",
            [
                Meter("meter.1", gain=gain, mute=mute, phase=0.0, clock=clock),
                Meter("meter.2", gain=gain, mute=mute, phase=1.3, clock=clock),
            ],
            {"multi_channel_count": "2"},
        )
        room = Component(
            "Room",
            "custom_controls",
            [
                Control("power", BOOLEAN, 1, clock=clock),
                Control("source", INTEGER, 1, minimum=1, maximum=4, clock=clock),
                Control("label", TEXT, "Lobby", clock=clock),
            ],
        )
        self.components = {component.name: component for component in (gain1, meter1, room)}
        self.named_controls = {
            "MainGain": gain,
            "MainMute": mute,
            "MainLevel": meter1.controls["meter.1"],
            "RoomPower": room.controls["power"],
            "RoomSource": room.controls["source"],
            "RoomLabel": room.controls["label"],
        }

    def status(self) -> dict[str, Any]:
        """The engine status, as ``EngineStatus`` and ``StatusGet`` report it."""
        return {
            "Platform": self.platform,
            "State": "Active",
            "DesignName": self.name,
            "DesignCode": self.code,
            "IsRedundant": False,
            "IsEmulator": True,
            "Status": {"Code": 0, "String": "OK"},
        }
