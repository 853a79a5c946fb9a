"""Load (issue 7, item 5): hundreds of connections in one process, slow callbacks, bounded memory.

The sender is ``benchmarks/server.js`` (Node's ``ws``) in its own process on loopback, so the
server never shares this interpreter's GIL: ``/ticks`` sends numbered messages, paced per
connection or as fast as the socket takes them, and ``/echo`` echoes.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from servers import NodeServer

import ws_widget
from ws_widget import WebSocket

ROOT = Path(__file__).resolve().parent.parent.parent
SERVER_JS = ROOT / "benchmarks" / "server.js"
CONNECTIONS = 500
MESSAGES = 200
RATE = 100  # messages/s per connection: every stream lasts 2 s, so they all overlap


def raise_fd_limit(needed: int) -> None:
    """Raise the soft limit on open files to ``needed`` (never above the hard limit), or skip."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"needs {needed} open files, but the hard limit (ulimit -Hn) is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


@pytest.fixture(scope="module")
def sender():
    # Node raises its own soft limit; the raise here also covers this process's sockets.
    raise_fd_limit(len(os.listdir("/proc/self/fd")) + CONNECTIONS + 256)
    instance = NodeServer(SERVER_JS)
    yield instance
    instance.close()


def wait_until(predicate, timeout: float, what: str):
    """Poll ``predicate`` until true; fail naming ``what`` after ``timeout`` s (liveness only)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"not reached within {timeout} s: {what}")
        time.sleep(0.02)


def incoming(ws: WebSocket) -> list:
    """The payloads of the incoming messages held in the history, in order."""
    return [
        record.payload for record in ws.history.snapshot() if record.direction == "in" and record.is_message
    ]


def test_500_connections_record_every_message_in_order(sender):
    """500 connections in one process each record 200 numbered messages in order and close cleanly."""
    expected = [str(number) for number in range(MESSAGES)]
    path = f"/ticks?n={MESSAGES}&rate={RATE}"
    lock = threading.Lock()
    seen = {"Connected": 0, "Closed": 0, "Error": 0}
    data: dict[int, list] = {}

    def count(name):
        def callback(ws, *args):
            with lock:
                seen[name] += 1

        return callback

    sockets = []
    started = time.monotonic()
    for index in range(CONNECTIONS):
        if index % 2:  # half through the seed API, with callbacks
            ws = WebSocket.New()
            ws.Connected, ws.Closed, ws.Error = count("Connected"), count("Closed"), count("Error")
            received = data[index] = []
            ws.Data = lambda ws, payload, received=received: received.append(payload)
            ws.Connect("ws", "127.0.0.1", path, sender.port)
        else:  # half through the Pythonic API, recording only
            ws = ws_widget.connect(sender.url(path), wait=False)
        sockets.append(ws)
    for ws in sockets:
        ws.wait_open(timeout=60)
    assert all(ws.state.name == "OPEN" for ws in sockets)
    wait_until(
        lambda: all(ws.stats["messages_in"] >= MESSAGES for ws in sockets), 60, "every stream recorded"
    )
    for ws in sockets:
        ws.Close()
    for ws in sockets:
        ws.wait_closed(timeout=60)
    wait_until(
        lambda: seen["Closed"] == CONNECTIONS // 2 and all(len(d) == MESSAGES for d in data.values()),
        60,
        "every Closed and Data callback",
    )
    elapsed = time.monotonic() - started

    for ws in sockets:
        records = ws.history.snapshot()
        assert [r.kind for r in records] == ["open"] + ["text"] * MESSAGES + ["close"], ws
        assert [r.payload for r in records[1:-1]] == expected
        assert ws.stats["messages_in"] == MESSAGES and ws.history.dropped == 0
        close = records[-1].info
        assert (close["code"], close["initiator"], close["clean"]) == (1000, "client", True)
        assert ws.state.name == "CLOSED" and ws.last_error is None
    assert all(received == expected for received in data.values())
    assert seen == {"Connected": CONNECTIONS // 2, "Closed": CONNECTIONS // 2, "Error": 0}
    print(f"\n{CONNECTIONS} connections x {MESSAGES} messages recorded and closed in {elapsed:.1f} s")


def _slow_stream(sender, n: int, sleep: float, gate: threading.Event | None = None):
    """A connection receiving ``n`` numbered messages whose Data callback sleeps ``sleep`` s each
    (the first also waits for ``gate``); returns it and the list its callbacks fill."""
    ran: list[str] = []
    ws = WebSocket.New()

    def on_data(ws, payload):
        if gate is not None and not ran:
            gate.wait(60)
        time.sleep(sleep)
        ran.append(payload)

    ws.Data = on_data
    ws.connect(sender.url(f"/ticks?n={n}"))
    return ws, ran


def test_sleeping_callback_lags_only_its_own_callbacks(sender):
    """A Data callback that sleeps leaves recording and other connections' round trips running."""
    gate = threading.Event()
    slow, ran = _slow_stream(sender, 30, 0.2, gate)
    expected = [str(number) for number in range(30)]
    try:
        wait_until(lambda: len(incoming(slow)) == 30, 30, "the slow connection's 30 messages recorded")
        assert incoming(slow) == expected
        assert slow.pending_callbacks == 30 and ran == []  # the first callback is held by the gate

        echo = ws_widget.connect(sender.url("/echo"))
        stream = ws_widget.connect(sender.url("/ticks?n=5000"))
        for number in range(50):
            echo.send(f"b{number}")
            assert echo.receive(timeout=10) == f"b{number}"
        assert echo.ping(timeout=10) > 0
        wait_until(lambda: len(incoming(stream)) == 5000, 30, "the other stream's 5000 messages recorded")
        assert incoming(stream) == [str(number) for number in range(5000)]
        assert slow.pending_callbacks == 30 and ran == []  # meanwhile, still all queued
        echo.close()
        stream.close()
    finally:
        gate.set()
    wait_until(lambda: slow.pending_callbacks == 0, 60, "the slow connection's backlog drained")
    assert ran == expected
    slow.close()


def test_sleeping_callback_does_not_delay_other_connections_callbacks(sender):
    """While one connection's Data callbacks sleep, another connection's callbacks run."""
    slow, ran = _slow_stream(sender, 30, 0.2)  # 6 s of callbacks
    wait_until(lambda: len(incoming(slow)) == 30, 30, "the slow connection's 30 messages recorded")
    echo = WebSocket.New()
    replies: list[tuple[str, int]] = []
    arrived = threading.Condition()

    def on_data(ws, payload):
        with arrived:
            replies.append((payload, slow.pending_callbacks))
            arrived.notify_all()

    echo.Data = on_data
    echo.connect(sender.url("/echo"))
    for number in range(5):
        echo.Write(f"b{number}")
        with arrived:
            assert arrived.wait_for(lambda number=number: len(replies) > number, 30), "no echo within 30 s"
    echo.close()
    wait_until(lambda: slow.pending_callbacks == 0, 60, "the slow connection's backlog drained")
    assert ran == [str(number) for number in range(30)]
    slow.close()
    # Every echo callback ran while the slow connection still had callbacks queued.
    assert [payload for payload, _ in replies] == [f"b{number}" for number in range(5)]
    assert all(backlog > 0 for _, backlog in replies), replies


@pytest.mark.parametrize(
    "max_records, max_bytes", [(500, 2**30), (100_000, 64 * 1024)], ids=["record-cap", "byte-cap"]
)
def test_history_stays_within_its_caps(sender, max_records, max_bytes):
    """A history receiving far more than its caps keeps only the newest records and counts the rest."""
    n, size = 20_000, 100
    ws = WebSocket(max_records=max_records, max_bytes=max_bytes)
    ws.connect(sender.url(f"/ticks?n={n}&size={size}"))
    wait_until(lambda: ws.stats["messages_in"] == n, 60, f"{n} messages received")
    ws.close()
    history = ws.history
    assert len(history) <= max_records and history.bytes <= max_bytes
    assert history.dropped == history.last_seq - len(history) > n // 2
    assert history.first_seq == history.dropped + 1
    kept = [payload.rstrip() for payload in incoming(ws)]
    assert kept == [str(number) for number in range(n - len(kept), n)]  # the newest, in order
    assert history.bytes == sum(record.size for record in history.snapshot())


RSS_SCRIPT = textwrap.dedent("""
    import sys, time
    import psutil
    import ws_widget

    url, n = sys.argv[1], int(sys.argv[2])
    process = psutil.Process()
    warm = ws_widget.WebSocket(max_records=1000)
    warm.connect(url.replace(f"n={n}", "n=20000"))
    while warm.stats["messages_in"] < 20000:
        time.sleep(0.02)
    warm.close()
    before = process.memory_info().rss
    ws = ws_widget.WebSocket(max_records=1000)
    ws.connect(url)
    while ws.stats["messages_in"] < n:
        time.sleep(0.02)
    ws.close()
    print(before, process.memory_info().rss, len(ws.history), ws.history.dropped)
""")


def test_rss_stays_bounded_by_the_history_caps(sender):
    """200 MB received into a history capped at 1,000 records grows RSS by far less than that."""
    pytest.importorskip("psutil")
    n, size = 200_000, 1024
    done = subprocess.run(
        [sys.executable, "-c", RSS_SCRIPT, sender.url(f"/ticks?n={n}&size={size}"), str(n)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, after, held, dropped = map(int, done.stdout.split())
    assert held <= 1000 and dropped > n - 1000
    assert after - before < 64 * 2**20, (
        f"RSS grew {(after - before) / 2**20:.0f} MiB for {n * size / 2**20:.0f} MiB received"
    )
