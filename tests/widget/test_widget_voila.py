"""The widget in Voila, and in a narrow page, driven through Chromium."""

from __future__ import annotations

import pytest
from browser import serve_voila

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila(tmp_path_factory, server):
    """Voila serving a notebook that connects to the echo server and shows the widget."""
    yield from serve_voila(
        tmp_path_factory.mktemp("voila"),
        [
            f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\n"
            "ws.send('<img src=x onerror=alert(1)> from voila')\nws"
        ],
    )


def test_widget_renders_in_voila(chromium, voila):
    """Voila renders the widget live, remote HTML as text, with no console error."""
    page = chromium.browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(voila, timeout=60_000)
        page.wait_for_selector(".wsw-root [data-role=state]:text('OPEN')", timeout=60_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.wsw-row.wsw-in')]"
            ".some(r => r.textContent.includes('from voila'))",
            timeout=30_000,
        )
        assert page.locator(".wsw-root img").count() == 0
        assert dialogs == [] and errors == []
    finally:
        page.close()


def test_widget_is_usable_in_a_narrow_page(chromium, voila):
    """In a 360 px wide page nothing overflows sideways and the controls stay visible."""
    page = chromium.browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(voila, timeout=60_000)
        page.wait_for_selector(".wsw-root [data-role=state]:text('OPEN')", timeout=60_000)
        root = page.locator(".wsw-root")
        assert root.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        width = root.bounding_box()["width"]
        for role in ("connect", "send", "ping", "composer"):
            box = page.locator(f".wsw-root [data-role={role}]").bounding_box()
            assert box is not None and box["x"] + box["width"] <= width + 20, role
    finally:
        page.close()
