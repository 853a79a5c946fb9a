"""ws_widget: a WebSocket client for notebooks, with the Q-SYS WebSocket and Timer API.

    from ws_widget import WebSocket, Timer, connect
"""

from websockets.protocol import State

from .exceptions import ConnectFailedError, NotConnectedError, WaitTimeoutError, WsWidgetError
from .history import History, Record
from .timer import Timer
from .websocket import WebSocket, connect

__all__ = [
    "ConnectFailedError",
    "History",
    "NotConnectedError",
    "Record",
    "State",
    "Timer",
    "WaitTimeoutError",
    "WebSocket",
    "WsWidgetError",
    "connect",
]
__version__ = "0.1.0"
