"""The notebook outputs that show a socket, and the snapshot they carry for when no kernel runs.

``display(ws)`` (or ``ws`` at the end of a cell) publishes one ``display_data`` output whose
mime bundle holds the live widget (``application/vnd.jupyter.widget-view+json``) beside a
static snapshot (``text/html`` and ``text/plain``, :mod:`ws_widget.pure.snapshot`). A front end
with the widget manager and a kernel shows the widget; one without (GitHub, nbviewer and
nbconvert without saved widget state, an untrusted notebook in JupyterLab or Notebook 7) shows
the snapshot. The output has a ``display_id``, so when the socket settles in a new state (CLOSED,
ERROR) the snapshot is retaken and every output of the socket is updated in place
(``update_display_data``): a notebook saved later holds its last state, stamped with its time.
Only a close or a failure updates (and a cell's ``close()``/``wait_closed()``, and the kernel's
shutdown): an update makes JupyterLab draw the view again, which loses the focus and a draft in
the composer, a price not worth paying at every connect.
The update is sent twice, under the cell that displayed it (JupyterLab routes an update to that
cell's output area) and under the kernel's newest request (nbclient reads only the running
cell's messages); both carry the same bundle.
"""

from __future__ import annotations

import contextvars
import uuid
import weakref
from collections import deque
from typing import TYPE_CHECKING, Any

from ..core import capture
from ..pure import snapshot

if TYPE_CHECKING:
    from .websocket import WebSocket

SETTLED = ("CLOSED", "ERROR")  # states whose arrival retakes the snapshot (not OPEN: see below)
MAX_OUTPUTS = 20  # outputs of one socket kept up to date (the newest displays)
VIEW = "application/vnd.jupyter.widget-view+json"

_shown: weakref.WeakSet[SavedOutputs] = weakref.WeakSet()  # every socket with outputs, for the shutdown
_hooked = False


class SavedOutputs:
    """The displayed outputs of one socket; :meth:`refresh` retakes their snapshot."""

    def __init__(self, ws: WebSocket) -> None:
        self._ws = ws
        self._outputs: deque[tuple[str, contextvars.Context]] = deque(maxlen=MAX_OUTPUTS)
        self._watching = False

    def take(self) -> snapshot.Snapshot:
        """Take a snapshot of the socket now (the widget's state name, masked URL, counters)."""
        ws = self._ws
        state = str(ws.widget._header()["state"])  # read from the status now (the trait may lag)
        stats = ws.stats
        counters = {
            name: stats.get(name) for name in ("messages_in", "messages_out", "bytes_in", "bytes_out")
        }
        return snapshot.take(
            state, ws.url, len(ws.history), counters, ws.history.tail(snapshot.SNAPSHOT_RECORDS)
        )

    def bundle(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The mime bundle: the widget's view, the snapshot's ``text/html`` and ``text/plain``."""
        widget_bundle = self._ws.widget._repr_mimebundle_(**kwargs)
        data, metadata = widget_bundle if widget_bundle is not None else ({}, {})
        taken = self.take()
        return {**data, "text/html": taken.html(), "text/plain": taken.text()}, dict(metadata)

    def display(self) -> None:
        """Publish one output of the socket with a display id, kept up to date from now on."""
        from IPython.display import display

        data, metadata = self.bundle()
        display_id = uuid.uuid4().hex
        display(data, metadata=metadata, raw=True, display_id=display_id)
        self._outputs.append((display_id, contextvars.copy_context()))
        _shown.add(self)
        _hook_shutdown()
        if not self._watching:
            self._watching = True
            self._ws.widget.observe(self._on_state, names="state")

    def refresh(self, live: bool = True) -> None:
        """Retake the snapshot and update every output of the socket in place; with
        ``live=False`` (the kernel shuts down) the outputs keep the snapshot only, without the
        widget's view, whose model is about to go."""
        if not self._outputs:
            return
        from IPython import get_ipython
        from IPython.display import update_display

        data, metadata = self.bundle()
        if not live:
            data.pop(VIEW, None)
        publisher = getattr(get_ipython(), "display_pub", None)
        for display_id, context in list(self._outputs):
            context.copy().run(update_display, data, metadata=metadata, raw=True, display_id=display_id)
            with capture.running_request(publisher):
                update_display(data, metadata=metadata, raw=True, display_id=display_id)

    def _on_state(self, change: dict) -> None:
        if change["new"] in SETTLED:
            self.refresh()


def _hook_shutdown() -> None:
    """Once per kernel: before ipykernel shuts down (a restart too), turn every socket's
    outputs into their snapshot, so that JupyterLab shows it instead of "Error displaying
    widget: model not found" (its widget renderer has no fallback)."""
    global _hooked
    if _hooked:
        return
    _hooked = True
    from IPython import get_ipython

    kernel = getattr(get_ipython(), "kernel", None)
    shutdown = getattr(kernel, "do_shutdown", None)
    if shutdown is None:
        return

    def do_shutdown(restart: bool) -> Any:
        for saved in list(_shown):
            try:
                saved.refresh(live=False)
            except Exception:  # noqa: BLE001 - a shutdown must go on whatever a snapshot does
                pass
        return shutdown(restart)

    setattr(kernel, "do_shutdown", do_shutdown)  # noqa: B010 - an instance attribute of ipykernel's kernel
