"""The seed API inside a real ipykernel, driven through jupyter_client.

Callbacks print into the cell that called ``Connect``, also after later cells ran; a blocked
cell does not cost the connection; a failing callback is reported and later ones still run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from kernels import Kernel
from servers import WebsocketsServer

pytestmark = pytest.mark.kernel

VENV_PYTHON = Path(sys.executable)


@pytest.fixture(scope="module")
def echo(server):
    """The port of the session's websockets server (``/echo``)."""
    return server.port


def test_kernel_runs_venv_python(kernel):
    """The kernel runs this venv's python and imports this checkout of ws_widget."""
    cell = kernel.run("import sys, ws_widget; print(sys.executable); print(ws_widget.__file__)")
    executable, module = cell.stdout.split()
    assert os.path.samefile(executable, VENV_PYTHON)
    assert Path(module).resolve() == (Path(__file__).parents[2] / "ws_widget" / "__init__.py").resolve()


def test_seed_example_cell_by_cell(kernel, echo):
    """The guide's seed example (docs/guide/devices.md) prints Connected, Data, pong and closed."""
    connect = kernel.run(
        f"""
        from ws_widget import WebSocket, Timer

        ws = WebSocket.New()
        print(ws)
        ws.Connected = lambda ws: print("Connected")
        ws.Data      = lambda ws, data: print("Data", data)
        ws.Error     = lambda ws, err: print("Error", err)
        ws.Closed    = lambda ws: print("closed", ws.close_code, ws.close_reason)
        ws.Pong      = lambda ws: print("pong")
        ws.Connect("ws", "127.0.0.1", "/echo", {echo}, None, {{"Authorization": "Bearer my-token"}})
        """
    )
    assert connect.stdout.startswith("websocket\n")
    connect.wait_for("Connected")
    kernel.run('ws.Write("Hey!")')
    connect.wait_for("Data Hey!")
    kernel.run(r'ws.Write(b"\x01\x02", True)')
    connect.wait_for(r"Data b'\x01\x02'")
    kernel.run("ws.Ping()")
    connect.wait_for("pong")
    kernel.run("ws.Close()")
    out = connect.wait_for("closed 1000")
    assert out.splitlines() == [
        "websocket",
        "Connected",
        "Data Hey!",
        r"Data b'\x01\x02'",
        "pong",
        "closed 1000 ",
    ]
    assert "Error" not in out
    assert connect.stderr == ""

    state = kernel.run("print(ws.state.name, ws.close_code)")
    assert state.stdout == "CLOSED 1000\n"


def test_callback_print_lands_in_connecting_cell(kernel, echo):
    """print() in a Data callback lands in the cell that called Connect, after later cells ran."""
    connect = kernel.run(
        f"""
        from ws_widget import WebSocket

        ws2 = WebSocket.New()
        ws2.Data = lambda ws, data: print("Data", data)
        ws2.Connect("ws", "127.0.0.1", "/echo", {echo})
        ws2.wait_open(10)
        """
    )
    later = kernel.run("print('a later cell')")
    assert later.stdout == "a later cell\n"
    writer = kernel.run('ws2.Write("first")')
    connect.wait_for("Data first")
    another = kernel.run("x = 1 + 1")
    kernel.run('ws2.Write("second")')
    connect.wait_for("Data second")
    kernel.run("ws2.close()")

    # Nothing the callback printed went to any later cell.
    for cell in (later, writer, another):
        assert "Data" not in cell.stdout
    assert connect.stdout == "Data first\nData second\n"
    stray = [
        (msg_id, out)
        for msg_id, outs in kernel.outputs.items()
        if msg_id != connect.msg_id
        for out in outs
        if "Data first" in out[1] or "Data second" in out[1]
    ]
    assert stray == []


def test_blocked_cell_does_not_cost_connection(kernel):
    """A cell blocked past the server's ping interval plus timeout leaves the connection open."""
    strict = WebsocketsServer(ping_interval=0.2, ping_timeout=0.2)
    try:
        connect = kernel.run(
            f"""
            from ws_widget import WebSocket

            ws3 = WebSocket.New()
            ws3.Data  = lambda ws, data: print("Data", data)
            ws3.Error = lambda ws, err: print("Error", err)
            ws3.Closed = lambda ws: print("closed", ws.close_code)
            ws3.Connect("ws", "127.0.0.1", "/echo", {strict.port}, ping_interval=0.2, ping_timeout=0.2)
            ws3.wait_open(10)
            """
        )
        blocked = kernel.run(
            """
            import time
            before = ws3.history.last_seq
            time.sleep(1.5)
            print(ws3.state.name)
            """
        )
        assert blocked.stdout == "OPEN\n"
        # The server did ping us while the cell was blocked, and the client answered.
        pings = kernel.run(
            """
            print(sum(1 for r in ws3.history.since(before) if r.direction == "in" and r.kind == "ping"))
            """
        )
        assert int(pings.stdout) >= 2
        kernel.run('ws3.Write("still here")')
        out = connect.wait_for("Data still here")
        assert "Error" not in out and "closed" not in out
        assert kernel.run("print(ws3.state.name)").stdout == "OPEN\n"
        kernel.run("ws3.close()")
        connect.wait_for("closed 1000")
    finally:
        strict.close()


def test_raising_callback_is_reported_and_next_message_arrives(kernel, echo):
    """A callback that raises is reported in its cell and Debug Output; the next message arrives."""
    connect = kernel.run(
        f"""
        from ws_widget import WebSocket

        def on_data(ws, data):
            if data == "boom":
                1 / 0
            print("Data", data)

        ws4 = WebSocket.New()
        ws4.Data = on_data
        ws4.Connect("ws", "127.0.0.1", "/echo", {echo})
        ws4.wait_open(10)
        """
    )
    kernel.run('ws4.Write("boom"); ws4.Write("after")')
    connect.wait_for("Data after")
    err = connect.wait_for("ZeroDivisionError", name="stderr")
    assert "Traceback (most recent call last)" in err
    assert "in on_data" in err
    assert connect.stdout == "Data after\n"

    debug = kernel.run(
        """
        text = str(ws4.debug_output)
        print("ZeroDivisionError" in text, "Data after" in text, ws4.state.name)
        """
    )
    assert debug.stdout == "True True OPEN\n"
    kernel.run("ws4.close()")


def test_kernel_restart_closes_connections_going_away(tmp_path):
    """Restarting the kernel closes its open connections cleanly with 1001 (going away)."""
    server = WebsocketsServer()
    kernel = Kernel(cwd=str(tmp_path))
    try:
        kernel.run(f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})")
        kernel.manager.restart_kernel(now=False)
        deadline = time.monotonic() + 30
        while not server.close_codes and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.close_codes == [1001]
    finally:
        kernel.shutdown()
        server.close()
