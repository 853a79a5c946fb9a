"""The widget's tools: copy a record, download the history, saved messages, pause, columns.

A mixin of :class:`~ws_widget.faces.widget.WebSocketWidget` (its traits and Python twins), so
that the widget module keeps its flusher and header. Each tool's button sends a message that
calls the very method a user calls:

- ``copy_text(seq, how)``: a record's payload, a ``ws.send(...)``/``ws.Write(...)`` line, or
  pretty JSON (:mod:`ws_widget.pure.copying`); the view writes it to the clipboard;
- ``download(fmt)``: the whole history (the kernel's, not the view's window) as JSONL, HAR or
  CSV, secrets masked, at most :data:`~ws_widget.pure.exports.MAX_EXPORT_BYTES`; the view
  saves it through a Blob;
- ``save_message``, ``delete_message``, ``load_message``, ``saved_messages``: named messages
  per URL in ``saved_messages.json`` (:mod:`ws_widget.pure.saved`), offered by the composer;
- ``display_paused`` / ``pause_display()``: the list stops moving while recording goes on;
- ``json_columns`` and ``column_widths``: JSON fields as columns, and the columns' widths.

The traits written from here are written on the I/O loop only (``saved``), or by the user and
the view alike as ``time_mode`` is (``display_paused``, ``json_columns``, ``column_widths``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import traitlets

from ..core import ioloop
from ..exceptions import SavedMessagesError, WsWidgetError
from ..pure import copying, exports
from ..pure.columns import FieldPicker, check_paths
from ..pure.saved import SavedMessages

if TYPE_CHECKING:
    from .websocket import WebSocket

BASE_COLUMNS = ("seq", "time", "dir", "kind", "size", "preview")
"""The history's own columns, by the names ``column_widths`` takes (JSON columns by path)."""
MIN_WIDTH, MAX_WIDTH = 24, 2000  # px of a column


class WidgetTools(traitlets.HasTraits):
    """Traits and Python twins of the widget's tools (see the module's docstring)."""

    display_paused = traitlets.Bool(False).tag(sync=True)  # the list stops moving; recording goes on
    json_columns = traitlets.List(traitlets.Unicode()).tag(sync=True)  # JSON paths shown as columns
    column_widths = traitlets.Dict().tag(sync=True)  # column name or JSON path -> width in px
    # [{name, text, mode}] saved for the socket's URL
    saved: traitlets.List[dict[str, str]] = traitlets.List().tag(sync=True)
    saved_path = traitlets.Unicode("").tag(sync=True)  # where they are kept, shown in the composer
    saved_problem = traitlets.Unicode("").tag(sync=True)  # why the file could not be read, or ""

    if TYPE_CHECKING:
        ws: WebSocket

        def send(self, content: dict[str, Any], buffers: list[bytes] | None = None) -> None: ...

    def _init_tools(self, store: SavedMessages | None = None) -> None:
        """Set the tools up (called by the widget's ``__init__``)."""
        self._store = store or SavedMessages()
        self._fields = FieldPicker(self.json_columns)
        self._paused_at = 0
        self.saved_path = str(self._store.path)
        self.observe(self._on_url, names="url")
        ioloop.call_soon(self._refresh_saved)

    # Copy and download.

    def copy_text(self, seq: int, how: str = "payload") -> str:
        """Return record ``seq`` as the Copy buttons put it on the clipboard: ``payload`` (text,
        binary as hex), ``python`` (a ``ws.send(...)`` line), ``seed`` (``ws.Write(...)``) or
        ``json`` (indented).

        Raises:
            KeyError: no record ``seq`` in the history (dropped or never there).
            ValueError: an unknown format, or one the record cannot take (see
                :func:`ws_widget.pure.copying.copy_text`).
        """
        return copying.copy_text(self.ws.history[int(seq)], how)

    def download(self, fmt: str = "jsonl") -> tuple[str, bytes]:
        """Return ``(file name, content)`` of the whole history as the Download buttons save it:
        ``jsonl``, ``har`` or ``csv``, secrets masked.

        Raises:
            ValueError: an unknown format, or a history too large to travel to the browser (the
                message says how to write the file from Python instead).
        """
        data = exports.export_bytes(self.ws.history, fmt)
        return exports.export_name(self.ws.url or "", fmt, time.time()), data

    # Saved messages.

    @property
    def saved_messages(self) -> dict[str, dict[str, str]]:
        """The messages saved for this socket's URL, ``{name: {"text", "mode"}}``, read from
        ``saved_path`` now (edits made there count).

        Raises:
            SavedMessagesError: the file is damaged; the message says what to fix.
        """
        return self._store.for_url(self.ws.url or "")

    def save_message(self, name: str, text: str, mode: str = "text") -> None:
        """Save ``text`` (sent in ``mode``: text, json, hex, base64) as ``name`` for this URL; it
        outlives the kernel (see ``saved_path``). The composer's Save button calls this.

        Raises:
            ValueError, TypeError: no URL yet, a bad name, or a text Send would refuse.
            SavedMessagesError: the file is damaged or cannot be written.
        """
        self._store.save(self.ws.url or "", name, text, mode)
        ioloop.call_soon(self._refresh_saved)

    def delete_message(self, name: str) -> None:
        """Delete the saved message ``name`` of this URL (the composer's Delete button).

        Raises:
            KeyError: nothing of that name is saved for this URL.
            SavedMessagesError: the file is damaged or cannot be written.
        """
        self._store.delete(self.ws.url or "", name)
        ioloop.call_soon(self._refresh_saved)

    def load_message(self, name: str) -> dict[str, str]:
        """Put the saved message ``name`` into the composer of every view; return it
        (``{"text", "mode"}``).

        Raises:
            KeyError: nothing of that name is saved for this URL.
        """
        message = self.saved_messages.get(name)
        if message is None:
            raise KeyError(
                f"no message named {name!r} is saved for this URL; saved: {sorted(self.saved_messages)}"
            )
        ioloop.call_soon(self.send, {"type": "compose", "name": name, **message})
        return message

    # Pause and columns.

    def pause_display(self, on: bool = True) -> None:
        """Stop (or restart) the list's moving; recording goes on, and the view counts the
        records that arrive meanwhile. Same as setting ``display_paused``."""
        self.display_paused = bool(on)

    @property
    def new_while_paused(self) -> int:
        """Records added since the display was paused (0 while it is not)."""
        return max(0, self.ws.history.last_seq - self._paused_at) if self.display_paused else 0

    def add_json_column(self, path: str) -> None:
        """Show the JSON field at ``path`` (such as ``params.Id``) of text messages as a column.

        Raises:
            ValueError, TypeError: a malformed path, or too many columns.
        """
        self.json_columns = [*self.json_columns, path]

    def remove_json_column(self, path: str) -> None:
        """Stop showing the JSON column ``path``.

        Raises:
            ValueError: no such column is shown.
        """
        if path not in self.json_columns:
            raise ValueError(f"no JSON column {path!r}; shown: {list(self.json_columns)}")
        self.json_columns = [shown for shown in self.json_columns if shown != path]

    def resize_column(self, name: str, width: int | None) -> None:
        """Set the width of column ``name`` (one of ``BASE_COLUMNS`` or a JSON column's path) in
        pixels; None gives it back its natural width.

        Raises:
            ValueError, TypeError: an unknown column or a width out of 24..2000.
        """
        widths = {key: value for key, value in self.column_widths.items() if key != name}
        if width is not None:
            widths[name] = width
        self.column_widths = widths

    @traitlets.validate("json_columns")
    def _check_json_columns(self, proposal: dict) -> list[str]:
        return check_paths(proposal["value"])

    @traitlets.validate("column_widths")
    def _check_column_widths(self, proposal: dict) -> dict[str, int]:
        value = proposal["value"]
        checked: dict[str, int] = {}
        for name, width in value.items():
            if name not in BASE_COLUMNS and name not in self.json_columns:
                raise ValueError(
                    f"column_widths takes {', '.join(BASE_COLUMNS)} or the path of a JSON column shown"
                    f" ({', '.join(map(repr, self.json_columns)) or 'none'}), got {name!r}"
                )
            if (
                isinstance(width, bool)
                or not isinstance(width, (int, float))
                or not MIN_WIDTH <= width <= MAX_WIDTH
            ):
                raise ValueError(
                    f"a column's width is {MIN_WIDTH} to {MAX_WIDTH} px, got {width!r} for {name!r}"
                )
            checked[name] = round(width)
        return checked

    @traitlets.observe("json_columns")
    def _on_json_columns(self, change: dict) -> None:
        """New columns: rows are encoded with them from now on, and the views fetch their pages
        again (told after the change, so their request cannot overtake it)."""
        self._fields = FieldPicker(change["new"])
        ioloop.call_soon(self.send, {"type": "columns"})

    @traitlets.observe("display_paused")
    def _on_display_paused(self, change: dict) -> None:
        if change["new"]:
            self._paused_at = self.ws.history.last_seq

    # Messages from views (called by the widget's handler, on any thread).

    def _on_tool_message(self, action: object, content: dict[str, Any]) -> bool:
        """Handle a tool's message; return whether ``action`` was a tool's."""
        try:
            if action == "copy":
                text = self.copy_text(content.get("seq", 0), str(content.get("how", "payload")))
                ioloop.call_soon(self.send, {"type": "copied", "id": content.get("id"), "text": text})
            elif action == "download":
                name, data = self.download(str(content.get("format", "jsonl")))
                reply = {"type": "download", "id": content.get("id"), "name": name, "size": len(data),
                         "mime": exports.EXPORT_FORMATS[str(content.get("format", "jsonl"))]}  # fmt: skip
                ioloop.call_soon(self.send, reply, [data])
            elif action == "save_message":
                self.save_message(
                    content.get("name", ""), content.get("text", ""), content.get("mode", "text")
                )
                ioloop.call_soon(self.send, {"type": "done", "id": content.get("id")})
            elif action == "delete_message":
                self.delete_message(str(content.get("name", "")))
                ioloop.call_soon(self.send, {"type": "done", "id": content.get("id")})
            else:
                return False
        except KeyError as exc:
            self._tool_error(action, content, str(exc.args[0]) if exc.args else "not found")
        except (ValueError, TypeError, WsWidgetError) as exc:
            self._tool_error(action, content, str(exc))
        return True

    def _tool_error(self, action: object, content: dict[str, Any], text: str) -> None:
        ioloop.call_soon(
            self.send, {"type": "error", "action": action, "text": text, "id": content.get("id")}
        )

    # On the I/O loop.

    def _on_url(self, _change: dict) -> None:
        self._refresh_saved()

    def _refresh_saved(self) -> None:
        """Read the saved messages of the URL shown into ``saved`` (or say why not)."""
        try:
            messages = self.saved_messages
            problem = ""
        except SavedMessagesError as exc:
            messages, problem = {}, str(exc)
        self.saved_problem = problem
        self.saved = [{"name": name, **message} for name, message in messages.items()]
