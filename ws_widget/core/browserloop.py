"""The loop under Pyodide: the kernel's own event loop (no threads), and the cell a callback's
output goes to. The same functions as :mod:`.threadloop`, so :mod:`.runtime` can pick either.

Pyodide has one thread: the core, the callbacks and the widget's flusher all run on the
kernel's loop (Pyodide's ``WebLoop``, driven by the browser's event loop), between cells and
while a cell awaits. A callback's ``print()`` lands in the cell that connected: JupyterLite's
Pyodide kernel sends stream output with the parent header of the request it is serving (the
last cell run), so :func:`capture_context` remembers the connecting cell's header in the
callbacks' context, and a thin wrapper over ``sys.stdout``/``sys.stderr`` puts it in place for
the length of each write made there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import sys
from collections.abc import Callable, Coroutine
from typing import Any

_loop: asyncio.AbstractEventLoop | None = None
_cell: contextvars.ContextVar[object] = contextvars.ContextVar("ws_widget_cell", default=None)


def get_loop() -> asyncio.AbstractEventLoop:
    """Return the kernel's event loop (the one cells run on)."""
    global _loop
    if _loop is None:
        try:
            _loop = asyncio.get_running_loop()
        except RuntimeError:
            _loop = asyncio.get_event_loop()  # Pyodide sets its WebLoop as the current loop
    return _loop


def in_io_thread() -> bool:
    """Always true: there is one thread, and the core's loop runs on it."""
    return True


def submit(coro: Coroutine) -> concurrent.futures.Future:
    """Run a coroutine on the loop; return a future for its result (never wait on it: await
    ``asyncio.wrap_future`` instead)."""
    future: concurrent.futures.Future = concurrent.futures.Future()
    task = get_loop().create_task(coro)

    def done(task: asyncio.Task) -> None:
        if task.cancelled():
            future.cancel()
        elif task.exception() is not None:
            future.set_exception(task.exception())
        else:
            future.set_result(task.result())

    task.add_done_callback(done)
    return future


def call_soon(callback: Callable[..., object], *args: Any) -> None:
    """Run ``callback(*args)`` on the loop soon, in call order."""
    get_loop().call_soon(callback, *args)


def on_shutdown(hook: Callable[[], Coroutine]) -> None:
    """Nothing to do: a browser tab closes its WebSockets itself when it goes."""


def shutdown(timeout: float = 2.0) -> None:
    """Nothing to stop: the loop is the kernel's."""


def capture_context() -> contextvars.Context:
    """A copy of the caller's context in which callbacks run, remembering the cell to print in."""
    context = contextvars.copy_context()
    kernel = _kernel()
    if kernel is not None:
        context.run(_cell.set, getattr(kernel, "_parent_header", None))
        _route_streams()
    return context


def _kernel() -> object | None:
    module = sys.modules.get("pyodide_kernel")
    return None if module is None else getattr(module, "kernel_instance", None)


class _CellStream:
    """Over the kernel's stream: a write from a callback goes to the cell that connected."""

    def __init__(self, stream: Any) -> None:
        self._ws_widget_stream = stream

    def write(self, text: str) -> int:
        header = _cell.get()
        kernel = _kernel()
        if header is None or kernel is None:
            return self._ws_widget_stream.write(text)
        previous = getattr(kernel, "_parent_header", None)
        kernel._parent_header = header  # type: ignore[attr-defined]
        try:
            return self._ws_widget_stream.write(text)
        finally:
            kernel._parent_header = previous  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws_widget_stream, name)


def _route_streams() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not _routed(stream):
            setattr(sys, name, _CellStream(stream))


def _routed(stream: Any) -> bool:
    while stream is not None:
        if stream.__class__ is _CellStream:
            return True
        stream = getattr(stream, "__dict__", {}).get("_ws_widget_stream")
    return False
