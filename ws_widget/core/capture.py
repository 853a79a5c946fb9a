"""Output capture: what a callback prints is also copied to its owner's Debug Output.

The copy is made by a small tee over ``sys.stdout`` and ``sys.stderr`` that is in place only
while callbacks run: an event thread calls :func:`begin` when it takes up work and :func:`end`
once it has found no more for ``lanes.RESTORE_AFTER`` (50 ms; not around every turn, which
would cost a busy stream about a tenth of its callback rate), and when no event thread holds
it the original streams are put back; a stream replaced while callbacks run (pytest's
capture, a cell's ``%%capture``) gets a tee at the next turn (:func:`ensure`). Code that
never used ws_widget, and any code run once callbacks have paused, sees the process's own
streams. Text written on other threads while callbacks run passes through the tee untouched
(only an event thread running a callback has an owner, in :data:`current_debug`).

The tee never clobbers a stream someone else installed meanwhile (``contextlib.redirect_stdout``,
a logging wrapper, IPython's ``capture_output``): :func:`end` puts back the wrapped stream only
while the tee is still ``sys.stdout`` (or ``sys.stderr``) itself. A tee left under another
wrapper stays harmless: it copies nothing unless a callback writes through it, and a callback's
text is copied once however many tees it passes (the first clears the owner for the rest).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from ..pure.debuglog import DebugLog

current_debug: contextvars.ContextVar[DebugLog | None] = contextvars.ContextVar(
    "ws_widget_debug", default=None
)
"""The Debug Output of the callback running in this context (set by the event threads)."""

CALLBACK_OUTPUTS = ("connecting_cell", "running_cell", "debug_output")
"""Where a callback's printed text goes besides its owner's Debug Output: the output of the cell
that connected (the default: the callback runs in that cell's context), of the cell running now
(or the last one run), or nowhere else."""

_default_output = "connecting_cell"
_STREAMS = ("stdout", "stderr")
_lock = threading.Lock()
_running = 0  # lane turns running now, on any event thread
KEPT_TEES = 64  # tees kept alive after their removal (see _tee_for)


class _TeeStream:
    """Wraps ``sys.stdout``/``sys.stderr``: text a callback writes also goes to its owner's
    Debug Output. Text from any other code passes through untouched."""

    def __init__(self, stream: TextIO) -> None:
        self._ws_widget_stream = stream

    def write(self, text: str) -> int:
        debug = current_debug.get()
        if debug is None:
            return self._ws_widget_stream.write(text)
        debug.printed = True
        debug.write(text)
        mode = debug.callback_output or _default_output
        if mode == "debug_output":
            return len(text)
        token = current_debug.set(None)  # a tee further down (under a wrapper) copies nothing
        try:
            if mode == "running_cell":
                return _write_to_running_cell(self._ws_widget_stream, text)
            return self._ws_widget_stream.write(text)
        finally:
            current_debug.reset(token)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws_widget_stream, name)


_tees: dict[int, _TeeStream] = {}  # id of the wrapped stream -> its tee, least recently installed first


def check_callback_output(mode: object) -> str:
    """Return ``mode`` if it is one of :data:`CALLBACK_OUTPUTS`.

    Raises:
        ValueError: any other value; the message lists the choices.
    """
    if not isinstance(mode, str) or mode not in CALLBACK_OUTPUTS:
        choices = ", ".join(map(repr, CALLBACK_OUTPUTS))
        raise ValueError(f"callback_output must be one of {choices}, got {mode!r}")
    return mode


def default_callback_output() -> str:
    """Where callbacks' printed text goes for sockets that do not choose (``ws_widget.callback_output``)."""
    return _default_output


def set_default_callback_output(mode: str) -> None:
    """Choose where callbacks' printed text goes for sockets that do not choose.

    Raises:
        ValueError: ``mode`` is not one of :data:`CALLBACK_OUTPUTS`.
    """
    global _default_output
    _default_output = check_callback_output(mode)


@contextlib.contextmanager
def running_request(target: object) -> Iterator[None]:
    """Within this block, have ``target`` (an ipykernel stream or display publisher) send under
    the kernel's newest request rather than the caller's own (a callback's is its connecting
    cell's). ipykernel keeps that request's header in ``_parent_header_global`` (what threads
    without a context of their own send under). Only a cell's request counts: after a widget's
    message (a click), whose output no front end shows, the caller's own stays; for a target
    that is not ipykernel's the block changes nothing.
    """
    current = getattr(target, "_parent_header_global", None)
    set_parent = getattr(target, "set_thread_parent", None)
    reset_parent = getattr(target, "reset_thread_parent", None)
    if not isinstance(current, dict) or current.get("msg_type") != "execute_request":
        yield  # no cell ran yet, or the newest request is a widget's message (its output shows nowhere)
        return
    if set_parent is None or reset_parent is None:
        yield
        return
    token = set_parent(current)
    try:
        yield
    finally:
        reset_parent(token)


def _write_to_running_cell(stream: TextIO, text: str) -> int:
    with running_request(stream):
        return stream.write(text)


def begin() -> None:
    """Note that an event thread takes up work: make sure ``sys.stdout`` and ``sys.stderr``
    carry the tee until the matching :func:`end`."""
    global _running
    with _lock:
        _running += 1
        _wrap()


def ensure() -> None:
    """Make sure ``sys.stdout`` and ``sys.stderr`` carry the tee (called at every lane turn).

    A stream replaced since :func:`begin` (and not by a tee) gets a tee of its own; a missing
    stream (``None``, as under ``pythonw``) is left alone.
    """
    if sys.stdout.__class__ is _TeeStream and sys.stderr.__class__ is _TeeStream:
        return
    with _lock:
        if _running:
            _wrap()


def _wrap() -> None:
    stdout, stderr = sys.stdout, sys.stderr
    if stdout is not None and stdout.__class__ is not _TeeStream:
        sys.stdout = _tee_for(stdout)
    if stderr is not None and stderr.__class__ is not _TeeStream:
        sys.stderr = _tee_for(stderr)


def _tee_for(stream: TextIO) -> _TeeStream:
    """The tee over ``stream``: one per stream, reused, and kept alive after it is removed.

    CPython 3.11's ``print()`` holds ``sys.stdout`` as a borrowed reference while it calls
    ``write`` (which may let other threads run): a tee freed by :func:`end` on an event thread
    meanwhile was used after its memory was freed, and the kernel crashed. The newest
    ``KEPT_TEES`` tees stay referenced here, so none is freed while a ``print`` may hold it.
    """
    key = id(stream)  # the tee keeps its stream alive, so the id is not reused while kept
    tee = _tees.pop(key, None)
    if tee is None:
        tee = _TeeStream(stream)
    _tees[key] = tee  # the newest last
    if len(_tees) > KEPT_TEES:
        del _tees[next(iter(_tees))]  # the least recently installed: removed long ago
    return tee


def end() -> None:
    """Note that an event thread has no more callbacks to run; after the last one, put the
    original streams back.

    Only a tee that is still ``sys.stdout``/``sys.stderr`` is removed: a stream that another
    library installed over it meanwhile stays where it is.
    """
    global _running
    with _lock:
        _running -= 1
        if not _running:
            _remove_tees()


def _remove_tees() -> None:
    for name in _STREAMS:
        stream = getattr(sys, name)
        restored = stream
        while restored.__class__ is _TeeStream:
            restored = restored._ws_widget_stream
        if restored is not stream:
            setattr(sys, name, restored)


def _forget_turns() -> None:
    """In a forked child no turn runs (its threads were not copied): restore the streams."""
    global _lock, _running
    _lock = threading.Lock()  # a parent's event thread may have held it at the fork
    _running = 0
    _remove_tees()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_forget_turns)
