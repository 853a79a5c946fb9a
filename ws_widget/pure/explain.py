"""One human line for every way a connection can fail, saying what to try."""

from __future__ import annotations

import errno
import socket
import ssl

from websockets import http11
from websockets.exceptions import (
    ConnectionClosed,
    HeaderLineTooLong,
    InvalidHandshake,
    InvalidMessage,
    InvalidStatus,
    InvalidURI,
    NegotiationError,
    ProxyError,
    StatusLineTooLong,
    TooManyHeaders,
)

# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH; then
# X509_V_ERR_CERT_NOT_YET_VALID and X509_V_ERR_CERT_HAS_EXPIRED.
_NAME_MISMATCH = (62, 64)
_NOT_IN_TIME = (9, 10)

_STATUS_HINTS = {
    400: "the server rejected the request: check the path and the headers",
    401: "authentication is required: pass credentials in headers, e.g. Authorization",
    403: "access is forbidden: check credentials, Origin and the path",
    404: "nothing at that path: check url (for a Q-SYS Core, /qrc-public-api/v0)",
    426: "the server wants another protocol version or TLS: check ws versus wss",
    429: "too many requests: wait before connecting again",
}


def explain(exc: BaseException, address: str = "") -> str:
    """Return one printable line that says what went wrong and what to try.

    Args:
        exc: the exception raised while connecting or while the connection was open.
        address: ``host:port`` for messages about the TCP connection.
    """
    text = _explain(exc, address)
    if text.isprintable():
        return text
    # A hostile server's bytes may be quoted: never pass terminal control sequences on.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _explain(exc: BaseException, address: str) -> str:
    where = f" {address}" if address else ""
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or "certificate rejected"
        if exc.verify_code in _NAME_MISMATCH:
            return (
                f"TLS certificate is for another host name ({reason}): connect with a name the "
                "certificate was issued for (its subjectAltName, often the device's DNS name rather "
                "than its IP address), or pass verify=False to skip certificate checks"
            )
        if exc.verify_code in _NOT_IN_TIME:
            return (
                f"TLS certificate verification failed ({reason}): check the clock of this computer "
                "and of the device, or renew the device's certificate"
            )
        return (
            f"TLS certificate verification failed ({reason}): for a device with a self-signed "
            "certificate pass verify=False, or ca='device.pem' to trust that certificate"
        )
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed ({exc.reason or exc}): check that the server speaks wss on that port"
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        phrase = exc.response.reason_phrase
        hint = _STATUS_HINTS.get(status) or (
            "the server failed: try again later or check its logs"
            if status >= 500
            else "check the URL; the server does not accept WebSocket connections there"
        )
        return f"server answered HTTP {status} {phrase} instead of switching to WebSocket: {hint}"
    if isinstance(exc, NegotiationError):
        return f"handshake negotiation failed ({exc}): check sub_protocol and compression"
    if isinstance(exc, ProxyError):
        return f"proxy failed ({exc}): check the proxy settings, or pass proxy=None"
    if isinstance(exc, InvalidMessage) and isinstance(exc.__cause__, (HeaderLineTooLong, TooManyHeaders)):
        if isinstance(exc.__cause__, HeaderLineTooLong):
            what, variable = f"a header line longer than {http11.MAX_LINE_LENGTH} bytes", "MAX_LINE_LENGTH"
        else:
            what, variable = f"more than {http11.MAX_NUM_HEADERS} headers", "MAX_NUM_HEADERS"
        return (
            f"the server's HTTP response from{where} has {what}, which websockets refuses: "
            f"if that is expected, set the environment variable WEBSOCKETS_{variable} "
            "before importing ws_widget"
        )
    if isinstance(exc, StatusLineTooLong):
        return (
            f"no valid HTTP response from{where} (a status line longer than {http11.MAX_LINE_LENGTH} bytes): "
            "is it a WebSocket server, and does it expect wss rather than ws?"
        )
    if isinstance(exc, InvalidMessage):
        return (
            f"no valid HTTP response from{where} ({_cause(exc)}): is it a WebSocket server, "
            "and does it expect wss rather than ws?"
        )
    if isinstance(exc, InvalidHandshake):
        return f"the server's handshake is not valid WebSocket ({exc}): is it a WebSocket server?"
    if isinstance(exc, InvalidURI):
        return f"invalid URL ({exc})"
    if isinstance(exc, ConnectionClosed):
        return explain_close(exc)
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve host{where} ({exc.strerror}): check the host name"
    if isinstance(exc, ConnectionRefusedError) or getattr(exc, "errno", None) == errno.ECONNREFUSED:
        return f"connection refused by{where}: is the server running and listening on that port?"
    if isinstance(exc, TimeoutError):
        return (
            f"timed out opening the connection to{where}: check host and port, "
            "or allow more time with open_timeout="
        )
    if isinstance(exc, ConnectionResetError):
        return (
            f"the server{where} reset the connection during the handshake: check ws versus wss and the port"
        )
    if isinstance(exc, OSError):
        return f"network error talking to{where}: {exc.strerror or exc or type(exc).__name__}"
    return f"{type(exc).__name__}: {exc}"


def explain_close(exc: ConnectionClosed) -> str:
    """Return one line for a connection that ended, with the close code explained."""
    sent, rcvd = exc.sent, exc.rcvd
    if rcvd is None and sent is None:
        return "connection lost without a closing handshake (1006 abnormal closure): the peer went away"
    if sent is not None and sent.code == 1011 and "keepalive" in sent.reason:
        return (
            "no pong to a keepalive ping within ping_timeout (1011 keepalive ping timeout): "
            "the peer or the network stopped answering"
        )
    if sent is not None and sent.code in (1002, 1007) and not exc.rcvd_then_sent:
        return f"the server sent an invalid frame: the client closed with {sent}"
    # A message websockets refused after it was parsed; the server may have closed cleanly meanwhile.
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError) and (sent is None or sent.code != 1007):
        return (
            "the server sent an invalid frame: a text message that is not UTF-8 was dropped "
            f"({cause.reason} at position {cause.start})"
        )
    if sent is not None and sent.code == 1009:
        return f"a message was larger than max_size ({sent}): raise max_size= if it is expected"
    if rcvd is None:
        return (
            f"connection lost after the client sent {sent}: the server did not complete the closing handshake"
        )
    if sent is not None and not exc.rcvd_then_sent:
        return f"client closed the connection: {sent}"
    return f"server closed the connection: {rcvd}"


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__
    return str(cause) if cause else str(exc)
