"""What an expectation matches: a regex, a substring of bytes, a JSON subset, or a function."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

Pattern = str | bytes | bytearray | dict[str, Any] | list[Any] | Callable[[Any], object]
"""What ``expect`` accepts: a regex str, bytes, a JSON subset (dict or list), or a function."""


def matcher(pattern: Pattern) -> Callable[[str | bytes], bool]:
    """Return a test for message payloads.

    Args:
        pattern: a str (regular expression searched in text messages), bytes (found in binary
            messages), a dict or list (a JSON message containing it: ``{"id": 1}`` matches
            ``{"jsonrpc": "2.0", "id": 1, ...}``), or a function of the payload returning true.

    Raises:
        TypeError: pattern of another type.
        ValueError: an invalid regular expression.
    """
    if callable(pattern):
        return lambda payload: bool(pattern(payload))
    if isinstance(pattern, str):
        try:
            search = re.compile(pattern).search
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return lambda payload: isinstance(payload, str) and search(payload) is not None
    if isinstance(pattern, (bytes, bytearray)):
        needle = bytes(pattern)
        return lambda payload: isinstance(payload, bytes) and needle in payload
    if isinstance(pattern, (dict, list)):
        return lambda payload: json_contains(_parse(payload), pattern)
    raise TypeError(
        "pattern must be a regex str, bytes, a dict/list (JSON subset) or a function, "
        f"got {type(pattern).__name__}"
    )


def describe(pattern: Pattern) -> str:
    """A short description of a pattern for timeout messages."""
    if callable(pattern):
        return f"a message accepted by {getattr(pattern, '__name__', 'the predicate')}"
    return f"a message matching {pattern!r}"


def json_contains(value: object, expected: object) -> bool:
    """Tell whether ``value`` contains ``expected``: dicts by subset, lists element by element."""
    if isinstance(expected, dict):
        return isinstance(value, dict) and all(
            key in value and json_contains(value[key], item) for key, item in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(value, list)
            and len(value) == len(expected)
            and all(json_contains(v, e) for v, e in zip(value, expected, strict=True))
        )
    return value == expected


_NOT_JSON = object()


def _parse(payload: str | bytes) -> object:
    try:
        return json.loads(payload)
    except (ValueError, TypeError):
        return _NOT_JSON
