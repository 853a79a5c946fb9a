"""The runtime seam: where the core runs, how work reaches it, where callbacks run and what
carries the bytes; chosen once, at import, from the platform.

- **threads** (CPython: a kernel, a script): the core on ws_widget's own I/O thread
  (:mod:`.threadloop`), callbacks on event threads (:mod:`.lanes`), websockets' asyncio client
  (:mod:`.websockets_transport`); blocking calls wait on the loop's futures.
- **browser** (Pyodide, ``sys.platform == "emscripten"``: no threads, no sockets): the core,
  the callbacks (one lane turn at a time) and the widget's flusher on the kernel's own loop
  (:mod:`.browserloop`), the browser's WebSocket (:mod:`.browser_transport`); a blocking call
  waits with ``pyodide.ffi.run_sync`` where the browser allows it (JSPI, and the call stack
  entered from an awaiting cell), else raises :class:`~ws_widget.BlockingUnavailableError`
  naming its ``await ws.aio...`` twin.

``loop`` is the chosen loop module, reached through :mod:`.ioloop` (``ioloop.call_soon`` and
friends work in both runtimes). Everything above (core, history, faces, widget) calls these
names and never asks which runtime it is on, except through :data:`THREADS` and
:func:`can_block`.
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Awaitable
from typing import TypeVar

from ..exceptions import BlockingUnavailableError
from ..pure.limits import blocking_hint
from . import lanes
from .transport import TransportFactory

T = TypeVar("T")

BROWSER = sys.platform == "emscripten"
THREADS = not BROWSER
"""Whether threads run ws_widget's loop and callbacks (False: everything on the kernel's loop)."""

if BROWSER:
    from . import browserloop as loop

    capture_context = loop.capture_context
    lanes.serve_on_loop(loop.call_soon)
else:
    from . import threadloop as loop  # type: ignore[no-redef]

    capture_context = contextvars.copy_context
"""A copy of the caller's context for callbacks to run in (under Pyodide it also remembers the
cell to print in)."""


def default_transport() -> TransportFactory:
    """The transport connections use here: websockets' client, or the browser's WebSocket;
    a registered cassette's address gets the in-process replay (:mod:`.replay_transport`)."""
    from .replay_transport import routing

    if BROWSER:
        from .browser_transport import BrowserTransport

        return routing(BrowserTransport)
    from .websockets_transport import WebsocketsTransport

    return routing(WebsocketsTransport)


def can_block() -> bool:
    """Whether the caller may block until something happens on the core's loop."""
    if THREADS:
        return True
    try:
        from pyodide.ffi import can_run_sync
    except ImportError:
        return False
    return bool(can_run_sync())


def run_sync(awaitable: Awaitable[T], call: str) -> T:
    """Under Pyodide, block on ``awaitable`` while the loop keeps running (JSPI).

    Raises:
        BlockingUnavailableError: this call stack cannot block; the message names the twin
            of ``call`` (a :class:`~ws_widget.WebSocket` method name) to await instead.
    """
    if not can_block():
        close = getattr(awaitable, "close", None)
        if close is not None:
            close()  # an unawaited coroutine would warn
        raise BlockingUnavailableError(blocking_hint(call))
    from pyodide.ffi import run_sync as pyodide_run_sync

    return pyodide_run_sync(awaitable)
