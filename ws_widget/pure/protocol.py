"""RFC 6455 made visible: close codes explained, the handshake's accept check step by step,
and the frames ``websockets`` logs, described for the frame log."""

from __future__ import annotations

import base64
import hashlib

from websockets.exceptions import InvalidHeader
from websockets.frames import CLOSE_CODE_EXPLANATIONS, CloseCode, Frame, Opcode
from websockets.headers import parse_extension
from websockets.utils import GUID, accept_key

from .redact import mask_headers, mask_subprotocols, mask_url

# One-line meanings, RFC 6455 section 7.4 and the IANA registry; names are websockets' CloseCode.
_MEANINGS = {
    1000: "the purpose of the connection was fulfilled",
    1001: "an endpoint is going away: a server shutting down or a browser leaving the page",
    1002: "an endpoint received a frame that breaks the protocol",
    1003: "an endpoint received a type of data it cannot accept (e.g. binary for a text-only API)",
    1005: "the close frame carried no code (never sent on the wire)",
    1006: "the connection dropped without a close frame (never sent on the wire)",
    1007: "a message had data inconsistent with its type, e.g. invalid UTF-8 in text",
    1008: "a message broke the endpoint's policy (generic refusal)",
    1009: "a message was too big to process",
    1010: "the client expected an extension the server did not negotiate",
    1011: "the server hit an unexpected condition (websockets also uses it for keepalive timeouts)",
    1012: "the service is restarting",
    1013: "try again later: the server is overloaded or rate-limiting",
    1014: "a gateway or proxy got an invalid response from the upstream server",
    1015: "the TLS handshake failed (never sent on the wire)",
}


def close_code_name(code: int | None) -> str:
    """Return the registered name of a close code, as websockets formats it (``going away``)."""
    if code is None:
        return ""
    if code in CLOSE_CODE_EXPLANATIONS:
        return CLOSE_CODE_EXPLANATIONS[code]
    if 3000 <= code < 4000:
        return "registered"
    if 4000 <= code < 5000:
        return "private use"
    return "unknown"


def explain_close_code(code: int | None) -> str:
    """Return ``NAME: meaning`` for any close code, ranges and unknown codes included."""
    if code is None:
        return "no close code"
    if code in _MEANINGS:
        return f"{CloseCode(code).name}: {_MEANINGS[code]}"
    if 3000 <= code < 4000:
        return "registered by a library, framework or application at IANA (3000-3999)"
    if 4000 <= code < 5000:
        return "private use: its meaning is agreed between this application's client and server (4000-4999)"
    if 0 <= code < 1000:
        return "not used (0-999)"
    if code < 3000:
        return "reserved for future versions of the protocol (1016-2999)"
    return "invalid: close codes end at 4999"


def accept_steps(key: str) -> dict:
    """Recompute ``Sec-WebSocket-Accept`` from ``Sec-WebSocket-Key``, step by step (RFC 6455 4.2.2)."""
    concatenated = key + GUID
    digest = hashlib.sha1(concatenated.encode()).digest()
    accept = base64.b64encode(digest).decode()
    assert accept == accept_key(key)  # the same computation websockets uses
    return {"key": key, "guid": GUID, "key_plus_guid": concatenated, "sha1": digest.hex(), "accept": accept}


def describe_handshake(request, response) -> dict:
    """Describe an opening handshake from websockets' ``Request`` and ``Response`` (either may
    be None), secrets masked: the request line and headers, the status and headers, the
    accept check, the subprotocol, the extensions and their parameters, and a failed
    response's body."""
    info: dict = {}
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
    info["extensions"] = _extensions(response.headers.get_all("Sec-WebSocket-Extensions"))
    return info


def _extensions(values: list[str]) -> list[dict]:
    extensions = []
    for value in values:
        try:
            for name, parameters in parse_extension(value):
                extensions.append({"name": name, "parameters": dict(parameters)})
        except InvalidHeader:
            extensions.append({"name": value, "parameters": {}, "invalid": True})
    return extensions


PREVIEW_BYTES = 64


def frame_info(frame: Frame, direction: str, rsv1: bool, wire_length: int) -> tuple[str, bytes, dict]:
    """Return the frame log's ``kind`` (opcode name), payload preview and details of a frame."""
    info = {"fin": frame.fin, "rsv1": rsv1, "masked": direction == "out", "length": wire_length}
    if frame.opcode is Opcode.CLOSE and len(frame.data) >= 2:
        code = int.from_bytes(frame.data[:2], "big")
        info["code"], info["meaning"] = code, close_code_name(code)
    return frame.opcode.name, bytes(frame.data[:PREVIEW_BYTES]), info
