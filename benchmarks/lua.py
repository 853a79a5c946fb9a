"""The Lua face's benchmarks (issue 13): ``bench()`` for ``run.py --only lua``, and its trials.

Each trial runs in a fresh interpreter (``common.trial(..., script="lua.py")``) and prints one
JSON line:

    lua.py ingest VARIANT URL N        VARIANT: python (the seed's ``ws.Data = lambda ws, d: ...``),
                                       lua (``ws.Data = function(ws, d) n = n + 1 end``)
    lua.py json VARIANT URL N          the same, each message decoded: json.loads / rapidjson.decode
    lua.py calls N                     microseconds per call from Python into Lua, taken apart
    lua.py timer VARIANT PERIOD S      ticks/s of a Timer handler (python, lua) at a small period
    lua.py serve-json                  the sender of QRC replies (prints its port; see below)

The raw client's ingest is ``trial.py ingest raw``, run in the same alternating rounds. The
JSON sender (``serve-json``) is a plain asyncio server in its own process: after the opening
handshake it writes N copies of one pre-framed ~1 KiB QRC ``ChangeGroup.Poll`` reply in chunks
of about 256 KiB, as ``server.js /flood`` does with "x"-filled ones (server.js sends no JSON).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from common import ServerProcess

HERE = Path(__file__).resolve().parent
# WS_WIDGET_CHECKOUT: measure the ws_widget of another checkout (e.g. a proposed fix).
sys.path.insert(0, os.environ.get("WS_WIDGET_CHECKOUT") or str(HERE.parent))

SIZES = (64, 1024, 65536)
INGEST_N = {64: 200_000, 1024: 100_000, 65536: 8_000}  # about a second of the raw client
QUICK_N = {64: 5_000, 1024: 2_000, 65536: 200}
JSON_N, JSON_QUICK_N = 30_000, 1_000
CALLS_N, CALLS_QUICK_N = 100_000, 5_000
TIMER_PERIOD = 0.001
TIMER_SECONDS, TIMER_QUICK_SECONDS = 2.0, 0.3
INGEST_VARIANTS = ("raw", "python", "lua")
JSON_VARIANTS = ("python", "lua")


def qrc_reply(changes: int = 5) -> str:
    """A typical QRC reply of about 1 KiB: a ``ChangeGroup.Poll`` result with ``changes`` changes."""
    items = [
        {
            "Component": f"Mixer_{i // 4 + 1}",
            "Name": f"input.{i + 1}.gain",
            "String": f"{-12.5 + i:.1f}dB",
            "Value": -12.5 + i,
            "Position": round(0.5 + i / 40, 4),
            "Color": "",
            "Indeterminate": False,
            "Invisible": False,
            "Disabled": False,
            "Legend": f"Input {i + 1}",
        }
        for i in range(changes)
    ]
    return json.dumps(
        {"jsonrpc": "2.0", "id": 1234, "result": {"Id": "bench", "Changes": items}}, separators=(",", ":")
    )


QRC_REPLY = qrc_reply()

# ------------------------------------------------------------------------------ trials


def _wall_to_mono(wall: float) -> float:
    """A ``time.time()`` stamp (Lua's ``Timer.Now()``) on the ``time.monotonic()`` clock."""
    return wall - (time.time() - time.monotonic())


def _first_arrival(ws: Any) -> float:
    record = ws.history.first_message_after(0, "in")
    return record.mono


def _wait_for(predicate: Callable[[], bool], what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.01)


def _done_line(script: Any) -> str | None:
    for line in reversed(script.debug_output.lines):
        text = line.split("\t", 1)[1] if "\t" in line else line
        if text.startswith(("done\t", "error")):
            return text
    return None


_LUA_INGEST = """
local N, decode = %(n)d, %(decode)s
local n, changes = 0, 0
local json = require("rapidjson")
ws = WebSocket.New()
if decode then
  ws.Data = function(ws, d)
    local reply = json.decode(d)
    changes = changes + #reply.result.Changes
    n = n + 1
    if n == N then print(string.format("done\\t%%.6f\\t%%d", Timer.Now(), changes)) end
  end
else
  ws.Data = function(ws, d)
    n = n + 1
    if n == N then print(string.format("done\\t%%.6f\\t%%d", Timer.Now(), #d)) end
  end
end
ws.Error = function(ws, err) print("error " .. err) end
ws:Connect("ws", "%(host)s", "%(path)s", %(port)d)
"""


def ingest(variant: str, url: str, n: int, decode: bool = False) -> dict:
    """Rate of a counting ``Data`` callback (Python seed or Lua), from the first message's
    arrival (its record's ``mono``) until the callback for the n-th ran; with ``decode``, each
    message is decoded first (``json.loads`` / ``rapidjson.decode``)."""
    parts = urlsplit(url)
    ws: Any
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if variant == "lua":
        from ws_widget import qsys

        source = _LUA_INGEST % {
            "n": n,
            "decode": "true" if decode else "false",
            "host": parts.hostname,
            "path": path,
            "port": parts.port,
        }
        script = qsys.run(source, name="bench.lua").check()
        _wait_for(lambda: _done_line(script) is not None, f"{n} Lua Data callbacks")
        line = _done_line(script) or ""
        if not line.startswith("done"):
            raise RuntimeError(f"the Lua script failed: {line}\n" + "\n".join(script.debug_output.lines))
        _, wall, check = line.split("\t")
        last = _wall_to_mono(float(wall))
        ws = script.sockets[0]
        checked = int(check)
    elif variant == "python":
        import ws_widget

        ws = ws_widget.WebSocket.New()
        done = threading.Event()
        state: dict[str, Any] = {"n": 0, "changes": 0, "last": 0.0, "size": 0}
        loads = json.loads

        def on_data(ws, data):
            if decode:
                state["changes"] += len(loads(data)["result"]["Changes"])
            state["n"] += 1
            if state["n"] == n:
                state["last"] = time.monotonic()
                state["size"] = len(data)
                done.set()

        ws.Data = on_data
        ws.Connect("ws", parts.hostname or "127.0.0.1", path, parts.port)
        if not done.wait(600):
            raise RuntimeError(f"{n} Python Data callbacks: not within 600 s")
        last = state["last"]
        checked = state["changes"] if decode else state["size"]
    else:
        raise SystemExit(f"unknown ingest variant {variant!r}")
    first = _first_arrival(ws)
    return {
        "variant": variant,
        "messages": n,
        "decode": decode,
        "seconds": last - first,
        "rate": (n - 1) / (last - first),
        "us_per_message": (last - first) / (n - 1) * 1e6,
        "check": checked,  # changes decoded (json) or the last payload's size
        "recorded_rate": (n - 1) / (ws.history.since(0)[-1].mono - first),
    }


_LUA_CALLS = """
local json = require("rapidjson")
obj = {}
obj.Data = function(ws, d) end
obj.Json = function(ws, d) local reply = json.decode(d) return #reply.result.Changes end
function plain(d) end
"""


def _per_call(fn: Callable[[int], object], n: int, repeats: int = 5) -> float:
    """Microseconds per call of ``fn`` (a loop of n calls), the median of ``repeats`` loops."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / n * 1e6


def calls(n: int) -> dict:
    """What a call from Python into Lua costs, on the script's lane, taken apart: a Python
    callback, lupa's bare call, ``LuaState.emit`` (budget and xpcall), ``Script.emit``; with a
    64 B and a 64 KiB string argument, and a QRC reply decoded in each language."""
    from ws_widget import qsys

    script = qsys.run(_LUA_CALLS, name="calls.lua").check()
    result: dict = {"calls": n}
    done = threading.Event()
    failure: list[BaseException] = []

    def measure() -> None:
        try:
            state = script.state_required()
            env = state.env
            obj, plain = env[b"obj"], env[b"plain"]
            data_fn = obj[b"Data"]
            emit, state_emit = script.emit, state.emit
            for size in (64, 65536):
                payload = b"x" * size
                text = payload.decode()

                def python_callback(k, text=text):
                    def on_data(ws, d):
                        pass

                    for _ in range(k):
                        on_data(None, text)

                def lupa_call(k, payload=payload):
                    for _ in range(k):
                        plain(payload)

                def lupa_method(k, payload=payload):
                    for _ in range(k):
                        data_fn(obj, payload)

                def state_call(k, payload=payload):
                    for _ in range(k):
                        state_emit(obj, b"Data", payload)

                def script_call(k, payload=payload):
                    for _ in range(k):
                        emit(obj, b"Data", payload)

                def script_call_text(k, text=text):  # what Data does for a text frame
                    for _ in range(k):
                        emit(obj, b"Data", text.encode())

                k = n if size == 64 else max(n // 10, 100)
                result[str(size)] = {
                    "python_callback_us": _per_call(python_callback, k),
                    "lupa_call_us": _per_call(lupa_call, k),
                    "lupa_method_us": _per_call(lupa_method, k),
                    "state_emit_us": _per_call(state_call, k),
                    "script_emit_us": _per_call(script_call, k),
                    "script_emit_text_us": _per_call(script_call_text, k),
                }
            reply = QRC_REPLY
            reply_bytes = reply.encode()
            loads = json.loads
            json_n = max(n // 20, 100)

            def python_json(k):
                def on_data(ws, d):
                    return len(loads(d)["result"]["Changes"])

                for _ in range(k):
                    on_data(None, reply)

            def lua_json(k):
                for _ in range(k):
                    emit(obj, b"Json", reply_bytes)

            result["json"] = {
                "size": len(reply_bytes),
                "python_json_loads_us": _per_call(python_json, json_n),
                "lua_rapidjson_decode_us": _per_call(lua_json, json_n),
            }
            if script.errors:
                raise RuntimeError("\n".join(script.errors))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failure.append(exc)
        finally:
            done.set()

    script.submit(measure)
    if not done.wait(600):
        raise RuntimeError("the call measurements did not finish within 600 s")
    if failure:
        raise failure[0]
    result["json"]["ratio"] = (
        result["json"]["lua_rapidjson_decode_us"] / result["json"]["python_json_loads_us"]
    )
    script.stop()
    return result


_LUA_TIMER = """
local period, seconds = %(period)r, %(seconds)r
local ticks, start = 0, nil
t = Timer.New()
t.EventHandler = function(t)
  local now = Timer.Now()
  if start == nil then start = now return end
  ticks = ticks + 1
  if now - start >= seconds then
    t:Stop()
    print(string.format("done\\t%%.6f\\t%%d", now - start, ticks))
  end
end
t:Start(period)
"""


def timer(variant: str, period: float, seconds: float) -> dict:
    """Ticks/s of a Timer handler started at ``period``, counted for ``seconds`` from its first tick."""
    if variant == "lua":
        from ws_widget import qsys

        script = qsys.run(_LUA_TIMER % {"period": period, "seconds": seconds}, name="timer.lua").check()
        _wait_for(lambda: _done_line(script) is not None, "the Lua timer", timeout=seconds + 60)
        _, elapsed_text, ticks_text = (_done_line(script) or "").split("\t")
        elapsed, ticks = float(elapsed_text), int(ticks_text)
        skipped = script.timers[0].skipped_ticks
        script.stop()
    elif variant == "python":
        from ws_widget import Timer

        done = threading.Event()
        state: dict = {"ticks": 0, "start": None, "elapsed": 0.0}
        t = Timer.New()

        def handler(t):
            now = Timer.Now()
            if state["start"] is None:
                state["start"] = now
                return
            state["ticks"] += 1
            if now - state["start"] >= seconds:
                t.Stop()
                state["elapsed"] = now - state["start"]
                done.set()

        t.EventHandler = handler
        t.Start(period)
        if not done.wait(seconds + 60):
            raise RuntimeError("the Python timer did not finish")
        elapsed, ticks, skipped = state["elapsed"], state["ticks"], t.skipped_ticks
    else:
        raise SystemExit(f"unknown timer variant {variant!r}")
    return {
        "variant": variant,
        "period": period,
        "seconds": elapsed,
        "ticks": ticks,
        "rate": ticks / elapsed,
        "skipped_ticks": skipped,
    }


# ------------------------------------------------------------------------------ the JSON sender

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def text_frame(text: str) -> bytes:
    """One unmasked, final text frame (server to client)."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = bytes([0x81, size])
    elif size < 65536:
        header = bytes([0x81, 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x81, 127]) + size.to_bytes(8, "big")
    return header + payload


async def _serve_json() -> None:
    frame = text_frame(QRC_REPLY)
    per_chunk = max(1, 256 * 1024 // len(frame))
    chunk = frame * per_chunk

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            target = head[0].split()[1]
            fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
            accept = base64.b64encode(hashlib.sha1((fields["sec-websocket-key"] + _GUID).encode()).digest())
            writer.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            n = int(parse_qs(urlsplit(target).query).get("n", ["1"])[0])
            sent = 0
            while sent < n:
                k = min(per_chunk, n - sent)
                writer.write(chunk if k == per_chunk else frame * k)
                await writer.drain()
                sent += k
            await reader.read()  # until the client goes (its close frame is not answered)
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # exits when the benchmark run closes stdin
    server.close()


class JsonSender(ServerProcess):
    """``lua.py serve-json`` in its own process on loopback: N QRC replies per connection."""

    def __init__(self) -> None:
        super().__init__([sys.executable, str(Path(__file__).resolve()), "serve-json"])

    def url(self, n: int) -> str:
        return f"ws://127.0.0.1:{self.port}/qrc?n={n}"


# ------------------------------------------------------------------------------ the section


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _rounds(variants: Sequence[str], run: Callable[[str], dict], reps: int) -> dict:
    """Run ``run(variant)`` for each variant, alternating within each of ``reps`` rounds."""
    results: dict = {v: [] for v in variants}
    for _ in range(reps):
        for variant in variants:
            results[variant].append(run(variant))
    return results


def _paired(a: list[float], b: list[float]) -> float:
    return statistics.median([x / y for x, y in zip(a, b, strict=True)])


def bench(sender: Any, quick: bool, reps: int) -> dict:
    """The ``lua`` section of ``run.py``: ingest, JSON ingest, call costs and timers."""
    from common import trial

    out: dict = {"ingest": {}}
    for size in SIZES:
        n = (QUICK_N if quick else INGEST_N)[size]
        binary = size >= 65536

        def run(variant, n=n, size=size, binary=binary):
            url = sender.flood(n, size, binary=binary)
            if variant == "raw":
                return trial("ingest", "raw", url, n)
            return trial("ingest", variant, url, n, script="lua.py")

        runs = _rounds(INGEST_VARIANTS, run, reps)
        rates = {v: [r["rate"] for r in rs] for v, rs in runs.items()}
        med = {v: statistics.median(r) for v, r in rates.items()}
        out["ingest"][str(size)] = {
            "messages": n,
            "kind": "binary" if binary else "text",
            "rates": rates,
            "median_rate": med,
            "ratio": {"lua_python": med["lua"] / med["python"], "lua_raw": med["lua"] / med["raw"]}
            | {"python_raw": med["python"] / med["raw"]},
            "paired_ratio": {
                "lua_python": _paired(rates["lua"], rates["python"]),
                "lua_raw": _paired(rates["lua"], rates["raw"]),
                "python_raw": _paired(rates["python"], rates["raw"]),
            },
            "us_per_message": {v: 1e6 / m for v, m in med.items()},
        }
        r = out["ingest"][str(size)]["ratio"]
        _log(
            f"  lua ingest {size} B: raw {med['raw']:,.0f}/s, Python Data {med['python']:,.0f}/s, "
            f"Lua Data {med['lua']:,.0f}/s: Lua/Python {r['lua_python']:.2f}, Lua/raw {r['lua_raw']:.2f}"
        )

    json_n = JSON_QUICK_N if quick else JSON_N
    with JsonSender() as json_sender:
        runs = _rounds(
            JSON_VARIANTS,
            lambda v: trial("json", v, json_sender.url(json_n), json_n, script="lua.py"),
            reps,
        )
    rates = {v: [r["rate"] for r in rs] for v, rs in runs.items()}
    med = {v: statistics.median(r) for v, r in rates.items()}
    checks = {v: {r["check"] for r in rs} for v, rs in runs.items()}
    out["json"] = {
        "messages": json_n,
        "size": len(QRC_REPLY.encode()),
        "rates": rates,
        "median_rate": med,
        "us_per_message": {v: 1e6 / m for v, m in med.items()},
        "ratio": med["lua"] / med["python"],
        "paired_ratio": _paired(rates["lua"], rates["python"]),
        "changes_decoded": {v: sorted(c) for v, c in checks.items()},
    }
    j = out["json"]
    _log(
        f"  lua json {j['size']} B QRC reply: Python json.loads {med['python']:,.0f}/s, Lua rapidjson.decode "
        f"{med['lua']:,.0f}/s: Lua/Python {j['ratio']:.2f}"
    )

    n = CALLS_QUICK_N if quick else CALLS_N
    call_runs = [trial("calls", n, script="lua.py") for _ in range(reps)]
    keys = [k for k in call_runs[0]["64"] if k.endswith("_us")]
    out["calls"] = {
        "calls": n,
        "runs": call_runs,
        **{
            size: {k: statistics.median([r[size][k] for r in call_runs]) for k in keys}
            for size in ("64", "65536")
        },
        "json": {
            k: statistics.median([r["json"][k] for r in call_runs])
            for k in ("python_json_loads_us", "lua_rapidjson_decode_us", "ratio")
        }
        | {"size": call_runs[0]["json"]["size"]},
    }
    c = out["calls"]
    _log(
        f"  lua calls (64 B string): Python callback {c['64']['python_callback_us']:.2f} us, lupa "
        f"{c['64']['lupa_method_us']:.2f} us, LuaState.emit {c['64']['state_emit_us']:.2f} us, Script.emit "
        f"{c['64']['script_emit_us']:.2f} us; decode {c['json']['lua_rapidjson_decode_us']:.1f} us vs "
        f"json.loads {c['json']['python_json_loads_us']:.1f} us"
    )

    seconds = TIMER_QUICK_SECONDS if quick else TIMER_SECONDS
    runs = _rounds(
        ("python", "lua"), lambda v: trial("timer", v, TIMER_PERIOD, seconds, script="lua.py"), reps
    )
    rates = {v: [r["rate"] for r in rs] for v, rs in runs.items()}
    med = {v: statistics.median(r) for v, r in rates.items()}
    out["timer"] = {
        "period": TIMER_PERIOD,
        "seconds": seconds,
        "rates": rates,
        "median_rate": med,
        "ratio": med["lua"] / med["python"],
        "skipped_ticks": {v: [r["skipped_ticks"] for r in rs] for v, rs in runs.items()},
    }
    _log(
        f"  lua timer at {TIMER_PERIOD * 1000:g} ms: Python {med['python']:,.0f} ticks/s, Lua "
        f"{med['lua']:,.0f} ticks/s: {out['timer']['ratio']:.2f}"
    )
    return out


def targets(lu: dict) -> list[tuple[str, str, str, str]]:
    """The section's (measurement, figure, target, verdict) rows of run.py's table."""
    rows = []
    for size, r in lu["ingest"].items():
        ratio = r["ratio"]["lua_python"]
        rows.append(
            (
                f"13. Lua `Data` ingest {size} B / Python seed `Data` callback",
                f"{ratio:.2f}",
                ">= 0.50",
                "met" if ratio >= 0.5 else "**MISSED**",
            )
        )
        rows.append(
            (
                f"13. Lua `Data` ingest {size} B / raw `async for`",
                f"{r['ratio']['lua_raw']:.2f}",
                "(reported)",
                "",
            )
        )
    c = lu["calls"]
    rows.append(
        (
            "13. a call from Python into Lua (`Script.emit`, one 64 B string)",
            f"{c['64']['script_emit_us']:.2f} us (a Python callback {c['64']['python_callback_us']:.2f} us)",
            "(reported)",
            "",
        )
    )
    j = lu["json"]
    rows.append(
        (
            f"13. `rapidjson.decode` of a {j['size']} B QRC reply in a Lua `Data` callback / "
            "`json.loads` in a Python one (ingest rate)",
            f"{j['ratio']:.2f} ({j['us_per_message']['lua']:.0f} vs {j['us_per_message']['python']:.0f} us a "
            "message)",
            "(reported)",
            "",
        )
    )
    t = lu["timer"]
    rows.append(
        (
            f"13. Lua Timer handler ticks/s at {t['period'] * 1000:g} ms / Python",
            f"{t['ratio']:.2f}",
            "(reported)",
            "",
        )
    )
    return rows


def markdown(lu: dict) -> list[str]:
    """The section's lines of run.py's report."""
    lines = [
        "",
        "## 13. The Lua face (Q-SYS scripts: `ws_widget.qsys`; messages/s, medians; ratios in parentheses)",
        "",
        "| size | raw websockets | Python seed `Data` callback | Lua `Data` callback | Lua / Python "
        "(paired) | Lua / raw |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size, r in lu["ingest"].items():
        med, ratio, paired = r["median_rate"], r["ratio"], r["paired_ratio"]
        lines.append(
            f"| {size} B {r['kind']}, {r['messages']:,} messages | {med['raw']:,.0f} | {med['python']:,.0f} "
            f"({ratio['python_raw']:.2f}) | {med['lua']:,.0f} | **{ratio['lua_python']:.2f}** "
            f"({paired['lua_python']:.2f}) | {ratio['lua_raw']:.2f} |"
        )
    c, j, t = lu["calls"], lu["json"], lu["timer"]
    call_rows = (
        ("a Python callback `on_data(ws, d)` (for scale)", "python_callback_us"),
        ("lupa's bare call of a Lua function `f(d)`", "lupa_call_us"),
        ("lupa's call of `obj.Data(obj, d)`", "lupa_method_us"),
        (
            '`LuaState.emit(obj, b"Data", d)` (field lookup, fresh budget: 2 `sethook`, `xpcall`)',
            "state_emit_us",
        ),
        ('`Script.emit(obj, b"Data", d)` (what a socket\'s `Data` runs)', "script_emit_us"),
        ("`Script.emit` of a `str` payload `.encode()`d first (a text frame)", "script_emit_text_us"),
    )
    lines += [
        "",
        "A call from Python into Lua, on the script's lane (microseconds a call, medians of "
        f"{len(c['runs'])} runs of {c['calls']:,} calls; the Lua function does nothing):",
        "",
        "| call | 64 B string | 64 KiB string |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {label} | {c['64'][key]:.2f} | {c['65536'][key]:.2f} |" for label, key in call_rows]
    lines += [
        "",
        f"Decoding a {j['size']} B QRC `ChangeGroup.Poll` reply: alone on the lane, `rapidjson.decode` "
        f"in a Lua function called by `Script.emit` {c['json']['lua_rapidjson_decode_us']:.0f} us, "
        f"`json.loads` in a Python function {c['json']['python_json_loads_us']:.0f} us "
        f"({c['json']['ratio']:.1f}x). Inside a `Data` callback, {j['messages']:,} replies from "
        f"`lua.py serve-json`: Lua {j['median_rate']['lua']:,.0f}/s "
        f"({j['us_per_message']['lua']:.0f} us a message), Python {j['median_rate']['python']:,.0f}/s "
        f"({j['us_per_message']['python']:.0f} us): **{j['ratio']:.2f}** (paired {j['paired_ratio']:.2f}).",
        "",
        f"Timer handler at a {t['period'] * 1000:g} ms period for {t['seconds']:g} s: Python "
        f"{t['median_rate']['python']:,.0f} ticks/s, Lua {t['median_rate']['lua']:,.0f} ticks/s "
        f"(**{t['ratio']:.2f}**); both under the period's 1,000/s: the Timer's own scheduling (one "
        "`call_later` a tick, a hop to the lane) is the ceiling, not the handler.",
        "",
        "Each ingest trial is a fresh interpreter receiving `server.js /flood` (64 B and 1 KiB text, 64 KiB "
        "binary), timed from the first message's arrival (its record's `mono`) until the callback for the "
        "last one ran; the Lua script stamps it with `Timer.Now()` and prints it. Raw is `trial.py ingest "
        "raw`, Python is `ws = WebSocket.New(); ws.Data = on_data` (a counting function), Lua is "
        "`ws.Data = function(ws, d) n = n + 1 end` through `ws_widget.qsys.run`; all three alternate in "
        "each round.",
    ]
    return lines


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "serve-json":
        asyncio.run(_serve_json())
        return
    if command == "ingest":
        result = ingest(args[0], args[1], int(args[2]))
    elif command == "json":
        result = ingest(args[0], args[1], int(args[2]), decode=True)
    elif command == "calls":
        result = calls(int(args[0]))
    elif command == "timer":
        result = timer(args[0], float(args[1]), float(args[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # don't wait for the I/O thread's goodbyes: the figure is taken


if __name__ == "__main__":
    main(sys.argv[1:])
