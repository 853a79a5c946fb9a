"""Where a callback's print() goes in Voila once the page has rendered: its Debug Output."""

from __future__ import annotations

import pytest
from browser import serve_voila

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila_app(tmp_path_factory, server):
    """Voila serving a notebook whose Data callback prints, with the widget in a later cell."""
    yield from serve_voila(
        tmp_path_factory.mktemp("voila-output"),
        [
            "import ws_widget\n"
            "ws = ws_widget.WebSocket()\n"
            "ws.Data = lambda ws, data: print('callback got', data)\n"
            f"ws.connect({server.url('/echo')!r})\n"
            "print('the connecting cell')",
            "print('a later cell')",
            "ws",
        ],
    )


def test_voila_shows_a_later_print_in_the_debug_output_only(chromium, voila_app):
    """A print from a callback after the page rendered shows in the widget's Debug Output tab,
    under no cell (Voila shows no output that arrives after it ran the notebook)."""
    page = chromium.browser.new_page()
    try:
        page.goto(voila_app, timeout=60_000)
        page.wait_for_selector(".wsw-root [data-role=state]:text('OPEN')", timeout=60_000)
        page.fill(".wsw-root [data-role=composer]", "sent from voila")
        page.click(".wsw-root [data-role=send]")
        page.get_by_role("tab", name="Debug Output").click()
        page.locator(".wsw-root", has_text="callback got sent from voila").first.wait_for(timeout=30_000)
        cells = page.locator(".jp-OutputArea").all_inner_texts()[:2]
        assert cells == ["the connecting cell\n", "a later cell\n"]
    finally:
        page.close()
