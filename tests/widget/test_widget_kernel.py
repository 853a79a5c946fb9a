"""The widget's data flow in a real kernel: batches on IOPub, commands from a view, pages."""

from __future__ import annotations

import itertools
import re

import pytest

pytestmark = pytest.mark.kernel


def test_display_opens_one_model_and_views_share_it(kernel, server):
    """Displaying a socket twice shows two views of one widget model with the current state."""
    kernel.run(f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\ndisplay(ws)\ndisplay(ws)")
    comms = kernel.widget_comms()
    assert len(comms) == 1
    state = next(c for c in kernel.comm_opens if c["comm_id"] == comms[0])["data"]["state"]
    assert state["state"] == "OPEN" and state["url"] == server.url("/echo")


def test_view_commands_use_the_python_twins(kernel, server):
    """send, ping and a page request from a view reach the socket and come back as messages."""
    kernel.run(f"ws = ws_widget.connect({server.url('/echo')!r})\ndisplay(ws)")
    comm = kernel.widget_comms()[-1]
    kernel.send_to_widget(comm, {"type": "send", "text": "hello from the view", "mode": "text"})
    kernel.send_to_widget(comm, {"type": "send", "text": "01 02 ff", "mode": "hex"})
    kernel.send_to_widget(comm, {"type": "ping"})
    kernel.pump_until(
        lambda: any(
            any(r[3] == "pong" for r in c.get("records", [])) for _, c, _ in kernel.custom_messages(comm)
        ),
        30,
    )
    kernel.send_to_widget(
        comm,
        {
            "type": "page",
            "id": 7,
            "offset": 0,
            "count": 50,
            "filter": {"direction": "in", "kinds": "messages"},
        },
    )
    kernel.pump_until(lambda: any(c.get("id") == 7 for _, c, _ in kernel.custom_messages(comm)), 30)
    page, buffers = next((c, b) for _, c, b in kernel.custom_messages(comm) if c.get("id") == 7)
    assert [r[5] for r in page["records"]] == ["hello from the view", None]
    binary = page["records"][1]
    assert binary[3] == "binary" and bytes(buffers[binary[7]]) == b"\x01\x02\xff"
    kernel.send_to_widget(comm, {"type": "send", "text": "{broken", "mode": "json"})
    kernel.pump_until(lambda: any(c.get("type") == "error" for _, c, _ in kernel.custom_messages(comm)), 30)
    error = next(c for _, c, _ in kernel.custom_messages(comm) if c.get("type") == "error")
    assert error["action"] == "send" and error["text"].startswith("invalid JSON")


def test_flood_stays_within_iopub_limits(kernel, server):
    """200,000 fast messages give at most 20 batches a second and no IOPub rate warning."""
    kernel.run(
        f"""
        ws = ws_widget.connect({server.url("/flood?n=200000&size=64")!r})
        display(ws)
        """
    )
    comm = kernel.widget_comms()[-1]
    done = kernel.run(
        "ws.wait_open(10)\nimport time\n"
        "while len(ws.history.messages()) < 200000: time.sleep(0.1)\nprint('done')",
        timeout=120,
    )
    assert done.stdout == "done\n"
    kernel.pump_for(0.5)
    batches = [(t, c) for t, c, _ in kernel.custom_messages(comm) if c["type"] == "batch"]
    assert batches and batches[-1][1]["stats"]["messages_in"] == 200000
    duration = batches[-1][0] - batches[0][0]
    assert len(batches) <= 20 * duration + 5, (len(batches), duration)
    assert max(len(c["records"]) for _, c in batches) <= 100
    warnings = [text for outs in kernel.outputs.values() for _, text in outs if "IOPub" in text]
    assert warnings == []
    kernel.run("ws.close()")


def test_batches_carry_the_callbacks_behind(kernel, server):
    """A Data callback held up shows as callbacks_behind in the batches, and 0 once it caught up."""
    kernel.run(
        f"""
        import threading, ws_widget
        gate = threading.Event()
        held = ws_widget.WebSocket()
        held.Data = lambda ws, data: gate.wait(30)
        display(held)
        held.connect({server.url("/count?n=5")!r})
        """
    )
    comm = kernel.widget_comms()[-1]

    def behind():
        batches = (c for _, c, _ in kernel.custom_messages(comm) if c["type"] == "batch")
        return [c["stats"].get("callbacks_behind") for c in batches]

    kernel.pump_until(lambda: 5 in behind(), 30)
    kernel.run("gate.set()")
    kernel.pump_until(lambda: behind()[-1] == 0, 30)
    kernel.run("held.close()")


def test_header_shows_a_pause_while_a_slow_callback_is_behind(kernel, server):
    """A slow Data callback pauses reading: the paused trait says why, rows show it, then it clears."""
    kernel.run(
        f"""
        import time, ws_widget
        slow = ws_widget.WebSocket()
        slow.Data = lambda ws, data: time.sleep(0.002)
        display(slow)
        slow.connect({server.url("/numbered?n=3000&size=64")!r}, max_backlog=50)
        """
    )
    comm = kernel.widget_comms()[-1]

    def paused_values() -> list[str]:
        return [
            c["data"]["state"]["paused"]
            for _, c, _ in kernel.comm_msgs
            if c["comm_id"] == comm
            and c["data"].get("method") == "update"
            and "paused" in c["data"].get("state", {})
        ]

    kernel.pump_until(lambda: any(v.endswith("Data callbacks behind") for v in paused_values()), 60)
    assert re.fullmatch(r"[\d,]+ Data callbacks behind", next(v for v in paused_values() if v))
    done = kernel.run(
        "while slow.pending_callbacks or len(slow.history.messages()) < 3000: time.sleep(0.05)\n"
        "print(slow.paused, sum(r.kind == 'pause' for r in slow.history))",
        timeout=120,
    )
    assert done.stdout.startswith("None ")
    kernel.pump_until(lambda: paused_values()[-1] == "", 30)
    kernel.send_to_widget(
        comm, {"type": "page", "id": 9, "offset": 0, "count": 50, "filter": {"direction": "event"}}
    )
    kernel.pump_until(lambda: any(c.get("id") == 9 for _, c, _ in kernel.custom_messages(comm)), 30)
    page = next(c for _, c, _ in kernel.custom_messages(comm) if c.get("id") == 9)
    kinds = [row[3] for row in page["records"]]
    flow = [kind for kind in kinds if kind in ("pause", "resume")]
    # pauses and resumes alternate; the last may be a pause when the stream ended while paused
    assert kinds[0] == "open" and flow[:2] == ["pause", "resume"], kinds
    assert all(one != other for one, other in itertools.pairwise(flow)), kinds
    pause = next(row for row in page["records"] if row[3] == "pause")
    assert pause[6]["reason"].endswith("Data callbacks behind") and pause[6]["callbacks"] > 50
    assert next(row for row in page["records"] if row[3] == "resume")[6] == {"reason": "caught up"}
    kernel.run("slow.close()")
