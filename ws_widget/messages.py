"""Checking what users send: message payloads, close codes and reasons, ping payloads."""

from __future__ import annotations

import json

from websockets.frames import EXTERNAL_CLOSE_CODES


def encode_message(message, is_binary: bool = False) -> str | bytes:
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


def encode_any(data) -> str | bytes:
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


def check_close(code, reason) -> tuple[int, str]:
    """Return a valid close code and reason.

    Raises:
        ValueError: the code may not be sent, or the reason is over 123 bytes.
        TypeError: code is not an int or reason not a str.
    """
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError(f"code must be an int such as 1000, got {code!r}")
    if code not in EXTERNAL_CLOSE_CODES and not 3000 <= code <= 4999:
        raise ValueError(
            f"close code {code} may not be sent: use 1000 (normal), 1001 (going away), "
            "another code from RFC 6455 section 7.4.1, or 3000-4999"
        )
    reason = "" if reason is None else reason
    if not isinstance(reason, str):
        raise TypeError(f"reason must be a str, got {reason!r}")
    if len(reason.encode()) > 123:
        raise ValueError(f"reason is {len(reason.encode())} bytes in UTF-8; a close reason holds at most 123")
    return code, reason


def check_ping_payload(payload) -> bytes | None:
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
