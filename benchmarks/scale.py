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
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, os.environ.get("WS_WIDGET_CHECKOUT") or str(HERE.parent))

from common import Sender  # noqa: E402


def rss() -> int:
    try:
        import psutil
    except ImportError:
        with open("/proc/self/statm") as file:
            return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return psutil.Process().memory_info().rss


def cpu() -> float:
    times = os.times()
    return times.user + times.system


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
    raise_fd_limit(len(os.listdir("/proc/self/fd")) + connections + 256)
    import ws_widget

    n = max(1, int(rate * seconds))
    warm = ws_widget.connect(f"{url}?n=10")  # threads started, modules imported
    wait_until(lambda: warm.stats["messages_in"] >= 10, 10)
    warm.close()
    counts = [0] * connections
    lock = threading.Lock()
    rss0, cpu0, t0 = rss(), cpu(), time.monotonic()
    sockets = []
    for index in range(connections):
        ws = ws_widget.WebSocket(max_records=n + 10)
        if callback:
            def on_data(ws, data, index=index):
                counts[index] += 1  # a lane per socket, or one thread: never concurrent per index
            ws.Data = on_data
        ws.connect(f"{url}?n={n}&rate={rate}", wait=False)
        sockets.append(ws)
    failed = 0
    for ws in sockets:
        try:
            ws.wait_open(timeout=60)
        except ws_widget.WsWidgetError:
            failed += 1
    t_open, cpu_open, rss_open = time.monotonic(), cpu(), rss()
    # Steady state: every connection open and streaming, until the first streams end.
    steady = max(0.0, seconds - (t_open - t0) - 1.0)
    time.sleep(steady)
    t_steady, cpu_steady, rss_steady = time.monotonic(), cpu(), rss()
    received = lambda: sum(ws.stats["messages_in"] for ws in sockets)  # noqa: E731
    complete = wait_until(lambda: received() >= n * connections and (not callback or sum(counts) >= n * connections),
                          seconds + 60)
    t_end, cpu_end, rss_end = time.monotonic(), cpu(), rss()
    with lock:
        total_callbacks = sum(counts)
    for ws in sockets:
        ws.Close()
    closed_clean = 0
    missing = out_of_order = 0
    expected = [str(k) for k in range(n)]
    for ws in sockets:
        ws.wait_closed(timeout=60)
        records = ws.history.snapshot()
        payloads = [r.payload for r in records if r.direction == "in" and r.is_message]
        if payloads != expected:
            got = set(payloads)
            missing += sum(1 for k in expected if k not in got)
            out_of_order += payloads != sorted(payloads, key=int)
        close = records[-1].info if records and records[-1].kind == "close" else None
        closed_clean += bool(close and close["clean"] and close["code"] == 1000)
    t_closed = time.monotonic()
    total = n * connections
    return {
        "connections": connections, "rate": rate, "seconds": seconds, "messages_per_connection": n,
        "callback": callback, "expected": total, "received": received(), "callbacks": total_callbacks,
        "missing": missing, "connections_out_of_order": out_of_order, "failed_to_open": failed,
        "closed_clean": closed_clean, "complete": complete,
        "connect_s": t_open - t0, "connect_cpu": (cpu_open - cpu0) / max(t_open - t0, 1e-9),
        "steady_s": t_steady - t_open, "steady_cpu": (cpu_steady - cpu_open) / max(t_steady - t_open, 1e-9),
        "total_s": t_end - t0, "total_cpu": (cpu_end - cpu0) / max(t_end - t0, 1e-9),
        "close_s": t_closed - t_end,
        "rss_before": rss0, "rss_open": rss_open, "rss_steady": rss_steady, "rss_end": rss_end,
        "rss_per_connection_open": (rss_open - rss0) / connections,
        "aggregate_rate": rate * connections,
    }


def summary(r: dict) -> str:
    mib = 2**20
    return (f"{r['connections']:,} connections x {r['rate']} msg/s for {r['seconds']:g} s: opened in "
            f"{r['connect_s']:.1f} s ({r['failed_to_open']} failed); steady CPU {r['steady_cpu'] * 100:.0f}% of a core "
            f"over {r['steady_s']:.1f} s at {r['aggregate_rate']:,} msg/s, whole run {r['total_cpu'] * 100:.0f}%; RSS "
            f"{r['rss_before'] / mib:.0f} -> {r['rss_open'] / mib:.0f} (open) -> {r['rss_end'] / mib:.0f} MiB (end), "
            f"{r['rss_per_connection_open'] / 1024:.0f} KiB per connection; received {r['received']:,} of "
            f"{r['expected']:,}, callbacks {r['callbacks']:,}, missing {r['missing']}, out of order "
            f"{r['connections_out_of_order']}; {r['closed_clean']} clean closes in {r['close_s']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=10, help="messages/s per connection")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each stream")
    parser.add_argument("--no-callback", action="store_true", help="recording only, no Data callback")
    parser.add_argument("--url", default="", help="a server.js /ticks URL (default: start server.js)")
    parser.add_argument("--json", action="store_true", help="print one JSON line (for run.py)")
    args = parser.parse_args()
    if args.url:
        result = scale(args.url, args.connections, args.rate, args.seconds, not args.no_callback)
    else:
        with Sender() as sender:
            result = scale(sender.url("/ticks"), args.connections, args.rate, args.seconds, not args.no_callback)
    print(json.dumps(result) if args.json else summary(result))
    sys.stdout.flush()
    os._exit(0)  # don't wait for the I/O thread's goodbyes: the figures are taken


if __name__ == "__main__":
    main()
