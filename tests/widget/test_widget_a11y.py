"""The widget's accessibility and cleanup in a real JupyterLab, driven through Chromium.

axe-core (npm, tests/node) is injected into the page and run on the widget's root in the Light
and Dark themes; a keyboard-only walk reaches the history, opens a record and closes it; and a
view rendered 50 times (its cell run again, so JupyterLab removes the old view and anywidget
calls its cleanup) leaves no observers or row nodes behind.
"""

from __future__ import annotations

import pytest
from browser import JupyterServer, axe_problems

pytestmark = pytest.mark.browser

ROOT = ".wsw-root"
TABS = ["tab-messages", "tab-frames", "tab-handshake", "tab-debug-output", "tab-stats", "tab-plot"]
STATES = ["OPEN", "CONNECTING", "CLOSING", "RECONNECTING", "CLOSED", "ERROR"]

# Counts the live ResizeObservers watching a widget's list (observe()d and not disconnect()ed),
# and turns on the widget's own counters (window.wswDebug) through <html data-wsw-debug>.
COUNTERS = r"""
(() => {
  const live = (window.__wsObservers = { targets: 0 });
  const Native = window.ResizeObserver;
  window.ResizeObserver = class extends Native {
    constructor(callback) { super(callback); this.watched = new Set(); }
    observe(target, options) {
      if (target.classList && target.classList.contains("wsw-viewport") && !this.watched.has(target)) {
        this.watched.add(target);
        live.targets++;
      }
      return super.observe(target, options);
    }
    unobserve(target) {
      if (this.watched.delete(target)) live.targets--;
      return super.unobserve(target);
    }
    disconnect() {
      live.targets -= this.watched.size;
      this.watched.clear();
      return super.disconnect();
    }
  };
  const flag = () => { document.documentElement.dataset.wswDebug = ""; };
  if (document.documentElement) flag(); else document.addEventListener("DOMContentLoaded", flag);
})();
"""


@pytest.fixture(scope="module")
def lab(chromium):
    """One JupyterLab for the module (the themes and keyboard are the same in Notebook 7)."""
    with JupyterServer("lab") as server:
        yield server
    assert server.leftover_processes() == []


def role(name: str) -> str:
    return f'{ROOT} [data-role="{name}"]'


def open_widget(chromium, lab, name: str, cells: list[str], **kwargs):
    lab.write_notebook(name, cells)
    nb = chromium.open_notebook(lab, name, **kwargs)
    nb.run_all()
    nb.wait_for_output(ROOT)
    return nb


def echo_session(url: str, messages: int) -> str:
    return (
        f"import ws_widget\nws = ws_widget.connect({url!r})\n"
        f"for n in range({messages}): ws.send(f'message {{n}}')\n"
        f"ws.receive({messages})\nws.ping()"
    )


def check_every_tab_and_state(nb) -> dict[str, list[str]]:
    """axe on the widget with each tab shown, and on the state pill in each state."""
    found = {}
    for tab in TABS:
        nb.page.click(role(tab))
        nb.page.wait_for_function(
            "sel => document.querySelector(sel).getAttribute('aria-selected') === 'true'", arg=role(tab)
        )
        found[tab] = axe_problems(nb)
    nb.page.click(role("tab-messages"))
    pill = role("state")
    real = nb.page.locator(pill).get_attribute("data-state")
    for state in STATES:
        nb.page.locator(pill).evaluate(
            "(node, state) => { node.dataset.state = state; node.textContent = state; }", state
        )
        found[f"pill {state}"] = axe_problems(nb, pill, {"runOnly": ["color-contrast"]})
    nb.page.locator(pill).evaluate(
        "(node, state) => { node.dataset.state = state; node.textContent = state; }", real
    )
    paused = role("paused")  # the flow-control badge, shown as a pause shows it
    nb.page.locator(paused).evaluate(
        "node => { node.hidden = false; node.textContent = 'paused: 4,096 Data callbacks behind'; }"
    )
    found["paused badge"] = axe_problems(nb, paused, {"runOnly": ["color-contrast"]})
    nb.page.locator(paused).evaluate("node => { node.hidden = true; node.textContent = ''; }")
    return {name: problems for name, problems in found.items() if problems}


def test_axe_finds_no_serious_violations_in_light_and_dark(chromium, lab, server):
    """axe-core reports no serious or critical violation on the widget, every tab, Light and Dark."""
    setup = (
        echo_session(server.url("/echo"), 5)
        + "\nws.send('01 02 ff' * 3)"
        + "\nws.history.add('event', 'pause', info={'reason': '51 Data callbacks behind', 'callbacks': 51})"
        + "\nws.history.add('event', 'resume', info={'reason': 'caught up'})"
        + "\nfor level in (-12.5, -6, -9): ws.send(f'{{\"level\": {level}}}')"
    )
    with open_widget(chromium, lab, "axe.ipynb", [setup + "\nws"]) as nb:
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root .wsw-row[data-seq]').length >= 12"
        )
        assert nb.count(f"{ROOT} .wsw-row.wsw-kind-pause") == 1  # its warning colour is checked too
        nb.page.locator(f"{ROOT} .wsw-row.wsw-in").first.click()
        nb.page.wait_for_function(
            "() => document.querySelector('.wsw-root [data-role=detail]').textContent.startsWith('#')"
        )
        nb.execute_in_kernel("ws.widget.plot('level')")  # the Plot tab with a chart, a legend, a field
        nb.page.wait_for_function("() => document.querySelector('.wsw-root [data-series=level]')")
        try:
            assert nb.page.evaluate("document.body.dataset.jpThemeLight") == "true"
            assert check_every_tab_and_state(nb) == {}
            nb.dark()
            assert nb.page.evaluate("document.body.dataset.jpThemeLight") == "false"
            assert check_every_tab_and_state(nb) == {}
        finally:
            nb.set_theme("JupyterLab Light")
        assert nb.unexpected_console_errors() == []


def test_axe_catches_a_white_on_amber_pill(chromium, lab):
    """The axe check fails on the old white-on-amber pill, so a pass above means something."""
    setup = "from ws_widget import WebSocket\nws = WebSocket.New()\nws"
    with open_widget(chromium, lab, "amber.ipynb", [setup]) as nb:
        nb.page.locator(role("state")).evaluate(
            "node => { node.style.color = '#fff'; node.style.background = '#f57c00';"
            " node.textContent = 'CONNECTING'; }"
        )
        problems = axe_problems(nb, role("state"), {"runOnly": ["color-contrast"]})
        assert len(problems) == 1 and problems[0].startswith("color-contrast (serious)")


def active_element(nb) -> dict:
    return nb.page.evaluate(
        """() => { const node = document.activeElement;
            return { role: node.getAttribute("role"), dataRole: node.dataset.role || null,
                     inWidget: !!node.closest(".wsw-root") }; }"""
    )


def test_keyboard_only_walk(chromium, lab, server):
    """Tab reaches the history, Down three times and Enter open record 3, Escape closes it."""
    with open_widget(chromium, lab, "keys.ipynb", [echo_session(server.url("/echo"), 3) + "\nws"]) as nb:
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root .wsw-row[data-seq]').length >= 8"
        )
        assert nb.page.locator(role("announce")).text_content() == "OPEN"
        # The tabs: one tab stop, arrows and Home/End move the selection with the focus.
        nb.page.focus(role("tab-messages"))
        for key, tab in (("ArrowRight", "tab-frames"), ("End", "tab-plot"), ("ArrowRight", "tab-messages"),
                         ("ArrowLeft", "tab-plot"), ("Home", "tab-messages")):  # fmt: skip
            nb.page.keyboard.press(key)
            assert active_element(nb)["dataRole"] == tab
            assert nb.page.locator(role(tab)).get_attribute("aria-selected") == "true"
        # From the Messages tab: filter, regex, direction, kind, follow, time column, the column
        # header's edges (one stop: Up and Down move among them), then the list.
        stops = []
        for _ in range(8):
            nb.page.keyboard.press("Tab")
            stops.append(active_element(nb)["dataRole"])
        assert stops == [
            "filter",
            "regex",
            "direction",
            "kinds",
            "follow",
            "time-mode",
            "column-edge",
            "history",
        ]
        assert active_element(nb)["role"] == "listbox"
        for _ in range(3):
            nb.page.keyboard.press("ArrowDown")
        # The list renders once per animation frame: wait for the frame after the last key.
        nb.page.wait_for_function(
            """() => { const list = document.querySelector('.wsw-root [data-role=history]');
                const id = list.getAttribute('aria-activedescendant');
                return id && document.getElementById(id).dataset.seq === '3'; }"""
        )
        nb.page.keyboard.press("Enter")
        detail = nb.page.locator(role("detail"))
        nb.page.wait_for_function(
            "() => /^#3 text/.test(document.querySelector('.wsw-root [data-role=detail]').textContent)"
        )
        assert "message " in detail.text_content()  # the first echo or the second message sent
        assert active_element(nb)["dataRole"] == "detail"
        nb.page.keyboard.press("Escape")
        assert detail.text_content() == "" and not detail.is_visible()
        assert active_element(nb)["dataRole"] == "history"
        assert nb.unexpected_console_errors() == []


def counts(nb) -> dict:
    """Live list observers (from the page's wrapper), the widget's own counters, rows in the page,
    and rows still alive but out of the page after a garbage collection."""
    nb.collect_garbage()
    return nb.page.evaluate(
        """() => { const d = window.wswDebug;
            return { observers: window.__wsObservers.targets, views: d.views, lists: d.lists,
                     owned_rows: d.rows, rows_in_page: document.querySelectorAll(".wsw-root [role=option]").length,
                     detached_rows: d.rowRefs.filter((r) => {
                         const n = r.deref(); return n && !n.isConnected; }).length }; }"""
    )


RERUN_CELL = """async ([path, index]) => {
    const app = window.jupyterapp, panel = window.__wsTest.panel(path);
    app.shell.activateById(panel.id);
    panel.content.activeCellIndex = index;
    await app.commands.execute("notebook:run-cell");
}"""


def test_fifty_renders_leave_no_observers_or_rows_behind(chromium, lab, server):
    """Running the widget's cell 50 times leaves one view, its two observers and no detached rows."""
    cells = [echo_session(server.url("/echo"), 30), "ws"]
    with open_widget(chromium, lab, "rerender.ipynb", cells, init_scripts=[COUNTERS]) as nb:

        def render_again(generation: int) -> None:
            nb.page.locator(ROOT).evaluate("(node, g) => { node.dataset.generation = g; }", generation)
            nb.page.evaluate(RERUN_CELL, [nb.name, 1])
            nb.page.wait_for_function(
                "() => { const roots = document.querySelectorAll('.wsw-root');"
                " return roots.length === 1 && !roots[0].dataset.generation && window.wswDebug.views === 1"
                " && roots[0].querySelectorAll('.wsw-row[data-seq]').length > 0; }"
            )

        render_again(0)
        first = counts(nb)
        for generation in range(1, 50):
            render_again(generation)
        last = counts(nb)
        assert first == last, (first, last)
        assert last["observers"] == 2 and last["views"] == 1 and last["lists"] == 2
        assert last["owned_rows"] == last["rows_in_page"] and last["detached_rows"] == 0
        assert nb.unexpected_console_errors() == []
