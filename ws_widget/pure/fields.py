"""JSON fields as history columns: paths such as ``params.Id`` or ``result[0].Name``, and their values.

A path is dot-separated keys, each optionally followed by ``[index]`` (a list index, negative
counts from the end); a key made of digits also indexes a list (``Controls.0.Value``). The
value shown is cut at ``FIELD_CHARS``; payloads over ``FIELD_PARSE_LIMIT`` are not parsed (a
column costs at most one bounded JSON parse per row sent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

MAX_FIELDS = 8  # JSON columns at once
MAX_PATH_CHARS = 200
FIELD_CHARS = 200  # of a value shown in a cell
FIELD_PARSE_LIMIT = 256 * 1024  # bytes of payload parsed for a row's fields
_STEP = re.compile(r"([^.\[\]]+)((?:\[-?\d+\])*)")
_INDEX = re.compile(r"\[(-?\d+)\]")

Step = str | int


def parse_path(path: object) -> tuple[Step, ...]:
    """Return the steps of a JSON path (keys as str, list indexes as int).

    Raises:
        TypeError: the path is not a str.
        ValueError: the path is empty, too long or malformed; the message shows the form.
    """
    if not isinstance(path, str):
        raise TypeError(f"a JSON column's path must be a str such as 'params.Id', got {type(path).__name__}")
    text = path.strip()
    if not text or len(text) > MAX_PATH_CHARS:
        raise ValueError(
            f"a JSON column's path has 1 to {MAX_PATH_CHARS} characters, such as 'params.Id', got {path!r}"
        )
    steps: list[Step] = []
    for part in text.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise ValueError(
                f"invalid JSON path {path!r}: write keys separated by dots, with [n] for list items,"
                " such as 'params.Controls[0].Value'"
            )
        key = match.group(1)
        steps.append(int(key) if key.isdigit() else key)
        steps.extend(int(index) for index in _INDEX.findall(match.group(2)))
    return tuple(steps)


def check_paths(paths: object) -> list[str]:
    """Return the JSON column paths, stripped, without duplicates, each checked.

    Raises:
        TypeError: not a list of str.
        ValueError: a path is malformed, or more than ``MAX_FIELDS`` are given.
    """
    if not isinstance(paths, (list, tuple)):
        raise TypeError(
            f"json_columns must be a list of paths such as ['params.Id'], got {type(paths).__name__}"
        )
    checked: list[str] = []
    for path in paths:
        parse_path(path)
        if path.strip() not in checked:
            checked.append(path.strip())
    if len(checked) > MAX_FIELDS:
        raise ValueError(f"at most {MAX_FIELDS} JSON columns, got {len(checked)}: remove one first")
    return checked


def pick(value: Any, steps: Sequence[Step]) -> tuple[bool, Any]:
    """Follow ``steps`` into a parsed JSON value: ``(True, value)`` or ``(False, None)`` if absent."""
    for step in steps:
        if isinstance(value, dict):
            key = str(step)
            if key not in value:
                return False, None
            value = value[key]
        elif isinstance(value, list) and isinstance(step, int):
            if not -len(value) <= step < len(value):
                return False, None
            value = value[step]
        else:
            return False, None
    return True, value


def cell_text(value: Any) -> str:
    """A field's value as a cell shows it: strings as they are, other values as JSON, cut."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= FIELD_CHARS else text[: FIELD_CHARS - 1] + "\u2026"


class FieldPicker:
    """The values of some JSON paths in text payloads, as cells of a history row."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        self._steps = [parse_path(path) for path in self.paths]

    def __bool__(self) -> bool:
        return bool(self._steps)

    def cells(self, payload: object) -> list[str | None] | None:
        """One cell per path (None where the field is absent), or None for a payload that is
        not JSON text (or longer than ``FIELD_PARSE_LIMIT`` characters)."""
        if not self._steps or not isinstance(payload, str) or len(payload) > FIELD_PARSE_LIMIT:
            return None
        start = payload.lstrip()[:1]
        if start not in ("{", "["):
            return None
        try:
            value = json.loads(payload)
        except ValueError:
            return None
        cells: list[str | None] = []
        for steps in self._steps:
            found, field = pick(value, steps)
            cells.append(cell_text(field) if found else None)
        return cells
