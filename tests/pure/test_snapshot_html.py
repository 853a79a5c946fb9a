"""The saved-output snapshot: dated, phrased as the past, masked, escaped, with no script."""

from __future__ import annotations

from ws_widget.pure.history import History
from ws_widget.pure.snapshot import PREVIEW_CHARS, SNAPSHOT_RECORDS, take

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def _history() -> History:
    history = History()
    history.add("in", "text", HOSTILE, len(HOSTILE))
    history.add("out", "binary", bytes(range(200)), 200)
    for n in range(10):
        history.add("in", "text", f"message {n}", 9)
    return history


def test_snapshot_reads_as_the_past_with_its_time():
    """Text and HTML say "snapshot" and "was OPEN" with the time taken, never a bare "OPEN"."""
    history = _history()
    shot = take("OPEN", "ws://h/echo", len(history), {"messages_in": 11}, history.tail(SNAPSHOT_RECORDS))
    assert shot.text().startswith(f"<WebSocket snapshot at {shot.stamp()}: was OPEN ws://h/echo, 12 records")
    assert "not live" in shot.html() and f"was <b>OPEN</b> at {shot.stamp()}" in shot.html()
    assert "message 9" in shot.html() and "message 4" not in shot.html()  # the newest five only


def test_snapshot_escapes_payloads_and_masks_the_url():
    """A hostile payload is escaped text, the URL's token is masked, and no tag but the layout's is made."""
    history = _history()
    shot = take("CLOSED", "wss://h/x?token=abc123&room=1", len(history), {}, [history[1], history[2]])
    html = shot.html()
    assert "<script" not in html and "<img" not in html and 'onerror="' not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "abc123" not in html + shot.text() and "token=****" in html
    hex_cell = html.split("<code>")[2].split("</code>")[0]
    assert len(hex_cell) <= PREVIEW_CHARS and hex_cell.startswith("00 01 02")
