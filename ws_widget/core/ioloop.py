"""The I/O loop: the event loop the core runs on, and how any thread hands it work.

On CPython it is ws_widget's own daemon thread (:mod:`.threadloop`); under Pyodide the kernel's
own loop (:mod:`.browserloop`). :mod:`.runtime` chooses once, at import; callers use these
names either way.
"""

from __future__ import annotations

from .runtime import loop as _loop

get_loop = _loop.get_loop
"""Return the loop the core runs on (starting its thread on first use, with threads)."""
call_soon = _loop.call_soon
"""Run ``callback(*args)`` on the loop soon, in call order, from any thread."""
submit = _loop.submit
"""Run a coroutine on the loop; return a ``concurrent.futures.Future``."""
in_io_thread = _loop.in_io_thread
"""Tell whether the caller runs on the loop's thread."""
on_shutdown = _loop.on_shutdown
"""Register a coroutine function run on the loop at interpreter exit (e.g. close sockets)."""
shutdown = _loop.shutdown
"""Run the shutdown hooks, then stop the loop; safe to call twice."""
