"""Scale (issue 8, item 7): many concurrent connections in one process, each receiving a paced
stream of numbered messages; reports CPU and RSS, and counts every sequence number.

    python benchmarks/scale.py                      # 1,000 connections x 10 msg/s for 20 s
    python benchmarks/scale.py --connections 50 --seconds 3 --json    # what run.py --quick runs
    python benchmarks/scale.py --url ws://127.0.0.1:PORT/ticks        # a running server.js

Each connection asks ``server.js`` for ``/ticks?n=rate*seconds&rate=``: message k is the text
``"k"``, paced per connection from its own open. Every connection has a counting ``Data``
callback (``--no-callback``: recording only). CPU is this process's user + system time over
wall time (``os.times``), 100% being one core; RSS from psutil or /proc/self/statm.
Runs in its own interpreter (run.py starts it), so the figures are of this process alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, os.environ.get("WS_WIDGET_CHECKOUT") or str(HERE.parent))

from common import Sender, cpu, rss  # noqa: E402


def raise_fd_limit(needed: int) -> None:
    """Raise the soft limit on open files to ``needed``, up to the hard limit, or fail clearly."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise SystemExit(f"scale: needs {needed} open files, but the hard limit (ulimit -Hn) is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def scale(url: str, connections: int, rate: int, seconds: float, callback: bool) -> dict:
    """ws_widget: one WebSocket per connection, each with a counting Data callback."""
    raise_fd_limit(len(os.listdir("/proc/self/fd")) + connections + 256)
    import ws_widget

    n = max(1, int(rate * seconds))
    warm = ws_widget.connect(f"{url}?n=10")  # threads started, modules imported
    wait_until(lambda: warm.stats["messages_in"] >= 10, 10)
    warm.close()
    counts = [0] * connections
    rss0, cpu0, t0 = rss(), cpu(), time.monotonic()
    sockets = []
    for index in range(connections):
        ws = ws_widget.WebSocket(max_records=n + 10)
        if callback:

            def on_data(ws, data, index=index):
                counts[index] += 1  # one socket's callbacks never overlap

            ws.Data = on_data
        ws.connect(f"{url}?n={n}&rate={rate}", wait=False)
        sockets.append(ws)
    failed = 0
    for ws in sockets:
        try:
            ws.wait_open(timeout=60)
        except ws_widget.WsWidgetError:
            failed += 1
    marks = {"start": (t0, cpu0, rss0), "open": (time.monotonic(), cpu(), rss())}
    # Steady state: every connection open and streaming, until the first streams end.
    time.sleep(max(0.0, seconds - (marks["open"][0] - t0) - 1.0))
    marks["steady"] = (time.monotonic(), cpu(), rss())
    received = lambda: sum(ws.stats["messages_in"] for ws in sockets)  # noqa: E731
    complete = wait_until(
        lambda: received() >= n * connections and (not callback or sum(counts) >= n * connections),
        seconds + 60,
    )
    marks["end"] = (time.monotonic(), cpu(), rss())
    total_callbacks = sum(counts)
    for ws in sockets:
        ws.Close()
    streams, clean = [], 0
    for ws in sockets:
        ws.wait_closed(timeout=60)
        records = ws.history.snapshot()
        streams.append([r.payload for r in records if r.direction == "in" and r.is_message])
        close = records[-1].info if records and records[-1].kind == "close" else None
        clean += bool(close and close["clean"] and close["code"] == 1000)
    marks["closed"] = (time.monotonic(), cpu(), rss())
    return result(
        "ws_widget",
        connections,
        rate,
        seconds,
        n,
        callback,
        streams,
        total_callbacks,
        failed,
        clean,
        complete,
        marks,
    )


async def _raw(url: str, connections: int, rate: int, seconds: float, n: int) -> tuple:
    import asyncio

    from websockets.asyncio.client import connect

    streams: list[list] = [[] for _ in range(connections)]
    clients = []
    t0, cpu0, rss0 = time.monotonic(), cpu(), rss()
    opened = await asyncio.gather(
        *(connect(f"{url}?n={n}&rate={rate}") for _ in range(connections)), return_exceptions=True
    )
    clients = [c for c in opened if not isinstance(c, BaseException)]
    marks = {"start": (t0, cpu0, rss0), "open": (time.monotonic(), cpu(), rss())}

    async def read(client, stream):
        async for message in client:
            stream.append(message)
            if len(stream) >= n:
                return

    readers = asyncio.gather(*(read(c, s) for c, s in zip(clients, streams, strict=True)))
    await asyncio.sleep(max(0.0, seconds - (marks["open"][0] - t0) - 1.0))
    marks["steady"] = (time.monotonic(), cpu(), rss())
    try:
        await asyncio.wait_for(readers, seconds + 60)
        complete = True
    except asyncio.TimeoutError:
        complete = False
    marks["end"] = (time.monotonic(), cpu(), rss())
    await asyncio.gather(*(c.close() for c in clients))
    clean = sum(c.close_code == 1000 for c in clients)
    marks["closed"] = (time.monotonic(), cpu(), rss())
    return streams, len(opened) - len(clients), clean, complete, marks


def scale_raw(url: str, connections: int, rate: int, seconds: float) -> dict:
    """The raw ``websockets`` asyncio client on the main thread: the same streams, no history."""
    import asyncio

    raise_fd_limit(len(os.listdir("/proc/self/fd")) + connections + 256)
    n = max(1, int(rate * seconds))
    streams, failed, clean, complete, marks = asyncio.run(_raw(url, connections, rate, seconds, n))
    return result("raw", connections, rate, seconds, n, False, streams, 0, failed, clean, complete, marks)


def result(
    variant, connections, rate, seconds, n, callback, streams, callbacks, failed, clean, complete, marks
) -> dict:
    """Count every sequence number and turn the (time, cpu, rss) marks into figures."""
    expected = [str(k) for k in range(n)]
    missing = out_of_order = 0
    for payloads in streams:
        if payloads != expected:
            got = set(payloads)
            missing += sum(1 for k in expected if k not in got)
            out_of_order += payloads != sorted(payloads, key=int)

    def phase(a, b):
        (ta, ca, _), (tb, cb, _) = marks[a], marks[b]
        return tb - ta, (cb - ca) / max(tb - ta, 1e-9)

    (connect_s, connect_cpu), (steady_s, steady_cpu) = phase("start", "open"), phase("open", "steady")
    (total_s, total_cpu), (close_s, _) = phase("start", "end"), phase("end", "closed")
    return {
        "variant": variant,
        "connections": connections,
        "rate": rate,
        "seconds": seconds,
        "messages_per_connection": n,
        "callback": callback,
        "expected": n * connections,
        "received": sum(map(len, streams)),
        "callbacks": callbacks if callback else None,
        "missing": missing,
        "connections_out_of_order": out_of_order,
        "failed_to_open": failed,
        "closed_clean": clean,
        "complete": complete,
        "connect_s": connect_s,
        "connect_cpu": connect_cpu,
        "steady_s": steady_s,
        "steady_cpu": steady_cpu,
        "total_s": total_s,
        "total_cpu": total_cpu,
        "close_s": close_s,
        "rss_before": marks["start"][2],
        "rss_open": marks["open"][2],
        "rss_steady": marks["steady"][2],
        "rss_end": marks["end"][2],
        "rss_per_connection_open": (marks["open"][2] - marks["start"][2]) / connections,
        "aggregate_rate": rate * connections,
    }


def summary(r: dict) -> str:
    mib = 2**20
    return (
        f"{r['variant']}: {r['connections']:,} connections x {r['rate']} msg/s for {r['seconds']:g} s: "
        "opened in "
        f"{r['connect_s']:.1f} s ({r['failed_to_open']} failed); steady CPU {r['steady_cpu'] * 100:.0f}% "
        "of a core "
        f"over {r['steady_s']:.1f} s at {r['aggregate_rate']:,} msg/s, whole run "
        f"{r['total_cpu'] * 100:.0f}%; RSS "
        f"{r['rss_before'] / mib:.0f} -> {r['rss_open'] / mib:.0f} (open) -> {r['rss_end'] / mib:.0f} MiB "
        "(end), "
        f"{r['rss_per_connection_open'] / 1024:.0f} KiB per connection; received {r['received']:,} of "
        f"{r['expected']:,}, callbacks {r['callbacks']}, missing {r['missing']}, out of order "
        f"{r['connections_out_of_order']}; {r['closed_clean']} clean closes in {r['close_s']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=10, help="messages/s per connection")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each stream")
    parser.add_argument("--no-callback", action="store_true", help="recording only, no Data callback")
    parser.add_argument(
        "--raw", action="store_true", help="the raw websockets client instead, for comparison"
    )
    parser.add_argument("--url", default="", help="a server.js /ticks URL (default: start server.js)")
    parser.add_argument("--json", action="store_true", help="print one JSON line (for run.py)")
    args = parser.parse_args()

    def run(url: str) -> dict:
        if args.raw:
            return scale_raw(url, args.connections, args.rate, args.seconds)
        return scale(url, args.connections, args.rate, args.seconds, not args.no_callback)

    if args.url:
        figures = run(args.url)
    else:
        with Sender() as sender:
            figures = run(sender.url("/ticks"))
    print(json.dumps(figures) if args.json else summary(figures))
    sys.stdout.flush()
    os._exit(0)  # don't wait for the I/O thread's goodbyes: the figures are taken


if __name__ == "__main__":
    main()
