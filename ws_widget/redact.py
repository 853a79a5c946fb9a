"""Masking of secrets (auth headers, cookies, tokens in query strings) for display."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

MASK = "****"

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"}
)
_SECRET_NAME = re.compile(
    r"(^|[-_.])(token|secret|password|passwd|pwd|apikey|key|auth|sig|signature|session|"
    r"sessionid|jwt|credentials?)$|^(access|auth|api|id|refresh)[-_]?(token|key)$",
    re.IGNORECASE,
)


def is_secret_header(name: str) -> bool:
    """Tell whether a header's value must be masked."""
    lowered = name.lower()
    if lowered.startswith("sec-websocket-"):
        return False  # protocol nonces and negotiation, never credentials
    return lowered in SECRET_HEADERS or bool(_SECRET_NAME.search(lowered))


def mask_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the header pairs with secret values replaced by ``****``."""
    return [(name, MASK if is_secret_header(name) else value) for name, value in headers]


def mask_url(url: str) -> str:
    """Return ``url`` with a password and token-like query values replaced by ``****``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{hostport}" if ":" in userinfo else f"{MASK}@{hostport}"
    query = "&".join(_mask_query_piece(piece) for piece in parts.query.split("&"))
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _mask_query_piece(piece: str) -> str:
    name, equals, _value = piece.partition("=")
    if equals and _SECRET_NAME.search(unquote_plus(name)):
        return f"{name}={MASK}"
    return piece
