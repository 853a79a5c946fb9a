"""Pure decisions of the core: how an attempt ended, and whether to connect again.

Each case mirrors one that the integration tests in tests/core/ reach with a real server
(test_failures.py, test_hostile.py, test_faults.py, test_reconnect.py); here the same facts are
built by hand.
"""

from __future__ import annotations

import pytest
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK, InvalidStatus
from websockets.frames import Close
from websockets.http11 import Response

from ws_widget.pure.options import ReconnectPolicy
from ws_widget.pure.outcome import (
    EndFacts,
    GiveUp,
    Retry,
    abandoned,
    classify_end,
    open_failed,
    plan_reconnect,
)

ADDRESS = "127.0.0.1:8765"


def closed_error(rcvd: Close | None, sent: Close | None, rcvd_then_sent: bool | None = None):
    """websockets' exception for an end, as its connection builds it."""
    cls = (
        ConnectionClosedOK
        if rcvd is not None and sent is not None and rcvd.code in (1000, 1001)
        else (ConnectionClosedError)
    )
    return cls(rcvd, sent, rcvd_then_sent)


def end(rcvd, sent, peer_started, **extra):
    code = rcvd.code if rcvd is not None else 1006
    reason = rcvd.reason if rcvd is not None else ""
    facts = {"close_exc": closed_error(rcvd, sent, peer_started if rcvd and sent else None)}
    facts.update(extra)
    return EndFacts(code, reason, rcvd, sent, peer_started, **facts)


def test_refused_connection_is_an_error_with_a_hint():
    """A refused TCP connection fails the attempt with a line naming the address."""
    result = open_failed(ConnectionRefusedError(111, "Connection refused"), ADDRESS)
    assert not result.clean and result.close_info is None
    assert (
        result.error_text
        == f"connection refused by {ADDRESS}: is the server running and listening on that port?"
    )


def test_http_404_is_an_error_with_the_path_hint():
    """A 404 answer fails the attempt and says to check the path."""
    response = Response(404, "Not Found", Headers(), b"nothing here")
    result = open_failed(InvalidStatus(response), ADDRESS)
    assert not result.clean
    assert result.error_text.startswith(
        "server answered HTTP 404 Not Found instead of switching to WebSocket"
    )
    assert "/qrc-public-api/v0" in result.error_text


def test_abandoned_attempt_is_neither_error_nor_close():
    """An attempt closed by the user before it opened records no error and no close."""
    result = abandoned()
    assert result.clean and result.error_text is None and result.close_info is None


def test_server_close_is_clean_whatever_its_code():
    """A close frame from the server is a clean end, 1000 or 4001 alike."""
    for code in (1000, 1012, 4001):
        result = classify_end(end(Close(code, "bye"), Close(code, "bye"), True), close_requested=False)
        assert result.clean, code
        assert result.close_info == {
            "code": code,
            "meaning": result.close_info["meaning"],
            "reason": "bye",
            "initiator": "server",
            "clean": True,
        }
    assert (
        classify_end(end(Close(4001, ""), Close(4001, ""), True), False).close_info["meaning"]
        == "private use"
    )


def test_user_close_is_clean():
    """Closing on the user's request, answered by the server, is clean and initiated by the client."""
    result = classify_end(end(Close(1000, ""), Close(1000, ""), False), close_requested=True)
    assert result.clean and result.close_info["initiator"] == "client"


def test_user_close_with_an_error_code_is_still_clean():
    """A code the user chose (4000) is not an error: the user asked for it."""
    result = classify_end(end(Close(4000, "done"), Close(4000, "done"), False), close_requested=True)
    assert result.clean


def test_abnormal_close_is_an_error():
    """A connection that dropped without a close frame (1006) is an error, then the close."""
    result = classify_end(end(None, None, False), close_requested=False)
    assert not result.clean
    assert result.close_info["code"] == 1006 and result.close_info["clean"] is False
    assert result.error_text.startswith("connection lost without a closing handshake (1006 abnormal closure)")


def test_keepalive_timeout_is_an_error():
    """No pong within ping_timeout: this side closed with 1011 and got no answer."""
    sent = Close(1011, "keepalive ping timeout")
    result = classify_end(end(None, sent, False), close_requested=False)
    assert not result.clean and result.close_info["initiator"] == "client"
    assert result.error_text.startswith("no pong to a keepalive ping within ping_timeout")


def test_protocol_error_is_an_error():
    """An invalid frame from the server: this side closed with 1002, even if the server answered."""
    sent = Close(1002, "unexpected continuation frame")
    result = classify_end(end(Close(1002, ""), sent, False), close_requested=False)
    assert not result.clean
    assert result.error_text == f"the server sent an invalid frame: the client closed with {sent}"


def test_message_too_big_is_an_error():
    """A message above max_size: this side closed with 1009."""
    sent = Close(1009, "over size limit (2000 > 1000 bytes)")
    result = classify_end(end(Close(1009, ""), sent, False), close_requested=False)
    assert not result.clean
    assert result.error_text.startswith("a message was larger than max_size")


def test_refused_text_before_a_clean_close_is_an_error():
    """A text that is not UTF-8, refused right before the server's clean close, is still an error."""
    refused = UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
    rcvd = sent = Close(1000, "")
    result = classify_end(end(rcvd, sent, True, refused=refused), close_requested=False)
    assert not result.clean
    assert result.error.__cause__ is refused
    assert (
        "a text message that is not UTF-8 was dropped (invalid start byte at position 0)" in result.error_text
    )


def test_failure_while_reading_is_an_error():
    """An exception while reading ends the attempt abnormally with that exception."""
    failure = RuntimeError("boom")
    result = classify_end(end(Close(1011, ""), Close(1011, "client error"), False, failure=failure), False)
    assert result.error is failure and result.error_text == "RuntimeError: boom"


def test_end_without_an_exception_is_still_reported():
    """A transport that knows no exception for an abnormal end still gets an error line."""
    facts = EndFacts(1006, "", None, None, False)
    result = classify_end(facts, close_requested=False)
    assert not result.clean and "1006" in result.error_text


@pytest.mark.parametrize(
    ("opened", "previous", "expected_retry"),
    [(True, 0, 1), (True, 5, 1), (False, 0, 1), (False, 3, 4)],
)
def test_reconnect_counts_retries_in_a_row(opened, previous, expected_retry):
    """A connection that opened starts counting again at 1; a failed retry counts on."""
    policy = ReconnectPolicy(initial=1, factor=2, max_delay=30, jitter=0)
    plan = plan_reconnect(
        policy,
        user_closed=False,
        still_current=True,
        opened=opened,
        previous_retry=previous,
        random_fraction=0.5,
    )
    assert plan == Retry(expected_retry, min(30, 2 ** (expected_retry - 1)))


def test_reconnect_jitter_shortens_the_delay():
    """Jitter takes up to its fraction off the delay."""
    policy = ReconnectPolicy(initial=4, jitter=0.5)
    plan = plan_reconnect(
        policy, user_closed=False, still_current=True, opened=True, previous_retry=0, random_fraction=1.0
    )
    assert plan == Retry(1, 2.0)


def test_reconnect_gives_up_after_max_attempts():
    """After max_attempts failed retries in a row the plan is to give up, saying how many failed."""
    policy = ReconnectPolicy(max_attempts=3)
    plan = plan_reconnect(
        policy, user_closed=False, still_current=True, opened=False, previous_retry=3, random_fraction=0.0
    )
    assert plan == GiveUp(3)


@pytest.mark.parametrize(
    ("policy", "user_closed", "still_current"),
    [(None, False, True), (ReconnectPolicy(), True, True), (ReconnectPolicy(), False, False)],
)
def test_no_reconnect_without_policy_after_close_or_newer_connect(policy, user_closed, still_current):
    """No policy, a Close() by the user, or a newer Connect: no reconnect."""
    assert (
        plan_reconnect(
            policy,
            user_closed=user_closed,
            still_current=still_current,
            opened=True,
            previous_retry=0,
            random_fraction=0.0,
        )
        is None
    )


def test_keepalive_timeout_while_paused_names_the_pause():
    """A keepalive timeout while flow control paused reading says so, and what to do."""
    sent = Close(1011, "keepalive ping timeout")
    result = classify_end(
        end(None, sent, False), False, paused="4,097 messages not yet taken by the receiving loop"
    )
    assert "while reading was paused (4,097 messages not yet taken" in result.error_text
    assert "raise max_backlog=" in result.error_text and "ping_interval=None" in result.error_text
