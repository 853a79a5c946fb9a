"""Close codes made visible: their names, their meanings (RFC 6455 section 7.4 and the IANA
registry), the ranges they fall in, and which an application may send."""

from __future__ import annotations

import dataclasses

from websockets.frames import CLOSE_CODE_EXPLANATIONS, EXTERNAL_CLOSE_CODES, CloseCode


@dataclasses.dataclass(frozen=True)
class CloseCodeRange:
    """A range of close codes with one status.

    Attributes:
        first: the lowest code of the range.
        last: the highest code of the range.
        name: what :func:`close_code_name` says of a code that has no name of its own.
        meaning: what :func:`explain_close_code` says of such a code.
        sendable: whether an application may send any code of the range.
    """

    first: int
    last: int
    name: str
    meaning: str
    sendable: bool

    @property
    def span(self) -> str:
        """The range as text, e.g. ``3000-3999``."""
        return f"{self.first}-{self.last}"


# The ranges, in order and without gaps: the one place they are written.
CLOSE_CODE_RANGES = (
    CloseCodeRange(0, 999, "not used", "not used (0-999)", False),
    CloseCodeRange(1000, 1015, "reserved", "reserved by RFC 6455, no meaning assigned (1000-1015)", False),
    CloseCodeRange(1016, 2999, "reserved", "reserved for future versions of the protocol (1016-2999)", False),
    CloseCodeRange(
        3000,
        3999,
        "registered",
        "registered by a library, framework or application at IANA (3000-3999)",
        True,
    ),
    CloseCodeRange(
        4000,
        4999,
        "private use",
        "private use: its meaning is agreed between this application's client and server (4000-4999)",
        True,
    ),
)
FIRST_USED_CODE = CLOSE_CODE_RANGES[1].first
"""The lowest close code in use (1000): the codes below are not used."""
LAST_CLOSE_CODE = CLOSE_CODE_RANGES[-1].last
"""The highest close code (4999): higher numbers are invalid."""
_SENDABLE = [span for span in CLOSE_CODE_RANGES if span.sendable]
APPLICATION_SPAN = f"{_SENDABLE[0].first}-{_SENDABLE[-1].last}"
"""The codes an application may send besides the protocol's own, as text (``3000-4999``)."""

# One-line meanings, RFC 6455 section 7.4 and the IANA registry; names are websockets' CloseCode.
MEANINGS = {
    1000: "the purpose of the connection was fulfilled",
    1001: "an endpoint is going away: a server shutting down or a browser leaving the page",
    1002: "an endpoint received a frame that breaks the protocol",
    1003: "an endpoint received a type of data it cannot accept (e.g. binary for a text-only API)",
    1005: "the close frame carried no code (never sent on the wire)",
    1006: "the connection dropped without a close frame (never sent on the wire)",
    1007: "a message had data inconsistent with its type, e.g. invalid UTF-8 in text",
    1008: "a message broke the endpoint's policy (generic refusal)",
    1009: "a message was too big to process",
    1010: "the client expected an extension the server did not negotiate",
    1011: "the server hit an unexpected condition (websockets also uses it for keepalive timeouts)",
    1012: "the service is restarting",
    1013: "try again later: the server is overloaded or rate-limiting",
    1014: "a gateway or proxy got an invalid response from the upstream server",
    1015: "the TLS handshake failed (never sent on the wire)",
}


def close_code_range(code: int) -> CloseCodeRange | None:
    """Return the range ``code`` falls in, or None for a code outside 0-4999."""
    for span in CLOSE_CODE_RANGES:
        if span.first <= code <= span.last:
            return span
    return None


def close_code_name(code: int | None) -> str:
    """Return the registered name of a close code, as websockets formats it (``going away``),
    else the name of its range (``private use``), or ``invalid`` past 4999; ``""`` for None."""
    if code is None:
        return ""
    if code in CLOSE_CODE_EXPLANATIONS:
        return CLOSE_CODE_EXPLANATIONS[code]
    span = close_code_range(code)
    return span.name if span is not None else "invalid"


def explain_close_code(code: int | None) -> str:
    """Return ``NAME: meaning`` for any close code, ranges and invalid codes included."""
    if code is None:
        return "no close code"
    if code in MEANINGS:
        return f"{CloseCode(code).name}: {MEANINGS[code]}"
    span = close_code_range(code)
    if span is None:
        return f"invalid: close codes are {CLOSE_CODE_RANGES[0].first}-{LAST_CLOSE_CODE}"
    return span.meaning


def may_send(code: int) -> bool:
    """Tell whether a close frame may carry ``code`` (RFC 6455 section 7.4): one of the
    protocol's codes meant for the wire, or a registered or private-use code."""
    if code in EXTERNAL_CLOSE_CODES:
        return True
    span = close_code_range(code)
    return span is not None and span.sendable
