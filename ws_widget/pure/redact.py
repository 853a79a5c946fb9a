"""Masking of secrets (auth headers, cookies, session ids, tokens in URLs) for display."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus, urlsplit, urlunsplit

MASK = "****"

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"}
)
# Names of secret parameters and headers. Whole words after a separator (``token``,
# ``connect.sid``), OAuth/OIDC names (``access_token``, ``id_token``), session ids however a
# framework spells them (``PHPSESSID``, ``JSESSIONID``, ``ASP.NET_SessionId``) and anti-forgery
# tokens (``csrf``, ``XSRF-TOKEN``, ``csrfmiddlewaretoken``). Not ``id``, ``key``-prefixed words
# such as ``keyboard``, ``page``, ``channel`` or OAuth's one-time ``code``.
_SECRET_NAME = re.compile(
    r"(^|[-_.])(token|secret|password|passwd|passphrase|pwd|apikey|key|auth|sig|signature|session|"
    r"sessionid|sid|jwt|credentials?)$"
    r"|^(access|auth|api|id|refresh)[-_]?(token|key)$"
    r"|sess(ion)?[-_]?id$|csrf|xsrf",
    re.IGNORECASE,
)
# A subprotocol entry that carries a credential, e.g. Kubernetes'
# ``base64url.bearer.authorization.k8s.io.<token>``.
_CREDENTIAL_HINT = re.compile(r"bearer|token|auth|secret|passw|jwt|api[-_.]?key|credential", re.IGNORECASE)
_PLAIN_PART = re.compile(r"[a-z0-9-]{1,24}")  # a lowercase word of a dotted subprotocol name
_PATH_PARAMETER = re.compile(r";([^;/=?#]*)=([^;/?#]*)")  # /app;jsessionid=ABC/ws
_QUERY_SEPARATOR = re.compile(r"([&;])")
_FRAGMENT_SEPARATOR = re.compile(r"([&;?/])")  # #access_token=... and #/route?token=...


def is_secret_name(name: str) -> bool:
    """Tell whether a query, fragment or path parameter ``name`` holds a secret value."""
    return bool(_SECRET_NAME.search(unquote_plus(name)))


def is_secret_header(name: str) -> bool:
    """Tell whether a header's value must be masked as a whole."""
    lowered = name.lower()
    if lowered.startswith("sec-websocket-"):
        return False  # protocol nonces and negotiation; subprotocols are masked entry by entry
    return lowered in SECRET_HEADERS or bool(_SECRET_NAME.search(lowered))


def mask_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the header pairs with secret values replaced by ``****``.

    ``Sec-WebSocket-Protocol`` is kept but for the entries that carry a credential: an entry
    naming a bearer, token, auth, secret, password, JWT or API key (Kubernetes'
    ``base64url.bearer.authorization.k8s.io.<token>`` becomes ``...k8s.io.****``), and the entry
    after one that is only such a name (``access_token, <token>``).
    """
    masked = []
    for name, value in headers:
        if is_secret_header(name):
            value = MASK
        elif name.lower() == "sec-websocket-protocol" and isinstance(value, str):
            value = mask_subprotocols(value)
        masked.append((name, value))
    return masked


def mask_subprotocols(value: str) -> str:
    """Return a ``Sec-WebSocket-Protocol`` value with its credential-carrying entries masked."""
    if not _CREDENTIAL_HINT.search(value):
        return value
    entries, mask_next = [], False
    for entry in value.split(","):
        word = entry.strip()
        if mask_next:
            entries.append(MASK)
            mask_next = False
        elif not _CREDENTIAL_HINT.search(word):
            entries.append(word)
        elif "." not in word and (is_secret_name(word) or word.lower() in ("bearer", "authorization")):
            entries.append(word)  # only a name: the credential is the next entry (a dotted
            # entry is a prefixed credential, even when the credential ends like a name: "-KEY")
            mask_next = True
        else:
            entries.append(_mask_entry(word))
    return ", ".join(entries)


def _mask_entry(word: str) -> str:
    """Keep the leading plain words of a dotted name, mask the rest (at least the last part)."""
    parts = word.split(".")
    kept = 0
    while kept < len(parts) - 1 and _PLAIN_PART.fullmatch(parts[kept]):
        kept += 1
    return ".".join([*parts[:kept], MASK])


def mask_url(url: str) -> str:
    """Return ``url`` with secrets replaced by ``****``.

    Masks a password in the user info, path parameters (``;jsessionid=...``) and query and
    fragment parameters (``&`` or ``;`` separated; ``#access_token=...`` of OAuth's implicit
    flow) whose name looks secret. Other parts are kept as written.
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{hostport}" if ":" in userinfo else f"{MASK}@{hostport}"
    path = _PATH_PARAMETER.sub(_mask_path_parameter, parts.path) if ";" in parts.path else parts.path
    query = _mask_parameters(parts.query, _QUERY_SEPARATOR)
    fragment = _mask_parameters(parts.fragment, _FRAGMENT_SEPARATOR)
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


def _mask_parameters(text: str, separator: re.Pattern[str]) -> str:
    if "=" not in text:
        return text
    return "".join(_mask_piece(piece) for piece in separator.split(text))


def _mask_piece(piece: str) -> str:
    name, equals, _value = piece.partition("=")
    if equals and is_secret_name(name):
        return f"{name}={MASK}"
    return piece


def _mask_path_parameter(match: re.Match[str]) -> str:
    return f";{match.group(1)}={MASK}" if is_secret_name(match.group(1)) else match.group(0)
