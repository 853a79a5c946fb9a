"""Measurements in a real ipykernel (tests/kernels.py): the widget's IOPub traffic under a flood,
the kernel's responsiveness while messages arrive, and ingest inside the kernel."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import textwrap
import time

from common import ROOT

sys.path.insert(0, str(ROOT / "tests"))

from kernels import Kernel

# jupyter_server's defaults (ServerApp.iopub_msg_rate_limit, iopub_data_rate_limit, rate_limit_window)
IOPUB_MSG_LIMIT = 1000.0
IOPUB_DATA_LIMIT = 1_000_000.0
RATE_WINDOW = 3.0


class MeteredKernel(Kernel):
    """A Kernel whose IOPub messages are also logged with their size on the wire."""

    def __init__(self, cwd: str):
        super().__init__(cwd)
        self.wire: list[tuple[float, str, int, dict]] = []  # (time, msg_type, bytes, content)
        channel = self.client.iopub_channel
        original = channel._recv

        def recv(**kwargs):
            parts = channel.socket.recv_multipart(**kwargs)
            size = sum(len(part) for part in parts)
            _ident, smsg = channel.session.feed_identities(parts)
            message = channel.session.deserialize(smsg)
            self.wire.append((time.monotonic(), message["msg_type"], size, message["content"]))
            return message

        channel._recv = recv
        self._original_recv = original

    def execute_time(self, code: str = "pass") -> float:
        """Round trip of one execute request: sent until its reply and the idle status are in."""
        start = time.perf_counter()
        self.run(code)
        return time.perf_counter() - start


def _server_rate_check(wire: list, start: float, end: float) -> dict:
    """Apply jupyter_server's IOPub rate limiter (ZMQChannelsHandler._limit_rate) to the messages
    seen: a sliding window of 3 s over every IOPub message but status/comm_open/execute_input;
    the data limit counts bytes of stream messages only. Also report all bytes, to be strict."""
    window: list[tuple[float, int, int]] = []
    count = stream_bytes = all_bytes = 0
    worst_msgs = worst_stream = worst_all = 0.0
    for t, kind, size, content in wire:
        if kind == "status" and content.get("execution_state") == "idle":
            window, count, stream_bytes, all_bytes = [], 0, 0, 0
        if kind in ("status", "comm_open", "execute_input"):
            continue
        while window and t >= window[0][0]:
            _, old_stream, old_all = window.pop(0)
            count -= 1
            stream_bytes -= old_stream
            all_bytes -= old_all
        count += 1
        s = size if kind == "stream" else 0
        stream_bytes += s
        all_bytes += size
        window.append((t + RATE_WINDOW, s, size))
        if start <= t <= end + RATE_WINDOW:
            worst_msgs = max(worst_msgs, count / RATE_WINDOW)
            worst_stream = max(worst_stream, stream_bytes / RATE_WINDOW)
            worst_all = max(worst_all, all_bytes / RATE_WINDOW)
    return {
        "max_window_msgs_per_s": worst_msgs,
        "max_window_stream_bytes_per_s": worst_stream,
        "max_window_all_bytes_per_s": worst_all,
        "would_trip_msg_limit": worst_msgs > IOPUB_MSG_LIMIT,
        "would_trip_data_limit": worst_stream > IOPUB_DATA_LIMIT,
    }


def _wait_in_kernel(kernel: Kernel, name: str, n: int, timeout: float) -> dict:
    """Wait in a cell until ``name`` received n messages; return its receive figures."""
    cell = kernel.run(
        f"""
        _deadline = time.monotonic() + {timeout}
        while {name}.stats["messages_in"] < {n} and time.monotonic() < _deadline:
            time.sleep(0.05)
        _in = [r for r in {name}.history.snapshot() if r.direction == "in"]
        print(json.dumps({{"received": {name}.stats["messages_in"],
                          "seconds": _in[-1].mono - _in[0].mono if len(_in) > 1 else 0}}))
        """,
        timeout=timeout + 30,
    )
    return json.loads(cell.stdout.strip().splitlines()[-1])


def measure(sender, *, quick: bool = False) -> dict:
    rate = 50_000
    seconds = 2 if quick else 10
    busy_rate = 20_000
    result: dict = {}
    with tempfile.TemporaryDirectory() as cwd:
        kernel = MeteredKernel(cwd)
        try:
            kernel.run("import json, time, asyncio, ws_widget")
            # Idle kernel: round trip of a trivial cell.
            for _ in range(5):
                kernel.execute_time()
            idle = [kernel.execute_time() for _ in range(10 if quick else 30)]

            # 3. The displayed widget under 50,000 messages/s.
            n = rate * seconds
            kernel.wire.clear()
            kernel.run(
                f"ws = ws_widget.connect({sender.flood(n, 64, rate=rate)!r}, max_size=None)\ndisplay(ws)"
            )
            comm = kernel.widget_comms()[-1]
            received = _wait_in_kernel(kernel, "ws", n, seconds * 4 + 30)
            kernel.pump_for(0.5)
            batches = [
                (t, size, c)
                for t, kind, size, c in kernel.wire
                if kind == "comm_msg" and c.get("comm_id") == comm
            ]
            first, last = batches[0][0], batches[-1][0]
            span = max(last - first, 1e-9)
            comm_bytes = sum(size for _, size, _ in batches)
            warnings = [
                text
                for outputs in kernel.outputs.values()
                for _, text in outputs
                if "IOPub" in text and "rate exceeded" in text
            ]
            contents = [c["data"].get("content", {}) for _, _, c in batches]
            result["traffic"] = {
                "incoming_rate": rate,
                "seconds": seconds,
                "received": received["received"],
                "receive_rate_in_kernel": received["received"] / received["seconds"]
                if received["seconds"]
                else 0,
                "comm_messages": len(batches),
                "comm_span_s": span,
                "comm_msgs_per_s": (len(batches) - 1) / span,
                "comm_bytes_per_s": comm_bytes / span,
                "max_records_per_batch": max(len(c.get("records", [])) for c in contents),
                "iopub_warnings": warnings,
                "server_rule": _server_rate_check(kernel.wire, first, last),
            }
            kernel.run("ws.close()")

            # 6. Responsiveness: a trivial cell while 20,000 messages/s arrive, widget displayed.
            busy_seconds = 3 if quick else 8
            kernel.run(
                f"ws2 = ws_widget.connect({sender.flood(busy_rate * busy_seconds, 64, rate=busy_rate)!r}, "
                f"max_size=None)\ndisplay(ws2)"
            )
            time.sleep(0.5)
            busy = []
            deadline = time.monotonic() + busy_seconds - 1.5
            while time.monotonic() < deadline:
                busy.append(kernel.execute_time())
                time.sleep(0.05)
            kernel.run("ws2.close()")
            result["responsiveness"] = {
                "idle_p50_ms": statistics.median(idle) * 1000,
                "busy_p50_ms": statistics.median(busy) * 1000,
                "busy_max_ms": max(busy) * 1000,
                "busy_samples": len(busy),
                "incoming_rate": busy_rate,
                "ratio": statistics.median(busy) / statistics.median(idle),
            }

            # Ingest inside the kernel: Data callbacks print through ipykernel's streams.
            result["kernel_ingest"] = _kernel_ingest(kernel, sender, 20_000 if quick else 100_000)
        finally:
            kernel.shutdown()
    return result


def _kernel_ingest(kernel: Kernel, sender, n: int) -> dict:
    """Raw client (top-level await in the cell) vs ws_widget with history only and with a
    Data callback, in the kernel itself, alternating; medians of 3."""
    kernel.run(
        textwrap.dedent(
            """
        from websockets.asyncio.client import connect as _raw_connect
        import threading

        async def _raw(url, n):
            count = 0
            async with _raw_connect(url, max_size=None) as c:
                async for m in c:
                    count += 1
                    if count == 1:
                        t0 = time.monotonic()
                    elif count == n:
                        return (n - 1) / (time.monotonic() - t0)

        def _wsw(url, n, callback):
            done = threading.Event()
            s = ws_widget.WebSocket(max_records=n + 10)
            if callback:
                box = {"count": 0}
                def on_data(ws, data):
                    box["count"] += 1
                    if box["count"] == n:
                        box["t"] = time.monotonic()
                        done.set()
                s.Data = on_data
            s.connect(url, max_size=None)
            while s.stats["messages_in"] < n:
                time.sleep(0.02)
            if callback:
                done.wait(300)
            recs = [r for r in s.history.snapshot() if r.direction == "in"]
            end = box["t"] if callback else recs[n - 1].mono
            s.close()
            return (n - 1) / (end - recs[0].mono)
        """
        )
    )
    rates: dict[str, list[float]] = {"raw": [], "history": [], "callback": []}
    for _ in range(3):
        for variant in rates:
            url = sender.flood(n, 64)
            code = (
                f"print(await _raw({url!r}, {n}))"
                if variant == "raw"
                else f"print(_wsw({url!r}, {n}, {variant == 'callback'}))"
            )
            rates[variant].append(float(kernel.run(code, timeout=300).stdout.strip().splitlines()[-1]))
    medians = {k: statistics.median(v) for k, v in rates.items()}
    return {
        "messages": n,
        "size": 64,
        "rates": rates,
        "median_rates": medians,
        "history_ratio": medians["history"] / medians["raw"],
        "callback_ratio": medians["callback"] / medians["raw"],
    }
