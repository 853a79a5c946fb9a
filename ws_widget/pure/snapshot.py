"""The saved-notebook snapshot of a socket: static HTML and text that say when they were taken.

A notebook output outlives its kernel: opened later (GitHub, nbviewer, JupyterLab after a
restart, an untrusted notebook) it shows the mime bundle's ``text/html`` or ``text/plain``
instead of the live widget. These are written here from plain values, so that they never read
as live: the state is phrased "was OPEN", stamped with the time the snapshot was taken and
marked "snapshot". The HTML has no script and no class or stylesheet of its own (an inline
style only), every remote string is escaped, the URL is masked (:func:`~.redact.mask_url`).
Its outer element carries ``data-ws-widget-snapshot`` (:data:`MARKER`): ws_widget's labextension
shows such an output's snapshot where JupyterLab would say "model not found" (after a restart).
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .redact import mask_url

SNAPSHOT_RECORDS = 5  # the newest records a snapshot lists
PREVIEW_CHARS = 80  # characters of a payload a snapshot shows
MARKER = "data-ws-widget-snapshot"  # the attribute labextension/src/index.js looks for


@dataclass(frozen=True)
class SnapshotRecord:
    """One record as a snapshot lists it: ``seq``, ``direction``, ``kind``, ``size``, a preview."""

    seq: int
    direction: str
    kind: str
    size: int
    preview: str


@dataclass(frozen=True)
class Snapshot:
    """What a saved output shows of a socket, taken at ``taken`` (epoch seconds)."""

    state: str
    url: str
    records: int
    counters: Mapping[str, float | None]
    newest: tuple[SnapshotRecord, ...]
    taken: float

    def stamp(self) -> str:
        """The time the snapshot was taken, local time with its zone (``2026-12-02 20:31:02 UTC``)."""
        return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(self.taken)).strip()

    def text(self) -> str:
        """The ``text/plain`` form: one line that reads as a snapshot, not as a live socket."""
        url = f" {self.url}" if self.url else ""
        return f"<WebSocket snapshot at {self.stamp()}: was {self.state}{url}, {_records(self.records)}>"

    def html(self) -> str:
        """The ``text/html`` form: state, masked URL, counters and the newest records, escaped."""
        e = html.escape
        counters = ", ".join(f"{e(name)} {_number(value)}" for name, value in self.counters.items())
        rows = "".join(
            f"<tr><td>{r.seq}</td><td>{e(r.direction)}</td><td>{e(r.kind)}</td>"
            f'<td>{r.size} B</td><td style="text-align:left"><code>{e(r.preview)}</code></td></tr>'
            for r in self.newest
        )
        table = (
            f"<table><tr><th>#</th><th>dir</th><th>kind</th><th>size</th><th>payload</th></tr>{rows}</table>"
            if rows
            else "<div>no records</div>"
        )
        return (
            f'<div {MARKER}="1" style="border:1px dashed #888;padding:6px 10px;'
            'font-family:monospace;font-size:12px">'
            f"<div><b>WebSocket snapshot</b> (saved output, not live): was <b>{e(self.state)}</b>"
            f" at {e(self.stamp())}</div>"
            f"<div>{e(self.url) or 'no URL'}</div>"
            f"<div>{_records(self.records)}; {counters}</div>"
            f"{table}"
            "<div><i>Run the notebook to see the live widget.</i></div></div>"
        )


def snapshot_records(records: Iterable[object]) -> tuple[SnapshotRecord, ...]:
    """Turn history records (anything with ``seq``, ``direction``, ``kind``, ``size``, ``payload``,
    ``info``) into snapshot rows with a short, printable payload preview."""
    rows = []
    for record in records:
        payload = getattr(record, "payload", None)
        if payload is None:
            preview = _info_text(getattr(record, "info", None))
        elif isinstance(payload, str):
            preview = payload
        else:
            preview = bytes(payload)[: PREVIEW_CHARS // 2].hex(" ")
        if len(preview) > PREVIEW_CHARS:
            preview = preview[: PREVIEW_CHARS - 1] + "…"
        rows.append(
            SnapshotRecord(
                int(getattr(record, "seq", 0)),
                str(getattr(record, "direction", "")),
                str(getattr(record, "kind", "")),
                int(getattr(record, "size", 0)),
                preview,
            )
        )
    return tuple(rows)


def take(
    state: str, url: str | None, records: int, counters: Mapping[str, float | None], newest: Iterable[object]
) -> Snapshot:
    """Take a snapshot now; the URL is masked here again (a URL from elsewhere may carry a token)."""
    return Snapshot(
        state, mask_url(url or ""), records, dict(counters), snapshot_records(newest), time.time()
    )


def _info_text(info: object) -> str:
    if not isinstance(info, Mapping):
        return ""
    return " ".join(f"{key}={value}" for key, value in info.items() if key in ("code", "reason", "message"))


def _records(count: int) -> str:
    return f"{count:,} record" if count == 1 else f"{count:,} records"


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3g}"
    return f"{int(value):,}"
