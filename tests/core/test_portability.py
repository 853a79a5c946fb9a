"""Portability and manners: ws_widget imports and works where ``os.register_at_fork`` does not
exist (as on Windows), sets no process-wide warning filter, and leaves ``sys.stdout`` and
``sys.stderr`` as it found them once its callbacks have finished. Each case runs in a fresh
interpreter, so nothing another test imported or installed can hide a failure."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

WITHOUT_FORK_HOOKS = """
import os, sys
del os.register_at_fork  # absent on Windows, as is os.fork
del os.fork
from ws_widget import WebSocket

ws = WebSocket.New()
ws.Connected = lambda ws: ws.Write("round trip")

def on_data(ws, data):
    print("echo", data)
    ws.Close()

ws.Data = on_data
ws.Error = lambda ws, err: print("Error", err)
ws.Connect("ws", "127.0.0.1", "/echo", int(sys.argv[1]))
"""

WARNING_FILTERS = """
import warnings
before = list(warnings.filters)
import ws_widget
added = [f for f in warnings.filters if f not in before]
removed = [f for f in before if f not in warnings.filters]
print("added", added, "removed", removed)
"""

# Waits for the event threads to end their turns: polling, never asserting how long it took.
STREAMS_RESTORED = """
import sys, threading, time
from ws_widget import WebSocket

out, err = sys.stdout, sys.stderr
seen = {}
done = threading.Event()

def on_data(ws, data):
    seen["tee during callback"] = sys.stdout is not out and sys.stderr is not err
    print("echo", data)
    ws.Close()

ws = WebSocket.New()
ws.Connected = lambda ws: ws.Write("tee")
ws.Data = on_data
ws.Closed = lambda ws: done.set()
ws.Connect("ws", "127.0.0.1", "/echo", int(sys.argv[1]))
done.wait(10)
deadline = time.monotonic() + 10
while (sys.stdout is not out or sys.stderr is not err) and time.monotonic() < deadline:
    time.sleep(0.01)
print("restored", sys.stdout is out, sys.stderr is err)
print("tee during callback", seen.get("tee during callback"))
texts = [line.split("\\t", 1)[1] for line in ws.debug_output.lines]
print("debug output", [text for text in texts if text.startswith("echo ")])
"""

# Another library wraps sys.stdout while a callback runs: its wrapper stays when the turn ends,
# and a callback of a later turn (a tee over the wrapper over the first tee) is copied once.
FOREIGN_WRAPPER = """
import sys, threading, time
from ws_widget import WebSocket

class Wrapper:
    def __init__(self, stream):
        self.stream = stream
    def write(self, text):
        return self.stream.write(text)
    def __getattr__(self, name):
        return getattr(self.stream, name)

def turns_ended():
    deadline = time.monotonic() + 10
    while sys.stderr.__class__.__name__ == "_TeeStream" and time.monotonic() < deadline:
        time.sleep(0.01)

wrapped, proceed, done = threading.Event(), threading.Event(), threading.Event()

def on_data(ws, data):
    if data == "first":
        wrapped.set()
        proceed.wait(10)  # the main thread installs its wrapper meanwhile
    else:
        print("echo", data)
        ws.Close()

ws = WebSocket.New()
ws.Connected = lambda ws: ws.Write("first")
ws.Data = on_data
ws.Closed = lambda ws: done.set()
ws.Connect("ws", "127.0.0.1", "/echo", int(sys.argv[1]))
wrapped.wait(10)
wrapper = sys.stdout = Wrapper(sys.stdout)
proceed.set()
turns_ended()
print("wrapper kept", sys.stdout is wrapper)
ws.Write("second")
done.wait(10)
turns_ended()
print("wrapper kept", sys.stdout is wrapper)
texts = [line.split("\\t", 1)[1] for line in ws.debug_output.lines]
print("debug output", [text for text in texts if text.startswith("echo ")])
"""


def run_python(source: str, *args: object) -> subprocess.CompletedProcess:
    """Run ``source`` in a fresh interpreter that imports this checkout's ws_widget."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(source), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_round_trip_without_register_at_fork(server):
    """Without os.register_at_fork and os.fork, ws_widget imports and echoes through a Data callback."""
    result = run_python(WITHOUT_FORK_HOOKS, server.port)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "echo round trip\n"
    assert result.stderr == ""


def test_import_leaves_warning_filters_unchanged():
    """Importing ws_widget adds and removes no entry of warnings.filters."""
    result = run_python(WARNING_FILTERS)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added [] removed []\n"


def test_streams_are_the_originals_after_callbacks_end(server):
    """A callback's print reaches its Debug Output, and afterwards sys.stdout/stderr are the originals."""
    result = run_python(STREAMS_RESTORED, server.port)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "echo tee",
        "restored True True",
        "tee during callback True",
        "debug output ['echo tee']",
    ]


def test_a_wrapper_installed_during_a_callback_stays(server):
    """A stdout wrapper installed while a callback runs is kept, and later prints are copied once."""
    result = run_python(FOREIGN_WRAPPER, server.port)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrapper kept True",
        "echo second",
        "wrapper kept True",
        "debug output ['echo second']",
    ]


@pytest.mark.kernel
def test_kernel_streams_are_ipykernels_after_callbacks_end(kernel, server):
    """In a kernel a callback prints to its cell, and afterwards sys.stdout/stderr are ipykernel's own."""
    connect = kernel.run(
        f"""
        import sys
        from ws_widget import WebSocket
        kernel_streams = sys.stdout, sys.stderr
        kws = WebSocket.New()
        kws.Data = lambda ws, data: print("Data", data)
        kws.Connect("ws", "127.0.0.1", "/echo", {server.port})
        kws.wait_open(10)
        kws.Write("to the cell")
        """
    )
    connect.wait_for("Data to the cell")
    check = kernel.run(
        """
        import time
        deadline = time.monotonic() + 10
        while (sys.stdout, sys.stderr) != kernel_streams and time.monotonic() < deadline:
            time.sleep(0.01)
        print(sys.stdout is kernel_streams[0], sys.stderr is kernel_streams[1])
        print(type(sys.stdout).__name__, any("Data to the cell" in line for line in kws.debug_output.lines))
        kws.close()
        """
    )
    assert check.stdout == "True True\nOutStream True\n"
