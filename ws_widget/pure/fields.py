"""Numeric fields of JSON messages: found in a bounded sample, named by paths, read back.

A path names one number inside a JSON value: keys joined by dots (``params.Id``), list indexes
in brackets (``params.Changes[0].Value``), and, in a list of objects that carry a ``Name`` (or
``name``), the element of that name (``params.Changes[Name=gain].Value``). The last form is the
one Q-SYS JSON-RPC needs: ``ChangeGroup.Poll`` lists only the controls that changed, so index 0
is a different control from one message to the next, while ``[Name=gain]`` is always ``gain``.
A key that is not a plain name (a dot, a bracket, a space...) is written as a JSON string in
brackets: ``["sensor 1"].value``.

Everything here is bounded: a message is read to :data:`MAX_DEPTH` levels, at most
:data:`MAX_ITEMS` elements of a list, at most :data:`MAX_LEAVES` numbers; discovery reads at most
:data:`MAX_PARSE_CHARS` of a payload and keeps at most :data:`MAX_FIELDS` paths. Booleans are
not numbers here (``true`` is not ``1.0`` on a chart); NaN and infinities are skipped.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 8  # levels of nesting read
MAX_ITEMS = 64  # elements of one list read
MAX_LEAVES = 200  # numbers taken from one message by discovery
MAX_FIELDS = 64  # paths discovery returns
MAX_PARSE_CHARS = 262_144  # longer payloads are not parsed (neither for discovery nor for plotting)
NAME_KEYS = ("Name", "name")  # the keys whose string names an element of a list
_PLAIN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$\-]*")
_STEP = re.compile(
    r'\.?([A-Za-z_$][A-Za-z0-9_$\-]*)|\[(\d+)\]|\[(Name|name)=([^\]]*)\]|\[("(?:[^"\\]|\\.)*")\]'
)

Step = tuple[str, Any]
"""One step of a path: ``("key", str)``, ``("index", int)`` or ``("named", (name_key, name))``."""


def parse_json(payload: object) -> Any:
    """The JSON value of a text payload, or None when it is not text, too long or not JSON."""
    if not isinstance(payload, str) or len(payload) > MAX_PARSE_CHARS:
        return None
    start = payload[:1]
    if start not in ("{", "[") and (not start.isspace() or payload.lstrip()[:1] not in ("{", "[")):
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return None


def _number(value: object) -> float | None:
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None  # type: ignore[arg-type,return-value]  # a float
    if kind is int:
        try:
            return float(value)  # type: ignore[arg-type]  # an int
        except OverflowError:  # an integer past 1e308
            return None
    if kind is bool or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _key_text(key: str, first: bool) -> str:
    if _PLAIN.fullmatch(key):
        return key if first else f".{key}"
    return f"[{json.dumps(key)}]"


def _element_name(item: object) -> tuple[str, str] | None:
    if isinstance(item, dict):
        for key in NAME_KEYS:
            name = item.get(key)
            if isinstance(name, str) and name and "]" not in name:
                return key, name
    return None


def numeric_paths(value: Any) -> dict[str, float]:
    """The numbers inside a JSON value by path, in document order, at most :data:`MAX_LEAVES`."""
    top = _number(value)
    if top is not None:
        return {"": top}
    found: dict[str, float] = {}
    _collect("", value, 0, found)
    return found


def _collect(prefix: str, node: Any, depth: int, found: dict[str, float]) -> None:
    if depth >= MAX_DEPTH:
        return
    if isinstance(node, dict):
        children: Iterable[tuple[str, Any]] = (
            (prefix + _key_text(str(k), not prefix), v) for k, v in node.items()
        )
    elif isinstance(node, list):
        children = ((prefix + _item_step(index, item), item) for index, item in enumerate(node[:MAX_ITEMS]))
    else:
        return
    for path, child in children:
        if len(found) >= MAX_LEAVES:
            return
        number = _number(child)
        if number is not None:
            found[path] = number
        elif isinstance(child, dict | list):
            _collect(path, child, depth + 1, found)


def _item_step(index: int, item: object) -> str:
    named = _element_name(item)
    return f"[{named[0]}={named[1]}]" if named else f"[{index}]"


def discover(payloads: Iterable[object], limit: int = MAX_FIELDS) -> list[str]:
    """The numeric paths of a sample of payloads, each once, first seen first, at most ``limit``.

    Payloads that are not JSON text are skipped.
    """
    seen: dict[str, None] = {}
    for payload in payloads:
        value = parse_json(payload)
        if value is None:
            continue
        for path in numeric_paths(value):
            if path and path not in seen:
                seen[path] = None
                if len(seen) >= limit:
                    return list(seen)
    return list(seen)


def compile_path(path: str) -> tuple[Step, ...]:
    """The steps of ``path``.

    Raises:
        ValueError: the path is empty or not of the forms ``a.b``, ``a[0]``, ``a[Name=x]``,
            ``["any key"]``; the message says where it went wrong.
        TypeError: the path is not a string.
    """
    if not isinstance(path, str):
        raise TypeError(
            f"a field path must be a string such as 'params.Changes[0].Value', got {type(path).__name__}"
        )
    if not path:
        raise ValueError("a field path must not be empty: use a name such as 'temperature_c'")
    steps: list[Step] = []
    position = 0
    while position < len(path):
        match = _STEP.match(path, position)
        if (
            match is None
            or (match.group(0).startswith(".") and not steps)
            or (match.group(1) and not match.group(0).startswith(".") and steps)
        ):
            raise ValueError(
                f"cannot read the field path {path!r} at character {position + 1}: use keys joined by "
                'dots, [0] for a list index, [Name=gain] for a named element, ["any key"] for other keys'
            )
        key, index, name_key, name, quoted = match.groups()
        if key is not None:
            steps.append(("key", key))
        elif index is not None:
            steps.append(("index", int(index)))
        elif name_key is not None:
            steps.append(("named", (name_key, name)))
        else:
            steps.append(("key", json.loads(quoted)))
        position = match.end()
    return tuple(steps)


MISSING = object()
"""What :func:`follow` returns for a path that leads nowhere (JSON's ``null`` is ``None``)."""


def follow(value: Any, steps: tuple[Step, ...]) -> Any:
    """The value at ``steps`` inside ``value``, or :data:`MISSING` when there is none."""
    node = value
    for kind, argument in steps:
        if kind == "key":
            if not isinstance(node, dict) or argument not in node:
                return MISSING
            node = node[argument]
        elif kind == "index":
            if not isinstance(node, list) or argument >= len(node):
                return MISSING
            node = node[argument]
        else:
            if not isinstance(node, list):
                return MISSING
            name_key, name = argument
            node = next(
                (item for item in node[:MAX_ITEMS] if isinstance(item, dict) and item.get(name_key) == name),
                MISSING,
            )
            if node is MISSING:
                return MISSING
    return node


def read_path(value: Any, steps: tuple[Step, ...]) -> float | None:
    """The number at ``steps`` inside ``value``, or None when it is missing or not a number."""
    node = follow(value, steps)
    return None if node is MISSING else _number(node)
