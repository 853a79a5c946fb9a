"""The I/O loop with threads: one daemon thread per process running the asyncio loop that owns
every ``websockets`` connection. Any thread may hand it work; nothing else touches connections.
(Reached through :mod:`.ioloop`, which :mod:`.runtime` points here on CPython.)"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import os
import threading
from collections.abc import Callable, Coroutine
from typing import Any

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None
_shutdown_hooks: list[Callable[[], Coroutine]] = []


def get_loop() -> asyncio.AbstractEventLoop:
    """Return the I/O loop, starting its thread on first use."""
    global _loop, _thread
    loop = _loop
    if loop is not None:
        return loop
    with _lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            ready = threading.Event()
            thread = threading.Thread(target=_run, args=(loop, ready), name="ws_widget-io", daemon=True)
            thread.start()
            ready.wait()
            _loop, _thread = loop, thread
        return _loop


class _DaemonThreadExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs each call (DNS look-ups) on a new daemon thread.

    The standard pool refuses work once a script's main thread has ended, which is exactly
    when a Q-SYS-style script still connects from its callbacks.
    """

    def submit(self, fn, /, *args, **kwargs):
        future: concurrent.futures.Future = concurrent.futures.Future()

        def run():
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                    future.set_exception(exc)

        threading.Thread(target=run, name="ws_widget-resolve", daemon=True).start()
        return future


def _run(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
    asyncio.set_event_loop(loop)
    loop.set_default_executor(_DaemonThreadExecutor(max_workers=1))
    loop.call_soon(ready.set)
    try:
        loop.run_forever()
    finally:
        loop.close()


def in_io_thread() -> bool:
    """Tell whether the caller runs on the I/O loop's thread."""
    return _thread is not None and threading.current_thread() is _thread


def submit(coro: Coroutine) -> concurrent.futures.Future:
    """Run a coroutine on the I/O loop; return a future any thread may wait on."""
    return asyncio.run_coroutine_threadsafe(coro, get_loop())


def call_soon(callback: Callable[..., object], *args: Any) -> None:
    """Run ``callback(*args)`` on the I/O loop soon, in call order."""
    loop = get_loop()
    if in_io_thread():
        loop.call_soon(callback, *args)
    else:
        loop.call_soon_threadsafe(callback, *args)


def on_shutdown(hook: Callable[[], Coroutine]) -> None:
    """Register a coroutine function run on the loop at interpreter exit (e.g. close sockets)."""
    _shutdown_hooks.append(hook)


def shutdown(timeout: float = 2.0) -> None:
    """Run the shutdown hooks, then stop the loop and join its thread; safe to call twice."""
    global _loop, _thread
    with _lock:
        loop, thread, _loop, _thread = _loop, _thread, None, None
    if loop is None or thread is None or not thread.is_alive():
        return

    async def finish():
        hooks = [hook() for hook in _shutdown_hooks]
        if hooks:
            await asyncio.wait([asyncio.ensure_future(h) for h in hooks], timeout=timeout)

    try:
        asyncio.run_coroutine_threadsafe(finish(), loop).result(timeout + 0.5)
    except (concurrent.futures.TimeoutError, RuntimeError):
        pass
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout)


def _after_fork_in_child() -> None:
    global _loop, _thread
    _loop, _thread = None, None  # the thread did not survive the fork: start afresh if needed


atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
