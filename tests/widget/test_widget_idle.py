"""The widget's flusher: 20 Hz while things change, a slow idle poll when nothing does, and a
wake-up by the next message so that nothing waits for the poll."""

from __future__ import annotations

import time

import pytest

import ws_widget.faces.widget as widget_module
from ws_widget import WebSocket
from ws_widget.faces.widget import FLUSH_INTERVAL, IDLE_INTERVAL

AN_HOUR = 3600.0  # an idle poll that never comes within a test


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


@pytest.fixture
def no_idle_poll(monkeypatch):
    """The idle poll once an hour: whatever reaches the view while idle came by a wake-up."""
    monkeypatch.setattr(widget_module, "IDLE_INTERVAL", AN_HOUR)


def batches_of(widget) -> list[tuple[int, list[int]]]:
    """Record each batch the widget sends from now on: (its tick, the seqs of its records)."""
    batches: list[tuple[int, list[int]]] = []
    send = widget.send

    def recording_send(content, buffers=None):
        if content.get("type") == "batch":
            batches.append((widget._ticks, [row[0] for row in content["records"]]))
        return send(content, buffers)

    widget.send = recording_send
    return batches


def test_idle_widget_slows_down_and_wakes_on_a_command_or_a_record():
    """An idle widget polls at IDLE_INTERVAL; a command brings 20 Hz back; the poll finds a record."""
    ws = WebSocket.New()
    widget = ws.widget
    try:
        wait_for(lambda: widget._next_interval == IDLE_INTERVAL)
        widget.clear()  # a Python twin, as a button's message calls it
        wait_for(lambda: widget._next_interval == FLUSH_INTERVAL)
        wait_for(lambda: widget._next_interval == IDLE_INTERVAL)
        record = ws.history.add("in", "text", "after a quiet spell", 18)
        wait_for(lambda: widget._sent_seq == record.seq)  # picked up by the idle poll
        assert widget._next_interval == FLUSH_INTERVAL
    finally:
        widget.close()


def test_a_message_after_a_quiet_spell_goes_out_in_the_next_batch(server, no_idle_poll):
    """A message pushed to an idle widget goes out in the next batch, at the next tick, with no poll."""
    ws = WebSocket.New()
    ws.connect(server.url("/echo"))
    widget = ws.widget
    try:
        for round_ in range(3):  # and again after each return to idle: the wake-up is asked for anew
            wait_for(lambda: widget._next_interval == AN_HOUR, 30)
            assert ws._core.message_waiters == 1
            ticks, batches = widget._ticks, batches_of(widget)
            ws.send(f"after quiet spell {round_}")  # sending from code wakes nothing; the echo does
            echo = ws.wait_message(ws.history.last_seq, 10)
            wait_for(lambda batches=batches, seq=echo.seq: bool(batches) and seq in batches[0][1])
            assert batches[0][0] == ticks + 1  # the tick the message woke
            assert widget._next_interval == FLUSH_INTERVAL
            del widget.send  # ipywidgets' own again
    finally:
        widget.close()
        ws.close()


def test_busy_and_idle_spells_keep_one_wake_up_and_end_idle(server, no_idle_poll):
    """Idle and busy spells in turn never hold more than one wake-up, and the widget ends idle."""
    ws = WebSocket.New()
    ws.connect(server.url("/echo"))
    widget = ws.widget
    try:
        for _ in range(4):
            wait_for(lambda: widget._next_interval == AN_HOUR, 30)
            assert ws._core.message_waiters == 1
            widget.clear()  # busy again, the wake-up still pending
            wait_for(lambda: widget._next_interval == FLUSH_INTERVAL)
            assert ws._core.message_waiters == 1
        ws.send("one message")
        ws.receive(timeout=10)
        wait_for(lambda: widget._next_interval == AN_HOUR, 30)
        assert ws._core.message_waiters == 1
    finally:
        widget.close()
        ws.close()


def test_a_socket_that_cannot_receive_leaves_the_widget_asleep(server, no_idle_poll):
    """Never connected or closed, a socket's idle widget asks for no wake-up and does not tick."""
    never = WebSocket.New()
    closed = WebSocket.New()
    closed.connect(server.url("/echo"))
    closed.close()
    widgets = [never.widget, closed.widget]
    try:
        for ws, widget in zip((never, closed), widgets, strict=True):
            wait_for(lambda widget=widget: widget._next_interval == AN_HOUR, 30)
            ticks = widget._ticks
            time.sleep(0.5)  # ten 20 Hz ticks, had it woken itself
            assert widget._ticks == ticks
            assert ws._core.message_waiters == 0
    finally:
        for widget in widgets:
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
