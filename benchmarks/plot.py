"""The Plot tab's kernel-side cost (issue 14 item 1): ``bench()`` for ``run.py --only plot``.

What the widget's flusher pays per message for the Plot tab is :meth:`PlotFeed.collect` over the
records of one flush (at most ``MAX_PER_FLUSH``). Measured here on a history filled beforehand,
in flush-sized steps, against the floor of any plot of JSON fields: ``json.loads`` of the same
payloads in a plain loop. Two payloads: a telemetry reading of the demo server (~150 B, one and
three fields chosen) and a ~1 KiB Q-SYS ``ChangeGroup.Poll`` (a ``[Name=...]`` path). The cost
with no field chosen is measured too (it should be nothing per message: no payload is parsed).
Pure CPU, no sockets: variants alternate within each round, medians of the rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, os.environ.get("WS_WIDGET_CHECKOUT") or str(HERE.parent))

from lua import qrc_reply  # noqa: E402  (benchmarks/ is on sys.path; ws_widget after the checkout switch)

N, QUICK_N = 100_000, 5_000

TELEMETRY = json.dumps(
    {
        "counter": 12345,
        "timestamp": 1767225600.1,
        "time": "2026-01-01T00:00:00.100Z",
        "temperature_c": 21.53,
        "humidity_pct": 44.8,
        "voltage_v": 12.013,
    }
)
CASES = {
    "telemetry, 1 field": (TELEMETRY, ["temperature_c"]),
    "telemetry, 3 fields": (TELEMETRY, ["temperature_c", "humidity_pct", "voltage_v"]),
    "QRC poll, [Name=] path": (qrc_reply(), ["result.Changes[Name=input.3.gain].Value"]),
}


def _history(payload: str, n: int) -> Any:
    from ws_widget.pure.budget import Budget
    from ws_widget.pure.history import History

    history = History(budget=Budget(limit=2**40))
    for _ in range(n):
        history.add("in", "text", payload, len(payload))
    return history


def _collect_rate(history: Any, fields: list[str]) -> tuple[float, int]:
    """Messages per second through PlotFeed.collect, one flush's worth of records at a time;
    and how many values of the first field it gathered."""
    from ws_widget.faces.plot import MAX_PER_FLUSH, PlotFeed

    feed = PlotFeed(history)
    feed._scanned = 0  # nothing read yet: the messages arrive one flush at a time
    if fields:
        feed.select(fields)
    last = history.last_seq
    counted = 0
    t0 = time.perf_counter()
    for upto in range(MAX_PER_FLUSH, last + MAX_PER_FLUSH, MAX_PER_FLUSH):
        feed.history = _Upto(history, min(upto, last))  # the history as that flush saw it
        taken = feed.collect()
        if fields and fields[0] in taken:
            counted += int(taken[fields[0]][5])
    elapsed = time.perf_counter() - t0
    feed.history = history
    return last / elapsed, counted


class _Upto:
    """The history as it was when its last record was ``upto`` (for flush-sized collects)."""

    def __init__(self, history: Any, upto: int) -> None:
        self._history, self.last_seq = history, upto

    def since(self, seq: int, limit: int | None = None) -> list:
        return self._history.since(seq, limit)

    def count_incoming_text(self, after: int, upto: int) -> int:
        return self._history.count_incoming_text(after, upto)


def _loads_rate(payload: str, n: int) -> float:
    loads = json.loads
    t0 = time.perf_counter()
    for _ in range(n):
        loads(payload)
    return n / (time.perf_counter() - t0)


def bench(sender: Any, quick: bool, reps: int) -> dict:
    """Every case: collect's rate, json.loads' rate, their ratio; and the cost with no field chosen."""
    n = QUICK_N if quick else N
    out: dict[str, Any] = {"messages": n, "cases": {}}
    for name, (payload, fields) in CASES.items():
        history = _history(payload, n)
        collect, loads, idle = [], [], []
        for _ in range(reps):
            rate, counted = _collect_rate(history, fields)
            assert counted == n, (name, counted, n)  # every message was read, none twice
            collect.append(rate)
            loads.append(_loads_rate(payload, n))
            idle.append(_collect_rate(history, [])[0])
        out["cases"][name] = {
            "bytes": len(payload),
            "collect_rate": statistics.median(collect),
            "loads_rate": statistics.median(loads),
            "ratio": statistics.median(c / lo for c, lo in zip(collect, loads, strict=True)),
            "idle_rate": statistics.median(idle),
        }
        r = out["cases"][name]
        print(
            f"  plot {name} ({r['bytes']} B): {r['collect_rate']:,.0f} msg/s, {r['ratio']:.2f} of json.loads "
            f"({r['loads_rate']:,.0f}/s); no field chosen: {r['idle_rate']:,.0f} msg/s",
            file=sys.stderr,
            flush=True,
        )
    return out


def targets(plot: dict) -> list[tuple[str, str, str, str]]:
    """(measurement, figure, target, verdict) rows: collect keeps up with 10,000 msg/s (the
    per-flush bound: 500 records at 20 flushes a second) at 0.4 or more of json.loads' rate."""
    rows = []
    for name, r in plot["cases"].items():
        rows.append(
            (
                f"14.1 Plot tab, {name}: PlotFeed.collect / json.loads",
                f"{r['ratio']:.2f} ({r['collect_rate']:,.0f} msg/s)",
                ">= 0.4, >= 10,000 msg/s",
                "met" if r["ratio"] >= 0.4 and r["collect_rate"] >= 10_000 else "**MISSED**",
            )
        )
    return rows


def markdown(plot: dict) -> list[str]:
    """The section's table."""
    lines = [
        "",
        "## 14. The Plot tab's kernel side",
        "",
        f"{plot['messages']:,} incoming text messages in a history, read by `PlotFeed.collect` one flush "
        "(500 records) at a time, against `json.loads` of the same payloads in a plain loop (the floor of "
        "any plot of JSON fields). With no field chosen nothing is parsed.",
        "",
        "| case | bytes | collect msg/s | json.loads msg/s | ratio | no field chosen, msg/s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in plot["cases"].items():
        lines.append(
            f"| {name} | {r['bytes']} | {r['collect_rate']:,.0f} | {r['loads_rate']:,.0f} | "
            f"{r['ratio']:.2f} | {r['idle_rate']:,.0f} |"
        )
    return lines
