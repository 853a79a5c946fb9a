"""What a transport cannot do, said plainly: the checks that refuse it before anything is tried,
and the lines the widget shows in place of a button or tab that cannot work.

A transport declares its :class:`~ws_widget.pure.status.Capabilities`; the browser's WebSocket
(under Pyodide) has none of them: the page's WebSocket API sends no handshake headers but the
subprotocols, no pings, shows no frames and no handshake, leaves TLS to the browser and lets a
page close only with 1000 or 3000-4999. Each check raises :class:`BrowserLimitError` with what
is possible instead, never a silent no-op.
"""

from __future__ import annotations

from ..exceptions import BrowserLimitError
from .options import Options
from .status import Capabilities
from .target import Target

BROWSER = Capabilities(
    custom_headers=False, ping=False, frames=False, handshake=False, tls_options=False, close_codes=False
)
"""What the browser's WebSocket can do: none of the optional capabilities."""

WHERE = "in the browser"

NO_PING = (
    f"pings are not available {WHERE}: the WebSocket API of a web page sends no ping and shows "
    "no pong (the browser answers the server's pings itself)"
)
NO_FRAMES = (
    f"frames are not visible {WHERE}: the WebSocket API of a web page hands over whole messages only, "
    "so there is no frame log; the Messages tab has every message"
)
NO_HANDSHAKE = (
    f"the opening handshake is not visible {WHERE}: the browser makes the HTTP upgrade itself and "
    "shows the page only the chosen subprotocol (the browser's developer tools show the request)"
)
NO_TLS = (
    "the browser decides TLS: it verifies wss:// certificates against its own trust "
    "store; to trust a device's own certificate, open https://host:port once in the browser and accept it"
)

# Options whose effect the browser decides: (name, what to say); the default passes, and None
# where it only turns the feature off.
_KEEPALIVE = (
    "a web page sends no pings (the browser keeps the connection alive itself); leave it out or pass None"
)
_BROWSER_DECIDES = (
    ("verify", NO_TLS),
    ("ca", NO_TLS),
    ("client_cert", NO_TLS),
    ("ping_interval", _KEEPALIVE),
    ("ping_timeout", _KEEPALIVE),
    ("origin", "the Origin header is the page's own"),
    ("user_agent", "the User-Agent header is the browser's own"),
    ("proxy", "the browser chooses the proxy"),
    ("compression", "the browser negotiates compression itself"),
    ("max_size", "the browser decides the largest message"),
)
_OFF_IS_FINE = ("ping_interval", "ping_timeout", "proxy")
_DEFAULTS = Options()


def check_connect(target: Target, options: Options, capabilities: Capabilities) -> None:
    """Refuse, before connecting, what the transport cannot honour.

    Raises:
        BrowserLimitError: custom headers, TLS options, frame log, keepalive or another option
            the browser decides; the message says what is possible.
    """
    if target.headers and not capabilities.custom_headers:
        names = ", ".join(sorted({name for name, _ in target.headers}))
        raise BrowserLimitError(
            f"custom handshake headers ({names}) cannot be sent {WHERE}: the WebSocket API of a web "
            "page sends none; what it can send: subprotocols (sub_protocol=...), and the URL itself, "
            "so a token can travel in the query string (?token=...) or as a subprotocol if the server "
            "accepts that"
        )
    if options.frame_log and not capabilities.frames:
        raise BrowserLimitError(f"frame_log=True is not possible: {NO_FRAMES}")
    if capabilities.tls_options and capabilities.ping:
        return
    for name, text in _BROWSER_DECIDES:
        value = getattr(options, name)
        if value is getattr(_DEFAULTS, name) or value == getattr(_DEFAULTS, name):
            continue
        if value is None and name in _OFF_IS_FINE:
            continue
        raise BrowserLimitError(f"{name}={value!r} is not possible {WHERE}: {text}")


def check_ping(capabilities: Capabilities) -> None:
    """Refuse a ping the transport cannot send.

    Raises:
        BrowserLimitError: no pings here.
    """
    if not capabilities.ping:
        raise BrowserLimitError(NO_PING)


def check_fragments(fragments: int, capabilities: Capabilities) -> None:
    """Refuse a message in several frames where frames are not the caller's to choose.

    Raises:
        BrowserLimitError: fragments > 1 without the frames capability.
    """
    if fragments > 1 and not capabilities.frames:
        raise BrowserLimitError(f"fragments={fragments} is not possible: {NO_FRAMES}; send the whole message")


def check_frame_log(on: bool, capabilities: Capabilities) -> None:
    """Refuse to turn on a frame log the transport cannot fill.

    Raises:
        BrowserLimitError: no frames here.
    """
    if on and not capabilities.frames:
        raise BrowserLimitError(NO_FRAMES)


def check_close_code(code: int, capabilities: Capabilities) -> None:
    """Refuse a close code the transport may not send.

    Raises:
        BrowserLimitError: the browser closes only with 1000 or 3000-4999.
    """
    if not capabilities.close_codes and code != 1000 and not 3000 <= code <= 4999:
        raise BrowserLimitError(
            f"close code {code} cannot be sent {WHERE}: a web page may close only with 1000 (normal) "
            "or a code from 3000-4999"
        )


def limits_text(capabilities: Capabilities) -> dict[str, str]:
    """What the widget shows instead of what cannot work: ``{"ping": ..., "frames": ...,
    "handshake": ...}`` for each missing capability (empty on a normal kernel)."""
    texts = {"ping": NO_PING, "frames": NO_FRAMES, "handshake": NO_HANDSHAKE}
    return {name: text for name, text in texts.items() if not getattr(capabilities, name)}


def blocking_hint(call: str) -> str:
    """The line of a :class:`~ws_widget.exceptions.BlockingUnavailableError` for ``call``
    (a method name of :class:`~ws_widget.WebSocket`): what to await instead."""
    twins = {
        "connect": "ws = ws_widget.connect(url, wait=False), then await ws.aio.wait_open()",
        "wait_open": "await ws.aio.wait_open()",
        "__enter__": "async with ws: ... (or await ws.aio.wait_open())",
        "receive": "await ws.aio.receive()",
        "expect": "await ws.aio.expect(pattern)",
        "wait_for": "await ws.aio.wait_for(count)",
        "__iter__": "async for message in ws: ...",
        "ping": "await ws.aio.ping()",
        "close": "await ws.aio.close()",
        "wait_closed": "await ws.aio.wait_closed()",
        "wait_message": "await ws.aio.receive()",
    }
    twin = twins.get(call, "the await ws.aio twin of this call")
    name = call.strip("_") if call.startswith("__") else f"{call}()"
    return (
        f"{name} cannot block here: this kernel runs in the browser (Pyodide), where code can wait "
        "only with await unless the browser has JavaScript Promise Integration (JSPI) and the call "
        f"came from code that was awaited; use {twin}"
    )
