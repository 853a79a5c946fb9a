"""What tests/core/test_browser_runtime.py runs inside a real Pyodide (under Node): one session
over the browser's WebSocket API against the test server, each finding stored in RESULTS and
printed as one JSON line at the end. ``ECHO``, ``CLOSE`` and ``DEAD`` are set by the test, and
``CASSETTE`` (the site's bundled cassette's text)."""

from __future__ import annotations

import asyncio
import json
import sys
import threading

ECHO = CLOSE = DEAD = ""  # URLs, replaced by the test
CASSETTE = ""  # replaced by the test
RESULTS: dict[str, object] = {}


def failure(call) -> list[str]:
    """Call ``call()``; return the name and text of what it raised (["", ""] if nothing)."""
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the test reads which exception it was
        return [type(exc).__name__, str(exc)]
    return ["", ""]


async def main() -> None:
    import ws_widget
    from ws_widget import Timer, WebSocket
    from ws_widget.core import lanes, runtime

    RESULTS["platform"] = sys.platform
    RESULTS["threads_after_import"] = threading.active_count()
    RESULTS["runtime_threads"] = runtime.THREADS
    RESULTS["transport"] = runtime.default_transport().__name__

    events: list[object] = []
    ws = WebSocket.New()
    ws.Connected = lambda ws: events.append(["Connected", ws.subprotocol, lanes.in_event_thread()])
    ws.Data = lambda ws, data: events.append(["Data", data if isinstance(data, str) else list(data)])
    ws.Closed = lambda ws: events.append(["Closed", ws.close_code, ws.close_reason])
    protocol, rest = ECHO.split("://")
    host_port, path = rest.split("/", 1)
    host, port = host_port.split(":")
    ws.Connect(protocol, host, "/" + path, int(port), "chat")
    await ws.aio.wait_open(10)
    ws.Write("Hey!")
    ws.Write(b"\x01\x02", True)
    RESULTS["aio_receive"] = [await ws.aio.receive(10), list(await ws.aio.receive(10))]
    RESULTS["blocking_receive"] = failure(lambda: ws.receive(1))
    RESULTS["ping"] = failure(ws.Ping)
    RESULTS["fragments"] = failure(lambda: ws.send("x", fragments=2))
    RESULTS["close_1001"] = failure(lambda: ws.Close(1001))
    RESULTS["frame_log"] = failure(lambda: setattr(ws, "frame_log", True))
    RESULTS["capabilities"] = str(ws.status.capabilities)
    fresh = WebSocket.New()
    RESULTS["header"] = failure(
        lambda: fresh.Connect(protocol, host, "/", int(port), None, {"Authorization": "x"})
    )
    RESULTS["verify"] = failure(lambda: fresh.Connect("wss", host, "/", int(port), verify=False))
    RESULTS["header_left_no_attempt"] = fresh.status.connected_once
    waiting = WebSocket.New()
    RESULTS["connect_wait"] = failure(lambda: waiting.connect(ECHO))
    RESULTS["connect_wait_left_no_attempt"] = waiting.status.connected_once
    ws.Close(4000, "done")
    await ws.aio.wait_closed(10)
    RESULTS["events"] = events
    RESULTS["client_close"] = [r.info for r in ws.history if r.kind == "close"]
    RESULTS["history"] = [[r.direction, r.kind] for r in ws.history]

    closing = ws_widget.connect(CLOSE, wait=False)
    await closing.aio.wait_closed(10)
    closes = [r.info for r in closing.history if r.kind == "close"]
    RESULTS["server_close"] = [closing.close_code, closing.close_reason, closes[-1]]

    dead = ws_widget.connect(DEAD, wait=False)
    try:
        await dead.aio.wait_open(10)
        RESULTS["dead"] = ["", ""]
    except Exception as exc:  # noqa: BLE001 - the test reads which exception it was
        RESULTS["dead"] = [type(exc).__name__, str(exc)]

    printed = WebSocket.New()
    printed.Data = lambda ws, data: print("callback says", data)
    printed.connect(ECHO, wait=False)
    await printed.aio.wait_open(10)
    printed.send("hello")
    await printed.aio.receive(10)
    await printed.aio.close()
    RESULTS["debug_output"] = printed.debug_output.lines[-3:]

    slow = ws_widget.connect(ECHO, wait=False, max_backlog=8)
    await slow.aio.wait_open(10)
    taken: list[object] = []
    loop = slow.aio.messages()  # a receiving loop that falls behind: reading pauses
    first = asyncio.ensure_future(loop.__anext__())  # the loop starts: it holds its place
    await asyncio.sleep(0)
    for n in range(40):
        slow.send(f"m{n}")
    await asyncio.sleep(0.5)
    paused = slow.paused
    taken.append(await first)
    while len(taken) < 40:
        taken.append(await asyncio.wait_for(loop.__anext__(), 10))
    await loop.aclose()
    await slow.aio.close()
    RESULTS["flow"] = {
        "paused": paused,
        "taken": taken == [f"m{n}" for n in range(40)],
        "kinds": [r.kind for r in slow.history if r.kind in ("pause", "resume")],
    }

    viewed = ws_widget.connect(ECHO, wait=False)
    widget = viewed.widget  # made before the open: its flusher runs on the loop from now on
    await viewed.aio.wait_open(10)
    widget._on_message(widget, {"type": "send", "text": "from the composer", "mode": "text"}, None)
    await viewed.aio.receive(10)
    answers: list[object] = []
    widget.send = lambda content, buffers=None: answers.append(content)  # what views would get
    widget._on_message(widget, {"type": "ping"}, None)  # the Ping button's message
    await asyncio.sleep(0.3)
    RESULTS["widget"] = {
        "ticks": widget._ticks,
        "state": widget.state,
        "limits": sorted(widget.limits),
        "sent_seq": widget._sent_seq,
        "last_seq": viewed.history.last_seq,
        "ping_answer": [a for a in answers if isinstance(a, dict) and a.get("type") == "error"],
    }
    widget.close_socket()
    await viewed.aio.wait_closed(10)

    ticks: list[bool] = []
    timer = Timer.New()
    timer.EventHandler = lambda timer: ticks.append(lanes.in_event_thread())
    timer.Start(0.02)
    later: list[int] = []
    Timer.CallAfter(lambda: later.append(1), 0.05)
    await asyncio.sleep(0.3)
    timer.Stop()
    RESULTS["ticks"] = ticks
    RESULTS["call_after"] = later
    await replays()
    RESULTS["threads_at_end"] = threading.active_count()
    print("RESULTS " + json.dumps(RESULTS, default=str))


async def replays() -> None:
    """A cassette replayed in-process, with no listening socket: by the seed API, then by replay()."""
    from pathlib import Path

    import ws_widget
    from ws_widget import WebSocket
    from ws_widget.pure import cassette

    Path("qrc.cassette.txt").write_text(CASSETTE)
    recording = cassette.load("qrc.cassette.txt")
    server = ws_widget.ReplayServer("qrc.cassette.txt", speed=None)
    data: list[object] = []
    ws = WebSocket.New()
    ws.Data = lambda ws, message: data.append(message)
    ws.Connect("ws", server.host, server.path, server.port)
    await ws.aio.wait_open(10)
    for frame in recording.frames:
        if frame.direction == "out" and frame.is_message:
            ws.Write(frame.payload)
    await ws.aio.wait_for(len([f for f in recording.frames if f.direction == "in" and f.is_message]), 10)
    ws.Close(4000, "seen")
    await ws.aio.wait_closed(10)
    server.stop()
    RESULTS["replay_seed"] = {
        "in_process": server.in_process,
        "data": data,
        "recorded": [f.payload for f in recording.frames if f.direction == "in" and f.is_message],
        "close": [ws.close_code, ws.close_reason],
    }
    replayed = ws_widget.replay("qrc.cassette.txt", speed=4.0)
    await replayed.aio.wait_closed(20)
    RESULTS["replay"] = {
        "said": [[r.direction, r.payload] for r in replayed.history if r.kind in ("text", "binary")],
        "recorded": [[f.direction, f.payload] for f in recording.frames if f.is_message],
        "closes": [[r.info["code"], r.info["initiator"]] for r in replayed.history if r.kind == "close"],
    }
