"""The seam between the core and a face: what the core reports, on its loop, about one socket.

A face implements :class:`CoreListener` with a private adapter (``faces/dispatch.py``), so none
of these methods appear on the user's object. Every method is called on the core's loop and
must return at once (queue the user's callback, never run it there).

Event order per attempt: ``opened``? ``message``* (``failed``)? ``closed``, exactly one
``closed``; ``reconnect_scheduled`` comes before the ``closed`` it follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .attempt import Attempt


class CoreListener(Protocol):
    """Hears the events of one socket's attempts."""

    def opened(self, attempt: Attempt) -> None:
        """The attempt is open (Connected)."""

    def message(self, attempt: Attempt, payload: str | bytes, size: int) -> None:
        """A message of ``size`` bytes arrived and was recorded (Data): the per-message path,
        keep it lean."""

    def pong(self, attempt: Attempt, rtt: float) -> None:
        """A pong answered one of our pings after ``rtt`` seconds (Pong)."""

    def failed(self, attempt: Attempt, text: str) -> None:
        """The attempt failed, or ended abnormally; ``text`` says why and what to try (Error)."""

    def closed(self, attempt: Attempt) -> None:
        """The attempt is over (Closed); its close code and reason are set."""

    def reconnect_scheduled(self, attempt: Attempt, retry: int, delay: float) -> None:
        """An automatic reconnect will start in ``delay`` seconds."""

    def reconnect_cancelled(self, keep_alive: bool) -> None:
        """A pending automatic reconnect was cancelled (``keep_alive`` as its attempt's)."""
