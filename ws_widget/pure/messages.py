"""Checking what users send: message payloads, close codes and reasons, ping payloads.

Each check takes any value (users' values arrive unchecked) and returns the checked type,
or raises a TypeError or ValueError that says what was wrong and what to do.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import NoReturn

from .closecodes import APPLICATION_SPAN, may_send


def encode_message(message: object, is_binary: bool = False) -> str | bytes:
    """Return the payload for a text frame (str) or a binary frame (bytes).

    Raises:
        TypeError: the message is neither str nor bytes-like.
        ValueError: bytes sent as text are not valid UTF-8.
    """
    if isinstance(message, (bytearray, memoryview)):
        message = bytes(message)
    if is_binary:
        if isinstance(message, str):
            return message.encode("utf-8")
        if isinstance(message, bytes):
            return message
    else:
        if isinstance(message, str):
            if not message.isascii():
                try:
                    message.encode("utf-8")
                except UnicodeEncodeError as exc:
                    raise ValueError(
                        f"message has a lone surrogate {message[exc.start]!r} at index {exc.start}, "
                        "so it cannot go in a text frame"
                    ) from None
            return message
        if isinstance(message, bytes):
            try:
                return message.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"message is not valid UTF-8 (byte {exc.start} is {message[exc.start]:#04x}), "
                    "so it cannot go in a text frame: pass isBinary=True to send it as binary"
                ) from None
    raise TypeError(
        f"message must be str or bytes, got {type(message).__name__}: "
        "convert it first, e.g. with json.dumps() or str()"
    )


def encode_any(data: object) -> str | bytes:
    """Like :func:`encode_message`, but dicts and lists go as JSON text and bytes as binary.

    Raises:
        TypeError: the data is not str, bytes-like, or JSON-serialisable dict/list.
    """
    if isinstance(data, (dict, list)):
        try:
            return json.dumps(data, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"data cannot be sent as JSON: {exc}") from None
    if isinstance(data, (bytes, bytearray, memoryview)):
        return encode_message(data, True)
    return encode_message(data, False)


def check_close(code: object, reason: object) -> tuple[int, str]:
    """Return a valid close code and reason.

    Raises:
        ValueError: the code may not be sent, or the reason is over 123 bytes.
        TypeError: code is not an int or reason not a str.
    """
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError(f"code must be an int such as 1000, got {code!r}")
    if not may_send(code):
        raise ValueError(
            f"close code {code} may not be sent: use 1000 (normal), 1001 (going away), "
            f"another code from RFC 6455 section 7.4.1, or {APPLICATION_SPAN}"
        )
    reason = "" if reason is None else reason
    if not isinstance(reason, str):
        raise TypeError(f"reason must be a str, got {reason!r}")
    if len(reason.encode()) > 123:
        raise ValueError(f"reason is {len(reason.encode())} bytes in UTF-8; a close reason holds at most 123")
    return code, reason


def check_ping_payload(payload: object) -> bytes | None:
    """Return a ping payload as bytes (at most 125), or None for a random one.

    Raises:
        TypeError: payload is not str or bytes-like.
        ValueError: payload is over 125 bytes.
    """
    if payload is None:
        return None
    if isinstance(payload, str):
        payload = payload.encode()
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise TypeError(f"ping payload must be str or bytes, got {type(payload).__name__}")
    payload = bytes(payload)
    if len(payload) > 125:
        raise ValueError(f"ping payload is {len(payload)} bytes; a control frame holds at most 125")
    return payload


COMPOSER_MODES = ("text", "json", "hex", "base64")


def parse_composed(text: str, mode: str = "text") -> str | bytes:
    """Turn what was typed in the composer into a payload: text, checked JSON text, or
    bytes written as hex (``01 02 ff``, ``0x01,0x02``) or base64.

    Raises:
        ValueError: the text is not valid for the mode; the message says where.
        TypeError: text is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if mode == "text":
        return text
    if mode == "json":
        try:
            json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        except RecursionError:
            raise ValueError("invalid JSON: nested too deeply to check") from None
        return text
    if mode == "hex":
        cleaned = re.sub(r"0x|[\s,:;-]", "", text, flags=re.IGNORECASE)
        bad = re.search(r"[^0-9a-fA-F]", cleaned)
        if bad:
            raise ValueError(f"invalid hex: {bad.group()!r} is not a hex digit")
        if len(cleaned) % 2:
            raise ValueError("invalid hex: odd number of digits; write each byte as two digits")
        return bytes.fromhex(cleaned)
    if mode == "base64":
        try:
            return base64.b64decode("".join(text.split()), validate=True)
        except binascii.Error as exc:
            raise ValueError(f"invalid base64: {exc}") from None
    raise ValueError(f"mode must be one of {', '.join(COMPOSER_MODES)}, got {mode!r}")


def _reject_constant(name: str) -> NoReturn:
    raise json.JSONDecodeError(f"{name} is not valid JSON (use null or a number)", name, 0)
