"""ws_widget: a WebSocket client for notebooks, with the Q-SYS WebSocket and Timer API.

    from ws_widget import WebSocket, Timer, connect

The package is layered: ``exceptions`` <- ``pure`` (logic: no threads, loops or sockets) <-
``core`` (the I/O core) <- ``faces`` (what users touch); ``demo`` is a separate local server.
docs/design.md draws the layers and says what each module holds; the layer rule is checked by
import-linter (``make check``) and by tests/test_layers.py. The public API is ``__all__``, and
``dir(ws_widget)`` (what Tab completion shows) lists only it, the dunders and the two documented
subpackages, ``qsys`` and ``demo`` (imported on first use); the layers' subpackages still
import as usual (``from ws_widget.pure.handshake import accept_steps``).
"""

import sys
import types

from websockets.protocol import State

from .core import capture as _capture
from .exceptions import (
    BlockingUnavailableError,
    BrowserLimitError,
    ConnectFailedError,
    HistoryFormatError,
    InsecureConnectionWarning,
    NotConnectedError,
    WaitTimeoutError,
    WsWidgetError,
)
from .faces.replay import ReplayServer, replay
from .faces.timer import Timer
from .faces.websocket import WebSocket, connect
from .pure.budget import history_budget
from .pure.cassette import Cassette
from .pure.cassette import load as load_cassette
from .pure.har import from_har, to_har
from .pure.history import History, Record
from .pure.options import ReconnectPolicy
from .pure.status import Status

__all__ = [
    "BlockingUnavailableError",
    "BrowserLimitError",
    "Cassette",
    "ConnectFailedError",
    "History",
    "HistoryFormatError",
    "InsecureConnectionWarning",
    "NotConnectedError",
    "ReconnectPolicy",
    "Record",
    "ReplayServer",
    "State",
    "Status",
    "Timer",
    "WaitTimeoutError",
    "WebSocket",
    "WsWidgetError",
    "callback_output",
    "connect",
    "from_har",
    "history_budget",
    "load_cassette",
    "replay",
    "to_har",
]
__version__ = "0.1.0"

_SUBPACKAGES = ("demo", "qsys")  # documented entry points: ws_widget.qsys.run, python -m ws_widget.demo


def __getattr__(name: str) -> object:
    """Import a documented subpackage on first use (``ws_widget.qsys.run(...)``).

    Raises:
        AttributeError: no such public name.
    """
    if name == "qsys":  # (not ``from . import``: its fromlist check would call this again)
        import ws_widget.qsys as qsys

        return qsys
    if name == "demo":
        import ws_widget.demo as demo

        return demo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """The package's module type: ``ws_widget.callback_output`` is checked when set."""

    @property
    def callback_output(self) -> str:
        """Where callbacks' printed text goes: ``"connecting_cell"`` (the default),
        ``"running_cell"`` or ``"debug_output"``; a socket's ``callback_output`` overrides it.

        Raises:
            ValueError: on setting another value; the message lists the choices.
        """
        return _capture.default_callback_output()

    @callback_output.setter
    def callback_output(self, mode: str) -> None:
        _capture.set_default_callback_output(mode)


sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    """The public API only: ``__all__``, the documented subpackages and the dunders."""
    dunders = (name for name in globals() if name.startswith("__") and name.endswith("__"))
    return sorted({*__all__, *_SUBPACKAGES, *dunders})


def load_ipython_extension(ipython):
    """Register the ``%ws`` magics and ``%%qsys`` with IPython; ``%load_ext ws_widget`` calls this."""
    from .faces.magics import register  # IPython is imported only when the extension is loaded
    from .qsys.magic import register as register_qsys  # Lua (lupa) is loaded when a cell runs

    register(ipython)
    register_qsys(ipython)


def unload_ipython_extension(ipython):
    """Remove the magics again (``%unload_ext ws_widget``); open connections stay open."""
    from .faces.magics import unregister
    from .qsys.magic import unregister as unregister_qsys

    unregister(ipython)
    unregister_qsys(ipython)
