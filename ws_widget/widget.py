"""The widget: a live anywidget view of one WebSocket.

Data flow (DESIGN.md section 4): the kernel holds the history; the browser holds only what it
shows. A flusher on the I/O loop sends at most one batch message per ``FLUSH_INTERVAL`` (20 per
second) with the newest records, new Debug Output lines and the counters; the rarely changing
header (state, URL, subprotocol, TLS) lives in traits. Views ask for pages of the history as
they scroll. Message handlers may run on any kernel thread (JupyterLab routes widget messages
over subshells): they only validate and hand the work to the I/O loop, which is the single
writer of traits and messages.

Every button has a Python twin (``connect``, ``send``, ``ping``, ``close``, ``clear``) and the
buttons' messages call those very methods.
"""

from __future__ import annotations

import pathlib
import time

import anywidget
import traitlets

from . import ioloop
from .browse import Browser, RecordFilter, encode_detail, encode_records
from .exceptions import WsWidgetError
from .protocol import close_code_name
from .messages import parse_composed
from .websocket import WebSocket

_PACKAGE = pathlib.Path(__file__).parent
# Wheels carry the front end in static/; editable installs use the repository's js/ (and so
# anywidget's hot reload with ANYWIDGET_HMR=1).
_FRONT_END = _PACKAGE / "static" if (_PACKAGE / "static" / "widget.js").exists() else _PACKAGE.parent / "js"

FLUSH_INTERVAL = 0.05
TAIL_RECORDS = 100
DEBUG_LINES_FOR_NEW_VIEWS = 500


class WebSocketWidget(anywidget.AnyWidget):
    """The front end of one :class:`WebSocket`: header, controls, composer, history, Debug Output."""

    _esm = _FRONT_END / "widget.js"
    _css = _FRONT_END / "widget.css"

    state = traitlets.Unicode("CLOSED").tag(sync=True)
    reason = traitlets.Unicode("").tag(sync=True)
    url = traitlets.Unicode("").tag(sync=True)
    subprotocol = traitlets.Unicode("").tag(sync=True)
    tls = traitlets.Unicode("").tag(sync=True)

    def __init__(self, ws: WebSocket, **kwargs):
        self.ws = ws
        super().__init__(**{**self._header(), **kwargs})
        self._browser = Browser(ws.history)
        self._sent_seq = ws.history.last_seq
        self._sent_stats: dict | None = None
        self._new_debug_lines: list[str] = []
        ws.debug_output.listeners.append(self._new_debug_lines.append)
        self._rate_mark = (time.monotonic(), 0)
        self._rate = 0.0
        self._stopped = False
        self.on_msg(self._on_message)
        ioloop.call_soon(self._tick)

    # Python twins of the buttons.

    def connect(self, url: str | None = None) -> None:
        """Connect to ``url``; without one (or with the URL shown), reconnect as before.

        Raises:
            ValueError, TypeError: the URL is not acceptable.
        """
        if not url or url == self.ws.url:
            self.ws.reconnect()
        else:
            self.ws.connect(url, wait=False)

    def send(self, text: str, mode: str = "text") -> None:
        """Send what the composer holds: ``text``, ``json``, ``hex`` or ``base64``.

        Raises:
            ValueError: the text is not valid for the mode.
            NotConnectedError: the socket is not open.
        """
        payload = parse_composed(text, mode)
        self.ws.Write(payload, isinstance(payload, bytes))

    def ping(self) -> None:
        """Send a ping; the RTT shows in the header when the pong arrives."""
        self.ws.Ping()

    def close(self) -> None:
        """Close the connection with 1000 (the widget stays usable)."""
        self.ws.Close()

    def clear(self) -> None:
        """Forget the history (counters keep counting)."""
        ioloop.call_soon(self._clear)

    def stop(self) -> None:
        """Stop updating and close the widget's model."""
        self._stopped = True
        super().close()

    # Messages from views: validate, then hand over to the I/O loop.

    def _on_message(self, _widget, content: dict, _buffers) -> None:
        action = content.get("type") if isinstance(content, dict) else None
        try:
            if action == "connect":
                self.connect(content.get("url"))
            elif action == "send":
                self.send(content.get("text", ""), content.get("mode", "text"))
            elif action == "ping":
                self.ping()
            elif action == "close":
                self.close()
            elif action == "clear":
                self.clear()
            elif action == "page":
                record_filter = RecordFilter(**_filter_arguments(content.get("filter") or {}))
                ioloop.call_soon(self._answer_page, content, record_filter)
            elif action == "get":
                ioloop.call_soon(self._answer_detail, content)
            elif action == "hello":
                ioloop.call_soon(self._answer_hello, content)
        except (ValueError, TypeError, WsWidgetError) as exc:
            ioloop.call_soon(self.send_message, {"type": "error", "action": action, "text": str(exc),
                                                 "id": content.get("id")})

    # On the I/O loop.

    def send_message(self, content: dict, buffers: list | None = None) -> None:
        """Send a custom message to every view (called on the I/O loop only)."""
        super().send(content, buffers)

    def _answer_page(self, content: dict, record_filter: RecordFilter) -> None:
        reply, buffers = self._browser.page(content.get("offset", -1), content.get("count", 50), record_filter)
        self.send_message({"type": "page", "id": content.get("id"), **reply}, buffers)

    def _answer_detail(self, content: dict) -> None:
        try:
            record = self.ws.history[int(content.get("seq", 0))]
        except (KeyError, ValueError, TypeError) as exc:
            self.send_message({"type": "error", "action": "get", "text": str(exc), "id": content.get("id")})
            return
        detail, buffers = encode_detail(record)
        self.send_message({"type": "record", "id": content.get("id"), **detail}, buffers)

    def _answer_hello(self, content: dict) -> None:
        lines = self.ws.debug_output.lines[-DEBUG_LINES_FOR_NEW_VIEWS:]
        self.send_message({"type": "hello", "id": content.get("id"), "debug": lines, **self._counters()})

    def _clear(self) -> None:
        self.ws.history.clear()
        self._browser.forget()
        self._sent_seq = self.ws.history.last_seq
        self.send_message({"type": "cleared", **self._counters()})

    def _tick(self) -> None:
        if self._stopped:
            return
        try:
            self._flush()
        finally:
            ioloop.get_loop().call_later(FLUSH_INTERVAL, self._tick)

    def _flush(self) -> None:
        header = self._header()
        changed = {name: value for name, value in header.items() if getattr(self, name) != value}
        if changed:
            with self.hold_sync():
                for name, value in changed.items():
                    setattr(self, name, value)
        history = self.ws.history
        last = history.last_seq
        debug, self._new_debug_lines[:] = self._new_debug_lines[:], []
        counters = self._counters()
        if last == self._sent_seq and not debug and counters["stats"] == self._sent_stats:
            return
        after = max(self._sent_seq, last - TAIL_RECORDS)
        rows, buffers = encode_records(history.since(after, TAIL_RECORDS))
        self._sent_seq, self._sent_stats = last, counters["stats"]
        self.send_message({"type": "batch", "records": rows, "debug": debug, **counters}, buffers)

    def _header(self) -> dict:
        ws = self.ws
        attempt = ws._core.attempt
        state = ws.state.name
        reason = ""
        if attempt is not None and attempt.error_text and state == "CLOSED":
            state, reason = "ERROR", attempt.error_text
        elif attempt is not None and attempt.close_code is not None and state == "CLOSED":
            reason = f"{attempt.close_code} ({close_code_name(attempt.close_code)}) {attempt.close_reason or ''}".strip()
        verified = ws.verified
        return {
            "state": state,
            "reason": reason,
            "url": ws.url or "",
            "subprotocol": ws.subprotocol or "",
            "tls": "" if verified is None else ("verified" if verified else "NOT verified"),
        }

    def _counters(self) -> dict:
        history = self.ws.history
        stats = self.ws.stats
        now = time.monotonic()
        mark_time, mark_count = self._rate_mark
        count = stats["messages_in"] + stats["messages_out"]
        if now - mark_time >= 1.0:
            self._rate = (count - mark_count) / (now - mark_time)
            self._rate_mark = (now, count)
        stats["rate"] = round(self._rate, 1)
        return {"stats": stats, "first_seq": history.first_seq, "last_seq": history.last_seq,
                "total": len(history), "dropped": history.dropped}


def _filter_arguments(spec: dict) -> dict:
    return {
        "text": str(spec.get("text", "")),
        "regex": bool(spec.get("regex", False)),
        "direction": str(spec.get("direction", "all")),
        "kinds": str(spec.get("kinds", "all")),
    }
