"""JSON fields as history columns: the values at some paths (``params.Id``, ``result[0].Name``).

Paths are those of :mod:`ws_widget.pure.fields` (the Plot tab's), so a field picked for a chart
can be a column too. The value shown is cut at ``FIELD_CHARS``; payloads over
``fields.MAX_PARSE_CHARS`` characters are not parsed (a column costs at most one bounded JSON parse
per row sent).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .fields import MISSING, compile_path, follow, parse_json

MAX_FIELDS = 8  # JSON columns at once
MAX_PATH_CHARS = 200
FIELD_CHARS = 200  # of a value shown in a cell


def check_paths(paths: object) -> list[str]:
    """Return the JSON column paths, stripped, without duplicates, each checked.

    Raises:
        TypeError: not a list of str.
        ValueError: a path is malformed or longer than ``MAX_PATH_CHARS``, or more than
            ``MAX_FIELDS`` are given.
    """
    if not isinstance(paths, (list, tuple)):
        raise TypeError(
            f"json_columns must be a list of paths such as ['params.Id'], got {type(paths).__name__}"
        )
    checked: list[str] = []
    for path in paths:
        if isinstance(path, str) and len(path.strip()) > MAX_PATH_CHARS:
            raise ValueError(f"a JSON column's path has at most {MAX_PATH_CHARS} characters, got {len(path)}")
        compile_path(path.strip() if isinstance(path, str) else path)
        if path.strip() not in checked:
            checked.append(path.strip())
    if len(checked) > MAX_FIELDS:
        raise ValueError(f"at most {MAX_FIELDS} JSON columns, got {len(checked)}: remove one first")
    return checked


def cell_text(value: Any) -> str:
    """A field's value as a cell shows it: strings as they are, other values as JSON, cut."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= FIELD_CHARS else text[: FIELD_CHARS - 1] + "\u2026"


class FieldPicker:
    """The values of some JSON paths in text payloads, as cells of a history row."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        self._steps = [compile_path(path) for path in self.paths]

    def __bool__(self) -> bool:
        return bool(self._steps)

    def cells(self, payload: object) -> list[str | None] | None:
        """One cell per path (None where the field is absent), or None for a payload that is
        not JSON text (or too long to parse: see ``fields.MAX_PARSE_CHARS``)."""
        if not self._steps:
            return None
        value = parse_json(payload)
        if value is None:
            return None
        cells: list[str | None] = []
        for steps in self._steps:
            field = follow(value, steps)
            cells.append(None if field is MISSING else cell_text(field))
        return cells
