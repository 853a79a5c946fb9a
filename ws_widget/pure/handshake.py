"""The opening handshake made visible: the accept check step by step (RFC 6455 section 4.2.2),
the request and response with secrets masked, the subprotocol and the extensions."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from websockets.exceptions import InvalidHeader
from websockets.headers import parse_extension
from websockets.http11 import Request, Response
from websockets.utils import GUID, accept_key

from .redact import mask_headers, mask_subprotocols, mask_url


def accept_steps(key: str) -> dict[str, str]:
    """Recompute ``Sec-WebSocket-Accept`` from ``Sec-WebSocket-Key``, step by step (RFC 6455 4.2.2).

    Returns:
        ``key``, ``guid``, ``key_plus_guid``, ``sha1`` (hex) and ``accept`` (base64).
    """
    concatenated = key + GUID
    digest = hashlib.sha1(concatenated.encode()).digest()
    accept = base64.b64encode(digest).decode()
    assert accept == accept_key(key)  # the same computation websockets uses
    return {"key": key, "guid": GUID, "key_plus_guid": concatenated, "sha1": digest.hex(), "accept": accept}


def describe_handshake(request: Request | None, response: Response | None) -> dict[str, Any]:
    """Describe an opening handshake from websockets' ``Request`` and ``Response`` (either may
    be None), secrets masked: the request line and headers, the status and headers, the
    accept check, the subprotocol, the extensions and their parameters, and a failed
    response's body."""
    info: dict[str, Any] = {}
    if request is not None:
        info["request_line"] = f"GET {mask_url(request.path)} HTTP/1.1"
        info["request_headers"] = mask_headers(request.headers.raw_items())
    if response is None:
        return info
    info["status"] = response.status_code
    info["reason"] = response.reason_phrase
    info["response_headers"] = mask_headers(response.headers.raw_items())
    if response.status_code != 101:
        info["body"] = bytes(response.body[:512]).decode("utf-8", "replace")
        return info
    key = request.headers.get("Sec-WebSocket-Key") if request is not None else None
    received = response.headers.get("Sec-WebSocket-Accept")
    if key:
        steps = accept_steps(key)
        info["accept_check"] = {**steps, "received": received, "ok": received == steps["accept"]}
    chosen = response.headers.get("Sec-WebSocket-Protocol")
    info["subprotocol"] = mask_subprotocols(chosen) if chosen else chosen
    info["extensions"] = describe_extensions(response.headers.get_all("Sec-WebSocket-Extensions"))
    return info


def describe_extensions(values: list[str]) -> list[dict[str, Any]]:
    """Return the negotiated extensions of ``Sec-WebSocket-Extensions`` header values as
    ``{"name", "parameters"}``; a value that does not parse is kept with ``"invalid": True``."""
    found: list[dict[str, Any]] = []
    for value in values:
        try:
            for name, parameters in parse_extension(value):
                found.append({"name": name, "parameters": dict(parameters)})
        except InvalidHeader:
            found.append({"name": value, "parameters": {}, "invalid": True})
    return found
