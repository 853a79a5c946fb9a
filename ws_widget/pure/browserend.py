"""How a browser WebSocket's end reads as :class:`~ws_widget.pure.outcome.EndFacts`.

The browser tells a page little: a ``close`` event with ``code``, ``reason`` and ``wasClean``,
and before it, for a failure, an ``error`` event with no detail at all. These functions turn
that into the facts :func:`~ws_widget.pure.outcome.classify_end` decides on, so the history,
the callbacks and the error lines follow the same rules as on a server.
"""

from __future__ import annotations

from websockets.frames import Close

from .outcome import EndFacts

NO_STATUS = 1005  # the peer's close frame carried no code
ABNORMAL = 1006  # no closing handshake


def end_facts(code: int, reason: str, was_clean: bool, sent: tuple[int, str] | None) -> EndFacts:
    """The facts of a browser connection that opened and then ended.

    Args:
        code, reason, was_clean: the browser's close event.
        sent: the code and reason this side closed with (``close()``), or None if it did not.
    """
    sent_frame = None if sent is None else Close(*sent)
    if not was_clean or code == ABNORMAL:
        return EndFacts(
            close_code=ABNORMAL,
            close_reason=reason,
            received=None,
            sent=sent_frame,
            peer_started=False,
            close_exc=ConnectionError(
                "the connection ended without a closing handshake (1006 abnormal closure); the browser "
                "gives no detail: its developer console may say why"
            ),
        )
    received = Close(code, reason)
    return EndFacts(
        close_code=code,
        close_reason=reason,
        received=received,
        sent=sent_frame if sent_frame is not None else received,  # the browser echoes the peer's close
        peer_started=sent is None,
    )


def open_failure(url: str, code: int | None = None) -> ConnectionError:
    """The error of a browser WebSocket that never opened (``error``, then ``close`` 1006).

    The browser hides the cause from the page on purpose (refused, no server, HTTP status,
    TLS, a blocked mixed-content or CSP request all look the same), so the line says where to
    look.
    """
    code_text = f" (close code {code})" if code is not None else ""
    return ConnectionError(
        f"the browser could not open {url}{code_text}: it does not tell a page why (no server, refused, "
        "an HTTP error instead of the upgrade, a TLS certificate it does not trust, or an https page "
        "connecting to ws://); the browser's developer console shows the reason"
    )
