"""Simulated sensors for the ``/telemetry`` endpoint, and the checks of its query.

Pure logic, no sockets. One reading is a flat JSON object, ready for a DataFrame::

    {"counter": 1, "timestamp": 1767225600.1, "time": "2026-01-01T00:00:00.100Z",
     "temperature_c": 21.53, "humidity_pct": 44.8, "voltage_v": 12.013}
"""

from __future__ import annotations

import datetime
import math
import random
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

DEFAULT_RATE = 10.0
MIN_RATE = 0.1
MAX_RATE = 1000.0
PARAMETERS = ("rate", "count", "seed")


class TelemetryQueryError(ValueError):
    """A query that ``/telemetry`` refuses; the message says why, short enough for a close reason."""


@dataclass(frozen=True)
class TelemetryQuery:
    """What a ``/telemetry`` client asked for.

    Attributes:
        rate: Readings per second.
        count: Readings to send before closing with 1000, or ``None`` for no end.
        seed: Seed of the simulation, for readings that repeat from run to run; ``None`` for random.
    """

    rate: float = DEFAULT_RATE
    count: int | None = None
    seed: int | None = None

    @classmethod
    def parse(cls, query: str) -> TelemetryQuery:
        """Read ``rate=10&count=100&seed=1``.

        Raises:
            TelemetryQueryError: an unknown parameter, or a value out of range.
        """
        values: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key not in PARAMETERS:
                raise TelemetryQueryError(f"unknown parameter {key!r}: use rate, count, seed")
            values.setdefault(key, value)
        rate = _number(values.get("rate", str(DEFAULT_RATE)), "rate", float)
        if not MIN_RATE <= rate <= MAX_RATE:
            raise TelemetryQueryError(f"rate must be {MIN_RATE:g} to {MAX_RATE:g} readings/s, got {rate:g}")
        count = _number(values["count"], "count", int) if "count" in values else None
        if count is not None and count < 1:
            raise TelemetryQueryError(f"count must be 1 or more, got {count}")
        seed = _number(values["seed"], "seed", int) if "seed" in values else None
        return cls(rate=rate, count=count, seed=seed)


def _number(text: str, name: str, kind: type) -> Any:
    try:
        value = kind(text)
    except ValueError:
        article = "an integer" if kind is int else "a number"
        raise TelemetryQueryError(f"{name} must be {article}, got {text[:40]!r}") from None
    if not math.isfinite(value):
        raise TelemetryQueryError(f"{name} must be a finite number, got {text[:40]!r}")
    return value


class Sensors:
    """A temperature, humidity and voltage sensor that drift slowly around their set points.

    Args:
        seed: Seed of the random walk; ``None`` for a random one.
    """

    def __init__(self, seed: int | None = None):
        self.random = random.Random(seed)
        self.counter = 0
        self.temperature = 21.5
        self.humidity = 45.0
        self.voltage = 12.0

    def read(self, now: float | None = None) -> dict[str, Any]:
        """The next reading, stamped with ``now`` (seconds since the epoch; default: the time now)."""
        now = time.time() if now is None else now
        self.counter += 1
        self.temperature = self._walk(self.temperature, 21.5, 0.05)
        self.humidity = self._walk(self.humidity, 45.0, 0.2)
        self.voltage = self._walk(self.voltage, 12.0, 0.01)
        stamp = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        return {
            "counter": self.counter,
            "timestamp": round(now, 3),
            "time": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "temperature_c": round(self.temperature, 2),
            "humidity_pct": round(self.humidity, 1),
            "voltage_v": round(self.voltage, 3),
        }

    def _walk(self, value: float, centre: float, step: float) -> float:
        return value + 0.05 * (centre - value) + self.random.gauss(0.0, step)
