"""The display of a running Q-SYS script: its live Debug Output, its controls as widgets, its
``Component.Status`` and each socket's widget, as the ``%%qsys`` cell and ``display(script)``
show it.

Debug Output lines reach the page at most ten times a second, from one flusher thread (each
synced trait has one writer); text goes through a read-only text area, never as HTML.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from .control_widgets import control_widgets

if TYPE_CHECKING:
    from .script import Script

FLUSH_INTERVAL = 0.1  # seconds between two updates of a panel's Debug Output
SHOWN_LINES = 500  # the panel shows the newest lines; script.debug_output keeps more


class ScriptPanel(widgets.VBox):
    """A live panel of one script: header, Debug Output, controls, sockets."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._header = widgets.Label()
        self._output = widgets.Textarea(
            disabled=True,
            placeholder="Debug Output",
            layout=widgets.Layout(width="100%", height="14em"),
        )
        self._output.add_class("ws-widget-debug-output")
        self._controls = control_widgets(script)
        self._sockets = widgets.VBox()
        self._shown_sockets: list[Any] = []
        super().__init__([self._header, self._output, self._controls, self._sockets])
        self.add_class("ws-widget-qsys-panel")
        self.refresh()
        script.debug_output.listeners.append(self._dirty)
        _flusher.watch(self)

    def _dirty(self, line: str) -> None:
        _flusher.mark(self)

    def refresh(self) -> None:
        """Show the script's current state, lines and sockets (the flusher calls this)."""
        script = self.script
        errors = f", {len(script.errors)} errors" if script.errors else ""
        self._header.value = f"Q-SYS script {script.name}: {script.status}{errors}"
        lines = script.debug_output.lines[-SHOWN_LINES:]
        text = "\n".join(lines)
        if self._output.value != text:
            self._output.value = text
        sockets = list(script.sockets)
        if sockets != self._shown_sockets:
            self._shown_sockets = sockets
            self._sockets.children = [ws.widget for ws in sockets]

    def detach(self) -> None:
        """Stop following the script (it was restarted in another panel, or stopped)."""
        if self._dirty in self.script.debug_output.listeners:
            self.script.debug_output.listeners.remove(self._dirty)
        self.refresh()


class _Flusher:
    """One daemon thread that refreshes the panels whose script logged since the last pass."""

    def __init__(self) -> None:
        self._dirty: weakref.WeakSet[ScriptPanel] = weakref.WeakSet()
        self._panels: weakref.WeakSet[ScriptPanel] = weakref.WeakSet()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, panel: ScriptPanel) -> None:
        with self._lock:
            self._panels.add(panel)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ws_widget-qsys-panels", daemon=True)
                self._thread.start()

    def mark(self, panel: ScriptPanel) -> None:
        self._dirty.add(panel)
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait(1.0)  # also a slow pass for status and new sockets
            self._wake.clear()
            with self._lock:
                dirty = list(self._dirty) + [p for p in self._panels if p not in self._dirty]
                self._dirty.clear()
            for panel in dirty:
                try:
                    panel.refresh()
                except Exception:  # noqa: BLE001 - a closed comm must not end the flusher
                    pass
            threading.Event().wait(FLUSH_INTERVAL)


_flusher = _Flusher()
