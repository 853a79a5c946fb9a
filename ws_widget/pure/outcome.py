"""How a connection attempt ended, and whether to connect again: pure decisions, no I/O.

A transport reports what it saw (:class:`EndFacts`); :func:`classify_end` turns that into an
:class:`Outcome`: clean or not, the error to report and the close record. :func:`plan_reconnect`
decides, from a :class:`~ws_widget.pure.options.ReconnectPolicy`, whether and when to retry.

The rules, as the callbacks see them: an attempt that could not open is an error. Once open, a
close frame from the server, whatever its code, is a clean end. The end is abnormal (an error,
then the close) when the connection dropped without a closing handshake, when reading failed,
when a text that was not UTF-8 was refused (even if the server's close frame came right after
it), or when this side started closing because of an error (keepalive timeout 1011, message too
big 1009, protocol error 1002) rather than because the user asked.
"""

from __future__ import annotations

import dataclasses

from websockets.frames import Close

from .closecodes import close_code_name
from .explain import explain
from .options import ReconnectPolicy

_NORMAL_CODES = (1000, 1001)  # codes this side sends when nothing went wrong


@dataclasses.dataclass(frozen=True)
class EndFacts:
    """What a transport knows once a connection that opened has ended.

    Attributes:
        close_code: the close code to report (1006 when no close frame was received).
        close_reason: the close reason to report.
        received: the close frame received from the peer, if any.
        sent: the close frame this side sent, if any.
        peer_started: whether the peer sent its close frame first.
        failure: an error raised while reading, if any.
        close_exc: the exception the connection gives for its end (reported when abnormal).
        refused: a received message refused as invalid (a text that is not UTF-8), if any.
    """

    close_code: int | None
    close_reason: str | None
    received: Close | None
    sent: Close | None
    peer_started: bool
    failure: BaseException | None = None
    close_exc: BaseException | None = None
    refused: BaseException | None = None


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The end of an attempt as it is recorded and reported.

    Attributes:
        error: the exception behind ``Error``, or None for a clean end.
        error_text: one line that says what went wrong and what to try, or None.
        close_info: the close record's details (``code``, ``meaning``, ``reason``, ``initiator``,
            ``clean``), or None when the attempt never opened.
    """

    error: BaseException | None
    error_text: str | None
    close_info: dict[str, object] | None

    @property
    def clean(self) -> bool:
        """Whether the attempt ended without an error."""
        return self.error is None


def abandoned() -> Outcome:
    """The outcome of an attempt the user closed before it opened: no error, no close record."""
    return Outcome(None, None, None)


def open_failed(exc: BaseException, address: str = "") -> Outcome:
    """The outcome of an attempt that could not open (refused, HTTP 404, TLS, timeout, ...)."""
    return Outcome(exc, explain(exc, address), None)


def classify_end(
    facts: EndFacts, close_requested: bool, address: str = "", paused: str | None = None
) -> Outcome:
    """Classify the end of a connection that opened.

    Args:
        facts: what the transport saw.
        close_requested: whether the user asked to close this attempt.
        address: ``host:port`` for the error line.
        paused: why reading was paused when it ended (flow control), or None.
    """
    refused = facts.refused
    abnormal = (
        facts.failure is not None
        or refused is not None
        or facts.received is None
        or (
            not close_requested
            and facts.sent is not None
            and not facts.peer_started
            and facts.sent.code not in _NORMAL_CODES
        )
    )
    info: dict[str, object] = {
        "code": facts.close_code,
        "meaning": close_code_name(facts.close_code),
        "reason": facts.close_reason,
        "initiator": "server" if facts.peer_started else "client",
        "clean": not abnormal,
    }
    if not abnormal:
        return Outcome(None, None, info)
    error = facts.failure or facts.close_exc or refused
    if error is None:  # a transport that knows no exception still reports the end as an error
        error = ConnectionError(f"the connection ended without a closing handshake ({facts.close_code})")
    if refused is not None and error is not refused and error.__cause__ is None:
        error.__cause__ = refused  # say which message was refused
    text = explain(error, address)
    sent = facts.sent
    if paused is not None and sent is not None and sent.code == 1011 and "keepalive" in sent.reason:
        text = (
            f"no pong to a keepalive ping within ping_timeout while reading was paused ({paused}): "
            "a pong waits behind the unread data; take messages faster, raise max_backlog=, "
            "or turn keepalive off with ping_interval=None"
        )
    return Outcome(error, text, info)


@dataclasses.dataclass(frozen=True)
class Retry:
    """Connect again: retry number ``retry`` (1, 2, ... in a row) after ``delay`` seconds."""

    retry: int
    delay: float


@dataclasses.dataclass(frozen=True)
class GiveUp:
    """Stop retrying: ``failed`` attempts in a row failed (the policy's ``max_attempts``)."""

    failed: int


def plan_reconnect(
    policy: ReconnectPolicy | None,
    *,
    user_closed: bool,
    still_current: bool,
    opened: bool,
    previous_retry: int,
    random_fraction: float,
) -> Retry | GiveUp | None:
    """Decide whether to connect again after an attempt ended.

    Args:
        policy: the attempt's reconnect policy; None never reconnects.
        user_closed: the user asked to close (this attempt or the socket).
        still_current: the attempt is still the socket's current one (no newer Connect).
        opened: the attempt opened (a retry count starts again at 1 after it).
        previous_retry: the attempt's own retry number (0 when the user started it).
        random_fraction: a random number in [0, 1) for the jitter.

    Returns:
        :class:`Retry`, :class:`GiveUp`, or None when no reconnect applies.
    """
    if policy is None or user_closed or not still_current:
        return None
    retry = 1 if opened else previous_retry + 1
    if policy.gives_up(retry):
        return GiveUp(retry - 1)
    return Retry(retry, policy.delay(retry, random_fraction))
