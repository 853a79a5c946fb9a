"""Debug Output: timestamped lines in the Q-SYS format ``YYYY-MM-DDTHH:MM:SS.mmm<TAB>text``."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator


def format_line(text: str, when: float | None = None) -> str:
    """Return ``text`` as a Q-SYS Debug Output line stamped with local time."""
    when = time.time() if when is None else when
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(when))
    return f"{stamp}.{int(when * 1000) % 1000:03d}\t{text}"


class DebugLog:
    """The newest ``max_lines`` Debug Output lines of one object; safe from any thread."""

    def __init__(self, max_lines: int = 5000) -> None:
        self._lines: deque[str] = deque(maxlen=max_lines)
        self._partial = ""
        self._lock = threading.Lock()
        self.listeners: list[Callable[[str], object]] = []  # called with each new line, e.g. by the widget
        self.printed = False  # set when a callback printed: its streams need a flush
        self.callback_output: str | None = None  # where printed text goes too; None: the global choice

    def log(self, text: str) -> None:
        """Add one line per line of ``text``, stamped now."""
        now = time.time()
        for piece in str(text).splitlines() or [""]:
            line = format_line(piece, now)
            with self._lock:
                self._lines.append(line)
            for listener in self.listeners:
                listener(line)

    def write(self, text: str) -> None:
        """Take printed text; each complete line becomes a Debug Output line."""
        with self._lock:
            pending = self._partial + text
            complete, _, self._partial = pending.rpartition("\n")
        if complete:
            self.log(complete)

    def flush(self) -> None:
        """Emit a pending partial line, if any."""
        if not self._partial:  # after every callback: usually nothing to do, so no lock
            return
        with self._lock:
            pending, self._partial = self._partial, ""
        if pending:
            self.log(pending)

    @property
    def lines(self) -> list[str]:
        """The lines held, oldest first."""
        with self._lock:
            return list(self._lines)

    def clear(self) -> None:
        """Forget every line."""
        with self._lock:
            self._lines.clear()

    def __iter__(self) -> Iterator[str]:
        """Iterate over a copy of the lines, oldest first."""
        return iter(self.lines)

    def __len__(self) -> int:
        """The number of lines held."""
        return len(self._lines)

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return f"<DebugLog {len(self)} lines>"
