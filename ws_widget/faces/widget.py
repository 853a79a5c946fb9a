"""The widget: a live anywidget view of one WebSocket.

Data flow (docs/design.md, "Data flow"): the kernel holds the history; the browser holds only what it
shows. A flusher on the I/O loop sends at most one batch message per ``FLUSH_INTERVAL`` (20 per
second) with the newest records, new Debug Output lines and the counters; the rarely changing
header (state, URL, subprotocol, TLS) lives in traits. Views ask for pages of the history as
they scroll. Message handlers may run on any kernel thread (JupyterLab routes widget messages
over subshells): they only validate and hand the work to the I/O loop, which is the single
writer of traits and messages.

The flusher ticks at 20 Hz only while something changes. After ``IDLE_AFTER`` seconds with
nothing new it goes idle: it asks the socket to wake it on the next message
(:meth:`WebSocket.notify_next_message`, one request at a time) and polls only every
``IDLE_INTERVAL`` (2 s) for what has no wake-up (messages sent from code, pongs, the callback
lane draining, records added by hand). A message, a view's command, a Python twin or a Debug
Output line (connects, closes, errors, pauses and resumes write one) brings it back to 20 Hz at
once, so the first message after a quiet spell shows with no poll's delay. Measured with a tick
counter (``_ticks``) on an idle socket: 20 ticks a second at first, 2 with a 0.5 s poll, 0.5
now; the Stats tab still gets a point per second (an idle poll's rates fill the seconds it
spans).

Every button has a Python twin (``connect``, ``send_composed``, ``ping``, ``close_socket``,
``clear``, ``record_frames``; the Plot tab's ``plot``, ``pause_plot``, ``resume_plot``,
``find_fields``, see :mod:`.plot`) and the buttons' messages call those very methods. The history's
time column follows the ``time_mode`` trait (``"local"``, ``"since_connect"``, ``"delta"``),
which the view's control sets too; "since connect" counts from the open of each record's
connection, which the views learn from ``opens`` (``[seq, time_ms]`` of the history's
:meth:`~ws_widget.History.opens`) in the hello and the batches: a page filtered without
events, or a history cleared since, holds no open record to count from. The widget's
``send(content, buffers)`` is ipywidgets' own (a custom message to every view). The Frames
tab's "Compression off" has its twin too, ``compression_off``.
"""

from __future__ import annotations

import asyncio
import pathlib
import time
from collections import deque

import anywidget
import traitlets

from ..core import ioloop
from ..exceptions import WsWidgetError
from ..pure.browse import Browser, RecordFilter, encode_detail, encode_records
from ..pure.closecodes import close_code_name
from ..pure.limits import limits_text
from ..pure.messages import parse_composed
from ..pure.redact import mask_subprotocols
from .plot import PlotFeed, check_fields
from .websocket import WebSocket
from .widget_tools import WidgetTools

_PACKAGE = pathlib.Path(__file__).parent.parent  # ws_widget/
# Wheels carry the front end in static/; editable installs use the repository's js/ (and so
# anywidget's hot reload with ANYWIDGET_HMR=1).
_FRONT_END = _PACKAGE / "static" if (_PACKAGE / "static" / "widget.js").exists() else _PACKAGE.parent / "js"

FLUSH_INTERVAL = 0.05  # seconds between flushes while things change (20 Hz)
IDLE_INTERVAL = 2.0  # seconds between polls while idle (messages wake the flusher at once)
IDLE_AFTER = 1.0  # seconds without a change before the flusher slows down
TAIL_RECORDS = 100
DEBUG_LINES_FOR_NEW_VIEWS = 500
SERIES_POINTS = 300  # seconds of rates and RTT kept for the Stats tab
TIME_MODES = ("local", "since_connect", "delta")  # the time column: local with date, since connect, delta
_TOTALS = ("messages_in", "messages_out", "bytes_in", "bytes_out")  # the counters a Clear restarts


class WebSocketWidget(WidgetTools, anywidget.AnyWidget):
    """The front end of one :class:`WebSocket`: header, controls, composer, history, Debug Output;
    its tools (copy, download, saved messages, pause, columns) are :class:`WidgetTools`'."""

    _esm = _FRONT_END / "widget.js"
    _css = _FRONT_END / "widget.css"

    state = traitlets.Unicode("NEW").tag(sync=True)  # a State name, ERROR, RECONNECTING; NEW: never connected
    reason = traitlets.Unicode("").tag(sync=True)
    url = traitlets.Unicode("").tag(sync=True)
    subprotocol = traitlets.Unicode("").tag(sync=True)
    tls = traitlets.Unicode("").tag(sync=True)
    handshake = traitlets.Dict().tag(sync=True)  # secrets masked, as ws.handshake
    frame_log = traitlets.Bool(False).tag(sync=True)
    reconnect = traitlets.Dict().tag(sync=True)  # {"retry": n, "at_ms": epoch ms} while waiting
    paused = traitlets.Unicode("").tag(sync=True)  # why reading is paused ("4,096 Data callbacks behind")
    time_mode = traitlets.Unicode("local").tag(sync=True)  # the history's time column: one of TIME_MODES
    plot_fields = traitlets.List(traitlets.Unicode()).tag(sync=True)  # the Plot tab's field paths
    plot_paused = traitlets.Bool(False).tag(sync=True)  # the Plot tab's chart stops drawing
    limits = traitlets.Dict().tag(sync=True)  # what the transport cannot do: {"ping": why, ...}; {} here

    def __init__(self, ws: WebSocket, **kwargs: object) -> None:
        self.ws = ws
        super().__init__(**{**self._header(), **kwargs})
        self._browsers = {"messages": Browser(ws.history), "frames": Browser(ws.frames)}
        self._plot = PlotFeed(ws.history)
        self._found: list[str] = []  # the fields found last, for new views (a message, not a trait:
        # names taken from remote data stay out of the widget state a notebook saves)
        self._sent_seq = ws.history.last_seq
        self._sent_frame_seq = ws.frames.last_seq
        self._series: deque[list] = deque(maxlen=SERIES_POINTS)
        self._new_points: list[list] = []
        self._sent_stats: dict | None = None
        self._new_debug_lines: deque[str] = deque()  # appended by any thread, taken by the flusher
        self._sent_open_seq = ws.history.last_seq  # opens up to here reach a view in its hello
        ws.debug_output.listeners.append(self._on_debug_line)
        self._rate_mark = (time.monotonic(), self._totals())
        self._counted_from = dict.fromkeys(_TOTALS, 0.0)  # the totals at the last Clear
        self._old_rtt: object = None  # the RTT measured before this connection (shown as none)
        self._rate = 0.0
        self._stopped = False
        self._ticks = 0  # flusher runs, for measuring the idle tick
        self._next_tick: asyncio.TimerHandle | None = None
        self._next_interval = FLUSH_INTERVAL
        self._last_change = time.monotonic()
        self._watching = False  # a wake-up by the next message is pending
        self._registering = False  # inside notify_next_message (a call back now means: no message can come)
        self._init_tools()
        self.on_msg(self._on_message)
        ioloop.call_soon(self._tick)

    @traitlets.validate("time_mode")
    def _check_time_mode(self, proposal: dict) -> str:
        """Accept one of :data:`TIME_MODES`.

        Raises:
            ValueError: any other value; the message lists the modes.
        """
        mode = proposal["value"]
        if mode not in TIME_MODES:
            raise ValueError(f"time_mode must be one of {', '.join(map(repr, TIME_MODES))}, got {mode!r}")
        return str(mode)

    @traitlets.validate("plot_fields")
    def _check_plot_fields(self, proposal: dict) -> list[str]:
        """Accept field paths :func:`~.plot.check_fields` can read (ValueError, TypeError if not)."""
        return check_fields(proposal["value"])

    @traitlets.observe("plot_fields")
    def _plot_fields_changed(self, change: dict) -> None:
        self._wake_soon()
        ioloop.call_soon(self._select_plot, list(change["new"]))

    # Python twins of the buttons.

    def connect(self, url: str | None = None) -> None:
        """Connect to ``url``; without one (or with the URL shown), reconnect as before.

        Raises:
            ValueError, TypeError: the URL is not acceptable, or none was given to a socket
                never connected (there is nothing to reconnect to).
        """
        self._wake_soon()
        if not url and not self.ws.status.connected_once:
            raise ValueError("type a ws:// or wss:// URL first, then Connect")
        if not url or url == self.ws.url:
            self.ws.reconnect()
        else:
            self.ws.connect(url, wait=False)

    def send_composed(self, text: str, mode: str = "text") -> None:
        """Send what the composer holds (the Send button): ``text``, ``json``, ``hex`` or ``base64``.

        Raises:
            ValueError: the text is not valid for the mode.
            NotConnectedError: the socket is not open.
        """
        payload = parse_composed(text, mode)
        self._wake_soon()
        self.ws.Write(payload, isinstance(payload, bytes))

    def ping(self) -> None:
        """Send a ping; the RTT shows in the header when the pong arrives."""
        self._wake_soon()
        self.ws.Ping()

    def close_socket(self) -> None:
        """Close the connection with 1000 (the widget stays usable). Not ``close()``: that is
        ipywidgets' own, which closes the widget's model (at exit, for instance)."""
        self._wake_soon()
        self.ws.Close()

    def clear(self) -> None:
        """Forget the history and the frame log; the header's counters and RTT start again
        from zero (``ws.stats`` keeps its totals)."""
        self._wake_soon()
        ioloop.call_soon(self._clear)

    def record_frames(self, on: bool = True) -> None:
        """Start (or stop) recording every frame for the Frames tab, also while connected."""
        self._wake_soon()
        self.ws.frame_log = on

    # The Plot tab's twins (the chart itself: faces/plot.py).

    def plot(self, *fields: str) -> None:
        """Plot these numeric fields of incoming JSON messages on the Plot tab, in place of the
        fields plotted before (none: plot nothing). A field is a path such as ``temperature_c``,
        ``params.Changes[0].Value`` or ``params.Changes[Name=gain].Value``.

        Raises:
            ValueError, TypeError: a path cannot be read, or more than 16 fields.
        """
        self.plot_fields = check_fields(list(fields))

    def pause_plot(self) -> None:
        """Stop drawing the chart (values keep being gathered, and show on resume)."""
        self.plot_paused = True

    def resume_plot(self) -> None:
        """Draw the chart again, with every value gathered while paused."""
        self.plot_paused = False

    def find_fields(self) -> list[str]:
        """Find the numeric fields of the newest incoming JSON messages (the Plot tab's list)."""
        found = self._plot.find()
        ioloop.call_soon(self._set_found, found)
        return found

    def plot_series(self, *fields: str) -> dict[str, list[tuple[float, float]]]:
        """Every value of ``fields`` (default: those plotted) in the history, not downsampled:
        ``{path: [(epoch_seconds, value), ...]}``.

        Raises:
            ValueError, TypeError: a path cannot be read.
        """
        return self._plot.series(list(fields or self.plot_fields))

    def plot_frame(self, *fields: str) -> object:
        """The values of :meth:`plot_series` as a ``pandas.DataFrame`` indexed by time (UTC).

        Raises:
            ImportError: pandas is not installed (``pip install 'ws-widget[pandas]'``).
            ValueError, TypeError: a path cannot be read.
        """
        return self._plot.frame(list(fields or self.plot_fields))

    def compression_off(self) -> None:
        """Reconnect without permessage-deflate (the Frames tab's "Compression off"), so that
        every payload shows on the wire as sent; later reconnects keep it off.

        Raises:
            NotConnectedError: the socket was never connected.
        """
        self._wake_soon()
        self.ws.reconnect(compression=None)

    def close(self) -> None:
        """Stop updating and close the widget's model (ipywidgets' ``close``); the socket stays."""
        self._stopped = True
        if self._on_debug_line in self.ws.debug_output.listeners:
            self.ws.debug_output.listeners.remove(self._on_debug_line)
        super().close()

    # Messages from views: validate, then hand over to the I/O loop.

    def _on_message(self, _widget: object, content: dict, _buffers: object) -> None:
        action = content.get("type") if isinstance(content, dict) else None
        try:
            if action == "connect":
                self.connect(content.get("url"))
            elif action == "send":
                self.send_composed(content.get("text", ""), content.get("mode", "text"))
            elif action == "ping":
                self.ping()
            elif action == "close":
                self.close_socket()
            elif action == "clear":
                self.clear()
            elif action == "frame_log":
                self.record_frames(bool(content.get("on", True)))
            elif action == "compression_off":
                self.compression_off()
            elif action == "page":
                record_filter = RecordFilter(**_filter_arguments(content.get("filter") or {}))
                if content.get("source", "messages") not in self._browsers:
                    raise ValueError(f"source must be messages or frames, got {content.get('source')!r}")
                ioloop.call_soon(self._answer_page, content, record_filter)
            elif action == "get":
                ioloop.call_soon(self._answer_detail, content)
            elif action == "find_fields":
                self.find_fields()
            elif action == "hello":
                ioloop.call_soon(self._answer_hello, content)
            else:
                self._on_tool_message(action, content)
        except (ValueError, TypeError, WsWidgetError) as exc:
            ioloop.call_soon(
                self.send,
                {"type": "error", "action": action, "text": str(exc), "id": content.get("id")},
            )

    def _on_debug_line(self, line: str) -> None:
        """Take a Debug Output line (any thread) for the next flush; wake an idle flusher."""
        self._new_debug_lines.append(line)
        if self._next_interval != FLUSH_INTERVAL:
            self._wake_soon()

    def _wake_soon(self) -> None:
        """From any thread: flush now and at 20 Hz again, if the flusher is idle."""
        if self._next_interval != FLUSH_INTERVAL:
            ioloop.call_soon(self._wake)

    # On the I/O loop.

    def _answer_page(self, content: dict, record_filter: RecordFilter) -> None:
        browser = self._browsers[content.get("source", "messages")]
        fields = self._fields if browser.history is self.ws.history else None
        reply, buffers = browser.page(
            content.get("offset", -1), content.get("count", 50), record_filter, fields
        )
        self.send({"type": "page", "id": content.get("id"), **reply}, buffers)

    def _answer_detail(self, content: dict) -> None:
        frames = content.get("source") == "frames"  # a frame's detail answers as "frame"
        try:
            record = (self.ws.frames if frames else self.ws.history)[int(content.get("seq", 0))]
        except (KeyError, ValueError, TypeError) as exc:
            self.send({"type": "error", "action": "get", "text": str(exc), "id": content.get("id")})
            return
        detail, buffers = encode_detail(record)
        self.send({"type": "frame" if frames else "record", "id": content.get("id"), **detail}, buffers)

    def _answer_hello(self, content: dict) -> None:
        lines = self.ws.debug_output.lines[-DEBUG_LINES_FOR_NEW_VIEWS:]
        self.send(
            {
                "type": "hello",
                "id": content.get("id"),
                "debug": lines,
                "series": list(self._series),
                "opens": _opens(self.ws.history.opens()),
                "plot": self._plot.state(),
                "plot_found": self._found,
                **self._counters(),
            }
        )

    def _clear(self) -> None:
        for store in (self.ws.history, self.ws.frames):
            store.clear()
        for browser in self._browsers.values():
            browser.forget()
        self._plot.clear()
        self._sent_seq, self._sent_frame_seq = self.ws.history.last_seq, self.ws.frames.last_seq
        self._counted_from = {name: float(self.ws.stats[name] or 0) for name in _TOTALS}
        self._old_rtt = self.ws.stats["last_rtt"]
        self.send({"type": "cleared", **self._counters()})

    def _select_plot(self, fields: list[str]) -> None:
        added = self._plot.select(fields)
        if added:
            self.send({"type": "plot_fill", "series": added})

    def _set_found(self, found: list[str]) -> None:
        self._found = found
        self.send({"type": "plot_found", "found": found})

    def _wake(self) -> None:
        """Flush at once and go back to 20 Hz (a command or a Debug Output line arrived)."""
        self._last_change = time.monotonic()
        if self._stopped or self._next_interval == FLUSH_INTERVAL:
            return
        if self._next_tick is not None:
            self._next_tick.cancel()
        self._tick()

    def _tick(self) -> None:
        self._next_tick = None
        if self._stopped:
            return
        self._ticks += 1
        try:
            if self._flush():
                self._last_change = time.monotonic()
        finally:
            quiet = time.monotonic() - self._last_change >= IDLE_AFTER
            self._next_interval = IDLE_INTERVAL if quiet else FLUSH_INTERVAL
            if quiet:
                self._watch_messages()
            self._next_tick = ioloop.get_loop().call_later(self._next_interval, self._tick)

    def _watch_messages(self) -> None:
        """Idle: ask to be woken by the next message, unless a request is pending already."""
        if self._watching:
            return
        self._watching = self._registering = True
        try:
            self.ws.notify_next_message(self._on_next_message)
        finally:
            self._registering = False

    def _on_next_message(self) -> None:
        """The next message was recorded or the socket ended (on the I/O loop): flush now.

        Called back at once, inside :meth:`_watch_messages`, when no message can come: then only
        a record added meanwhile (by another thread) is a reason to flush; the idle poll and the
        Debug Output line of the next connect take it from there.
        """
        self._watching = False
        if self._registering and self.ws.history.last_seq == self._sent_seq:
            return
        ioloop.call_soon(self._wake)

    def _flush(self) -> bool:
        """Send what changed since the last flush; return whether anything but a Stats point did."""
        header = self._header()
        changed = {name: value for name, value in header.items() if getattr(self, name) != value}
        if changed:
            with self.hold_sync():
                for name, value in changed.items():
                    setattr(self, name, value)
        history, frames = self.ws.history, self.ws.frames
        last, last_frame = history.last_seq, frames.last_seq
        lines = self._new_debug_lines
        debug = [lines.popleft() for _ in range(len(lines))]
        self._sample()
        counters = self._counters()
        points, self._new_points = self._new_points, []
        plot = self._plot.collect()
        news = bool(
            plot
            or changed
            or last != self._sent_seq
            or last_frame != self._sent_frame_seq
            or debug
            or counters["stats"] != self._sent_stats
        )
        if not news and not points:
            return False
        buffers: list[bytes] = []
        rows, _ = encode_records(
            history.since(max(self._sent_seq, last - TAIL_RECORDS), TAIL_RECORDS), buffers, self._fields
        )
        opens = history.opens(self._sent_open_seq)
        if opens:
            self._sent_open_seq = opens[-1][0]
        frame_rows, _ = encode_records(
            frames.since(max(self._sent_frame_seq, last_frame - TAIL_RECORDS), TAIL_RECORDS), buffers
        )
        self._sent_seq, self._sent_frame_seq, self._sent_stats = last, last_frame, counters["stats"]
        self.send(
            {
                "type": "batch",
                "records": rows,
                "debug": debug,
                "points": points,
                "opens": _opens(opens),
                "plot": plot,
                "plot_skipped": self._plot.skipped,
                "frames": {"records": frame_rows, "total": len(frames), "first_seq": frames.first_seq},
                **counters,
            },
            buffers,
        )
        return news

    def _header(self) -> dict[str, object]:
        """The header's traits, from one read of the socket's status."""
        status = self.ws.status
        state, reason = status.state.name, ""
        if state == "CLOSED" and not status.connected_once:
            state = "NEW"
        elif state == "CLOSED" and status.error_text:
            state, reason = "ERROR", status.error_text
        elif state == "CLOSED" and status.close_code is not None:
            code = status.close_code
            reason = f"{code} ({close_code_name(code)}) {status.close_reason or ''}".strip()
        pending = status.reconnecting
        if pending is not None:
            state = "RECONNECTING"
        verified = status.verified
        return {
            "reconnect": {}
            if pending is None
            else {"retry": pending.retry, "at_ms": round(pending.at * 1000)},
            "handshake": status.handshake or {},
            "frame_log": status.frame_log,
            "state": state,
            "reason": reason,
            "url": status.url or "",
            "subprotocol": mask_subprotocols(status.subprotocol or ""),
            "tls": "" if verified is None else ("verified" if verified else "NOT verified"),
            "paused": status.paused or "",
            "limits": limits_text(status.capabilities),
        }

    def _counters(self) -> dict:
        history = self.ws.history
        totals = self.ws.stats
        since_clear = {name: (totals[name] or 0) - self._counted_from[name] for name in _TOTALS}
        stats = {
            **totals,
            **{name: int(value) for name, value in since_clear.items()},
            "last_rtt": self._current_rtt(),
            "rate": self._rate,
            "callbacks_behind": self.ws.pending_callbacks,
        }
        return {
            "stats": stats,
            "first_seq": history.first_seq,
            "last_seq": history.last_seq,
            "total": len(history),
            "dropped": history.dropped,
        }

    def _current_rtt(self) -> float | None:
        """The last RTT if it was measured on the connection open now (or closing), else None.

        ``ws.stats["last_rtt"]`` spans every connection: an ERROR or a new connection must not
        show the old one's. The RTT in hand when a connection ends (or at a Clear) is remembered
        by identity (each pong stores a new float object) and shown as none from then on.
        """
        rtt = self.ws.stats["last_rtt"]
        state = self.state
        if state not in ("OPEN", "CLOSING"):
            self._old_rtt = rtt
        return None if rtt is None or rtt is self._old_rtt else rtt

    def _totals(self) -> tuple[float, float, float, float]:
        stats = self.ws.stats
        messages_in, messages_out, bytes_in, bytes_out = (float(stats[name] or 0) for name in _TOTALS)
        return messages_in, messages_out, bytes_in, bytes_out

    def _sample(self) -> None:
        """Once a second: the rates since the last sample and the last RTT, for the Stats tab.

        A sample that spans several seconds (an idle poll) gives each of them a point with its
        rates, so the series keeps one point per second.
        """
        now = time.monotonic()
        mark_time, mark_totals = self._rate_mark
        elapsed = now - mark_time
        if elapsed < 1.0:
            return
        totals = self._totals()
        rates = [round((new - old) / elapsed, 1) for new, old in zip(totals, mark_totals, strict=True)]
        self._rate, self._rate_mark = round(rates[0] + rates[1], 1), (now, totals)
        rtt = self._current_rtt()
        rtt_ms = None if rtt is None else round(rtt * 1000, 3)
        now_ms = round(time.time() * 1000)
        seconds = min(SERIES_POINTS, max(1, round(elapsed)))
        for back in range(seconds - 1, -1, -1):
            point = [now_ms - back * 1000, *rates, rtt_ms]
            self._new_points.append(point)
            self._series.append(point)


def _filter_arguments(spec: dict) -> dict:
    return {
        "text": str(spec.get("text", "")),
        "regex": bool(spec.get("regex", False)),
        "direction": str(spec.get("direction", "all")),
        "kinds": str(spec.get("kinds", "all")),
    }


def _opens(opens: list[tuple[int, float]]) -> list[list[int]]:
    """Connection opens as the views take them: ``[seq, time_ms]``."""
    return [[seq, round(wall * 1000)] for seq, wall in opens]
