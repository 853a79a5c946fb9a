"""The Plot tab's kernel side against a real loopback echo server (no kernel, no browser): the
chosen fields travel as one bucket per field per batch, every message is counted, nothing is
parsed while no field is chosen, and the Python twins check, fill and read back the series."""

from __future__ import annotations

import json

import pytest
from test_widget_idle import wait_for

import ws_widget
import ws_widget.faces.plot as plot_module
from ws_widget.faces.plot import MAX_PER_FLUSH, MAX_PLOTTED, PlotFeed
from ws_widget.pure.history import History

GAIN = "params.Changes[Name=gain].Value"


def poll(n: int) -> str:
    """A Q-SYS ChangeGroup.Poll whose order of changes differs from one message to the next."""
    changes = [{"Name": "gain", "Value": -n, "Position": 0.5}, {"Name": "mute", "Value": n % 2}]
    return json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "ChangeGroup.Poll",
            "params": {"Id": "g", "Changes": changes[:: 1 - 2 * (n % 2)]},
        }
    )


@pytest.fixture
def ws(server):
    socket = ws_widget.connect(server.url("/echo"))
    yield socket
    socket.widget.close()
    socket.close()


def sent_by(widget) -> list[dict]:
    """Record what the widget sends to its views from now on."""
    sent: list[dict] = []
    send = widget.send
    widget.send = lambda content, buffers=None: (sent.append(content), send(content, buffers))
    return sent


def test_chosen_fields_travel_as_one_bucket_per_batch_and_every_message_counts(ws):
    """Each batch carries one bucket per chosen field; their counts add up to the messages sent."""
    sent = sent_by(ws.widget)
    ws.widget.plot(GAIN, "params.Changes[0].Value")
    for n in range(300):
        ws.send(poll(n))
    wait_for(lambda: len(ws.history.messages()) == 600)
    feed = ws.widget._plot
    wait_for(lambda: feed._scanned == ws.history.last_seq and not feed._pending.buckets)
    batches = [c["plot"] for c in sent if c["type"] == "batch" and c["plot"]]
    assert all(set(plot) <= {GAIN, "params.Changes[0].Value"} for plot in batches)
    counted = sum(plot[GAIN][5] for plot in batches if GAIN in plot)
    assert counted + feed.skipped == 300
    values = [v for _, v in ws.widget.plot_series(GAIN)[GAIN]]
    assert values == [-float(n) for n in range(300)]  # [Name=gain] follows gain wherever it is
    first = [v for _, v in ws.widget.plot_series("params.Changes[0].Value")["params.Changes[0].Value"]]
    assert first[:4] == [0.0, 1.0, -2.0, 1.0]  # [0] is whichever change came first
    buckets = feed.state()[GAIN]
    assert min(b[2] for b in buckets) == -299 and max(b[3] for b in buckets) <= 0


def test_nothing_is_parsed_while_no_field_is_chosen(ws, monkeypatch):
    """With no field chosen no message is parsed; choosing one parses the backlog once."""
    parsed = []
    real = plot_module.parse_json
    monkeypatch.setattr(plot_module, "parse_json", lambda payload: (parsed.append(1), real(payload))[1])
    for n in range(50):
        ws.send(poll(n))
    wait_for(lambda: len(ws.history.messages()) == 100)
    wait_for(lambda: ws.widget._plot._scanned == ws.history.last_seq)
    assert parsed == []
    sent = sent_by(ws.widget)
    ws.widget.plot(GAIN)
    wait_for(lambda: any(c["type"] == "plot_fill" for c in sent))
    fill = next(c for c in sent if c["type"] == "plot_fill")["series"][GAIN]
    assert sum(b[5] for b in fill) == 50  # the field chosen late starts with the messages before
    assert len(parsed) == 50  # the incoming ones, once each


def test_fields_are_found_in_incoming_json(ws):
    """find_fields lists the numeric paths of the incoming JSON and sends them to the views."""
    ws.send(poll(1))
    ws.send("not json")
    ws.send(json.dumps({"temperature_c": 21.5, "ok": True}))
    wait_for(lambda: len(ws.history.messages()) == 6)
    sent = sent_by(ws.widget)
    found = ws.widget.find_fields()
    assert found == [
        "params.Changes[Name=mute].Value",
        GAIN,
        "params.Changes[Name=gain].Position",
        "temperature_c",
    ]
    wait_for(lambda: {"type": "plot_found", "found": found} in sent)
    assert "plot_found" not in ws.widget.get_state()  # names from the wire stay out of saved state


def test_bad_choices_are_refused_with_what_to_do(ws):
    """A bad path, a repeated one, too many, or a list for a path raise and keep the choice."""
    ws.widget.plot("a")
    with pytest.raises(ValueError, match=r"\[Name=gain\] for a named element"):
        ws.widget.plot("a..b")
    with pytest.raises(ValueError, match="once"):
        ws.widget.plot("a", "a")
    with pytest.raises(ValueError, match=f"at most {MAX_PLOTTED}"):
        ws.widget.plot(*(f"f{i}" for i in range(MAX_PLOTTED + 1)))
    with pytest.raises(TypeError, match="must be a string"):
        ws.widget.plot(["a", "b"])  # type: ignore[arg-type]
    assert ws.widget.plot_fields == ["a"]


def test_clear_forgets_the_series_and_pandas_reads_them(ws):
    """plot_frame gives a column per field indexed by UTC time; Clear empties the series."""
    sent = sent_by(ws.widget)
    ws.plot(GAIN, "params.Changes[Name=mute].Value")
    for n in range(4):
        ws.send(poll(n))
    wait_for(lambda: len(ws.history.messages()) == 8)
    frame = ws.widget.plot_frame()
    assert list(frame.columns) == [GAIN, "params.Changes[Name=mute].Value"]
    assert str(frame.index.tz) == "UTC" and len(frame) == 4
    assert frame[GAIN].tolist() == [0.0, -1.0, -2.0, -3.0]
    ws.widget.clear()
    wait_for(lambda: any(c["type"] == "cleared" for c in sent))
    assert ws.widget._plot.state() == {GAIN: [], "params.Changes[Name=mute].Value": []}
    assert ws.widget.plot_series() == {GAIN: [], "params.Changes[Name=mute].Value": []}


def test_a_flush_reads_a_bounded_number_of_records_and_counts_the_rest():
    """Past MAX_PER_FLUSH new records a flush reads the newest only and counts the incoming
    text messages it left, so the counts still add up; nothing is read twice."""
    history = History()
    feed = PlotFeed(history)
    feed.select(["v"])
    for n in range(3 * MAX_PER_FLUSH):
        history.add("out" if n % 3 == 0 else "in", "text", json.dumps({"v": n}))
    history.add("in", "binary", b"\x00")
    first = feed.collect()
    assert feed.skipped == history.count_incoming_text(0, history.last_seq - MAX_PER_FLUSH) > 0
    assert first["v"][5] + feed.skipped == 2 * MAX_PER_FLUSH
    assert first["v"][4] == 3 * MAX_PER_FLUSH - 1  # the newest value is the last
    assert feed.collect() == {}
    history.add("in", "text", '{"v": -1}')
    bucket = feed.collect()["v"]
    assert bucket[2:] == [-1, -1, -1, 1]


def test_a_late_choice_keeps_the_times_of_the_messages_before():
    """A field chosen after its messages came gets a bucket per message, each at its own time."""
    history = History()
    for n in range(5):
        history.add("in", "text", json.dumps({"v": n}), at=1_000.0 + n)
    feed = PlotFeed(history)
    filled = feed.select(["v"])["v"]
    assert [(b[0], b[4], b[5]) for b in filled] == [(1_000_000 + 1000 * n, n, 1) for n in range(5)]
