"""Flow control against real servers: slow consumers pause reading, nothing is lost, memory stays
bounded, and waits leave nothing behind."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from servers import NodeServer

from ws_widget import WaitTimeoutError, WebSocket
from ws_widget.pure.kinds import PAUSE, RESUME

BENCHMARK_SERVER = Path(__file__).resolve().parent.parent.parent / "benchmarks" / "server.js"


def numbered(n: int) -> list[str]:
    return [f"{number:08d}" for number in range(n)]


def test_slow_data_callback_pauses_reading_and_loses_nothing(server):
    """A Data callback slower than the stream pauses reading past max_backlog; every message arrives."""
    ws = WebSocket()
    seen: list[str] = []
    paused_seen: list[str | None] = []
    done = threading.Event()

    def on_data(ws, data):
        seen.append(data[:8])
        time.sleep(0.0005)
        if len(seen) == 100:
            paused_seen.append(ws.paused)
        if len(seen) == 2000:
            done.set()

    ws.Data = on_data
    ws.connect(server.url("/numbered?n=2000&size=64"), max_backlog=50)
    assert done.wait(30)
    ws.close()
    assert seen == numbered(2000)
    kinds = [r.kind for r in ws.history if r.direction == "event"]
    assert kinds.count(PAUSE) >= 1 and kinds.count(RESUME) >= 1
    pause = next(r for r in ws.history if r.kind == PAUSE)
    assert pause.info["reason"].endswith("Data callbacks behind")
    assert "Paused reading: " in str(ws.debug_output) and "Resumed reading" in str(ws.debug_output)
    assert any(p and "Data callbacks behind" in p for p in paused_seen) or kinds.count(PAUSE) > 1
    assert ws.paused is None  # over once closed


def test_slow_receiving_loop_pauses_reading_and_keeps_its_messages(server):
    """A loop slower than the stream pauses reading; a small history cap drops nothing it has not taken."""
    ws = WebSocket(max_records=100)
    ws.connect(server.url("/numbered?n=3000&size=64"), max_backlog=200)
    taken = []
    for message in ws:
        taken.append(int(message[:8]))
        if len(taken) % 500 == 0:
            time.sleep(0.2)  # fall behind: the server keeps sending
        if taken[-1] == 2999:
            break
    first = taken[0]  # what came before the loop started may have gone (the cap is 100)
    assert taken == list(range(first, 3000))
    assert "Paused reading: " in str(ws.debug_output) and "messages not yet taken" in str(ws.debug_output)
    assert "Resumed reading" in str(ws.debug_output)
    ws.close()


def test_loop_that_ended_lets_the_history_cap_apply(server):
    """Once a loop ends, its pin goes: the history's own cap applies again."""
    ws = WebSocket(max_records=50)
    ws.connect(server.url("/numbered?n=400&size=16"))
    for _message in ws:
        assert ws.history.pin is not None  # the running loop holds its place
        break
    deadline = time.monotonic() + 10
    while ws.history.last_seq < 400 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(ws.history) <= 50 and ws.history.pin is None
    ws.close()


def test_max_backlog_is_checked():
    """A bad max_backlog is refused at Connect, naming the option."""
    with pytest.raises(ValueError, match="max_backlog must be a positive integer or None"):
        WebSocket().Connect("ws", "127.0.0.1", "/", 9, max_backlog=-1)
    with pytest.raises(ValueError, match="max_backlog_bytes must be"):
        WebSocket().Connect("ws", "127.0.0.1", "/", 9, max_backlog_bytes="1")


def test_no_limit_says_memory_may_grow(server):
    """max_backlog=None and max_backlog_bytes=None warn in Debug Output that reading never pauses."""
    ws = WebSocket().connect(server.url("/echo"), max_backlog=None, max_backlog_bytes=None)
    ws.close()
    assert "reading never pauses" in str(ws.debug_output)


def test_timed_out_waits_leave_no_waiter_behind(server):
    """A thousand timed-out receive() and aio.receive() calls leave no waiter registered."""
    ws = WebSocket().connect(server.url("/silent"))
    for _ in range(500):
        with pytest.raises(WaitTimeoutError):
            ws.receive(timeout=0)

    async def many():
        for _ in range(250):
            with pytest.raises(WaitTimeoutError):
                await ws.aio.receive(timeout=0.001)
            with pytest.raises(WaitTimeoutError):
                await ws.aio.expect({"id": 1}, timeout=0.001)
        task = asyncio.ensure_future(ws.aio.wait_for(3, timeout=None))
        await asyncio.sleep(0.01)
        task.cancel()  # a cancelled wait cleans up too
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(many())
    assert ws._core.message_waiters == 0
    ws.close()


def test_receive_returns_what_arrived_before_the_close(server):
    """Messages recorded before the server closed are still returned, then the end is reported."""
    ws = WebSocket().connect(server.url("/count?n=5&close=1"))
    ws.wait_closed(10)
    assert [ws.receive(timeout=1) for _ in range(5)] == ["0", "1", "2", "3", "4"]
    assert list(ws) == []


_MEMORY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from ws_widget import WebSocket

    url, limit, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    options = {"max_backlog": 128} if limit == "bounded" else {"max_backlog": None, "max_backlog_bytes": None}
    def rss_mib():  # peak RSS of this process image (ru_maxrss would carry pytest's across exec)
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    ws = WebSocket(max_bytes=4 * 2**20)
    count = [0]
    def on_data(ws, data):
        count[0] += 1
        time.sleep(0.001)  # a device call, say: it lets the reader run meanwhile
    ws.Data = on_data
    before = rss_mib()
    ws.connect(url, **options)
    while count[0] < n:
        time.sleep(0.05)
    growth = rss_mib() - before
    ws.close()
    print(json.dumps({"growth_mib": growth, "received": count[0],
                      "pauses": str(ws.debug_output).count("Paused reading")}))
    """
)


def test_slow_callback_keeps_memory_bounded(tmp_path):
    """96 MiB of 32 KiB messages into a 1 ms callback: peak RSS grows by the backlog, not the stream."""
    script = tmp_path / "memory.py"
    script.write_text(_MEMORY_SCRIPT)
    sender = NodeServer(BENCHMARK_SERVER)  # Node's ws outruns a 0.1 ms callback many times over
    n = 3_000
    url = f"ws://127.0.0.1:{sender.port}/flood?n={n}&size=32768"

    def run(limit: str) -> dict:
        done = subprocess.run(
            [sys.executable, str(script), url, limit, str(n)], capture_output=True, text=True, timeout=100
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    try:
        bounded, unbounded = run("bounded"), run("none")
    finally:
        sender.close()
    assert bounded["received"] == unbounded["received"] == n
    assert bounded["pauses"] >= 1 and unbounded["pauses"] == 0
    # 128 pending 32 KiB messages are 4 MiB, the history 4 MiB; without flow control the stream
    # waits in the callback lane (the sender outruns a 1 ms callback 30 times over). The second
    # figure shows the test can fail.
    assert bounded["growth_mib"] < 32, bounded
    assert unbounded["growth_mib"] > bounded["growth_mib"] + 30, (bounded, unbounded)


def test_stopped_loop_loses_the_connection_to_keepalive_but_no_message(server):
    """A stopped loop loses the paused connection to keepalive, told why; every recorded message stays."""
    ws = WebSocket()
    errors: list[str] = []
    ws.Error = lambda ws, err: errors.append(err)
    ws.connect(server.url("/numbered?n=100000&size=64"), max_backlog=500, ping_interval=0.5, ping_timeout=0.5)
    loop = iter(ws)
    assert next(loop) == f"{0:08d}".ljust(64, "x")
    ws.wait_closed(20)  # the loop stopped: reading paused, no pong could be read
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "while reading was paused" in errors[0] and "ping_interval=None" in errors[0]
    rest = [int(message[:8]) for message in loop]  # every message recorded is still there
    assert rest == list(range(1, len(rest) + 1)) and len(rest) >= 500
