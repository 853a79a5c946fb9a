"""Where a callback's print() goes, in a real ipykernel: ``ws_widget.callback_output`` and a
socket's own ``callback_output`` choose the connecting cell, the running cell or only the
Debug Output."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.kernel


def _connect(kernel, port: int, name: str, mode: str | None) -> object:
    """Run the connecting cell: a socket whose Data callback prints and flags what it got."""
    return kernel.run(
        f"""
        import threading, ws_widget
        from ws_widget import WebSocket
        got_{name} = threading.Event()
        {name} = WebSocket.New()
        {name}.callback_output = {mode!r}
        def on_data(ws, data):
            print("callback says", data)
            got_{name}.set()
        {name}.Data = on_data
        {name}.Connect("ws", "127.0.0.1", "/echo", {port})
        {name}.wait_open(10)
        print("connected")
        """
    )


def _write_and_wait(kernel, name: str, payload: str) -> object:
    """Run a later cell that writes and waits until the callback has run."""
    return kernel.run(
        f"""
        got_{name}.clear()
        {name}.Write({payload!r})
        assert got_{name}.wait(10)
        print("written")
        """
    )


def test_default_is_the_connecting_cell(kernel, server):
    """By default a later message's print() appears under the cell that connected."""
    assert (
        kernel.run("import ws_widget; print(ws_widget.callback_output)").stdout.strip() == "connecting_cell"
    )
    connecting = _connect(kernel, server.port, "ws_a", None)
    running = _write_and_wait(kernel, "ws_a", "to-the-connecting-cell")
    connecting.wait_for("callback says to-the-connecting-cell")
    assert "to-the-connecting-cell" not in running.stdout
    kernel.run("ws_a.Close(); ws_a.wait_closed(5)")


def test_running_cell(kernel, server):
    """With "running_cell" the print() appears under the cell running when the message came."""
    connecting = _connect(kernel, server.port, "ws_b", "running_cell")
    running = _write_and_wait(kernel, "ws_b", "to-the-running-cell")
    running.wait_for("callback says to-the-running-cell")
    kernel.pump_for(0.5)
    assert "to-the-running-cell" not in connecting.stdout
    kernel.run("ws_b.Close(); ws_b.wait_closed(5)")


def test_debug_output_only(kernel, server):
    """With "debug_output" the print() reaches no cell, only the socket's Debug Output."""
    connecting = _connect(kernel, server.port, "ws_c", "debug_output")
    running = _write_and_wait(kernel, "ws_c", "to-the-debug-output")
    check = kernel.run(
        "print(any('callback says to-the-debug-output' in line for line in ws_c.debug_output))"
    )
    assert check.stdout.strip() == "True"
    kernel.pump_for(0.5)
    assert "to-the-debug-output" not in connecting.stdout + running.stdout
    kernel.run("ws_c.Close(); ws_c.wait_closed(5)")


def test_global_choice_and_socket_override(kernel, server):
    """The global choice applies to sockets that set none; a socket's own choice wins over it."""
    kernel.run("ws_widget.callback_output = 'running_cell'")
    try:
        follows = _connect(kernel, server.port, "ws_d", None)
        own = _connect(kernel, server.port, "ws_e", "connecting_cell")
        running_d = _write_and_wait(kernel, "ws_d", "global-running")
        running_d.wait_for("callback says global-running")
        _write_and_wait(kernel, "ws_e", "own-connecting")
        own.wait_for("callback says own-connecting")
        kernel.pump_for(0.5)
        assert "global-running" not in follows.stdout
    finally:
        kernel.run("ws_widget.callback_output = 'connecting_cell'; ws_d.Close(); ws_e.Close()")


def test_bad_choice_says_what_to_do(kernel):
    """An unknown choice is refused with a message listing the choices, globally and per socket."""
    cell = kernel.run(
        """
        for target in (ws_widget, WebSocket.New()):
            try:
                target.callback_output = "cell"
            except ValueError as exc:
                print(exc)
        print(ws_widget.callback_output)
        """
    )
    lines = cell.stdout.strip().splitlines()
    assert (
        lines[:2]
        == ["callback_output must be one of 'connecting_cell', 'running_cell', 'debug_output', got 'cell'"]
        * 2
    )
    assert lines[2] == "connecting_cell"


def test_running_cell_after_a_widget_click_is_the_connecting_cell(kernel, server):
    """With "running_cell", a print after a view's Send (a widget message, not a cell) goes to the connecting cell."""
    connecting = _connect(kernel, server.port, "ws_f", "running_cell")
    kernel.run("ws_f")  # the widget, so that a view's message can reach it
    comm = kernel.widget_comms()[-1]
    kernel.send_to_widget(comm, {"type": "send", "text": "from-the-view", "mode": "text"})
    connecting.wait_for("callback says from-the-view")
    kernel.run("ws_f.Close(); ws_f.wait_closed(5)")
