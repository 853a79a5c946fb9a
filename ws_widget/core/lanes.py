"""Callback lanes: run user callbacks and Timer handlers, each owner's in arrival order.

Every socket and timer has a :class:`Lane`: its callbacks run one at a time, in the order they
arrived. Lanes take turns on one event thread, up to ``BATCH`` callbacks a turn, so callbacks
of different owners do not overlap either, unless one runs longer than ``SLOW_CALLBACK``
seconds: then a spare thread serves the other lanes meanwhile, so a callback that blocks
stalls only its own owner's backlog. Callbacks never run on the I/O loop, so a slow or
failing one cannot stall keepalive or recording. Each runs in the ``contextvars`` context
captured where the user called ``Connect`` or ``Start``, so its ``print()`` lands in that
notebook cell; while event threads have callbacks to run, printed text is also copied to the
owner's Debug Output (:mod:`.capture`). The per-message path is :func:`submit`: a lock-free
append while a worker holds the lane.

Without threads (the browser runtime, see ``runtime.py``) :func:`serve_on_loop` makes the lanes
take their turns on the core's event loop instead: the same turns, one drain of the ready
lanes per loop iteration, so a callback never runs inside the message path that queued it. A
callback that blocks there (Pyodide's ``run_sync``, where JSPI allows it) lets the loop run on,
and the next drain serves the other lanes meanwhile, as a spare thread does on a server.
"""

from __future__ import annotations

import collections
import contextvars
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from ..pure.debuglog import DebugLog
from . import capture
from .capture import current_debug as _current_debug

SLOW_CALLBACK = 0.1  # seconds in one callback after which other owners' callbacks move on
BATCH = 64  # callbacks run from one lane before the next lane gets its turn
MAX_WORKERS = 32
IDLE_EXIT = 10.0  # seconds an extra worker waits for work before it ends
RESTORE_AFTER = 0.05  # seconds a worker waits for more work before it removes the output tee

# A queued call: (context, fn, args, debug, size); a None context marks an internal call;
# size is the payload bytes the call holds (a Data callback's message), for flow control.
_Item = tuple[contextvars.Context | None, Callable[..., object], tuple[Any, ...], DebugLog, int]
_INTERNAL = DebugLog(1)  # the Debug Output of internal calls: unused, they run without capture


class Lane:
    """One owner's queue of callbacks (a socket's or a timer's): they run one at a time, in
    the order they were submitted. ``pending`` counts those not finished yet, ``pending_bytes``
    the payload bytes they hold.

    Flow control (see :meth:`notify_below`): once set, ``on_below`` is called once, on the
    worker's thread, when the backlog is back at or below ``below``/``below_bytes``.
    """

    __slots__ = (
        "_items",
        "_lock",
        "_scheduled",
        "below",
        "below_bytes",
        "bytes_done",
        "bytes_submitted",
        "done",
        "on_below",
        "submitted",
    )

    def __init__(self) -> None:
        self._items: collections.deque[_Item] = collections.deque()
        self._lock = threading.Lock()
        self._scheduled = False  # on the ready queue or being run by a worker
        self.submitted = 0  # written by submitting threads (the I/O loop)
        self.done = 0  # written by the worker that holds the lane
        self.bytes_submitted = 0
        self.bytes_done = 0
        self.on_below: Callable[[], None] | None = None
        self.below = self.below_bytes = 0

    @property
    def pending(self) -> int:
        """Callbacks queued but not yet finished."""
        return self.submitted - self.done

    @property
    def pending_bytes(self) -> int:
        """Payload bytes held by the callbacks queued but not yet finished."""
        return self.bytes_submitted - self.bytes_done

    def notify_below(self, count: int, nbytes: int, callback: Callable[[], None] | None) -> None:
        """Call ``callback()`` once when at most ``count`` callbacks holding at most ``nbytes``
        are pending (at once if that is so now); None cancels."""
        self.below, self.below_bytes, self.on_below = count, nbytes, callback
        if callback is not None:
            _check_below(self)


def _check_below(lane: Lane) -> None:
    callback = lane.on_below
    if (
        callback is not None
        and lane.submitted - lane.done <= lane.below
        and lane.bytes_submitted - lane.bytes_done <= lane.below_bytes
    ):
        lane.on_below = None
        callback()


class _Worker:
    __slots__ = ("busy_since",)

    def __init__(self) -> None:
        self.busy_since = 0.0  # monotonic start of the running callback, 0 when idle


_ready: queue.SimpleQueue[Lane] = queue.SimpleQueue()  # lanes with work, in turn order
_workers: list[_Worker] = []
_workers_lock = threading.Lock()
_activity = threading.Event()  # set while the supervisor watches for stuck workers
_local = threading.local()
_started = False  # reset in a forked child, whose workers must be started again
_on_loop: Callable[[Callable[[], None]], None] | None = None  # set by serve_on_loop: no threads
_drain_asked = False


def _forget_workers() -> None:
    global _started, _workers_lock
    _started = False
    _workers_lock = threading.Lock()  # a parent's thread may have held it at the fork


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_forget_workers)


def submit(
    lane: Lane,
    context: contextvars.Context | None,
    fn: Callable[..., object],
    args: tuple[Any, ...],
    debug: DebugLog,
    size: int = 0,
) -> None:
    """Queue ``fn(*args)`` to run on an event thread inside ``context``, after the callbacks
    already queued on ``lane``; a ``None`` context marks an internal call (no output capture);
    ``size`` counts the payload bytes the call holds in ``pending_bytes``.
    Called on the I/O loop only: one thread writes ``submitted``."""
    lane.submitted += 1
    if size:
        lane.bytes_submitted += size
    lane._items.append((context, fn, args, debug, size))
    if lane._scheduled:  # the per-message path: a worker holds the lane and will see the item
        return
    _schedule(lane)


def _schedule(lane: Lane) -> None:
    """Put ``lane`` on the ready queue unless it is there already. (A worker that gives a lane
    up checks its items once more afterwards, so an item appended while the flag was being
    cleared is never stranded.)"""
    with lane._lock:
        if lane._scheduled:
            return
        lane._scheduled = True
    _ready.put(lane)
    if not _started:
        _start_workers()
    if not _activity.is_set():
        _activity.set()


def call(lane: Lane, fn: Callable[..., object], *args: Any) -> None:
    """Queue an internal ``fn(*args)`` on ``lane``, after its callbacks queued so far."""
    submit(lane, None, fn, args, _INTERNAL)


def in_event_thread() -> bool:
    """Tell whether the caller is a callback running on an event thread."""
    return getattr(_local, "worker", None) is not None


def serve_on_loop(call_soon: Callable[[Callable[[], None]], None]) -> None:
    """Run the lanes' turns on an event loop, through ``call_soon``, instead of on event threads
    (for a runtime without threads; call it once, before any callback is queued)."""
    global _on_loop
    _on_loop = call_soon


def _ask_drain() -> None:
    global _drain_asked
    if not _drain_asked and _on_loop is not None:
        _drain_asked = True
        _on_loop(_drain)


def _drain() -> None:
    """On the loop: give each lane ready now one turn (a turn has up to BATCH callbacks), then
    let the loop run other work before the next drain."""
    global _drain_asked
    _drain_asked = False
    worker, outer = _Worker(), getattr(_local, "worker", None)  # outer: a drain whose callback
    _local.worker = worker  # blocks (pyodide's run_sync) while the loop runs this one
    capture.begin()
    try:
        for _ in range(_ready.qsize()):
            try:
                lane = _ready.get_nowait()
            except queue.Empty:
                break
            _run_lane(lane, worker)
    finally:
        capture.end()
        _local.worker = outer
    if not _ready.empty():
        _ask_drain()


def _start_workers() -> None:
    global _started
    if _on_loop is not None:  # no threads: _started stays False, so every schedule asks a drain
        _ask_drain()
        return
    with _workers_lock:
        if _started:
            return
        _workers.clear()
        _started = True
        _spawn(primary=True)
        threading.Thread(target=_supervise, name="ws_widget-events-supervisor", daemon=True).start()


def _spawn(primary: bool) -> None:
    worker = _Worker()
    _workers.append(worker)
    name = "ws_widget-events" if primary else f"ws_widget-events-{len(_workers)}"
    threading.Thread(target=_serve, args=(worker, primary), name=name, daemon=True).start()


def _supervise() -> None:
    """Start another worker while a lane waits and every worker is stuck in a slow callback,
    so a blocking callback stalls only its own owner's queue. Polls twice per SLOW_CALLBACK
    while callbacks are about, and sleeps once they have been quiet for a second (so a steady
    trickle of messages costs 20 wake-ups a second, not one per message)."""
    while True:
        _activity.wait()
        quiet_since = time.monotonic()
        while True:
            time.sleep(SLOW_CALLBACK / 2)
            now = time.monotonic()
            with _workers_lock:
                waiting = not _ready.empty()
                stuck = all(w.busy_since and now - w.busy_since > SLOW_CALLBACK for w in _workers)
                if waiting and stuck and len(_workers) < MAX_WORKERS:
                    _spawn(primary=False)
                busy = waiting or any(w.busy_since for w in _workers)
            if busy:
                quiet_since = now
            elif now - quiet_since > 1.0:
                _activity.clear()
                if _ready.empty():  # a lane put before the clear is seen here; one put after
                    break  # it finds the event clear and sets it again


def _serve(worker: _Worker, primary: bool) -> None:
    """Run lanes' turns as they come. While this worker has work it holds the output tee
    (:func:`.capture.begin`); it lets go once it has waited ``RESTORE_AFTER`` for more."""
    _local.worker = worker
    capturing = False
    try:
        while True:
            try:
                lane = _ready.get(timeout=RESTORE_AFTER if capturing else None if primary else IDLE_EXIT)
            except queue.Empty:
                if capturing:
                    capturing = False
                    capture.end()
                    continue
                with _workers_lock:
                    if _ready.empty():
                        _workers.remove(worker)
                        return
                continue
            if capturing:
                capture.ensure()  # a stream replaced meanwhile (pytest, %%capture) gets a tee
            else:
                capturing = True
                capture.begin()
            _run_lane(lane, worker)
    finally:
        if capturing:
            capture.end()


def _run_lane(lane: Lane, worker: _Worker) -> None:
    """Run up to BATCH callbacks of ``lane``, then give it back to the end of the queue."""
    items = lane._items
    budget = BATCH
    while budget > 0:
        try:
            context, fn, args, debug, size = items.popleft()
        except IndexError:
            with lane._lock:
                lane._scheduled = False
            if not items or not _reclaim(lane):  # an item may have come while clearing the flag
                return
            continue
        if context is None:
            budget -= 1
            _run_internal(lane, worker, fn, args)
            continue
        try:
            budget -= context.run(_run_callbacks, lane, worker, context, fn, args, debug, size, budget)
        except RuntimeError as exc:
            if "already entered" not in str(exc):  # not from entering: never run a callback twice
                report_exception(exc)
                budget -= 1
                continue
            # the context is entered elsewhere (a waiting cell's thread): run in a copy of it
            budget -= context.copy().run(_run_callbacks, lane, worker, context, fn, args, debug, size, 1)
    _ready.put(lane)


def _reclaim(lane: Lane) -> bool:
    with lane._lock:
        if lane._scheduled:  # submit() scheduled it again: another turn will run the item
            return False
        lane._scheduled = True
        return True


def _run_internal(lane: Lane, worker: _Worker, fn: Callable[..., object], args: tuple[Any, ...]) -> None:
    worker.busy_since = time.monotonic()
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001 - an internal call failed: keep serving
        report_exception(exc)
    finally:
        worker.busy_since = 0.0
        lane.done += 1
        if lane.on_below is not None:
            _check_below(lane)


def _run_callbacks(
    lane: Lane,
    worker: _Worker,
    context: contextvars.Context,
    fn: Callable[..., object],
    args: tuple[Any, ...],
    debug: DebugLog,
    size: int,
    budget: int,
) -> int:
    """Run ``fn(*args)``, then the lane's next callbacks while they share this context and
    Debug Output (entering a context once per run of them); return how many ran."""
    items = lane._items
    token = _current_debug.set(debug)
    ran = 0
    try:
        while True:
            worker.busy_since = time.monotonic()
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - a user's error must kill nothing
                report_exception(exc, skip_frames=1)
            finally:
                worker.busy_since = 0.0
                lane.done += 1
                if size:
                    lane.bytes_done += size
                if lane.on_below is not None:
                    _check_below(lane)
                if debug.printed:  # flushing a kernel's stream waits for IOPub: only when needed
                    debug.printed = False
                    sys.stdout.flush()
                    sys.stderr.flush()
                debug.flush()
            ran += 1
            if ran >= budget:
                return ran
            try:
                following = items[0]
            except IndexError:
                return ran
            if following[0] is not context or following[3] is not debug:
                return ran
            items.popleft()
            _, fn, args, _, size = following
    finally:
        _current_debug.reset(token)


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
