"""The history's clock, its pin for receiving loops, and the process-wide budget of all histories."""

from __future__ import annotations

import time

import pytest

from ws_widget import History, WebSocket
from ws_widget.pure import clock
from ws_widget.pure.budget import Budget, history_budget
from ws_widget.pure.kinds import EVENT, IN, IN_TEXT, OPEN, TEXT


@pytest.fixture
def budget_limit():
    """Restore the process-wide budget after a test changes it."""
    saved = history_budget.limit
    yield history_budget
    history_budget.limit = saved


def test_record_times_follow_a_wall_clock_step(monkeypatch):
    """Records made after the wall clock steps carry the new time; earlier ones keep theirs."""
    history = History()
    history.add_message(IN_TEXT, "before", 6)
    first = history.add(IN, TEXT, "also before", 11)
    real = time.time
    monkeypatch.setattr(clock, "wall", lambda: real() + 3600)  # an NTP step, or a laptop waking up
    history.add_message(IN_TEXT, "after", 5)
    records = history.snapshot()
    assert abs(records[0].time - real()) < 60 and abs(first.time - real()) < 60
    assert abs(records[2].time - (real() + 3600)) < 60
    assert records[2].mono >= records[0].mono  # durations still come from the monotonic clock
    assert records[2].to_dict()["time"] == round(records[2].time, 6)


def test_record_times_of_a_connection_follow_the_wall_clock(server, monkeypatch):
    """Over a real connection, messages after a clock step are stamped with the stepped clock."""
    ws = WebSocket().connect(server.url("/echo"))
    ws.send("one")
    assert ws.receive(timeout=5) == "one"
    real = time.time
    monkeypatch.setattr(clock, "wall", lambda: real() - 86_400)
    ws.send("two")
    assert ws.receive(timeout=5) == "two"
    ws.close()
    by_payload = {r.payload: r for r in ws.history if r.direction == IN}
    assert abs(by_payload["one"].time - real()) < 60
    assert abs(by_payload["two"].time - (real() - 86_400)) < 60


def test_imported_records_keep_their_time():
    """A record added with ``at=`` keeps that wall-clock time."""
    history = History()
    record = history.add(EVENT, OPEN, info={"url": "ws://127.0.0.1/"}, at=1_000_000_000.5)
    assert record.time == 1_000_000_000.5 and history[record.seq].time == 1_000_000_000.5


def test_pin_keeps_records_beyond_the_cap():
    """No record after the pin is dropped, whatever the cap; unpinned, the cap applies again."""
    history = History(max_records=10)
    history.pin = 0
    for n in range(25):
        history.add_message(IN_TEXT, str(n), 1)
    assert len(history) == 25 and history.dropped == 0
    history.pin = 12  # the loop took messages 1..12
    history.add_message(IN_TEXT, "25", 2)
    assert history.first_seq == 13 and history.dropped == 12  # 14 kept: 13..26 are not taken yet
    history.pin = None
    history.add_message(IN_TEXT, "26", 2)
    assert len(history) == 10 and history.first_seq == 18


def test_take_messages_skips_events_and_outgoing():
    """A batch take returns incoming messages only, with their numbers, and where it got to."""
    history = History()
    history.add(EVENT, OPEN, info={"url": "ws://127.0.0.1/"})
    history.add_message(IN_TEXT, "a", 1)
    history.add("out", TEXT, "mine", 4)
    history.add_message(IN_TEXT, "b", 1)
    taken: list = []
    assert history.take_messages(0, 10, taken) == 4
    assert taken == [(2, "a"), (4, "b")]
    taken.clear()
    assert history.take_messages(4, 10, taken) == 4 and taken == []
    assert history.take_messages(0, 1, taken) == 2 and taken == [(2, "a")]


def test_budget_drops_closed_histories_first():
    """Past the budget the oldest records of closed sockets' histories go first, oldest first."""
    budget = Budget(20_000)
    older, closed, live = History(budget=budget), History(budget=budget), History(budget=budget)
    for history in (older, closed, live):
        history.mark_live()
    for _ in range(5):
        older.add_message(IN_TEXT, "o" * 1000, 1000)
    older.mark_closed()
    for _ in range(10):
        closed.add_message(IN_TEXT, "x" * 1000, 1000)
    closed.mark_closed()
    for _ in range(12):
        live.add_message(IN_TEXT, "y" * 1000, 1000)
    assert live.dropped == 0 and len(live) == 12
    assert older.dropped == 5 and len(older) == 0  # closed first: all of it
    assert closed.dropped == 2 and closed.first_seq == 3  # then the next closed, oldest records first
    assert budget.used <= budget.limit


def test_budget_drops_the_oldest_of_live_histories_last():
    """With no closed history left to drop from, the oldest live records go."""
    budget = Budget(10_000)
    first, second = History(budget=budget), History(budget=budget)
    first.mark_live()
    second.mark_live()
    for _ in range(6):
        first.add_message(IN_TEXT, "a" * 1000, 1000)
    for _ in range(6):
        second.add_message(IN_TEXT, "b" * 1000, 1000)
    assert first.dropped == 2 and second.dropped == 0
    assert budget.used == 10_000


def test_budget_never_drops_a_pinned_message():
    """A live history's messages that a loop has not taken stay, even past the budget."""
    budget = Budget(5_000)
    history = History(budget=budget)
    history.mark_live()
    history.pin = 0
    for _ in range(10):
        history.add_message(IN_TEXT, "z" * 1000, 1000)
    assert history.dropped == 0 and len(history) == 10
    history.pin = 6
    # Over the limit with everything pinned, the budget looks again an eighth of the limit later.
    history.add_message(IN_TEXT, "z" * 1000, 1000)
    assert history.dropped == 6 and history.first_seq == 7


class CountingBudget(Budget):
    """A real budget that counts its recounts."""

    recounts = 0

    def reclaim(self) -> int:
        self.recounts += 1
        return super().reclaim()


def test_pinned_past_the_budget_does_not_recount_at_every_message():
    """While loops pin more than the limit, adding a message does not visit every history each time."""
    budget = CountingBudget(8_000)
    others = [History(budget=budget) for _ in range(50)]
    history = History(budget=budget)
    history.mark_live()
    history.pin = 0
    for _ in range(1_000):
        history.add_message(IN_TEXT, "p" * 100, 100)
    assert history.dropped == 0 and len(history) == 1_000  # nothing pinned is ever dropped
    assert budget.recounts <= 100_000 // 1_000 + 1  # once per eighth of the limit, not 1,000 times
    assert len(others) == 50


def test_budget_refuses_a_bad_limit():
    """A budget must be a positive number of bytes or None; the error says so."""
    with pytest.raises(ValueError, match="positive number of bytes or None"):
        history_budget.limit = 0


def test_forty_closed_connections_stay_within_the_budget(server, budget_limit):
    """Connections run one after another keep at most the budget in all their histories."""
    budget_limit.limit = budget_limit.used + 2 * 2**20
    sockets = []
    for _ in range(40):
        ws = WebSocket().connect(server.url("/echo"))
        ws.send("p" * 100_000)
        assert ws.receive(timeout=5)
        ws.close()
        sockets.append(ws)
    assert budget_limit.used <= budget_limit.limit
    assert sum(ws.history.dropped for ws in sockets) > 0
    assert len(sockets[-1].history.messages()) == 2  # the newest kept what it had
