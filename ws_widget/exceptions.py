"""Exceptions raised by ws_widget.

Bad arguments raise the built-in :class:`ValueError` or :class:`TypeError` with a message
that names the argument and what is accepted. Everything else derives from
:class:`WsWidgetError`::

    WsWidgetError
    ├── NotConnectedError (also ConnectionError)  the socket is not open: nothing was sent
    ├── ConnectFailedError (also ConnectionError) an attempt to open the connection failed
    ├── WaitTimeoutError (also TimeoutError)      a blocking or async wait ran out of time
    ├── HistoryFormatError (also ValueError)       a history, HAR or cassette file cannot be read
    ├── SavedMessagesError (also ValueError)       the widget's saved-messages file is damaged
    ├── LuaUnavailableError (also ImportError)     ws_widget.qsys without the lua extra (lupa)
    ├── BrowserLimitError (also ValueError)        the browser's WebSocket cannot do that
    ├── BlockingUnavailableError (also RuntimeError) a blocking call where a cell cannot block
    └── ScriptError                                a Q-SYS Lua script could not start

    InsecureConnectionWarning (a UserWarning)      a wss connection with verify=False

Network failures are also reported through the ``Error`` callback as one human line; the
underlying exception stays on ``ws.last_error``.
"""

from __future__ import annotations


class WsWidgetError(Exception):
    """Base class of every exception ws_widget raises on its own account."""


class NotConnectedError(WsWidgetError, ConnectionError):
    """The socket is closed or was never connected, so nothing was sent or received."""


class ConnectFailedError(WsWidgetError, ConnectionError):
    """The connection attempt failed; ``str()`` explains why and what to try."""


class WaitTimeoutError(WsWidgetError, TimeoutError):
    """A wait ran out of time; ``str()`` shows what was awaited and what was last seen."""


class InsecureConnectionWarning(UserWarning):
    """A ``wss`` connection does not verify the server's certificate (``verify=False``)."""


class HistoryFormatError(WsWidgetError, ValueError):
    """A history JSONL, HAR or cassette file cannot be read; ``str()`` names the file, the line
    or entry, what is wrong and what to do.

    Attributes:
        path: the file.
        line: the line number, when the file is read line by line, else None.
    """

    def __init__(self, message: str, path: str = "", line: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line


class SavedMessagesError(WsWidgetError, ValueError):
    """The saved-messages file (``saved_messages.json``) cannot be read or written; ``str()``
    names the file, what is wrong and what to do."""


class LuaUnavailableError(WsWidgetError, ImportError):
    """Q-SYS Lua scripts need the ``lua`` extra (``pip install "ws-widget[lua]"``), which is
    missing; ``str()`` says how to install it."""


class ScriptError(WsWidgetError):
    """A Q-SYS Lua script could not start (a syntax error, an error in its main chunk, a file
    that cannot be read); ``str()`` is the Debug Output text, with the chunk name and line."""


class BrowserLimitError(WsWidgetError, ValueError):
    """The browser's WebSocket cannot do what was asked (custom handshake headers, pings,
    frames, TLS options, some close codes); ``str()`` says what is possible instead."""


class BlockingUnavailableError(WsWidgetError, RuntimeError):
    """A blocking call (``receive()``, ``connect()`` that waits, ``ping()``, ...) where the
    code cannot block: under Pyodide without JavaScript Promise Integration, or in a callback
    there. ``str()`` names the ``await ws.aio...`` twin to use instead."""
