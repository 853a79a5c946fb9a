"""Script lifetime: keep a plain (non-interactive) script alive while connections or timers
are active, as a Q-SYS script is.

Who holds: the seed API (``WebSocket.Connect``, ``Timer.Start``, ``Timer.CallAfter``), whose
Q-SYS scripts end only when nothing is active. The Pythonic ``connect()`` does not: a script
using it ends when its code does, as with any Python socket (its open connections are closed
with 1001 at exit by the I/O loop's shutdown hook).

Each active connection or started timer calls :func:`hold` and later :func:`release`. While
anything is held, a non-daemon keeper thread keeps the interpreter from exiting when the
script's main thread ends; once everything has ended the keeper ends and the script exits.
An uncaught exception in the script ends it at once (the excepthook wrapper releases every
hold). ``sys.exit()`` still waits: close the sockets and stop the timers first, or use
``os._exit``. In IPython, a kernel or ``python -i`` nothing is held.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

from . import runtime

_active = 0
_active_changed = threading.Condition()
_keeper: threading.Thread | None = None


def _interactive() -> bool:
    if hasattr(sys, "ps1") or sys.flags.interactive:
        return True
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def hold() -> bool:
    """Keep a non-interactive interpreter alive until :func:`release`; return whether held."""
    global _active, _keeper
    if not runtime.THREADS or _interactive():
        return False
    with _active_changed:
        _active += 1
        if not isinstance(sys.excepthook, _ReleaseOnCrash):
            sys.excepthook = _ReleaseOnCrash(sys.excepthook)
        if _keeper is None or not _keeper.is_alive():
            _keeper = threading.Thread(target=_keep_alive, name="ws_widget-keepalive")
            _keeper.start()
    return True


def release() -> None:
    """Undo one :func:`hold`."""
    global _active
    with _active_changed:
        _active -= 1
        _active_changed.notify_all()


class _ReleaseOnCrash:
    """An uncaught exception in the script ends it, as it would without connections."""

    def __init__(self, previous: Callable[..., object]) -> None:
        self.previous = previous

    def __call__(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        global _active
        self.previous(kind, value, tb)
        with _active_changed:
            _active = 0
            _active_changed.notify_all()


def _keep_alive() -> None:
    with _active_changed:
        _active_changed.wait_for(lambda: _active <= 0)
