"""The clocks ws_widget reads: the wall clock for the time of records, the monotonic clock for
durations and rates. Both are looked up at each use, so a test may replace them."""

from __future__ import annotations

import time
from collections.abc import Callable

wall: Callable[[], float] = time.time
"""Epoch seconds now: the time of a record, as ``time.time()`` says at the moment of recording."""

monotonic: Callable[[], float] = time.monotonic
"""Seconds of a clock that never steps: durations, rates, timeouts."""
