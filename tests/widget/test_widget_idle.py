"""The widget's flusher: 20 Hz while things change, a slow idle tick when nothing does."""

from __future__ import annotations

import time

from ws_widget import WebSocket
from ws_widget.faces.widget import FLUSH_INTERVAL, IDLE_INTERVAL


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_idle_widget_slows_down_and_wakes_on_a_command_or_a_record():
    """An idle widget ticks at IDLE_INTERVAL; a command or a new record brings back 20 Hz."""
    ws = WebSocket.New()
    widget = ws.widget
    try:
        wait_for(lambda: widget._next_interval == IDLE_INTERVAL)
        widget.clear()  # a Python twin, as a button's message calls it
        wait_for(lambda: widget._next_interval == FLUSH_INTERVAL)
        wait_for(lambda: widget._next_interval == IDLE_INTERVAL)
        record = ws.history.add("in", "text", "after a quiet spell", 18)
        wait_for(lambda: widget._sent_seq == record.seq)  # picked up by the idle tick
        assert widget._next_interval == FLUSH_INTERVAL
    finally:
        widget.close()


def test_widget_send_is_ipywidgets_own():
    """The Send button's twin is send_composed; send keeps ipywidgets' meaning."""
    import ipywidgets

    widget = WebSocket.New().widget
    try:
        assert type(widget).send is ipywidgets.Widget.send
        assert not hasattr(widget, "send_message")
    finally:
        widget.close()
