"""IPython magics: ``%load_ext ws_widget`` registers ``%ws``, ``%ws_send``, ``%%ws_send``,
``%ws_close`` and ``%ws_demo``.

    %load_ext ws_widget
    %ws_demo
    %ws ws://127.0.0.1:PORT/echo --name dev
    %ws_send --json {"method": "NoOp", "id": 1}
    %ws_close --code 4000 --reason bye

Bad input raises :class:`~IPython.core.error.UsageError`, which IPython shows as one line.
Header values are sent but never printed, not even in error messages.
"""

from __future__ import annotations

import argparse
import itertools
import keyword
import math
import re
import shlex
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display
from websockets.protocol import State

from ..core import runtime
from ..exceptions import WsWidgetError
from ..pure.closecodes import close_code_name
from ..pure.messages import parse_composed
from ..pure.redact import MASK, mask_subprotocols
from .websocket import WebSocket, connect

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

DEFAULT_NAME = "ws"
DEMO_NAME = "demo_server"
_KEEP_DEFAULT = object()  # --ping-interval not given: the library's default applies
_MODE_FLAGS = {"--json": "json", "--hex": "hex", "--base64": "base64"}
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_JSON_WHITESPACE = re.compile(r'("(?:\\.|[^"\\])*")|[ \t\r\n]+')


def _seconds_or_off(text: str) -> float | None:
    """An argparse type: a positive number of seconds, or ``off``/``none`` for None."""
    if text.lower() in ("off", "none"):
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not (seconds > 0 and math.isfinite(seconds)):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds or 'off', got {text!r}")
    return seconds


@magics_class
class WebSocketMagics(Magics):
    """The ``%ws`` magics; they remember the last socket ``%ws`` opened as the default target."""

    def __init__(self, shell: InteractiveShell | None = None) -> None:
        super().__init__(shell)
        self._opened: dict[str, WebSocket] = {}  # the socket %ws last bound to each name
        self._last: tuple[str, WebSocket] | None = None

    @property
    def _namespace(self) -> dict[str, Any]:
        """The user's namespace, where ``%ws`` binds names and looks sockets up."""
        assert self.shell is not None  # register() gives the magics their shell
        return self.shell.user_ns

    @magic_arguments()
    @argument("url", help="the ws:// or wss:// URL to connect to")
    @argument("--name", default=DEFAULT_NAME, help="the variable to bind the socket to (default: ws)")
    @argument(
        "--subprotocol",
        action="append",
        default=[],
        metavar="NAME",
        help="offer this subprotocol; repeat to offer several",
    )
    @argument(
        "-H",
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="an extra handshake header, quoted; repeatable; its value is never printed",
    )
    @argument("--insecure", action="store_true", help="wss: do not check the certificate (verify=False)")
    @argument("--ca", metavar="FILE", help="wss: trust the certificate authorities in this PEM file")
    @argument(
        "--ping-interval",
        type=_seconds_or_off,
        default=_KEEP_DEFAULT,
        metavar="SECONDS",
        help="seconds between keepalive pings, or 'off' (default 20)",
    )
    @argument("--no-display", action="store_true", help="do not show the widget")
    @line_magic
    def ws(self, line: str) -> None:
        """Open a WebSocket in the background, bind it to a name and show its widget.

        The cell does not wait for the connection: messages sent meanwhile are queued, and a
        failure is printed in this cell. Running ``%ws`` again with the same name closes the
        connection it opened before. ``$variable`` and ``{expression}`` are expanded, so a
        token can stay out of the notebook.

        Example::

            %ws ws://127.0.0.1:8765/echo --name dev --header "Authorization: Bearer $token"
        """
        argv = _split(line, "%ws")
        try:
            _check_header_quoting(argv)
            self._open(argv)
        except UsageError as exc:
            raise UsageError(_mask_header_words(str(exc), argv)) from None

    def _open(self, argv: list[str]) -> None:
        """Connect as ``argv`` says, close what this name held before, bind, report and show."""
        args = _parse(self.ws, argv, "%ws")
        name = _check_name(args.name)
        headers = _parse_headers(args.header)
        options: dict[str, Any] = {"verify": False} if args.insecure else {}
        if args.ca:
            options["ca"] = args.ca
        if args.ping_interval is not _KEEP_DEFAULT:
            options["ping_interval"] = args.ping_interval
        try:
            ws = connect(
                args.url,
                sub_protocol=args.subprotocol or None,
                headers=headers or None,
                wait=False,
                **options,
            )
        except (ValueError, TypeError) as exc:
            raise UsageError(f"%ws: {exc}") from None
        previous = self._opened.get(name)
        replaced = (
            previous is not None
            and previous.state is not State.CLOSED
            and self._namespace.get(name) is previous
        )
        if previous is not None and replaced:
            previous.Close(1000, "replaced by %ws")
        self._namespace[name] = ws
        self._opened[name] = ws
        self._last = (name, ws)
        print(_connecting_line(name, ws, args, headers, replaced))
        if not args.no_display:
            display(ws)

    @magic_arguments()
    @argument("--name", help="the socket's variable (default: the last socket %%ws opened)")
    @argument(
        "--json",
        dest="mode",
        action="store_const",
        const="json",
        default="text",
        help="check that the message is JSON and send it compact",
    )
    @argument(
        "--hex",
        dest="mode",
        action="store_const",
        const="hex",
        help="send binary written as hex, e.g. 01 02 ff",
    )
    @argument(
        "--base64", dest="mode", action="store_const", const="base64", help="send binary written as base64"
    )
    @argument(
        "text", nargs="*", help="the message: the rest of the line as typed (the cell body for %%%%ws_send)"
    )
    @no_var_expand
    @line_cell_magic
    def ws_send(self, line: str, cell: str | None = None) -> None:
        """Send a text, JSON or binary message; ``%%ws_send`` sends the cell body.

        The message is sent as typed: no ``$variable`` expansion (send Python values with
        ``ws.send(value)``). Put ``--`` before a message that starts with ``--``. Before the
        connection opens, messages are queued.

        Examples::

            %ws_send hello
            %ws_send --json {"jsonrpc": "2.0", "method": "NoOp", "id": 1}
            %ws_send --name dev --hex 01 02 ff

            %%ws_send --json
            {"jsonrpc": "2.0", "method": "StatusGet", "id": 2}
        """
        magic = "%%ws_send" if cell is not None else "%ws_send"
        options, text = _split_send_line(line)
        args = _parse(self.ws_send, options, magic)
        modes = {_MODE_FLAGS[word] for word in options if word in _MODE_FLAGS}
        if len(modes) > 1:
            raise UsageError(f"{magic}: choose one of --json, --hex and --base64")
        if cell is not None:
            if text:
                raise UsageError("%%ws_send: the message goes in the cell body; the line takes options only")
            text = cell[:-1] if cell.endswith("\n") else cell
        if not text:
            raise UsageError(
                f"{magic}: nothing to send; e.g. {magic} hello"
                if cell is None
                else "%%ws_send: the cell body is empty"
            )
        name, ws = self._target(args.name, magic)
        try:
            payload = parse_composed(text, args.mode)
        except ValueError as exc:
            raise UsageError(f"{magic}: {exc}") from None
        if isinstance(payload, str) and args.mode == "json":
            payload = _compact_json(payload)
        try:
            ws.send(payload)
        except WsWidgetError as exc:
            raise UsageError(f"{magic}: {name}: {exc}") from None

    @magic_arguments()
    @argument("--name", help="the socket's variable (default: the last socket %%ws opened)")
    @argument("--code", type=int, default=1000, help="the close code (default 1000)")
    @argument("--reason", default="", help="the close reason, quoted if it has spaces")
    @line_magic
    def ws_close(self, line: str) -> None:
        """Close a socket and wait for the closing handshake (at most its close timeout).

        Example::

            %ws_close --name dev --code 4000 --reason 'going away'
        """
        args = _parse(self.ws_close, _split(line, "%ws_close"), "%ws_close")
        name, ws = self._target(args.name, "%ws_close")
        was_closed = ws.state is State.CLOSED
        try:
            ws.close(args.code, args.reason)
        except (ValueError, TypeError, WsWidgetError) as exc:
            raise UsageError(f"%ws_close: {exc}") from None
        if ws.url is None:
            print(f"{name}: was never connected")
            return
        code, reason = ws.close_code, ws.close_reason
        how = "" if code is None else f" ({code} {close_code_name(code)}{f', {reason!r}' if reason else ''})"
        print(f"{name}: {'already closed' if was_closed else 'closed'}{how}")

    @magic_arguments()
    @argument("--tls", action="store_true", help="serve wss:// with a certificate made now")
    @line_magic
    def ws_demo(self, line: str) -> None:
        """Start the built-in demo server on loopback, bind it to ``demo_server`` and print its URLs.

        Endpoints: ``/echo``, ``/telemetry``, ``/close``, ``/qrc`` and ``/qrc-public-api/v0``.
        Running it again returns the server already running.

        Example::

            %ws_demo --tls
            %ws {demo_server.url_for("/echo")} --ca {demo_server.ca_file}
        """
        args = _parse(self.ws_demo, _split(line, "%ws_demo"), "%ws_demo")
        if not runtime.THREADS:
            raise UsageError(
                "%ws_demo: the demo server cannot run in the browser (a page cannot listen on a port); "
                "start it on a computer with python -m ws_widget.demo and connect to the URL it prints"
            )
        from .. import demo  # the demo server loads only when asked for

        try:
            server = demo.start(tls=args.tls)
        except (OSError, RuntimeError, ImportError) as exc:  # ImportError: --tls without cryptography
            raise UsageError(f"%ws_demo: {exc}") from None
        self._namespace[DEMO_NAME] = server
        lines = [f"{DEMO_NAME}: the demo server at {server.url}"]
        lines += [f"  {path:<20} {url}" for path, url in server.endpoints.items()]
        example = f"%ws {server.url_for('/echo')}"
        if server.tls:
            lines.append(f"  CA certificate: {server.ca_file}")
            example += f" --ca {shlex.quote(str(server.ca_file))}"
        lines.append(f"Try: {example}")
        print("\n".join(lines))

    def _target(self, name: str | None, magic: str) -> tuple[str, WebSocket]:
        """The socket named ``name`` in the user namespace, or the last one ``%ws`` opened."""
        if name is None:
            if self._last is None:
                raise UsageError(f"{magic}: no socket yet: open one with %ws URL, or pass --name NAME")
            return self._last
        value = self._namespace.get(name)
        if isinstance(value, WebSocket):
            return name, value
        known = sorted(
            key
            for key, item in self._namespace.items()
            if isinstance(item, WebSocket) and not key.startswith("_")
        )
        hint = f"the sockets are {', '.join(known)}" if known else f"open one with %ws URL --name {name}"
        raise UsageError(f"{magic}: no WebSocket named {name!r}: {hint}")


def register(shell: InteractiveShell) -> None:
    """Register the magics with ``shell`` (what ``%load_ext ws_widget`` does)."""
    shell.register_magics(WebSocketMagics)


def unregister(shell: InteractiveShell) -> None:
    """Remove the magics from ``shell`` again; open connections stay open."""
    manager = shell.magics_manager
    for kind, names in WebSocketMagics.magics.items():
        for name in names:
            manager.magics[kind].pop(name, None)
    manager.registry.pop(WebSocketMagics.__name__, None)


def _split(line: str, magic: str) -> list[str]:
    """Split a magic's line into words as a shell does (quotes keep spaces)."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise UsageError(f"{magic}: cannot split the line into words: {exc}") from None


def _parse(method: Any, argv: list[str], magic: str) -> argparse.Namespace:
    """Parse ``argv`` with the parser ``magic_arguments`` built for ``method`` (its ``.parser``)."""
    parser = method.parser
    parser.allow_abbrev = False  # whole option names only, as _split_send_line and the masking expect
    try:
        return parser.parse_args(argv)
    except UsageError as exc:
        raise UsageError(f"{magic}: {exc}") from None


def _split_send_line(line: str) -> tuple[list[str], str]:
    """Split a ``%ws_send`` line into its leading ``--options`` and the message, kept as typed."""
    options: list[str] = []
    wants_value = False
    for match in re.finditer(r"\S+", line):
        word = match.group()
        if wants_value:
            options.append(word)
            wants_value = False
        elif word == "--":
            return options, line[match.end() :].strip()
        elif word.startswith("--"):
            options.append(word)
            wants_value = word == "--name"
        else:
            return options, line[match.start() :].strip()
    return options, ""


def _compact_json(text: str) -> str:
    """Drop the whitespace between tokens of valid JSON, keeping numbers and strings as written."""
    return _JSON_WHITESPACE.sub(lambda match: match.group(1) or "", text)


def _check_name(name: str) -> str:
    """Return ``name`` if it can be a variable, else raise UsageError."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"%ws: --name must be a Python identifier such as dev, got {name!r}")
    return name


def _parse_headers(values: list[str]) -> list[tuple[str, str]]:
    """Turn ``--header 'Name: value'`` words into pairs; errors name the header, never its value."""
    pairs: list[tuple[str, str]] = []
    for number, text in enumerate(values, 1):
        name, colon, value = text.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name:
            raise UsageError(f"%ws: --header number {number} must look like 'Name: value', quoted")
        if not value:
            raise UsageError(
                f"%ws: --header {name!r} has no value: quote the whole header, e.g. --header '{name}: ...'"
            )
        if not value.isascii() or not value.isprintable():
            raise UsageError(
                f"%ws: header {name!r} has a value with non-ASCII or control characters, "
                "which an HTTP header cannot carry"
            )
        pairs.append((name, value))
    return pairs


def _check_header_quoting(argv: list[str]) -> None:
    """Catch ``--header Name: value`` written without quotes, before it splits into words."""
    for word, following in itertools.pairwise(argv):
        if _is_header_option(word) and following.endswith(":"):
            hint = f"--header '{following} ...'"
            raise UsageError(f"%ws: quote the whole header, so that it stays one word: {hint}")


def _is_header_option(word: str) -> bool:
    """Whether ``word`` is, or may be meant as, ``--header``: ``-H``, ``--head``, ``--headers=...``."""
    return word.startswith("-") and word.lstrip("-")[:1] in ("h", "H")


def _mask_header_words(text: str, argv: list[str]) -> str:
    """Mask in ``text`` every word that may be a header value: the value of each ``--header``
    argument and, in case it was not quoted, the words after it or after a bare ``Name:``."""
    secrets: list[str] = []
    collecting = False
    for word in argv:
        if word.startswith("-"):
            option, _, word = word.partition("=")
            collecting = _is_header_option(option)
        if not word or "://" in word:
            continue
        name, colon, value = word.partition(":")
        if collecting:
            secrets.append(value.strip() if colon else word)
        if colon and not value.strip() and _HEADER_NAME.fullmatch(name):
            collecting = True
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", MASK, text)
    return text


def _connecting_line(
    name: str, ws: WebSocket, args: argparse.Namespace, headers: list[tuple[str, str]], replaced: bool
) -> str:
    """One line saying which name was bound and where it connects; header names only."""
    details = []
    if args.subprotocol:
        details.append(f"offering {mask_subprotocols(', '.join(args.subprotocol))}")
    if headers:
        details.append(f"headers {', '.join(header for header, _ in headers)}")
    if args.insecure and ws.verified is False:
        details.append("TLS NOT verified")
    if replaced:
        details.append(f"closed the previous {name}")
    return f"{name}: connecting to {ws.url}" + (f" ({'; '.join(details)})" if details else "")
