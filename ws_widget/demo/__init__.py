"""A demo device server on loopback, so that notebooks need no network and no device.

    from ws_widget import demo
    server = demo.start()                  # background thread, free port; start() again reuses it
    server.url_for("/echo")                # 'ws://127.0.0.1:PORT/echo'

Or in a terminal: ``python -m ws_widget.demo [--port N] [--tls]``.

Endpoints:

- ``/echo``: sends back every message, text or binary;
- ``/telemetry?rate=10&count=&seed=``: JSON readings of simulated sensors (temperature, humidity,
  voltage, a counter, timestamps) at ``rate`` per second;
- ``/close?code=4000&reason=bye``: closes with that code and reason;
- ``/qrc`` and ``/qrc-public-api/v0``: a Q-SYS QRC-like JSON-RPC 2.0 simulator, one JSON object per
  text frame, with ``EngineStatus`` on connect, controls, components, change groups and AutoPoll.

A bad query closes with 1008 and a reason saying what was wrong. ``tls=True`` serves ``wss://``
with a certificate made at start, to practise ``verify=False`` and ``ca=server.ca_file``.

This package imports only the standard library and ``websockets``, and none of the client: it stands
in for a remote device (docs/design.md). ``tls=True`` also needs ``cryptography``, the ``demo`` extra
(``pip install 'ws-widget[demo]'``); without it ``start(tls=True)`` raises an ImportError saying so.
"""

from .design import Design
from .qrc import QrcError, QrcSession
from .server import DemoServer, start, stop_all
from .telemetry import Sensors, TelemetryQuery

__all__ = ["DemoServer", "Design", "QrcError", "QrcSession", "Sensors", "TelemetryQuery", "start", "stop_all"]
