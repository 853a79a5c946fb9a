"""Run every benchmark of issues 8 and 16 and write the table.

    python benchmarks/run.py            # full run (about 12 minutes on 2 cores)
    python benchmarks/run.py --quick    # every measurement, tiny sizes: proves the code works
    python benchmarks/run.py --only ingest,roundtrip
    python benchmarks/run.py --only receive        # issue 16: Pythonic receive vs raw async for (~2 min)
    python benchmarks/run.py --only scale          # 1,000 connections x 10 msg/s (scale.py, ~40 s)
    python benchmarks/run.py --only plot           # the Plot tab's kernel side (plot.py, ~30 s)

The 10-minute long-run memory benchmark is separate: ``benchmarks/soak.py`` (``make soak``).

Writes ``benchmarks/results/latest.md`` and ``latest.json`` (git-ignored), and after a full run
of every section ``benchmarks/RESULTS.md`` (committed). ``--checkout DIR`` measures the ws_widget
package found in DIR instead (a proposed fix, side by side with the same raw client) and writes
``results/checkout.md`` and ``.json``. Every figure is a ratio against the raw
``websockets`` client measured in the same run, trials alternating, medians of at least 3;
each trial runs in a fresh interpreter. The sender is Node's ``ws`` in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import HERE, MALLOC_ENV, Sender, machine, median, trial

SECTIONS = (
    "server",
    "ingest",
    "receive",
    "roundtrip",
    "memory",
    "frontend",
    "browser",
    "scale",
    "lua",
    "plot",
)
SIZES = (64, 1024, 65536)
# Messages per ingest trial: about a second of the raw client at each size.
INGEST_N = {64: 200_000, 1024: 100_000, 65536: 8_000}  # 8,000 x 64 KiB stays under 512 MiB of history
QUICK_N = {64: 20_000, 1024: 10_000, 65536: 500}
VARIANTS = ("raw", "history", "callback", "widget", "full", "raw+malloc", "history+malloc")
# Issue 16: every Pythonic receive path against the raw client's `async for`, text messages.
RECEIVE_SIZES = (64, 1024)
RECEIVE_N = {64: 200_000, 1024: 100_000}  # about a second of the raw client, as INGEST_N
RECEIVE_QUICK_N = {64: 2_000, 1024: 1_000}
# raw and callback are ingest's own trials (trial.py ingest raw|callback), run in the same rounds.
RECEIVE_VARIANTS = ("raw", "iterate", "receive", "expect", "async_iterate", "aio_receive", "callback")
RECEIVE_FACES = RECEIVE_VARIANTS[1:]
RECEIVE_LABELS = {
    "raw": "raw `async for message in connection`",
    "iterate": "`for message in ws`",
    "receive": "`ws.receive(timeout=10)` loop",
    "expect": '`ws.expect("x")` loop',
    "async_iterate": "`async for message in ws`",
    "aio_receive": "`await ws.aio.receive()` loop",
    "callback": "`Data` callback",
}


def frame_bytes(size: int) -> int:
    return size + (2 if size < 126 else 4 if size < 65536 else 10)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- sections


def bench_server(sender: Sender, quick: bool, reps: int) -> dict:
    """The sender's own rate: a plain socket that reads without parsing."""
    out = {}
    for size in SIZES:
        n = (QUICK_N if quick else INGEST_N)[size] * 5
        rates = [
            trial("drain", sender.flood(n, size, binary=size >= 65536), n, frame_bytes(size))["rate"]
            for _ in range(reps)
        ]
        out[str(size)] = {"rate": median(rates), "rates": rates, "messages": n}
        log(f"  sender {size} B: {median(rates):,.0f} msg/s")
    return out


def bench_ingest(sender: Sender, quick: bool, reps: int) -> dict:
    out = {}
    for size in SIZES:
        n = (QUICK_N if quick else INGEST_N)[size]
        binary = size >= 65536
        rates: dict[str, list[float]] = {v: [] for v in VARIANTS}
        faults: dict[str, list[int]] = {v: [] for v in VARIANTS}
        extra: dict[str, list[float]] = {"callback_recorded": [], "raw_window": []}
        widget_comm = None
        for _ in range(reps):
            for variant in VARIANTS:  # alternating A and B within each round
                base, _, malloc = variant.partition("+")
                result = trial(
                    "ingest",
                    base,
                    sender.flood(n, size, binary=binary),
                    n,
                    env=MALLOC_ENV if malloc else None,
                )
                rates[variant].append(result["rate"])
                faults[variant].append(result["minor_faults"])
                if base == "callback":
                    extra["callback_recorded"].append(result["recorded_rate"])
                if variant == "raw":
                    extra["raw_window"].append(result["window_rate"])
                if base == "widget":
                    widget_comm = result.get("widget_comm")
        med = {v: median(r) for v, r in rates.items()}
        paired = {}
        for v in VARIANTS:  # each round ran every variant once: the lists pair up
            raw = rates["raw" if "malloc" not in v else "raw+malloc"]
            paired[v] = median([a / b for a, b in zip(rates[v], raw, strict=True)])
        out[str(size)] = {
            "messages": n,
            "kind": "binary" if binary else "text",
            "rates": rates,
            "median_rate": med,
            "ratio": {v: med[v] / med["raw"] for v in ("history", "callback", "widget")}
            | {"full": med["full"] / median(extra["raw_window"])},
            "raw_window_rate": median(extra["raw_window"]),
            "paired_ratio": {v: paired[v] for v in ("history", "callback", "widget")},
            "malloc": {
                "raw_speedup": med["raw+malloc"] / med["raw"],
                "history_speedup": med["history+malloc"] / med["history"],
                "history_ratio": med["history+malloc"] / med["raw+malloc"],
            },
            "minor_faults_per_msg": {v: median(f) / n for v, f in faults.items()},
            "callback_recorded_rate": median(extra["callback_recorded"]),
            "widget_comm": widget_comm,
        }
        r = out[str(size)]["ratio"]
        log(
            f"  ingest {size} B: raw {med['raw']:,.0f}/s; history {r['history']:.2f}, "
            f"callback {r['callback']:.2f}, widget {r['widget']:.2f}; "
            f"malloc raw x{out[str(size)]['malloc']['raw_speedup']:.2f}"
        )
    return out


def bench_receive(sender: Sender, quick: bool, reps: int) -> dict:
    """Issue 16: each Pythonic receive path against the raw client's ``async for``, alternating
    within each round; and one ``expect()`` over a backlog against the match alone."""
    out = {}
    for size in RECEIVE_SIZES:
        n = (RECEIVE_QUICK_N if quick else RECEIVE_N)[size]
        rates: dict[str, list[float]] = {v: [] for v in RECEIVE_VARIANTS}
        recorded: dict[str, list[float]] = {v: [] for v in RECEIVE_FACES if v != "callback"}
        backlog: list[dict] = []
        for _ in range(reps):
            for variant in RECEIVE_VARIANTS:  # alternating within each round
                url = sender.flood(n, size)
                if variant in ("raw", "callback"):
                    result = trial("ingest", variant, url, n)
                else:
                    result = trial("receive", variant, url, n)
                    recorded[variant].append(result["recorded_rate"])
                rates[variant].append(result["rate"])
            backlog.append(trial("receive-backlog", sender.url("/ticks", n=n, size=size), n))
        med = {v: median(r) for v, r in rates.items()}
        out[str(size)] = {
            "messages": n,
            "kind": "text",
            "rates": rates,
            "median_rate": med,
            "ratio": {v: med[v] / med["raw"] for v in RECEIVE_FACES},
            # each round ran every variant once: the lists pair up
            "paired_ratio": {
                v: median([a / b for a, b in zip(rates[v], rates["raw"], strict=True)]) for v in RECEIVE_FACES
            },
            "recorded_rate": {v: median(r) for v, r in recorded.items()},
            "backlog": {
                "messages": n,
                "runs": backlog,
                "ratio": median([b["ratio"] for b in backlog]),
                **{
                    key: median([b[key] for b in backlog])
                    for key in ("expect_us_per_message", "match_us_per_message", "search_us_per_message")
                },
            },
        }
        r = out[str(size)]
        log(
            f"  receive {size} B: raw {med['raw']:,.0f}/s; "
            + ", ".join(f"{v} {r['ratio'][v]:.2f}" for v in RECEIVE_FACES)
            + f"; expect over a backlog {r['backlog']['expect_us_per_message']:.2f} us/msg = "
            f"{r['backlog']['ratio']:.2f}x the match alone"
        )
    return out


def bench_roundtrip(sender: Sender, quick: bool, reps: int) -> dict:
    n = 300 if quick else 3000
    runs: dict[str, list[dict]] = {"raw": [], "ws_widget": []}
    for _ in range(reps):
        for variant in runs:
            runs[variant].append(trial("roundtrip", variant, sender.url("/echo"), n, 64))
    med = {v: {q: median([r[q] for r in rs]) for q in ("p50", "p90", "p99")} for v, rs in runs.items()}
    out = {
        "samples_per_run": n,
        "size": 64,
        "runs": runs,
        "median_us": {v: {q: s * 1e6 for q, s in m.items()} for v, m in med.items()},
        "ratio": {q: med["ws_widget"][q] / med["raw"][q] for q in ("p50", "p90", "p99")},
    }
    log(
        f"  round trip p50 raw {out['median_us']['raw']['p50']:.0f} us, ws_widget "
        f"{out['median_us']['ws_widget']['p50']:.0f} us: ratio {out['ratio']['p50']:.2f}"
    )
    return out


def bench_memory(sender: Sender, quick: bool, reps: int) -> dict:
    n = 50_000 if quick else 1_000_000
    network = trial("memory", sender.flood(10, 64), sender.flood(n, 64), n, timeout=900)
    direct = trial("memory-direct", n, 64, timeout=900)
    log(
        f"  memory: {network['beyond_payload_per_record']:.0f} B/record beyond payload "
        f"(History.add alone: {direct['beyond_payload_per_record']:.0f} B)"
    )
    return {"records": n, "network": network, "direct": direct}


def bench_frontend(sender: Sender, quick: bool, reps: int) -> dict:
    import frontend

    out = frontend.measure(sender, quick=quick)
    t = out["traffic"]
    log(
        f"  front end: {t['comm_msgs_per_s']:.1f} comm msgs/s, {t['comm_bytes_per_s'] / 1000:.0f} kB/s; "
        f"responsiveness x{out['responsiveness']['ratio']:.2f}; in-kernel callback ratio "
        f"{out['kernel_ingest']['callback_ratio']:.2f}"
    )
    return out


def bench_browser(sender: Sender, quick: bool, reps: int) -> dict:
    import browser_bench

    out = browser_bench.measure(sender, quick=quick)
    log(
        f"  browser: ratios {', '.join(f'{k} {v:.2f}' for k, v in out['ratios'].items())}; "
        f"long tasks {out['live']['long_tasks']}"
    )
    return out


def bench_scale(sender: Sender, quick: bool, reps: int) -> dict:
    """1,000 connections x 10 msg/s of numbered messages (scale.py), ws_widget with a Data callback
    and the raw websockets client, each once in a fresh interpreter."""
    connections, seconds = (50, 3) if quick else (1000, 15)
    args = (
        "--url",
        sender.url("/ticks"),
        "--connections",
        connections,
        "--rate",
        10,
        "--seconds",
        seconds,
        "--json",
    )
    out = {
        variant: trial(*args, *extra, script="scale.py", timeout=seconds + 300)
        for variant, extra in (("raw", ("--raw",)), ("ws_widget", ()))
    }
    ws, raw = out["ws_widget"], out["raw"]
    out["cpu_ratio"] = ws["steady_cpu"] / max(raw["steady_cpu"], 1e-9)
    log(
        f"  scale: {connections} connections, steady CPU {ws['steady_cpu'] * 100:.0f}% of a core (raw "
        f"{raw['steady_cpu'] * 100:.0f}%), RSS {ws['rss_end'] / 2**20:.0f} MiB, missing {ws['missing']} of "
        f"{ws['expected']:,}"
    )
    return out


def bench_lua(sender: Sender, quick: bool, reps: int) -> dict:
    """Issue 13: the Lua face (benchmarks/lua.py): Data ingest vs the Python seed callback and
    the raw client, calls from Python into Lua, rapidjson.decode vs json.loads, Timer ticks."""
    import lua

    return lua.bench(sender, quick, reps)


def bench_plot(sender: Sender, quick: bool, reps: int) -> dict:
    """Issue 14 item 1: the Plot tab's kernel side (benchmarks/plot.py): PlotFeed.collect vs
    json.loads of the same payloads, and its cost with no field chosen."""
    import plot

    return plot.bench(sender, quick, reps)


# ---------------------------------------------------------------------------------- report


def _ok(value: float, limit: float, above: bool = False) -> str:
    good = value >= limit if above else value <= limit
    return "met" if good else "**MISSED**"


def targets(results: dict) -> list[tuple[str, str, str, str]]:
    """(measurement, figure, target, verdict) rows."""
    rows = []
    ingest = results.get("ingest")
    if ingest:
        for size, r in ingest.items():
            rows.append(
                (
                    f"1. ingest {size} B, history only / raw",
                    f"{r['ratio']['history']:.2f}",
                    ">= 0.90",
                    _ok(r["ratio"]["history"], 0.9, above=True),
                )
            )
            rows.append(
                (
                    f"1. ingest {size} B, Data callback / raw",
                    f"{r['ratio']['callback']:.2f}",
                    ">= 0.75",
                    _ok(r["ratio"]["callback"], 0.75, above=True),
                )
            )
            rows.append(
                (
                    f"1. ingest {size} B, widget model / raw",
                    f"{r['ratio']['widget']:.2f}",
                    ">= 0.90",
                    _ok(r["ratio"]["widget"], 0.9, above=True),
                )
            )
            if "full" in r["ratio"]:
                rows.append(
                    (
                        f"1c. ingest {size} B, full history (steady state) / raw",
                        f"{r['ratio']['full']:.2f}",
                        "(reported)",
                        "",
                    )
                )
    rc = results.get("receive")
    if rc:
        for size, r in rc.items():
            for v in RECEIVE_FACES:
                label = f"16.1 receive {size} B, {RECEIVE_LABELS[v]} / raw `async for`"
                if v == "callback":  # issue 8's ingest target, cited
                    rows.append((label, f"{r['ratio'][v]:.2f}", "(reported; ingest >= 0.75)", ""))
                else:
                    rows.append(
                        (label, f"{r['ratio'][v]:.2f}", ">= 0.90", _ok(r["ratio"][v], 0.9, above=True))
                    )
            b = r["backlog"]
            rows.append(
                (
                    f"16.1 one `expect()` over a backlog of {b['messages']:,} x {size} B / the match alone",
                    f"{b['ratio']:.2f} ({b['expect_us_per_message']:.2f} us a message)",
                    "<= 1.0",
                    _ok(b["ratio"], 1.0),
                )
            )
    rt = results.get("roundtrip")
    if rt:
        rows.append(
            ("2. round trip p50 / raw", f"{rt['ratio']['p50']:.2f}", "<= 2.0", _ok(rt["ratio"]["p50"], 2.0))
        )
        rows.append(("2. round trip p99 / raw", f"{rt['ratio']['p99']:.2f}", "(reported)", ""))
    fe = results.get("frontend")
    if fe:
        t = fe["traffic"]
        rows.append(
            (
                "3. comm messages/s at 50,000 msg/s",
                f"{t['comm_msgs_per_s']:.1f}",
                "<= 20",
                _ok(t["comm_msgs_per_s"], 20),
            )
        )
        rows.append(
            (
                "3. comm bytes/s at 50,000 msg/s",
                f"{t['comm_bytes_per_s'] / 1000:.0f} kB/s",
                "<= 500 kB/s",
                _ok(t["comm_bytes_per_s"], 500_000),
            )
        )
        tripped = (
            bool(t["iopub_warnings"])
            or t["server_rule"]["would_trip_msg_limit"]
            or t["server_rule"]["would_trip_data_limit"]
        )
        rows.append(
            (
                "3. IOPub rate warning",
                "yes" if tripped else "none",
                "none",
                "**MISSED**" if tripped else "met",
            )
        )
        rs = fe["responsiveness"]
        rows.append(
            (
                "6. trivial cell round trip at 20,000 msg/s / idle",
                f"{rs['ratio']:.2f}",
                "<= 3",
                _ok(rs["ratio"], 3),
            )
        )
        ki = fe["kernel_ingest"]
        rows.append(
            (
                "1b. in a kernel: ingest 64 B, Data callback / raw",
                f"{ki['callback_ratio']:.2f}",
                ">= 0.75",
                _ok(ki["callback_ratio"], 0.75, above=True),
            )
        )
    mem = results.get("memory")
    if mem:
        per = mem["network"]["beyond_payload_per_record"]
        rows.append(
            ("4. RSS per record beyond payload (1M x 64 B)", f"{per:.0f} B", "<= 200 B", _ok(per, 200))
        )
    br = results.get("browser")
    if br:
        for what, label in (("render", "first render"), ("top", "jump to top"), ("bottom", "jump to bottom")):
            v = br["ratios"][what]
            rows.append(
                (f"5. {label}, {br['big']:,} / {br['small']} records", f"{v:.2f}", "<= 1.5", _ok(v, 1.5))
            )
        for what, label in (("render", "first render"), ("top", "jump to top"), ("bottom", "jump to bottom")):
            v = br["ratios_vs_mid"][what]
            rows.append(
                (
                    f"5b. {label}, {br['big']:,} / {br['mid']:,} records",
                    f"{v:.2f}",
                    "(size independence)",
                    _ok(v, 1.5),
                )
            )
        rows.append(
            (
                "5. DOM rows per view",
                str(br["dom_rows_max_per_view"]),
                "<= 300",
                _ok(br["dom_rows_max_per_view"], 300),
            )
        )
        live = br["live"]
        rows.append(
            (
                "5. long tasks > 50 ms at 20,000 msg/s",
                f"{live['long_tasks']} (longest {live['longest_ms']:.0f} ms)",
                "0",
                "met" if live["long_tasks"] == 0 else "**MISSED**",
            )
        )
    sc = results.get("scale")
    if sc:
        ws = sc["ws_widget"]
        lost = (
            ws["expected"]
            - min(ws["received"], ws["callbacks"])
            + ws["missing"]
            + ws["connections_out_of_order"]
        )
        rows.append(
            (
                f"7. {ws['connections']:,} connections x {ws['rate']} msg/s: messages missing or out of "
                "order",
                f"{lost}",
                "0",
                "met" if lost == 0 and ws["failed_to_open"] == 0 else "**MISSED**",
            )
        )
        rows.append(
            (
                f"7. {ws['connections']:,} connections: steady CPU / RSS at end",
                f"{ws['steady_cpu'] * 100:.0f}% of a core ({sc['cpu_ratio']:.2f} of raw) / "
                f"{ws['rss_end'] / 2**20:.0f} MiB",
                "(reported)",
                "",
            )
        )
    if results.get("lua"):
        import lua

        rows += lua.targets(results["lua"])
    if results.get("plot"):
        import plot

        rows += plot.targets(results["plot"])
    return rows


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# ws_widget benchmarks",
        "",
        f"Run {m['date']}{' (QUICK: tiny sizes, figures meaningless)' if results['quick'] else ''}"
        f"{' of ws_widget from ' + results['checkout'] if results.get('checkout') else ''}; "
        f"{results['seconds']:.0f} s; load average {results['load_before']} before, "
        f"{results['load_after']} after.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, {m['libc']}; "
        f"Python {m['python']}, websockets {m['websockets']}, ipykernel {m['ipykernel']}, "
        f"JupyterLab {m['jupyterlab']}, anywidget {m['anywidget']}; Node {m['node']} with ws "
        f"{m['ws (node)']}; "
        f"{m['chromium']}.",
        "",
        "Sender: Node's `ws` (benchmarks/server.js) in its own process on 127.0.0.1, pre-framed writes. "
        "Every trial is a fresh interpreter; trials alternate within each round; medians over "
        f"{results['reps']} rounds.",
        "",
        "## Targets",
        "",
        "| measurement | figure | target | verdict |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets(results)]

    server = results.get("server")
    ingest = results.get("ingest")
    if server or ingest:
        lines += [
            "",
            "## 1. Ingest (messages/s, medians)",
            "",
            "| size | sender alone | raw websockets | history only | Data callback | widget model "
            "| full history, last quarter | raw + malloc env | history + malloc env |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for size in map(str, SIZES):
            s = server.get(size, {}).get("rate") if server else None
            r = ingest.get(size) if ingest else None
            if r is None:
                continue
            med = r["median_rate"]
            lines.append(
                f"| {size} B {r['kind']} | {(s and f'{s:,.0f}') or '-'} | {med['raw']:,.0f} | "
                f"{med['history']:,.0f} ({r['ratio']['history']:.2f}) | {med['callback']:,.0f} "
                f"({r['ratio']['callback']:.2f}) | {med['widget']:,.0f} ({r['ratio']['widget']:.2f}) | "
                f"{med['full']:,.0f} ({r['ratio']['full']:.2f} of raw's last quarter, "
                f"{r['raw_window_rate']:,.0f}) | "
                f"{med['raw+malloc']:,.0f} (x{r['malloc']['raw_speedup']:.2f}) | "
                f"{med['history+malloc']:,.0f} "
                f"(x{r['malloc']['history_speedup']:.2f}; {r['malloc']['history_ratio']:.2f} of raw + "
                "malloc) |"
            )
        if ingest:
            lines += [
                "",
                "Ratios in parentheses are against raw websockets in the same rounds; the paired "
                "median (each round's own ratio) was: "
                + "; ".join(
                    f"{size} B history {r['paired_ratio']['history']:.2f}, callback "
                    f"{r['paired_ratio']['callback']:.2f}, widget {r['paired_ratio']['widget']:.2f}"
                    for size, r in ingest.items()
                )
                + ".",
                "",
                "Minor page faults per message: "
                + "; ".join(
                    f"{size} B " + ", ".join(f"{v} {f:.2f}" for v, f in r["minor_faults_per_msg"].items())
                    for size, r in ingest.items()
                )
                + ".",
                "",
                f"The widget variant creates `ws.widget` in a plain interpreter: its comm is a "
                f"`{next(iter(ingest.values()))['widget_comm']}`, so batches are built every 50 ms but sent "
                "nowhere; the real front-end traffic is measured in a kernel (section 3).",
                "",
                "The full-history variant keeps `n // 4` records, so over the last quarter of the "
                "stream every new record replaces the oldest (the steady state of a long stream); it "
                "is compared with the raw client's rate over the same last quarter.",
            ]
    rc = results.get("receive")
    if rc:
        lines += [
            "",
            "## 16.1 Receive: the Pythonic paths (messages/s, medians; ratio to raw in parentheses)",
            "",
            "| size | " + " | ".join(RECEIVE_LABELS[v] for v in RECEIVE_VARIANTS) + " |",
            "| --- | " + " | ".join("---" for _ in RECEIVE_VARIANTS) + " |",
        ]
        for size, r in rc.items():
            med = r["median_rate"]
            cells = [f"{med['raw']:,.0f}"] + [f"{med[v]:,.0f} ({r['ratio'][v]:.2f})" for v in RECEIVE_FACES]
            lines.append(f"| {size} B {r['kind']}, {r['messages']:,} messages | " + " | ".join(cells) + " |")
        lines += [
            "",
            "Each trial receives the messages from `server.js /flood` in a fresh interpreter and is timed "
            "from the first message's arrival (its record's `mono`; the raw client: the first message its "
            "`async for` yields) until the consumer has taken the last one, so a consumer slower than the "
            "reader shows. The blocking paths run in the main thread, the async ones in `asyncio.run` in "
            "the main thread; `raw` and `Data callback` are the ingest section's trials, run again in "
            "these rounds. Paired medians (each round's own ratio): "
            + "; ".join(
                f"{size} B " + ", ".join(f"{v} {r['paired_ratio'][v]:.2f}" for v in RECEIVE_FACES)
                for size, r in rc.items()
            )
            + ". The reader recorded meanwhile at (messages/s): "
            + "; ".join(
                f"{size} B " + ", ".join(f"{v} {rate:,.0f}" for v, rate in r["recorded_rate"].items())
                for size, r in rc.items()
            )
            + ".",
            "",
            "`expect()` over a backlog: the messages of `server.js /ticks` (numbered, padded to the size) "
            'are all recorded first (not timed), then one `ws.expect("^<N-1>(?: |$)")` finds the last one '
            "and consumes every message before it; compared with the same match "
            "(`ws_widget.pure.matching.matcher`) run alone on the same payloads in a Python loop, and "
            "with the bare `re.search`: "
            + "; ".join(
                f"{size} B, {r['backlog']['messages']:,} messages: expect "
                f"{r['backlog']['expect_us_per_message']:.2f} us a message, the match alone "
                f"{r['backlog']['match_us_per_message']:.2f} us, `re.search` "
                f"{r['backlog']['search_us_per_message']:.2f} us (**{r['backlog']['ratio']:.2f}x** the match)"
                for size, r in rc.items()
            )
            + ".",
        ]
    rt = results.get("roundtrip")
    if rt:
        mu = rt["median_us"]
        lines += [
            "",
            "## 2. Round trip, 64 B echo (microseconds, medians)",
            "",
            "| | p50 | p90 | p99 |",
            "| --- | --- | --- | --- |",
            f"| raw `send` then `recv` | {mu['raw']['p50']:.0f} | {mu['raw']['p90']:.0f} | "
            f"{mu['raw']['p99']:.0f} |",
            f"| `Write` to `Data` callback | {mu['ws_widget']['p50']:.0f} | {mu['ws_widget']['p90']:.0f} | "
            f"{mu['ws_widget']['p99']:.0f} |",
            f"| ratio | {rt['ratio']['p50']:.2f} | {rt['ratio']['p90']:.2f} | {rt['ratio']['p99']:.2f} |",
        ]
    fe = results.get("frontend")
    if fe:
        t, rs, ki = fe["traffic"], fe["responsiveness"], fe["kernel_ingest"]
        rule = t["server_rule"]
        lines += [
            "",
            "## 3. Front-end traffic in a real kernel (jupyter_client, IOPub)",
            "",
            f"{t['incoming_rate']:,} messages/s of 64 B for {t['seconds']} s into a displayed widget: "
            f"the kernel received {t['received']:,} ({t['receive_rate_in_kernel']:,.0f}/s); the widget sent "
            f"{t['comm_messages']} comm messages over {t['comm_span_s']:.1f} s = "
            f"**{t['comm_msgs_per_s']:.1f}/s**, **{t['comm_bytes_per_s'] / 1000:.0f} kB/s** on the wire "
            f"(at most {t['max_records_per_batch']} records a batch). jupyter_server's rate limiter "
            f"replayed on these messages (3 s window): at most {rule['max_window_msgs_per_s']:.1f} msgs/s "
            f"(limit 1000), stream data {rule['max_window_stream_bytes_per_s']:.0f} B/s (limit 1 MB/s; "
            f"all IOPub bytes {rule['max_window_all_bytes_per_s'] / 1000:.0f} kB/s); IOPub warnings seen: "
            f"{len(t['iopub_warnings'])}.",
            "",
            "## 6. Kernel responsiveness",
            "",
            f"Trivial cell round trip: idle p50 {rs['idle_p50_ms']:.1f} ms; with {rs['incoming_rate']:,} "
            f"messages/s arriving into a displayed widget p50 {rs['busy_p50_ms']:.1f} ms (max "
            f"{rs['busy_max_ms']:.0f} ms, {rs['busy_samples']} cells): ratio **{rs['ratio']:.2f}**.",
            "",
            "## 1b. Ingest inside a kernel (64 B, messages/s, medians of 3)",
            "",
            f"raw client (top-level await in a cell) {ki['median_rates']['raw']:,.0f}; history only "
            f"{ki['median_rates']['history']:,.0f} ({ki['history_ratio']:.2f}); Data callback "
            f"{ki['median_rates']['callback']:,.0f} (**{ki['callback_ratio']:.2f}**).",
        ]
    mem = results.get("memory")
    if mem:
        nw, di = mem["network"], mem["direct"]
        lines += [
            "",
            "## 4. Memory",
            "",
            f"{nw['records']:,} records of 64 B received through a connection: RSS grew "
            f"{(nw['rss_after'] - nw['rss_before']) / 2**20:.0f} MiB = {nw['rss_per_record']:.0f} B per "
            "record, "
            f"**{nw['beyond_payload_per_record']:.0f} B beyond the payload**. `History.add` alone with "
            f"distinct str payloads: {di['beyond_payload_per_record']:.0f} B beyond the payload.",
            "",
            "Per record, CPython objects: "
            + ", ".join(f"{k} {v} B" for k, v in nw["object_sizes"].items())
            + " (before allocator rounding).",
        ]
    br = results.get("browser")
    if br:
        med = br["medians_ms"]
        lines += [
            "",
            "## 5. Browser (JupyterLab, Chromium, milliseconds, medians)",
            "",
            "| records | first render | jump to top | jump to bottom |",
            "| --- | --- | --- | --- |",
        ]
        for name in ("big", "mid", "small"):
            lines.append(
                f"| {br[name]:,} | {med[name]['render']:.0f} | {med[name]['top']:.0f} | "
                f"{med[name]['bottom']:.0f} |"
            )
        live = br["live"]
        lines += [
            "",
            f"Filling the kernel with {br['big']:,} records took {br['fill_seconds']:.1f} s. "
            f"DOM rows per view at most {br['dom_rows_max_per_view']}. While {live['incoming_rate']:,} "
            f"messages/s arrived for {live['seconds']} s ({live['received']:,} received) into a "
            f"following view: {live['long_tasks']} long tasks (longest {live['longest_ms']:.0f} ms, Long "
            f"Tasks API observer {'on' if live['long_task_observer'] else 'UNAVAILABLE'}), "
            f"{live['dom_rows_page']} rows in the page, IOPub warnings in outputs "
            f"{len(live['iopub_warnings'])}, in the server log {live['server_log_iopub_warnings']}. "
            f"Console errors: {len(br['console_errors'])}.",
        ]
    sc = results.get("scale")
    if sc:
        mib = 2**20
        ws, raw = sc["ws_widget"], sc["raw"]
        lines += [
            "",
            f"## 7. Scale: {ws['connections']:,} concurrent connections",
            "",
            f"{ws['connections']:,} connections in one process, each receiving {ws['rate']} numbered "
            "messages/s "
            f"for {ws['seconds']:g} s ({ws['aggregate_rate']:,} msg/s in all) from `server.js /ticks`; "
            "ws_widget with a counting `Data` callback per socket, raw = websockets' asyncio client "
            "(`async for`, payloads kept in a list); `scale.py`, each in a fresh interpreter. CPU is "
            "process user + system time over wall time (100% = one core).",
            "",
            "| | connect all (s) | CPU connecting | CPU steady | CPU whole run | RSS open / end (MiB) "
            "| per connection (KiB) | received | missing | clean closes |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, r in (("ws_widget", ws), ("raw websockets", raw)):
            lines.append(
                f"| {name} | {r['connect_s']:.1f} | {r['connect_cpu'] * 100:.0f}% | "
                f"{r['steady_cpu'] * 100:.0f}% | "
                f"{r['total_cpu'] * 100:.0f}% | {r['rss_open'] / mib:.0f} / {r['rss_end'] / mib:.0f} | "
                f"{r['rss_per_connection_open'] / 1024:.0f} | {r['received']:,} of {r['expected']:,} | "
                f"{r['missing']} | {r['closed_clean']:,} |"
            )
        lines += [
            "",
            f"ws_widget ran {ws['callbacks']:,} callbacks; every sequence number was counted per "
            f"connection ({ws['connections_out_of_order']} connections out of order, {ws['failed_to_open']} "
            f"failed to open). Steady CPU ratio ws_widget / raw: **{sc['cpu_ratio']:.2f}**. RSS before "
            f"connecting: {ws['rss_before'] / mib:.0f} MiB (raw {raw['rss_before'] / mib:.0f} MiB).",
        ]
    if results.get("lua"):
        import lua

        lines += lua.markdown(results["lua"])
    if results.get("plot"):
        import plot

        lines += plot.markdown(results["plot"])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one round: checks that it all runs")
    parser.add_argument("--only", default="", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument(
        "--reps", type=int, default=None, help="rounds of alternating trials (default 5; quick 1)"
    )
    parser.add_argument(
        "--checkout",
        default="",
        help="measure the ws_widget package of this directory in the subprocess trials "
        "(ingest, receive, roundtrip, memory, scale), e.g. a patched copy",
    )
    parser.add_argument(
        "--out",
        default=str(HERE / "results"),
        help="directory for the .md and .json results (default benchmarks/results)",
    )
    args = parser.parse_args()
    if args.checkout:
        os.environ["WS_WIDGET_CHECKOUT"] = str(Path(args.checkout).resolve())
    sections = [s for s in args.only.split(",") if s] or list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    reps = args.reps or (1 if args.quick else 5)
    started = time.monotonic()
    results: dict = {
        "quick": args.quick,
        "reps": reps,
        "sections": sections,
        "machine": machine(),
        "checkout": os.environ.get("WS_WIDGET_CHECKOUT", ""),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    functions = {
        "server": bench_server,
        "ingest": bench_ingest,
        "receive": bench_receive,
        "roundtrip": bench_roundtrip,
        "memory": bench_memory,
        "frontend": bench_frontend,
        "browser": bench_browser,
        "scale": bench_scale,
        "lua": bench_lua,
        "plot": bench_plot,
    }
    with Sender() as sender:
        for section in sections:
            log(f"{section} ...")
            t0 = time.monotonic()
            results[section] = functions[section](sender, args.quick, reps)
            log(f"  ({time.monotonic() - t0:.0f} s)")
    results["seconds"] = time.monotonic() - started
    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = "checkout" if args.checkout else "latest"
    (out_dir / f"{stem}.json").write_text(json.dumps(results, indent=1))
    text = markdown(results)
    (out_dir / f"{stem}.md").write_text(text)
    if not args.quick and not args.checkout and set(sections) == set(SECTIONS):
        (HERE / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
