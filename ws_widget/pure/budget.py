"""One payload budget for every history of the process.

Each history has its own cap (``max_bytes``); together they may hold at most
``history_budget.limit`` bytes of payload (512 MiB by default; None for no process-wide
limit). Past it, the oldest records of closed sockets' histories go first, oldest history
first; then the oldest records of open ones. A message that an active receiving loop has not
taken yet is never dropped (see :attr:`History.pin`). What was dropped is counted in each
history's ``dropped``.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .history import History

DEFAULT_LIMIT = 512 * 2**20


class Budget:
    """The process-wide budget of history payload bytes.

    ``charged`` is a cheap running count kept by the histories as they grow; when it passes
    ``threshold`` (the limit, or a little above it while receiving loops pin more than the
    limit), :meth:`reclaim` recounts exactly and drops the oldest records as said above.
    """

    def __init__(self, limit: int | None = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self.charged = 0
        self._lock = threading.Lock()
        self._histories: weakref.WeakSet[History] = weakref.WeakSet()
        self._order = 0

    @property
    def limit(self) -> int | None:
        """Payload bytes all histories together may hold; None for no process-wide limit."""
        return self._limit

    @limit.setter
    def limit(self, value: int | None) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError(f"the history budget must be a positive number of bytes or None, got {value!r}")
        self._limit = value
        self.threshold = value if value is not None else 2**62  # what the histories compare with

    @property
    def used(self) -> int:
        """Payload bytes the histories hold now, counted exactly."""
        return sum(history.bytes for history in list(self._histories))

    def register(self, history: History) -> None:
        """Count ``history`` in the budget (histories do this when made)."""
        with self._lock:
            self._histories.add(history)

    def closed_order(self) -> int:
        """A number that orders histories by when their socket closed."""
        self._order += 1
        return self._order

    def reclaim(self) -> int:
        """Recount, and drop the oldest records beyond the limit; return the bytes dropped."""
        with self._lock:
            histories = list(self._histories)
            used = sum(history.bytes for history in histories)
            self.charged = used
            limit = self._limit
            if limit is None or used <= limit:
                self.threshold = limit if limit is not None else 2**62
                return 0
            closed = sorted((h for h in histories if h.closed_at), key=lambda h: h.closed_at)
            live = sorted((h for h in histories if not h.closed_at), key=lambda h: h.oldest_mono())
            freed = 0
            for history in closed + live:
                if used - freed <= limit:
                    break
                freed += history.shed(used - freed - limit)
            self.charged = used - freed
            # What is left over the limit is pinned by receiving loops: look again only after an
            # eighth of the limit more, not at every message (a recount visits every history).
            self.threshold = limit if self.charged <= limit else self.charged + max(limit // 8, 1)
            return freed

    def __repr__(self) -> str:
        limit = "no limit" if self._limit is None else f"{self._limit:,} B"
        return f"<Budget {self.used:,} B of {limit}, {len(self._histories)} histories>"


history_budget = Budget()
"""The budget of this process: ``ws_widget.history_budget.limit = 2 * 2**30`` to raise it."""
