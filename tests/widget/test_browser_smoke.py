"""Widgets render in a real JupyterLab and a real Notebook 7, driven through Chromium.

Proves the harness in ``browser.py``: one server per flavour for this module, one browser for
the session, a fresh browser context per notebook.
"""

from __future__ import annotations

import shutil

import pytest
from browser import KernelError, require_chromium

pytestmark = pytest.mark.browser

ANYWIDGET_CELL = '''\
import anywidget, traitlets

class C(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const show = () => { el.textContent = 'hi ' + model.get('v'); };
      show();
      model.on('change:v', show);
      return () => model.off('change:v', show);
    }
    export default { render };
    """
    v = traitlets.Unicode('x').tag(sync=True)

c = C()
c'''


def test_ipywidgets_slider_renders(chromium, jupyter):
    """An ipywidgets IntSlider renders as a slider showing its value."""
    jupyter.write_notebook("slider.ipynb", ["import ipywidgets as w; w.IntSlider(value=7)"])
    with chromium.open_notebook(jupyter, "slider.ipynb") as nb:
        nb.run_all()
        slider = nb.wait_for_output(".widget-slider")
        assert "7" in slider.inner_text()
        assert nb.count(".jp-OutputArea-output .widget-slider") == 1
        assert nb.unexpected_console_errors() == []


def test_anywidget_renders_and_updates(chromium, jupyter):
    """An inline anywidget renders its trait and follows a change made in the kernel."""
    jupyter.write_notebook("anywidget.ipynb", [ANYWIDGET_CELL])
    with chromium.open_notebook(jupyter, "anywidget.ipynb") as nb:
        nb.run_all()
        nb.wait_for_output(has_text="hi x")
        nb.execute_in_kernel("c.v = 'y'")
        nb.wait_for_output(has_text="hi y")
        assert nb.outputs(has_text="hi x").count() == 0
        assert nb.unexpected_console_errors() == []


def test_execute_in_kernel_leaves_cells_alone(chromium, jupyter):
    """Code run in the kernel returns its output and adds none to the notebook."""
    jupyter.write_notebook("quiet.ipynb", ["x = 41"])
    with chromium.open_notebook(jupyter, "quiet.ipynb") as nb:
        nb.run_all()
        outcome = nb.execute_in_kernel("print('invisible'); x + 1")
        assert (outcome["stdout"], outcome["result"]) == ("invisible\n", "42")
        assert nb.count(".jp-OutputArea-output") == 0
        with pytest.raises(KernelError, match="ZeroDivisionError"):
            nb.execute_in_kernel("1 / 0")
        output = nb.append_and_run("print(x + 2)")
        assert output.inner_text().strip() == "43"


def test_dialogs_theme_screenshot_and_long_tasks(chromium, jupyter, tmp_path):
    """Dialogs are recorded, the dark theme applies, and screenshots and long tasks are taken."""
    jupyter.write_notebook("page.ipynb", ["from IPython.display import HTML", "HTML('<b class=bold>b</b>')"])
    with chromium.open_notebook(jupyter, "page.ipynb") as nb:
        nb.run_all()
        nb.wait_for_output(".bold")
        nb.page.evaluate("alert('xss')")
        assert nb.dialogs == ["alert: xss"]
        nb.dark()
        assert nb.page.evaluate("document.body.dataset.jpThemeLight") == "false"
        shot = nb.screenshot(tmp_path / "dark.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        nb.reset_long_tasks()
        # A task of the page's own: work done inside page.evaluate() is not reported as a long task.
        busy = "setTimeout(() => { const t = performance.now() + 120; while (performance.now() < t); })"
        nb.page.evaluate(busy)
        nb.page.wait_for_function("window.__wsTest.longTasks.length > 0")
        assert nb.long_tasks().longest >= 100
        nb.set_theme("JupyterLab Light")


def test_missing_chromium_skips_or_fails_in_ci(monkeypatch):
    """Without chromium a browser test skips, and fails when CI is set."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no chromium"):
        require_chromium()
