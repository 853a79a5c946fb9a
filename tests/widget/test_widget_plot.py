"""Issue 14, item 1: the Plot tab (fields found in live JSON, a chart with axes and a legend,
pause and resume, the choice from Python) and the Stats tab's axes and legend, in a real
JupyterLab 4 and Notebook 7 through Chromium, against the demo server's live streams."""

from __future__ import annotations

import json

import pytest
from browser import WIDGET_ROOT, open_widget, role, wait_text

pytestmark = pytest.mark.browser

ROOT = WIDGET_ROOT
GAIN = "params.Changes[Name=MainLevel].Value"

# How many points the polyline of a series has (0 when it has none yet).
POINTS = """(series) => { const line = document.querySelector(`.wsw-root polyline[data-series="${series}"]`);
    const points = line && line.getAttribute('points'); return points ? points.split(' ').length : 0; }"""
DRAWS = "() => +document.querySelector('.wsw-root [data-role=plot-chart]').dataset.draws || 0"


def test_telemetry_fields_are_found_picked_plotted_paused_and_resumed(chromium, jupyter):
    """A live telemetry field is found, picked from the page and drawn with axes and a legend;
    Pause stops drawing while values keep coming, Resume draws them."""
    setup = (
        "import ws_widget\nfrom ws_widget import demo\nserver = demo.start()\n"
        "ws = ws_widget.connect(server.url_for('/telemetry', rate=20, seed=1))"
    )
    with open_widget(chromium, jupyter, "plot_telemetry.ipynb", setup) as nb:
        nb.page.locator(role("tab-plot")).first.click()
        box = nb.page.locator(f'{ROOT} [data-role=plot-field][data-path="temperature_c"]')
        box.wait_for()
        paths = nb.page.eval_on_selector_all(
            f"{ROOT} [data-role=plot-field]", "nodes => nodes.map(n => n.dataset.path)"
        )
        assert paths == ["counter", "timestamp", "temperature_c", "humidity_pct", "voltage_v"]
        box.check()
        nb.page.wait_for_function(f"() => ({POINTS})('temperature_c') >= 5")
        assert nb.execute_in_kernel("print(ws.widget.plot_fields)")["stdout"].strip() == "['temperature_c']"
        assert nb.page.locator(role("y-label")).last.text_content() == "temperature_c"
        assert nb.page.locator(role("x-label")).last.text_content() == "time (local)"
        ticks = nb.page.eval_on_selector_all(
            f"{ROOT} [data-role=plot-chart] [data-role=x-tick]", "nodes => nodes.map(n => n.textContent)"
        )
        assert ticks and all(len(t) == 8 and t[2] == ":" for t in ticks)  # HH:MM:SS
        legend = nb.page.locator(role("plot-chart-legend")).text_content()
        assert legend.startswith("temperature_c") and any(c.isdigit() for c in legend)

        nb.page.locator(role("plot-pause")).click()
        nb.page.wait_for_function(
            "sel => document.querySelector(sel).textContent === 'Resume'", arg=role("plot-pause")
        )
        assert nb.execute_in_kernel("print(ws.widget.plot_paused)")["stdout"].strip() == "True"
        draws = nb.page.evaluate(DRAWS)
        points = nb.page.evaluate(POINTS, "temperature_c")
        seen = nb.execute_in_kernel("print(len(ws.history))")["stdout"]
        nb.page.wait_for_function(  # more messages arrive and reach the page while paused
            f"(n) => +document.querySelector('{role('shown')}').textContent.match(/\\d+/)[0] >= n",
            arg=int(seen) + 10,
        )
        assert nb.page.evaluate(DRAWS) == draws
        assert nb.page.evaluate(POINTS, "temperature_c") == points
        nb.page.locator(role("plot-pause")).click()
        nb.page.wait_for_function(f"(n) => ({DRAWS})() > n", arg=draws)
        nb.page.wait_for_function(f"(n) => ({POINTS})('temperature_c') > n", arg=points)
        assert nb.execute_in_kernel("print(ws.widget.plot_paused)")["stdout"].strip() == "False"

        nb.page.locator(role("tab-stats")).first.click()
        wait_text(nb, f"{ROOT} .wsw-chart-caption", r"messages/s \(in, out\): \d")
        names = nb.page.eval_on_selector_all(
            f"{role('chart-rate-legend')} .wsw-legend-name", "nodes => nodes.map(n => n.textContent)"
        )
        assert names == ["in (received)", "out (sent)"]
        y_labels = nb.page.eval_on_selector_all(
            f"{ROOT} [data-role=y-label]", "nodes => nodes.map(n => n.textContent)"
        )
        assert y_labels[:3] == ["messages/s", "bytes/s", "RTT (ms)"]
        assert nb.unexpected_console_errors() == []


def test_a_nested_qsys_field_plotted_from_python_shows_and_reads_back(chromium, jupyter):
    """ws.plot() with a Q-SYS ChangeGroup path opens the Plot tab and draws it; the values come
    back as data from Python; a bad path is refused with the forms a path takes."""
    setup = (
        "import ws_widget\nfrom ws_widget import demo\nserver = demo.start()\n"
        "ws = ws_widget.connect(server.url_for('/qrc-public-api/v0'))\n"
        "for method, params in (('Logon', {'User': 'u', 'Password': 'p'}),"
        " ('ChangeGroup.AddControl', {'Id': 'g', 'Controls': ['MainLevel', 'MainGain']}),"
        " ('ChangeGroup.AutoPoll', {'Id': 'g', 'Rate': 0.1})):\n"
        "    ws.send({'jsonrpc': '2.0', 'id': method, 'method': method, 'params': params})"
    )
    with open_widget(chromium, jupyter, "plot_qrc.ipynb", setup) as nb:
        nb.page.wait_for_function(
            "() => document.querySelectorAll('.wsw-root .wsw-row[data-seq]').length >= 10"
        )
        found = json.loads(
            nb.execute_in_kernel("import json; print(json.dumps(ws.widget.find_fields()))")["stdout"]
        )
        assert GAIN in found
        nb.execute_in_kernel(f"ws.plot({GAIN!r})")
        nb.page.wait_for_function(
            "sel => document.querySelector(sel).getAttribute('aria-selected') === 'true'",
            arg=role("tab-plot"),
        )
        nb.page.wait_for_function(f"() => ({POINTS})({GAIN!r}) >= 5")
        assert nb.page.locator(f'{ROOT} [data-role=plot-field][data-path="{GAIN}"]').is_checked()
        assert nb.page.locator(role("y-label")).last.text_content() == GAIN
        assert nb.page.locator(role("plot-chart-legend")).text_content().startswith(GAIN)
        values = nb.execute_in_kernel(
            f"series = ws.widget.plot_series()[{GAIN!r}]\n"
            "print(len(series), min(v for _, v in series), max(v for _, v in series))"
        )["stdout"].split()
        assert int(values[0]) >= 5 and -100 <= float(values[1]) <= float(values[2]) <= 20
        frame = nb.execute_in_kernel(
            "print(list(ws.widget.plot_frame().columns), ws.widget.plot_frame().index.tz)"
        )
        assert frame["stdout"].strip() == f"[{GAIN!r}] UTC"
        refused = nb.execute_in_kernel(
            "try:\n    ws.plot('params..Changes')\nexcept ValueError as e:\n    print(e)"
        )
        assert "[Name=gain] for a named element" in refused["stdout"]
        nb.execute_in_kernel("ws.widget.pause_plot()")
        nb.page.wait_for_function(
            "sel => document.querySelector(sel).textContent === 'Resume'", arg=role("plot-pause")
        )
        nb.execute_in_kernel("ws.widget.resume_plot(); ws.widget.plot()")
        nb.page.wait_for_function(f"() => ({POINTS})({GAIN!r}) === 0")
        assert not nb.page.locator(f'{ROOT} [data-role=plot-field][data-path="{GAIN}"]').is_checked()
        assert nb.unexpected_console_errors() == []
