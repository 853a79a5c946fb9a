"""Where to connect: checking the seed's ``Connect`` arguments and building the URL.

The checks take any value (users' values arrive unchecked) and return the checked type, or
raise a TypeError or ValueError that names the argument, what was wrong and what to do.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .redact import mask_headers, mask_url

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 field-name
_SUBPROTOCOL = _TOKEN
DEFAULT_PORTS = {"ws": 80, "wss": 443}


@dataclasses.dataclass(frozen=True)
class Target:
    """A checked destination: the URL, extra handshake headers and offered subprotocols."""

    url: str
    headers: tuple[tuple[str, str], ...] = ()
    subprotocols: tuple[str, ...] = ()

    @property
    def secure(self) -> bool:
        """Whether the URL uses TLS (``wss``)."""
        return self.url.startswith("wss:")

    @property
    def masked_url(self) -> str:
        """The URL with secrets masked, for display."""
        return mask_url(self.url)

    @property
    def masked_headers(self) -> list[tuple[str, str]]:
        """The extra headers with secret values masked, for display."""
        return mask_headers(self.headers)


def build_target(
    protocol: object,
    host: object,
    url: object = "/",
    port: object = None,
    sub_protocol: object = None,
    headers: object = None,
) -> Target:
    """Check the seed's ``Connect`` arguments and build a :class:`Target`.

    Raises:
        ValueError: an argument has a wrong value; the message names it.
        TypeError: an argument has a wrong type; the message names it.
    """
    scheme = check_protocol(protocol)
    host_part = check_host(host)
    port_number = check_port(port, scheme)
    path = check_path(url)
    netloc = host_part if port_number == DEFAULT_PORTS[scheme] else f"{host_part}:{port_number}"
    return Target(f"{scheme}://{netloc}{path}", check_headers(headers), check_subprotocols(sub_protocol))


def target_from_url(url: object, sub_protocol: object = None, headers: object = None) -> Target:
    """Check a full ``ws://`` or ``wss://`` URL and build a :class:`Target`.

    Raises:
        ValueError: the URL or another argument is not acceptable; the message says why.
        TypeError: an argument has a wrong type.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str such as 'ws://127.0.0.1:8765/echo', got {_kind(url)}")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise ValueError(f"url must start with ws:// or wss://, got {mask_url(url)!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"url has an invalid port: {mask_url(url)!r}") from exc
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    target = build_target(parts.scheme.lower(), parts.hostname or "", path, port, sub_protocol, headers)
    if parts.username is not None:  # keep user:password@ for servers using basic auth
        userinfo = url.strip().split("//", 1)[1].split("@", 1)[0]
        scheme, rest = target.url.split("//", 1)
        target = dataclasses.replace(target, url=f"{scheme}//{userinfo}@{rest}")
    return target


def check_protocol(protocol: object) -> str:
    """Return ``"ws"`` or ``"wss"``, or raise naming what is accepted."""
    if not isinstance(protocol, str) or protocol.lower().rstrip(":/") not in DEFAULT_PORTS:
        raise ValueError(f"protocol must be 'ws' or 'wss', got {protocol!r}")
    return protocol.lower().rstrip(":/")


def check_host(host: object) -> str:
    """Return the host as it goes into a URL (IPv6 literals in brackets)."""
    if not isinstance(host, str):
        raise TypeError(f"host must be a str such as '127.0.0.1' or 'core.local', got {_kind(host)}")
    host = host.strip()
    if not host:
        raise ValueError("host is empty: give a name or an address such as '127.0.0.1'")
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        address = ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        address = None
    if address is not None and address.version == 6:
        return f"[{bare}]"
    if not all(c.isalnum() or c in "-._" for c in host):
        raise ValueError(
            f"host must be a bare name or address, got {host!r}: put the scheme in protocol, "
            "the port in port and the path in url"
        )
    return host


def check_port(port: object, scheme: str) -> int:
    """Return the port as an int in 1..65535; None means the scheme's default."""
    if port is None:
        return DEFAULT_PORTS[scheme]
    if isinstance(port, float) and port.is_integer():  # Lua numbers are floats
        port = int(port)
    if isinstance(port, bool) or not isinstance(port, int):
        raise TypeError(f"port must be an integer in 1..65535, got {_kind(port)}")
    if not 1 <= port <= 65535:
        raise ValueError(f"port must be an integer in 1..65535, got {port}")
    return port


def check_path(url: object) -> str:
    """Return the resource path with its query; an empty path means ``/``."""
    if url is None:
        return "/"
    if not isinstance(url, str):
        raise TypeError(f"url must be a str path such as '/api/v1?x=1', got {_kind(url)}")
    if "#" in url or any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise ValueError(
            f"url must be a path without spaces, control characters or '#', got {mask_url(url)!r}"
        )
    if "://" in url:
        raise ValueError(
            f"url is the path on the server, such as '/qrc-public-api/v0', got {mask_url(url)!r}: "
            "to pass a whole URL use ws_widget.connect(url)"
        )
    return url if url.startswith("/") else "/" + url


def check_headers(headers: object) -> tuple[tuple[str, str], ...]:
    """Return headers as name/value pairs after checking them against HTTP's rules."""
    if headers is None:
        return ()
    if isinstance(headers, Mapping):
        items = list(headers.items())
    elif isinstance(headers, (list, tuple)) and all(
        isinstance(item, (list, tuple)) and len(item) == 2 for item in headers
    ):
        items = [tuple(item) for item in headers]
    else:
        raise TypeError(f"headers must be a dict of name to value, got {_kind(headers)}")
    checked = []
    for name, value in items:
        if not isinstance(name, str) or not _TOKEN.match(name):
            raise ValueError(
                f"header name {name!r} is not valid: use ASCII letters, digits and -, without spaces"
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise TypeError(f"header {name!r} must have a str value, got {_kind(value)}")
        if any(c in value for c in "\r\n\0") or not value.isascii():
            shown = "****" if mask_headers([(name, value)])[0][1] != value else repr(value)
            raise ValueError(
                f"header {name!r} has a value with CR, LF, NUL or non-ASCII characters ({shown}): "
                "such values cannot be sent in an HTTP header"
            )
        checked.append((name, value))
    return tuple(checked)


def check_subprotocols(sub_protocol: object) -> tuple[str, ...]:
    """Return the offered subprotocols from None, a str or a list of str."""
    if sub_protocol is None or sub_protocol == "":
        return ()
    offered = [sub_protocol] if isinstance(sub_protocol, str) else sub_protocol
    if not isinstance(offered, (list, tuple)):
        raise TypeError(f"sub_protocol must be a str or a list of str, got {_kind(sub_protocol)}")
    for name in offered:
        if not isinstance(name, str) or not _SUBPROTOCOL.match(name):
            raise ValueError(f"sub_protocol {name!r} is not valid: use a token such as 'json' or 'mqtt'")
    return tuple(offered)


def _kind(value: object) -> str:
    return f"{value!r} ({type(value).__name__})"
