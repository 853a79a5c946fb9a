"""ws_widget: a WebSocket client for notebooks, with the Q-SYS WebSocket and Timer API.

    from ws_widget import WebSocket, Timer, connect

Modules, in the order imports flow (each imports only those above it):

- pure logic: ``exceptions``, ``fileformat`` (checking files read back), ``redact`` (masking
  secrets), ``target`` (checking Connect's arguments), ``options`` (keyword options, TLS),
  ``messages`` (payloads, close codes), ``callbacks`` (the seed's callback attributes),
  ``explain`` (one human line per failure), ``history`` (records, pandas/JSONL/Parquet),
  ``debuglog`` (Q-SYS Debug Output lines), ``browse`` (history pages for the widget),
  ``matching`` (what ``expect`` matches), ``har`` (Chrome's HAR layout), ``cassette``
  (recorded connections);
- the I/O core: ``ioloop`` (the one background event loop), ``events`` (the threads that run
  user callbacks, a lane per socket), ``framelog`` (the frame log), ``connection``
  (websockets' client connection as ws_widget changes it), ``core`` (connection attempts on
  the I/O loop);
- the faces: ``websocket`` (seed and Pythonic API), ``timer``, ``widget`` (anywidget front
  end), ``replay`` (cassettes played by a local server), ``magics`` (``%load_ext ws_widget``);
  ``demo`` is a separate local server for notebooks and tests.
"""

from websockets.protocol import State

from .exceptions import (
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
from .pure.cassette import Cassette
from .pure.cassette import load as load_cassette
from .pure.har import from_har, to_har
from .pure.history import History, Record
from .pure.options import ReconnectPolicy

__all__ = [
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
    "Timer",
    "WaitTimeoutError",
    "WebSocket",
    "WsWidgetError",
    "connect",
    "from_har",
    "load_cassette",
    "replay",
    "to_har",
]
__version__ = "0.1.0"


def load_ipython_extension(ipython):
    """Register the ``%ws`` magics with IPython; ``%load_ext ws_widget`` calls this."""
    from .faces.magics import register  # IPython is imported only when the extension is loaded

    register(ipython)


def unload_ipython_extension(ipython):
    """Remove the magics again (``%unload_ext ws_widget``); open connections stay open."""
    from .faces.magics import unregister

    unregister(ipython)
