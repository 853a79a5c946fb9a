"""Long-run memory (issue 8): one connection receiving a paced stream for minutes, with the
history capped, sampling RSS; says whether RSS plateaued once the history was full.

    python benchmarks/soak.py                  # 10 minutes (make soak)
    python benchmarks/soak.py --minutes 0.1    # quick: proves it runs (figures meaningless)
    python benchmarks/soak.py --rate 5000 --size 1024 --no-widget

The sender is ``server.js``'s paced ``/flood?rate=`` (Node's ``ws``, its own process). The
client has a counting ``Data`` callback and a widget model (its comm is a ``DummyComm`` in a
plain interpreter: batches are built every 50 ms and sent nowhere), as a notebook would.
Writes ``results/soak.md`` and ``soak.json`` and prints the Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# WS_WIDGET_CHECKOUT: soak the ws_widget of another checkout (as run.py --checkout does).
sys.path.insert(0, os.environ.get("WS_WIDGET_CHECKOUT") or str(HERE.parent))

from common import Sender, cpu, machine, rss  # noqa: E402

PLATEAU = 0.05  # RSS may grow at most this fraction over the second half of the run
TABLE_ROWS = 20


def soak(
    sender: Sender,
    minutes: float,
    rate: int,
    size: int,
    max_records: int,
    max_bytes: int,
    interval: float,
    callback: bool,
    widget: bool,
) -> dict:
    import ws_widget

    seconds = minutes * 60
    n = max(1, int(rate * seconds))
    ws = ws_widget.WebSocket(max_records=max_records, max_bytes=max_bytes)
    ran = [0]
    if callback:

        def on_data(ws, data):
            ran[0] += 1

        ws.Data = on_data
    if widget:
        ws.widget  # noqa: B018 - the model and its 50 ms flusher
    done = threading.Event()
    samples: list[dict] = []
    start = time.monotonic()
    cpu0 = cpu()

    def sample() -> dict:
        history = ws.history
        stats = ws.stats
        row = {
            "t": round(time.monotonic() - start, 1),
            "rss": rss(),
            "cpu": round(cpu() - cpu0, 2),
            "received": stats["messages_in"],
            "records": len(history),
            "history_bytes": history.bytes,
            "dropped": history.dropped,
            "callbacks": ran[0],
            "pending": ws.pending_callbacks,
        }
        samples.append(row)
        return row

    sample()
    ws.connect(sender.flood(n, size, rate=rate), max_size=None)
    deadline = start + seconds + max(30.0, seconds * 0.2)  # the stream is paced: allow for lag
    while True:
        row = sample()
        if row["received"] >= n and (not callback or row["callbacks"] >= n):
            break
        if time.monotonic() > deadline:
            break
        done.wait(min(interval, max(0.05, start + seconds - time.monotonic() + 0.05)))
    ws.close()
    end = sample()
    return {
        "minutes": minutes,
        "rate": rate,
        "size": size,
        "expected": n,
        "max_records": max_records,
        "max_bytes": max_bytes,
        "callback": callback,
        "widget": widget,
        "samples": samples,
        "complete": end["received"] == n and (not callback or end["callbacks"] == n),
        "verdict": verdict(samples),
        "cpu_per_wall": end["cpu"] / max(end["t"], 1e-9),
    }


def verdict(samples: list[dict]) -> dict:
    """Compare RSS at half time with the end, once the history was full (dropping records)."""
    end = samples[-1]
    mid = min(samples, key=lambda row: abs(row["t"] - end["t"] / 2))
    full = next((row for row in samples if row["dropped"] > 0), None)
    growth = (end["rss"] - mid["rss"]) / mid["rss"]
    per_message = (end["rss"] - mid["rss"]) / max(1, end["received"] - mid["received"])
    if full is None or full["t"] > mid["t"]:
        text = "inconclusive: the history was not full by half time (longer run or smaller caps)"
        ok = None
    else:
        ok = growth < PLATEAU
        text = (
            f"{'plateaued' if ok else 'STILL GROWING'}: RSS {growth * 100:+.1f}% over the second half "
            f"({per_message:+.2f} B per message received; limit {PLATEAU * 100:.0f}%)"
        )
    return {
        "ok": ok,
        "text": text,
        "growth_second_half": growth,
        "bytes_per_message_second_half": per_message,
        "history_full_at_s": full and full["t"],
        "mid_t": mid["t"],
    }


def markdown(result: dict) -> str:
    mib = 2**20
    samples = result["samples"]
    step = max(1, len(samples) // TABLE_ROWS)
    rows = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
    m = result["machine"]
    lines = [
        "## Long run memory",
        "",
        f"Run {m['date']}: {result['minutes']:g} min, {result['rate']:,} messages/s of {result['size']} B "
        f"(`/flood?rate=`), history capped at {result['max_records']:,} records / "
        f"{result['max_bytes'] / mib:g} MiB; Data callback {'on' if result['callback'] else 'off'}, widget "
        "model "
        f"{'on' if result['widget'] else 'off'}. {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
        f"websockets {m['websockets']}. Process CPU {result['cpu_per_wall'] * 100:.0f}% of one core.",
        "",
        "| time (s) | RSS (MiB) | received | history records | history (MiB) | dropped | callbacks run "
        "| pending |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['t']:.0f} | {r['rss'] / mib:.1f} | {r['received']:,} | {r['records']:,} | "
        f"{r['history_bytes'] / mib:.1f} | {r['dropped']:,} | {r['callbacks']:,} | {r['pending']:,} |"
        for r in rows
    ]
    end = samples[-1]
    lines += [
        "",
        f"Received {end['received']:,} of {result['expected']:,} messages "
        f"({'all' if result['complete'] else 'INCOMPLETE'}); history full (dropping) from "
        f"{result['verdict']['history_full_at_s'] or '-'} s. Verdict: **{result['verdict']['text']}**.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the stream (default 10)")
    parser.add_argument("--rate", type=int, default=2000, help="messages per second (default 2000)")
    parser.add_argument("--size", type=int, default=256, help="message size in bytes (default 256)")
    parser.add_argument(
        "--max-records",
        type=int,
        default=0,
        help="history cap in records (default: 100,000, or a quarter of the run if less)",
    )
    parser.add_argument("--max-bytes", type=int, default=16 * 2**20, help="history cap in bytes (16 MiB)")
    parser.add_argument(
        "--interval", type=float, default=0.0, help="seconds between samples (default 5; quick 1)"
    )
    parser.add_argument("--no-callback", action="store_true", help="no Data callback")
    parser.add_argument("--no-widget", action="store_true", help="no widget model")
    args = parser.parse_args()
    if args.minutes <= 0 or args.rate <= 0 or args.size <= 0:
        parser.error("--minutes, --rate and --size must be positive")
    max_records = args.max_records or max(100, min(100_000, int(args.rate * args.minutes * 60 / 4)))
    interval = args.interval or (5.0 if args.minutes >= 2 else 1.0)
    with Sender() as sender:
        result = soak(
            sender,
            args.minutes,
            args.rate,
            args.size,
            max_records,
            args.max_bytes,
            interval,
            not args.no_callback,
            not args.no_widget,
        )
    result["machine"] = machine()
    result["checkout"] = os.environ.get("WS_WIDGET_CHECKOUT", "")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=1))
    text = markdown(result)
    (out / "soak.md").write_text(text)
    print(text)
    sys.stdout.flush()
    os._exit(0 if result["complete"] else 1)  # don't wait for the I/O thread's goodbyes


if __name__ == "__main__":
    main()
