"""Flow control: when reading a socket pauses because its consumers fell behind, and resumes.

Between the socket and its consumers wait two backlogs: the ``Data`` callbacks queued but not
yet run (count and bytes), and the messages recorded but not yet taken by an active
``for message in ws`` / ``async for`` loop (count and bytes held beyond the history's cap).
Past a high-water mark reading pauses, so TCP pushes back on the server; once every backlog is
at or below its low-water mark (a quarter of the high one, as websockets' ``max_queue``),
reading resumes. Nothing is dropped meanwhile.
"""

from __future__ import annotations

import dataclasses

DEFAULT_MAX_BACKLOG = 4096
DEFAULT_MAX_BACKLOG_BYTES = 64 * 2**20


@dataclasses.dataclass(frozen=True)
class FlowLimits:
    """High-water marks of one socket's backlogs; None never pauses for that measure.

    Attributes:
        messages: callbacks behind, or messages not yet taken by an active loop.
        bytes: payload bytes of the callbacks behind, or held beyond the history's cap for a loop.
    """

    messages: int | None = DEFAULT_MAX_BACKLOG
    bytes: int | None = DEFAULT_MAX_BACKLOG_BYTES

    def __post_init__(self) -> None:
        for name in ("messages", "bytes"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(
                    f"max_backlog{'_bytes' if name == 'bytes' else ''} must be a positive "
                    f"integer or None (never pause), got {value!r}"
                )

    @property
    def enabled(self) -> bool:
        """Whether any backlog can pause reading."""
        return self.messages is not None or self.bytes is not None

    @property
    def high_messages(self) -> int:
        """Messages past which reading pauses (an unreachable number when None)."""
        return self.messages if self.messages is not None else 2**62

    @property
    def high_bytes(self) -> int:
        """Bytes past which reading pauses (an unreachable number when None)."""
        return self.bytes if self.bytes is not None else 2**62

    @property
    def low_messages(self) -> int:
        """Messages at or below which reading may resume."""
        return self.high_messages // 4

    @property
    def low_bytes(self) -> int:
        """Bytes at or below which reading may resume."""
        return self.high_bytes // 4


@dataclasses.dataclass(frozen=True)
class Backlog:
    """What waits between one socket and its consumers, at one moment."""

    callbacks: int = 0
    callback_bytes: int = 0
    unread: int = 0
    unread_bytes: int = 0


def pause_reason(limits: FlowLimits, backlog: Backlog) -> str | None:
    """Return why reading must pause (``"4,096 Data callbacks behind"``), or None if it need not."""
    if backlog.callbacks > limits.high_messages:
        return f"{backlog.callbacks:,} Data callbacks behind"
    if backlog.callback_bytes > limits.high_bytes:
        return f"{_mib(backlog.callback_bytes)} of Data callbacks behind"
    if backlog.unread > limits.high_messages:
        return f"{backlog.unread:,} messages not yet taken by the receiving loop"
    if backlog.unread_bytes > limits.high_bytes:
        return f"{_mib(backlog.unread_bytes)} not yet taken by the receiving loop"
    return None


def may_resume(limits: FlowLimits, backlog: Backlog) -> bool:
    """Whether every backlog is at or below its low-water mark."""
    return (
        backlog.callbacks <= limits.low_messages
        and backlog.callback_bytes <= limits.low_bytes
        and backlog.unread <= limits.low_messages
        and backlog.unread_bytes <= limits.low_bytes
    )


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"
