"""Python-only connection options, checked once and turned into ``websockets`` arguments."""

from __future__ import annotations

import dataclasses
import enum
import os
import ssl
from typing import Any, Final

from .flow import DEFAULT_MAX_BACKLOG, DEFAULT_MAX_BACKLOG_BYTES, FlowLimits


class _Unset(enum.Enum):
    """The marker of an option not given (``user_agent``: websockets' own header)."""

    UNSET = "unset"


_UNSET: Final = _Unset.UNSET
PemPath = str | os.PathLike[str]


@dataclasses.dataclass(frozen=True)
class ReconnectPolicy:
    """When to connect again after a connection ends without the user's ``Close()``.

    The n-th consecutive retry waits ``min(max_delay, initial * factor ** (n - 1))`` seconds,
    minus a random part of up to ``jitter`` of it (so that many clients do not come back at
    once); a connection that opened resets n. After ``max_attempts`` consecutive failed
    retries (None: never) it gives up.
    """

    initial: float = 0.5
    factor: float = 2.0
    max_delay: float = 30.0
    jitter: float = 0.5
    max_attempts: int | None = None

    def __post_init__(self) -> None:
        """Check the fields.

        Raises:
            ValueError: a field out of range; the message names it.
        """
        for name in ("initial", "max_delay"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        if isinstance(self.factor, bool) or not isinstance(self.factor, (int, float)) or self.factor < 1:
            raise ValueError(f"factor must be a number >= 1, got {self.factor!r}")
        if not 0 <= self.jitter < 1:
            raise ValueError(f"jitter must be a fraction in [0, 1), got {self.jitter!r}")
        if self.max_attempts is not None and (
            not isinstance(self.max_attempts, int) or self.max_attempts < 1
        ):
            raise ValueError(f"max_attempts must be a positive integer or None, got {self.max_attempts!r}")

    def delay(self, retry: int, random_fraction: float) -> float:
        """Seconds to wait before retry number ``retry`` (1, 2, ...), given a random in [0, 1)."""
        base = min(self.max_delay, self.initial * self.factor ** (retry - 1))
        return base * (1 - self.jitter * random_fraction)

    def gives_up(self, retry: int) -> bool:
        """Whether retry number ``retry`` is one too many."""
        return self.max_attempts is not None and retry > self.max_attempts


@dataclasses.dataclass(frozen=True)
class Options:
    """Keyword options of ``Connect`` and ``connect``; defaults follow ``websockets``.

    Attributes:
        verify: check the server's TLS certificate (True), skip the check (False), or an
            ``ssl.SSLContext`` to use as it is.
        ca: a PEM file of certificate authorities to trust, e.g. a device's self-signed cert.
        client_cert: a PEM file with certificate and key, or a ``(cert, key)`` pair.
        ping_interval: seconds between keepalive pings; None turns keepalive off.
        ping_timeout: seconds to wait for a keepalive pong before closing with 1011.
        open_timeout: seconds allowed for TCP, TLS and the HTTP upgrade together.
        close_timeout: seconds to wait for the closing handshake.
        max_size: largest incoming message in bytes; None for no limit.
        compression: ``"deflate"`` (permessage-deflate) or None.
        origin: value of the Origin header.
        user_agent: value of the User-Agent header; None leaves it out.
        proxy: True uses the proxy from the environment, None disables it, or a proxy URL.
        frame_log: record every frame (opcode, FIN, RSV1, mask, length) in ``ws.frames``;
            off by default because it costs time on every frame.
        reconnect: True (default policy) or a :class:`ReconnectPolicy`: connect again, with
            backoff, whenever the connection ends without a ``Close()`` from the user.
        max_backlog: reading pauses while more ``Data`` callbacks than this are behind, or a
            receiving loop has not taken this many messages; it resumes at a quarter of it.
            None never pauses: a consumer slower than the stream then makes memory grow
            without bound.
        max_backlog_bytes: the same, counted in payload bytes (64 MiB); None never pauses.
    """

    verify: bool | ssl.SSLContext = True
    ca: PemPath | None = None
    client_cert: PemPath | tuple[PemPath, PemPath] | None = None
    ping_interval: float | None = 20.0
    ping_timeout: float | None = 20.0
    open_timeout: float | None = 10.0
    close_timeout: float | None = 10.0
    max_size: int | None = 2**20 * 16
    compression: str | None = "deflate"
    origin: str | None = None
    user_agent: str | _Unset | None = _UNSET
    proxy: bool | str | None = True
    frame_log: bool = False
    reconnect: bool | ReconnectPolicy = False
    max_backlog: int | None = DEFAULT_MAX_BACKLOG
    max_backlog_bytes: int | None = DEFAULT_MAX_BACKLOG_BYTES

    def __post_init__(self) -> None:
        """Check the options.

        Raises:
            TypeError: an option of the wrong type; the message names it.
            ValueError: an option out of range, or a PEM file that does not exist.
        """
        if not isinstance(self.verify, (bool, ssl.SSLContext)):
            raise TypeError(f"verify must be True, False or an ssl.SSLContext, got {self.verify!r}")
        for name in ("ping_interval", "ping_timeout", "open_timeout", "close_timeout"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
            ):
                raise ValueError(f"{name} must be a positive number of seconds or None, got {value!r}")
        if self.max_size is not None and (
            isinstance(self.max_size, bool) or not isinstance(self.max_size, int) or self.max_size <= 0
        ):
            raise ValueError(f"max_size must be a positive number of bytes or None, got {self.max_size!r}")
        if self.compression not in ("deflate", None):
            raise ValueError(f"compression must be 'deflate' or None, got {self.compression!r}")
        for name in ("ca", "client_cert"):
            value = getattr(self, name)
            paths = value if isinstance(value, tuple) else (value,)
            for path in paths:
                if path is not None and not os.path.isfile(path):
                    raise ValueError(f"{name} must name an existing PEM file, got {path!r}")
        if self.origin is not None and not isinstance(self.origin, str):
            raise TypeError(f"origin must be a str such as 'http://127.0.0.1', got {self.origin!r}")
        if self.user_agent is not _UNSET and not isinstance(self.user_agent, (str, type(None))):
            raise TypeError(f"user_agent must be a str or None, got {self.user_agent!r}")
        if not isinstance(self.reconnect, (bool, ReconnectPolicy)):
            raise TypeError(f"reconnect must be True, False or a ReconnectPolicy, got {self.reconnect!r}")
        if not (self.proxy is None or isinstance(self.proxy, (bool, str))):
            raise TypeError(f"proxy must be True, None or a proxy URL, got {self.proxy!r}")
        FlowLimits(self.max_backlog, self.max_backlog_bytes)  # raises, naming the option

    @property
    def flow_limits(self) -> FlowLimits:
        """When reading pauses because consumers fell behind."""
        return FlowLimits(self.max_backlog, self.max_backlog_bytes)

    @classmethod
    def from_kwargs(cls, kwargs: dict[str, Any]) -> Options:
        """Build options from keyword arguments, naming any that is unknown.

        Raises:
            TypeError: an unknown keyword or a value of the wrong type.
            ValueError: a value out of range.
        """
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(f"unknown option {unknown[0]!r}; known options: {', '.join(sorted(known))}")
        return cls(**kwargs)

    def changed(self, changes: dict[str, Any]) -> Options:
        """Return these options with ``changes`` applied, checked as :meth:`from_kwargs` does.

        Raises:
            TypeError: an unknown keyword or a value of the wrong type.
            ValueError: a value out of range.
        """
        Options.from_kwargs(changes)  # names an unknown option, checks each value
        return dataclasses.replace(self, **changes)

    @property
    def reconnect_policy(self) -> ReconnectPolicy | None:
        """The reconnect policy in force, or None."""
        if self.reconnect is True:
            return ReconnectPolicy()
        return self.reconnect or None

    @property
    def verified(self) -> bool:
        """Whether server certificates are checked."""
        return self.verify is not False

    def ssl_context(self) -> ssl.SSLContext:
        """Build the TLS context these options describe."""
        if isinstance(self.verify, ssl.SSLContext):
            return self.verify
        context = ssl.create_default_context(cafile=os.fspath(self.ca) if self.ca else None)
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.client_cert:
            cert, key = self.client_cert if isinstance(self.client_cert, tuple) else (self.client_cert, None)
            context.load_cert_chain(cert, key)
        return context

    def connect_kwargs(self, secure: bool) -> dict[str, Any]:
        """Keyword arguments for ``websockets.asyncio.client.connect``."""
        kwargs: dict[str, Any] = {
            "ping_interval": self.ping_interval,
            "ping_timeout": self.ping_timeout,
            "open_timeout": self.open_timeout,
            "close_timeout": self.close_timeout,
            "max_size": self.max_size,
            "compression": self.compression,
            "proxy": self.proxy,
        }
        if self.origin is not None:
            kwargs["origin"] = self.origin
        if self.user_agent is not _UNSET:
            kwargs["user_agent_header"] = self.user_agent
        if secure:
            kwargs["ssl"] = self.ssl_context()
        return kwargs
