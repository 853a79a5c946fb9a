"""Issue 14, Python side: a failure raised to the caller is not printed as well (finding 6), the
Pythonic connect() does not hold a plain script alive and receive() can skip to the newest
(finding 7), and dir(ws_widget) lists the public API only (finding 9)."""

from __future__ import annotations

import asyncio
import contextvars
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from servers import WebsocketsServer

import ws_widget
from ws_widget import ConnectFailedError, WaitTimeoutError, WebSocket
from ws_widget.core.attempt import Attempt
from ws_widget.pure.options import Options
from ws_widget.pure.target import target_from_url

ROOT = Path(__file__).resolve().parents[2]
LINE_404 = "ws_widget: server answered HTTP 404"


def run_script(tmp_path, source: str) -> subprocess.CompletedProcess:
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(source))
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT)


# Finding 6: errors printed twice.


def test_handled_connect_failure_is_not_printed(tmp_path, server):
    """A ConnectFailedError caught around connect() leaves stderr empty."""
    result = run_script(
        tmp_path,
        f"""
        import ws_widget
        try:
            ws_widget.connect({server.url("/nothing-here")!r})
        except ws_widget.ConnectFailedError as error:
            print("handled:", error)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("handled: server answered HTTP 404"), result.stdout
    assert result.stderr == ""


def test_unhandled_failure_is_printed_once(tmp_path, server):
    """A failure no caller and no Error callback takes is printed once on stderr."""
    result = run_script(
        tmp_path,
        f"""
        import ws_widget
        ws = ws_widget.connect({server.url("/nothing-here")!r}, wait=False)
        ws.wait_closed(timeout=30)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(LINE_404) == 1, result.stderr


def test_async_wait_open_failure_is_not_printed(tmp_path, server):
    """A failure raised by await ws.aio.wait_open() is not printed as well."""
    result = run_script(
        tmp_path,
        f"""
        import asyncio, ws_widget

        async def main():
            ws = ws_widget.WebSocket()
            ws.Error = None
            try:
                await ws.connect({server.url("/nothing-here")!r}, wait=False).aio.wait_open(30)
            except ws_widget.ConnectFailedError:
                print("handled")
            await ws.aio.wait_closed(30)

        asyncio.run(main())
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "handled\n"
    # wait=False starts the attempt before wait_open registers: a 404 faster than that is the
    # one case still printed, so only the absence of a second line is asserted
    assert result.stderr.count(LINE_404) <= 1


def test_failure_claimed_as_a_wait_times_out_is_raised():
    """A waiter whose timeout falls just as the failure is claimed gets the failure itself."""
    ws = WebSocket()
    dispatch = ws._dispatch
    context = contextvars.copy_context()
    attempt = Attempt(target_from_url("ws://127.0.0.1:9/x"), Options.from_kwargs({}), context, False)
    wait = dispatch.waiting_open(context)
    dispatch.failed(attempt, "server answered HTTP 404")  # claimed: no Error, nothing printed
    failure = ConnectFailedError("server answered HTTP 404")
    attempt.opened.set_exception(failure)
    assert dispatch.stop_waiting(wait, WaitTimeoutError("timed out")) is failure
    assert ws.pending_callbacks == 0


def test_failure_without_waiter_is_left_to_print():
    """With no waiter registered, a failure is not claimed (so it is printed)."""
    ws = WebSocket()
    attempt = Attempt(
        target_from_url("ws://127.0.0.1:9/x"), Options.from_kwargs({}), contextvars.copy_context(), False
    )
    other = ws._dispatch.waiting_open(contextvars.copy_context())  # another attempt's waiter
    assert ws._dispatch._claim(attempt) is False
    assert ws._dispatch.stop_waiting(other, None) is None


# Finding 7: script lifetime and receive()'s queue.


def wait_until(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met")
        time.sleep(0.02)


def test_pythonic_script_with_open_socket_exits_and_closes_1001(tmp_path):
    """A plain script that leaves a connect() socket open exits, closing it with 1001."""
    own = WebsocketsServer()
    try:
        result = run_script(
            tmp_path,
            f"""
            import ws_widget
            ws = ws_widget.connect({own.url("/echo")!r})
            ws.send("hi")
            print(ws.receive(timeout=10))
            """,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == "hi\n"
        assert result.stderr == ""
        wait_until(lambda: own.close_codes == [1001])
    finally:
        own.close()


def test_pythonic_script_with_callbacks_runs_until_wait_closed(tmp_path, server):
    """A connect() script blocking on wait_closed() sees every callback up to Closed."""
    result = run_script(
        tmp_path,
        f"""
        import ws_widget
        ws = ws_widget.connect({server.url("/count?n=3&close=1")!r}, wait=False)
        ws.on_data(lambda ws, data: print("Data", data))
        ws.on_closed(lambda ws: print("closed"))
        ws.wait_open(30)
        ws.wait_closed(30)
        """,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "closed", result.stdout
    assert all(line.startswith("Data ") for line in lines[:3])


def test_seed_script_is_still_held_alive(tmp_path, server):
    """A seed Connect keeps a plain script alive until Closed has run, as in Q-SYS."""
    result = run_script(
        tmp_path,
        f"""
        from ws_widget import WebSocket
        ws = WebSocket.New()
        ws.Data = lambda ws, data: print("Data", data)
        ws.Closed = lambda ws: print("closed")
        ws.Connect("ws", "127.0.0.1", "/count?n=2&close=1", {server.port})
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "closed"
    assert len(result.stdout.splitlines()) == 3


def test_receive_is_a_queue_and_latest_skips_to_the_newest(server):
    """receive() returns the oldest message not taken; latest=True the newest waiting."""
    with ws_widget.connect(server.url("/echo")) as ws:
        for number in range(5):
            ws.send(f"m{number}")
        ws.wait_message(after=0)
        wait_until(lambda: ws.stats["messages_in"] == 5)
        assert ws.receive(timeout=10) == "m0"
        assert ws.receive(timeout=10, latest=True) == "m4"
        ws.send("next")
        assert ws.receive(timeout=10, latest=True) == "next"  # nothing waiting: waits for the next
        with pytest.raises(WaitTimeoutError):
            ws.receive(timeout=0.05)
        assert len([r for r in ws.history if r.direction == "in" and r.kind == "text"]) == 6  # all kept


def test_async_receive_latest_skips_to_the_newest(server):
    """await ws.aio.receive(latest=True) returns the newest message waiting."""

    async def main() -> tuple[str | bytes, str | bytes]:
        async with ws_widget.connect(server.url("/echo"), wait=False) as ws:
            for number in range(4):
                ws.send(f"a{number}")
            await ws.aio.wait_for(1)  # a0
            while ws.stats["messages_in"] < 4:
                await asyncio.sleep(0.01)
            newest = await ws.aio.receive(timeout=10, latest=True)
            ws.send("b")
            return newest, await ws.aio.receive(timeout=10)

    assert asyncio.run(main()) == ("a3", "b")


# Part of finding 9: Tab completion.


def test_dir_lists_the_public_api_only():
    """dir(ws_widget) is __all__, the documented subpackages and the dunders."""
    names = dir(ws_widget)
    public = [name for name in names if not name.startswith("__")]
    assert sorted(public) == sorted([*ws_widget.__all__, "demo", "qsys"])
    assert "__version__" in names
    for internal in ("core", "faces", "pure", "exceptions", "load_ipython_extension"):
        assert internal not in names


def test_subpackages_still_import():
    """Hiding internals from dir() breaks no import of a submodule or of the extension hook."""
    from ws_widget.pure.handshake import accept_steps  # noqa: F401 - notebook 03 does this

    assert callable(ws_widget.load_ipython_extension)
    assert callable(ws_widget.qsys.run)
    assert ws_widget.faces.websocket.WebSocket is WebSocket
    with pytest.raises(AttributeError, match="no attribute 'internals'"):
        ws_widget.internals  # noqa: B018


def test_ipython_tab_completion_shows_the_public_api():
    """IPython's completer (jedi) offers the public names of ws_widget, none of its layers."""
    from IPython.core.completer import provisionalcompleter
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell("import ws_widget")
        with provisionalcompleter():
            offered = {c.text for c in shell.Completer.completions("ws_widget.", 10)}
    finally:
        InteractiveShell.clear_instance()
    assert {"connect", "WebSocket", "Timer", "qsys"} <= offered
    assert not offered & {"core", "faces", "pure", "exceptions", "load_ipython_extension"}
