"""One measurement in a fresh interpreter; prints one JSON line. Run by ``benchmarks/run.py``.

trial.py drain URL N FRAME_BYTES          the sender's own rate (a raw socket that only reads)
trial.py ingest VARIANT URL N             VARIANT: raw, history, callback, widget
trial.py receive VARIANT URL N            VARIANT: iterate, receive, expect, async_iterate, aio_receive
trial.py receive-backlog URL N            one expect() over a backlog of N numbered messages
trial.py roundtrip VARIANT URL N SIZE     VARIANT: raw, ws_widget
trial.py memory WARM_URL URL N                    RSS per record through a real connection
trial.py memory-direct N SIZE             RSS per record of History.add alone (no network)
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

# WS_WIDGET_CHECKOUT: measure the ws_widget of another checkout (e.g. a proposed fix).
sys.path.insert(0, os.environ.get("WS_WIDGET_CHECKOUT") or str(Path(__file__).resolve().parent.parent))


def rss() -> int:
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def page_faults() -> tuple[int, int]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_minflt, usage.ru_majflt


# -------------------------------------------------------------------------- the sender's rate


def drain(url: str, n: int, frame_bytes: int) -> dict:
    """Read the flood with a plain socket (no WebSocket parsing): the sender's ceiling."""
    host_port, path = url[len("ws://") :].split("/", 1)
    host, port = host_port.rsplit(":", 1)
    start = time.perf_counter()
    sock = socket.create_connection((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    buffer = bytearray(4 * 2**20)
    view = memoryview(buffer)
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    expected = n * frame_bytes
    got = 0
    while got < expected:
        chunk = sock.recv_into(view)
        if not chunk:
            break
        got += chunk
    elapsed = time.perf_counter() - start
    sock.close()
    return {"messages": n, "seconds": elapsed, "rate": n / elapsed, "bytes_per_s": got / elapsed}


# -------------------------------------------------------------------------- ingest


def window_start(n: int) -> int:
    """Index of the first message of the last quarter: the steady-state window, once a history
    of ``n // 4`` records is full and every new record replaces an old one."""
    return n - n // 4


async def _raw_ingest(url: str, n: int) -> tuple[float, float, float]:
    from websockets.asyncio.client import connect

    count = 0
    first = window = last = 0.0
    async with connect(url, max_size=None) as ws:
        async for _message in ws:
            count += 1
            if count == 1:
                first = time.monotonic()
            elif count == window_start(n) + 1:
                window = time.monotonic()
            if count == n:
                last = time.monotonic()
                break
    return first, window, last


def ingest(variant: str, url: str, n: int) -> dict:
    faults0 = page_faults()
    if variant == "raw":
        first, window, last = asyncio.run(_raw_ingest(url, n))
        extra = {"window_rate": (n - 1 - window_start(n)) / (last - window)}
    else:
        import ws_widget

        # default max_bytes (512 MiB); "full" keeps the last quarter: a full history from then on
        ws = ws_widget.WebSocket(max_records=n // 4 if variant == "full" else n + 100)
        done = threading.Event()
        finished = {}
        if variant == "callback":
            count = 0

            def on_data(ws, data):
                nonlocal count
                count += 1
                if count == n:
                    finished["time"] = time.monotonic()
                    done.set()

            ws.Data = on_data
        if variant == "widget":
            ws.widget  # noqa: B018 - creates the model; without a kernel its comm sends nowhere
        ws.connect(url, max_size=None)
        history = ws.history
        while ws.stats["messages_in"] < n:
            time.sleep(0.02)
        if variant == "callback":
            done.wait(600)
        messages = [record for record in history.snapshot() if record.direction == "in"]
        if variant == "full":  # only the last quarter is left: the steady state of a full history
            window = len(messages) - 1
            rate = window / (messages[-1].mono - messages[0].mono)
            ws.close()
            return {
                "variant": variant,
                "messages": n,
                "seconds": messages[-1].mono - messages[0].mono,
                "rate": rate,
                "window_rate": rate,
                "window": window,
                "minor_faults": page_faults()[0] - faults0[0],
            }
        first = messages[0].mono
        recorded = messages[n - 1].mono
        last = finished.get("time", recorded)
        extra = {"recorded_rate": (n - 1) / (recorded - first)}
        if variant == "widget":
            extra["widget_comm"] = type(ws.widget.comm).__name__
        ws.close()
    faults1 = page_faults()
    return {
        "variant": variant,
        "messages": n,
        "seconds": last - first,
        "rate": (n - 1) / (last - first),
        "minor_faults": faults1[0] - faults0[0],
        **extra,
    }


# -------------------------------------------------------------------------- receive (issue 16)

RECEIVE_VARIANTS = ("iterate", "receive", "expect", "async_iterate", "aio_receive")
MATCH_ALL = "x"  # the flood's text payloads are "x"-filled: every message matches


def _take_blocking(variant: str, ws, n: int) -> None:
    """Take ``n`` messages in the main thread, as a user's loop would."""
    count = 0
    if variant == "iterate":
        for _message in ws:
            count += 1
            if count == n:
                break
    elif variant == "receive":
        while count < n:
            ws.receive(timeout=10)
            count += 1
    elif variant == "expect":
        while count < n:
            ws.expect(MATCH_ALL, timeout=10)
            count += 1
    else:
        raise SystemExit(f"unknown receive variant {variant!r}")


async def _take_async(variant: str, url: str, n: int):
    """Connect and take ``n`` messages on this thread's event loop; return the socket."""
    import ws_widget

    ws = ws_widget.connect(url, max_size=None, wait=False)
    await ws.aio.wait_open(10)
    count = 0
    if variant == "async_iterate":
        async for _message in ws:
            count += 1
            if count == n:
                break
    elif variant == "aio_receive":
        while count < n:
            await ws.aio.receive()
            count += 1
    else:
        raise SystemExit(f"unknown receive variant {variant!r}")
    return ws, time.monotonic()


def receive(variant: str, url: str, n: int) -> dict:
    """Rate of a Pythonic receive path: from the first message's arrival (its record's ``mono``)
    until the consumer has taken the n-th, so a consumer slower than the reader shows."""
    import ws_widget

    if variant in ("async_iterate", "aio_receive"):
        ws, last = asyncio.run(_take_async(variant, url, n))
    else:
        ws = ws_widget.connect(url, max_size=None)
        _take_blocking(variant, ws, n)
        last = time.monotonic()
    first_record = ws.history.first_message_after(0, "in")
    records = [r for r in ws.history.since(first_record.seq - 1) if r.direction == "in" and r.is_message]
    first, recorded = records[0].mono, records[n - 1].mono
    ws.close(timeout=5)
    return {
        "variant": variant,
        "messages": n,
        "seconds": last - first,
        "rate": (n - 1) / (last - first),
        "recorded_rate": (n - 1) / (recorded - first),  # how fast the reader recorded them
    }


def receive_backlog(url: str, n: int) -> dict:
    """One ``expect()`` for the last of ``n`` numbered messages already in the history (it scans
    the whole backlog), against the match alone run on the same ``n`` payloads."""
    import re

    import ws_widget
    from ws_widget.pure.matching import matcher

    ws = ws_widget.connect(url, max_size=None)
    deadline = time.monotonic() + 120
    while ws.stats["messages_in"] < n:  # not timed: the backlog arrives
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {ws.stats['messages_in']} of {n} messages within 120 s")
        time.sleep(0.01)
    pattern = f"^{n - 1}(?: |$)"  # the last message's number (server.js /ticks pads with spaces)
    start = time.perf_counter()
    found = ws.expect(pattern, timeout=60)
    expect_s = time.perf_counter() - start
    if not (isinstance(found, str) and found.split(" ", 1)[0] == str(n - 1)):
        raise RuntimeError(f"expect() returned {found[:20]!r}, not message {n - 1}")
    payloads = [r.payload for r in ws.history.since(0) if r.direction == "in" and r.is_message]
    if len(payloads) != n:
        raise RuntimeError(f"{len(payloads)} messages in the history, not {n}")
    match = matcher(pattern)  # the test expect() runs on each payload
    start = time.perf_counter()
    for payload in payloads:
        match(payload)
    match_s = time.perf_counter() - start
    search = re.compile(pattern).search
    start = time.perf_counter()
    for payload in payloads:
        search(payload)
    search_s = time.perf_counter() - start
    ws.close(timeout=5)
    return {
        "messages": n,
        "size": len(payloads[-1]),
        "expect_s": expect_s,
        "match_s": match_s,
        "search_s": search_s,
        "expect_us_per_message": expect_s / n * 1e6,
        "match_us_per_message": match_s / n * 1e6,
        "search_us_per_message": search_s / n * 1e6,
        "ratio": expect_s / match_s,
    }


# -------------------------------------------------------------------------- round trip


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)

    def at(q):
        return samples[min(len(samples) - 1, int(q * len(samples)))]

    return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "mean": sum(samples) / len(samples)}


async def _raw_roundtrip(url: str, n: int, message: str, warmup: int) -> list[float]:
    from websockets.asyncio.client import connect

    samples = []
    async with connect(url) as ws:
        for i in range(warmup + n):
            start = time.perf_counter()
            await ws.send(message)
            await ws.recv()
            if i >= warmup:
                samples.append(time.perf_counter() - start)
    return samples


def roundtrip(variant: str, url: str, n: int, size: int) -> dict:
    message = "x" * size
    warmup = max(100, n // 10)
    if variant == "raw":
        samples = asyncio.run(_raw_roundtrip(url, n, message, warmup))
    else:
        import ws_widget

        ws = ws_widget.WebSocket()
        arrived = threading.Event()
        stamp = [0.0]

        def on_data(ws, data):
            stamp[0] = time.perf_counter()
            arrived.set()

        ws.Data = on_data
        ws.connect(url)
        samples = []
        for i in range(warmup + n):
            arrived.clear()
            start = time.perf_counter()
            ws.Write(message)
            if not arrived.wait(10):
                raise RuntimeError("no echo within 10 s")
            if i >= warmup:
                samples.append(stamp[0] - start)
        ws.close()
    return {"variant": variant, "samples": len(samples), **_percentiles(samples)}


# -------------------------------------------------------------------------- memory


def memory(warm_url: str, url: str, n: int) -> dict:
    """RSS growth per record while 1,000,000 records of 64 B arrive through a real connection."""
    import ws_widget

    warm = ws_widget.WebSocket()  # start the I/O and event threads, import everything
    warm.connect(warm_url)
    while warm.stats["messages_in"] < 10:
        time.sleep(0.01)
    warm.close()
    del warm
    gc.collect()
    before = rss()
    ws = ws_widget.WebSocket(max_records=n + 10)
    ws.connect(url, max_size=None)
    while ws.stats["messages_in"] < n:
        time.sleep(0.05)
    ws.close()
    gc.collect()
    after = rss()
    history = ws.history
    payload = history.bytes
    records = len(history)
    return _memory_result(before, after, records, payload, history)


def memory_direct(n: int, size: int) -> dict:
    """The same with ``History.add`` alone: distinct str payloads as websockets makes them."""
    from ws_widget.pure.history import History
    from ws_widget.pure.kinds import IN, TEXT

    gc.collect()
    before = rss()
    history = History(max_records=n + 10)
    raw = b"x" * size
    add = history.add
    for _ in range(n):
        add(IN, TEXT, raw.decode(), size)  # a new str each time, as a received frame is
    gc.collect()
    after = rss()
    return _memory_result(before, after, len(history), history.bytes, history)


def _memory_result(before: int, after: int, records: int, payload: int, history) -> dict:
    sample = next(record for record in reversed(history.tail(10)) if record.kind == "text")
    parts = {
        "Record object": sys.getsizeof(sample),  # with its GC header
        "str header (payload object beyond its bytes)": sys.getsizeof(sample.payload) - sample.size,
        "mono float": sys.getsizeof(sample.mono),
        "seq int": sys.getsizeof(sample.seq),
        "list slot": 8,
    }
    return {
        "records": records,
        "payload_bytes": payload,
        "rss_before": before,
        "rss_after": after,
        "rss_per_record": (after - before) / records,
        "beyond_payload_per_record": (after - before - payload) / records,
        "object_sizes": parts,
    }


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "drain":
        result = drain(args[0], int(args[1]), int(args[2]))
    elif command == "ingest":
        result = ingest(args[0], args[1], int(args[2]))
    elif command == "receive":
        result = receive(args[0], args[1], int(args[2]))
    elif command == "receive-backlog":
        result = receive_backlog(args[0], int(args[1]))
    elif command == "roundtrip":
        result = roundtrip(args[0], args[1], int(args[2]), int(args[3]))
    elif command == "memory":
        result = memory(args[0], args[1], int(args[2]))
    elif command == "memory-direct":
        result = memory_direct(int(args[0]), int(args[1]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # don't wait for the I/O thread's goodbyes: the figure is taken


if __name__ == "__main__":
    main(sys.argv[1:])
