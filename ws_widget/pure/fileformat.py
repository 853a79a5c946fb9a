"""Checks for reading files that may be damaged or hostile: history JSONL, HAR and cassettes.

Every problem becomes one :class:`~ws_widget.exceptions.HistoryFormatError` that names the
file, the line or entry, what is wrong and what to do. Nothing read is ever evaluated: JSON is
parsed with :func:`json.loads`, which builds only dicts, lists, strings, numbers and None.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
from collections.abc import Iterator, Sequence
from typing import Any, Literal, NoReturn, TypeVar, overload

from ..exceptions import HistoryFormatError

_Choice = TypeVar("_Choice", str, int)

EPOCH_MAX = 32503680000.0  # 3000-01-01 in epoch seconds: later times are damage, not data
EPOCH_SPAN = "epoch seconds from 1970 to 3000"


class Reader:
    """Builds the errors of one file: ``reader.fail(problem, where)`` returns the exception."""

    def __init__(self, path: str | os.PathLike[str], advice: str) -> None:
        self.path = os.fspath(path)
        self.advice = advice

    def fail(self, problem: str, where: str = "", line: int | None = None) -> HistoryFormatError:
        """Return the error for ``problem`` at ``where`` (e.g. ``line 3``), with the advice."""
        place = f"{self.path}, {where}" if where else self.path
        return HistoryFormatError(f"{place}: {problem}; {self.advice}", path=self.path, line=line)

    def lines(self) -> Iterator[tuple[int, str]]:
        """Yield ``(number, text)`` for each line that is not blank, decoded as UTF-8."""
        with open(self.path, "rb") as file:
            for number, raw in enumerate(file, 1):
                try:
                    text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise self.fail(
                        f"not UTF-8 text (byte {exc.start} of the line): is it the right file?",
                        f"line {number}",
                        number,
                    ) from None
                if text.strip():
                    yield number, text

    def whole(self) -> str:
        """Return the whole file decoded as UTF-8."""
        with open(self.path, "rb") as file:
            data = file.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.fail(f"not UTF-8 text (byte {exc.start}): is it the right file?") from None

    def json(self, text: str, where: str = "", line: int | None = None) -> object:
        """Parse JSON text; NaN, Infinity, deep nesting and lone surrogates are refused.

        Returns:
            The value, of a shape still to check with the ``need_`` functions.
        """
        try:
            value = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            at = f"column {exc.colno}" if line is not None else f"line {exc.lineno} column {exc.colno}"
            raise self.fail(f"not valid JSON ({exc.msg} at {at})", where, line) from None
        except ValueError as exc:  # a refused constant, or an integer of thousands of digits
            problem = str(exc) if "not valid JSON" in str(exc) else "a number has too many digits"
            raise self.fail(problem, where, line) from None
        except RecursionError:
            raise self.fail("JSON nested too deeply to read", where, line) from None
        if "\\u" in text or "\\U" in text:  # only escapes can make a lone surrogate
            try:
                json.dumps(value, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise self.fail(
                    "a string holds a lone surrogate (an unpaired \\ud800-\\udfff escape), "
                    "which UTF-8 text cannot hold",
                    where,
                    line,
                ) from None
        return value


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON (only finite numbers are)")


def kind_name(value: object) -> str:
    """Describe a JSON value's type for an error message: object, list, string, number..."""
    names: dict[type, str] = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        type(None): "null",
    }
    return names.get(type(value), "a number")


def need_object(
    reader: Reader, value: object, what: str, where: str = "", line: int | None = None
) -> dict[str, Any]:
    """Return ``value`` if it is a JSON object, else fail."""
    if not isinstance(value, dict):
        raise reader.fail(f"{what} must be a JSON object, not {kind_name(value)}", where, line)
    return value


def need_field(
    reader: Reader, row: dict[str, Any], name: str, where: str = "", line: int | None = None
) -> Any:
    """Return ``row[name]``, failing if it is missing."""
    if name not in row:
        raise reader.fail(f"the field {name!r} is missing", where, line)
    return row[name]


def need_number(
    reader: Reader,
    value: object,
    name: str,
    low: float,
    high: float,
    where: str = "",
    line: int | None = None,
    span: str = "",
) -> float:
    """Return ``value`` as a float if it is a finite number in ``[low, high]``, else fail.

    ``span`` says the range in words for the message (default: ``from low to high``).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise reader.fail(f"{name} must be a number, not {kind_name(value)}", where, line)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not low <= number <= high:
        span = span or f"from {low:g} to {high:g}"
        raise reader.fail(f"{name} must be {span}, got {_short(value)}", where, line)
    return number


def need_int(
    reader: Reader, value: object, name: str, low: int, high: int, where: str = "", line: int | None = None
) -> int:
    """Return ``value`` if it is an integer in ``[low, high]``, else fail."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise reader.fail(f"{name} must be an integer, not {kind_name(value)}", where, line)
    if not low <= value <= high:
        raise reader.fail(f"{name} must be from {low} to {high}, got {_short(value)}", where, line)
    return value


def need_choice(
    reader: Reader,
    value: object,
    name: str,
    allowed: Sequence[_Choice],
    where: str = "",
    line: int | None = None,
) -> _Choice:
    """Return ``value`` if it is one of ``allowed``, else fail listing them."""
    for choice in allowed:
        if type(value) is type(choice) and value == choice:  # no True for 1, no 1.0 for 1
            return choice
    listed = ", ".join(json.dumps(choice) for choice in allowed)
    raise reader.fail(f"{name} must be one of {listed}, got {_short(value)}", where, line)


@overload
def need_text(
    reader: Reader,
    value: object,
    name: str,
    where: str = ...,
    line: int | None = ...,
    optional: Literal[False] = ...,
) -> str: ...
@overload
def need_text(
    reader: Reader, value: object, name: str, where: str = ..., line: int | None = ..., *, optional: bool
) -> str | None: ...
def need_text(
    reader: Reader, value: object, name: str, where: str = "", line: int | None = None, optional: bool = False
) -> str | None:
    """Return ``value`` if it is a string (or None when ``optional``), else fail."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise reader.fail(f"{name} must be a string, not {kind_name(value)}", where, line)
    return value


def need_base64(reader: Reader, value: object, name: str, where: str = "", line: int | None = None) -> bytes:
    """Decode strict base64, else fail."""
    text = need_text(reader, value, name, where, line)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise reader.fail(f"{name} is not base64 (A-Z a-z 0-9 + / with = padding)", where, line) from None


def need_hex(reader: Reader, value: object, name: str, where: str = "", line: int | None = None) -> bytes:
    """Decode hex, else fail."""
    text = need_text(reader, value, name, where, line)
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise reader.fail(f"{name} is not hex (pairs of 0-9 a-f)", where, line) from None


# The details of a record that the widget shows, and their JSON types.
_TEXT: tuple[type, ...] = (str,)
_NUMBER: tuple[type, ...] = (int, float)
_FLAG: tuple[type, ...] = (bool,)
_INTEGER: tuple[type, ...] = (int,)
INFO_TYPES: dict[str, tuple[type, ...]] = {
    "code": _INTEGER,
    "rtt": _NUMBER,
    "length": _INTEGER,
    "status": _INTEGER,
    "reason": _TEXT,
    "meaning": _TEXT,
    "message": _TEXT,
    "url": _TEXT,
    "subprotocol": _TEXT,
    "initiator": _TEXT,
    "clean": _FLAG,
    "fin": _FLAG,
    "rsv1": _FLAG,
    "masked": _FLAG,
    "unsolicited": _FLAG,
}


def need_info(
    reader: Reader, info: dict[str, Any], where: str = "", line: int | None = None
) -> dict[str, Any]:
    """Return a record's details if those the widget shows (``INFO_TYPES``) have their type."""
    for key, wanted in INFO_TYPES.items():
        value = info.get(key)
        if value is None:
            continue
        if type(value) not in wanted:
            names = {_INTEGER: "an integer", _NUMBER: "a number", _TEXT: "a string", _FLAG: "true or false"}
            raise reader.fail(f"{key} must be {names[wanted]} or null, not {kind_name(value)}", where, line)
        if isinstance(value, float) and not math.isfinite(value):
            raise reader.fail(f"{key} must be a finite number, got {value!r}", where, line)
    return info


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
