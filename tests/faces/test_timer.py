"""Timer: the Q-SYS Timer API on the I/O loop and the event thread."""

from __future__ import annotations

import threading
import time

import pytest

from ws_widget import Timer


def test_repeats_with_first_tick_one_period_after_start():
    """Start(seconds) repeats; the first tick comes one period after Start, not at once."""
    ticks = []
    enough = threading.Event()
    timer = Timer.New()

    def tick(t):
        ticks.append(time.monotonic())
        if len(ticks) == 3:
            t.Stop()
            enough.set()

    timer.EventHandler = tick
    started = time.monotonic()
    timer.Start(0.1)
    assert timer.IsRunning()
    assert enough.wait(10)
    assert not timer.IsRunning()
    assert ticks[0] - started >= 0.095
    assert ticks[1] > ticks[0] and ticks[2] > ticks[1]


def test_stop_stops_and_restart_takes_the_new_period():
    """Stop ends the ticks; a second Start restarts with the new period."""
    timer = Timer.New()
    ticks = []
    timer.EventHandler = lambda: ticks.append(time.monotonic())
    timer.Start(10)
    timer.Start(0.05)  # restart: the 10 s schedule is gone
    deadline = time.monotonic() + 10
    while len(ticks) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    timer.Stop()
    count = len(ticks)
    assert count >= 2
    time.sleep(0.2)
    assert len(ticks) <= count + 1  # at most a tick already queued when Stop ran


def test_call_after_and_now():
    """CallAfter calls once after the delay; Now gives epoch seconds."""
    called = threading.Event()
    start = time.monotonic()
    when = []
    Timer.CallAfter(lambda: (when.append(time.monotonic()), called.set()), 0.1)
    assert called.wait(10)
    assert when[0] - start >= 0.095
    assert abs(Timer.Now() - time.time()) < 1 and isinstance(Timer.Now(), float)


@pytest.mark.parametrize("seconds", [0, -1, "1", None, True])
def test_start_refuses_non_positive_periods(seconds):
    """Start with a non-positive or non-numeric period raises, naming the argument."""
    with pytest.raises(ValueError, match="seconds must be a positive number"):
        Timer.New().Start(seconds)


def test_call_after_checks_arguments():
    """CallAfter refuses a non-callable and a non-positive delay."""
    with pytest.raises(TypeError, match="fn must be a function"):
        Timer.CallAfter("nope", 1)
    with pytest.raises(ValueError, match="seconds must be a positive number"):
        Timer.CallAfter(lambda: None, 0)


def test_raising_handler_keeps_ticking():
    """A handler that raises is reported to Debug Output and the timer goes on."""
    timer = Timer.New()
    count = []
    done = threading.Event()

    def tick():
        count.append(1)
        if len(count) == 3:
            timer.Stop()
            done.set()
        raise RuntimeError("tick failed")

    timer.EventHandler = tick
    timer.Start(0.05)
    assert done.wait(10)
    assert "RuntimeError: tick failed" in str(timer.debug_output)


def test_slow_handler_skips_ticks_instead_of_piling_up():
    """A handler slower than the period makes ticks skip, not queue without bound."""
    timer = Timer.New()
    release = threading.Event()
    timer.EventHandler = lambda: release.wait(10)
    timer.Start(0.02)
    deadline = time.monotonic() + 10
    while timer.skipped_ticks < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert timer.skipped_ticks >= 5
    assert timer._lane.pending <= 2  # the handler and its internal follow-up
    timer.Stop()
    release.set()
