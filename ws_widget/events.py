"""The event thread: runs user callbacks and Timer handlers one at a time, in arrival order.

Callbacks never run on the I/O loop, so a slow or failing one cannot stall keepalive or
recording. Each runs in the ``contextvars`` context captured where the user called
``Connect`` or ``Start``, so its ``print()`` lands in that notebook cell; printed text is also
copied to the owner's Debug Output.

In a plain script (not IPython, not a kernel) the interpreter stays alive while a connection
or timer is active, as a Q-SYS script does, and exits once everything has ended, or at once
when the script dies of an uncaught exception. (``sys.exit()`` still waits: close the sockets
and stop the timers first, or use ``os._exit``.)
"""

from __future__ import annotations

import contextvars
import os
import queue
import sys
import threading
import traceback
from collections.abc import Callable

from .debuglog import DebugLog

_current_debug: contextvars.ContextVar[DebugLog | None] = contextvars.ContextVar(
    "ws_widget_debug", default=None
)
_queue: queue.SimpleQueue = queue.SimpleQueue()
_thread: threading.Thread | None = None
_thread_lock = threading.Lock()


class Backlog:
    """Counts callbacks queued for one owner: ``pending`` is how many have not run yet."""

    __slots__ = ("submitted", "done")

    def __init__(self):
        self.submitted = 0  # written by the submitting (I/O) thread only
        self.done = 0  # written by the event thread only

    @property
    def pending(self) -> int:
        """Callbacks queued but not yet finished."""
        return self.submitted - self.done


def submit(context: contextvars.Context, fn: Callable, args: tuple, backlog: Backlog, debug: DebugLog) -> None:
    """Queue ``fn(*args)`` to run on the event thread inside ``context``."""
    backlog.submitted += 1
    _queue.put((context, fn, args, backlog, debug))
    _ensure_thread()


def call(fn: Callable, *args) -> None:
    """Queue an internal ``fn(*args)`` on the event thread, after everything queued so far."""
    _queue.put((None, fn, args, None, None))
    _ensure_thread()


def in_event_thread() -> bool:
    """Tell whether the caller is a callback running on the event thread."""
    return threading.current_thread() is _thread


_thread_pid = 0  # the process that started _thread: after a fork it must be started again


def _ensure_thread() -> None:
    global _thread, _thread_pid
    if _thread_pid == os.getpid():  # the per-message path: no lock, no is_alive()
        return
    with _thread_lock:
        if _thread_pid != os.getpid():
            _thread = threading.Thread(target=_serve, name="ws_widget-events", daemon=True)
            _thread.start()
            _thread_pid = os.getpid()


def _serve() -> None:
    while True:
        context, fn, args, backlog, debug = _queue.get()
        if context is None:
            fn(*args)
            continue
        _install_output_tee()
        try:
            context.run(_run_callback, fn, args, debug)
        except RuntimeError:  # the context is entered elsewhere: run in a copy of it
            context.copy().run(_run_callback, fn, args, debug)
        finally:
            backlog.done += 1


def _run_callback(fn: Callable, args: tuple, debug: DebugLog) -> None:
    token = _current_debug.set(debug)
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001 - a user's error must kill nothing
        report_exception(exc, skip_frames=1)
    finally:
        if debug.printed:  # flushing a kernel's stream waits for IOPub: only when needed
            debug.printed = False
            sys.stdout.flush()
            sys.stderr.flush()
        _current_debug.reset(token)
        debug.flush()


def report_exception(exc: BaseException, skip_frames: int = 0) -> None:
    """Print a callback's traceback to stderr (and so to the cell and Debug Output)."""
    tb = exc.__traceback__
    for _ in range(skip_frames):
        tb = tb.tb_next if tb is not None and tb.tb_next is not None else tb
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - stderr itself is broken: keep the line in Debug Output
        debug = _current_debug.get()
        if debug is not None:
            debug.log(text)


class _TeeStream:
    """Wraps ``sys.stdout``/``sys.stderr``: text printed by a callback also goes to its
    owner's Debug Output. Text from any other code passes through untouched."""

    def __init__(self, stream):
        self._ws_widget_stream = stream

    def write(self, text):
        debug = _current_debug.get()
        if debug is not None:
            debug.printed = True
            debug.write(text)
        return self._ws_widget_stream.write(text)

    def __getattr__(self, name):
        return getattr(self._ws_widget_stream, name)


def _install_output_tee() -> None:
    if sys.stdout.__class__ is _TeeStream and sys.stderr.__class__ is _TeeStream:
        return
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _TeeStream):
            setattr(sys, name, _TeeStream(stream))


# Keeping a plain script alive while connections and timers are active.

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
    if _interactive():
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

    def __init__(self, previous):
        self.previous = previous

    def __call__(self, *exc_info):
        global _active
        self.previous(*exc_info)
        with _active_changed:
            _active = 0
            _active_changed.notify_all()


def _keep_alive() -> None:
    with _active_changed:
        _active_changed.wait_for(lambda: _active <= 0)
