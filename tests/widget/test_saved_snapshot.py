"""A saved notebook tells the truth: a socket's output carries a dated, masked, script-free
snapshot beside the live widget, kept up to date as the socket settles; nbconvert's HTML and
JupyterLab or Notebook 7 without the socket's kernel (not run yet, or shut down) show it
instead of a stale widget."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).parents[2]
VIEW = "application/vnd.jupyter.widget-view+json"
SECRETS = ("s3cret-header-value", "s3cret-query-value")
SCREENSHOT = ROOT / "docs" / "img" / "saved-notebook.png"


def _make_notebooks():
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "notebooks" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(port: int) -> list[str]:
    return [
        "import ws_widget\n"
        f"ws = ws_widget.connect('ws://127.0.0.1:{port}/echo?token={SECRETS[1]}',\n"
        f"                       headers={{'Authorization': 'Bearer {SECRETS[0]}'}})\n"
        "ws.send('hello <b>snapshot</b>')\n"
        "ws.receive(timeout=10)",
        "ws",
        "ws.close()\nws.wait_closed(5)",
    ]


@pytest.fixture(scope="module")
def saved_notebook(server, tmp_path_factory) -> Path:
    """A notebook run by nbclient and saved as notebooks/make_notebooks.py saves them."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _cells(server.port)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    directory = tmp_path_factory.mktemp("saved")
    NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(directory)}}
    ).execute()
    _make_notebooks().drop_socket_widgets(notebook)
    path = directory / "saved.ipynb"
    nbformat.write(notebook, path)
    return path


def _socket_output(notebook) -> dict:
    outputs = [o for o in notebook.cells[1].outputs if VIEW in o.get("data", {})]
    assert len(outputs) == 1, notebook.cells[1].outputs
    return outputs[0]


@pytest.mark.kernel
def test_output_is_updated_when_the_socket_settles(kernel, server):
    """The displayed output has a display id; closing (not opening) updates it to "was CLOSED"."""
    kernel.run(
        """
        import ws_widget
        ws = ws_widget.WebSocket()
        ws
        """
    )
    shown = [d for d in kernel.displays if d[0] == "display_data"]
    assert len(shown) == 1
    display_id = shown[0][2]["transient"]["display_id"]
    data = shown[0][2]["data"]
    assert VIEW in data and "was NEW" in data["text/plain"] and "was <b>NEW</b>" in data["text/html"]
    kernel.run(
        f"""
        ws.connect('ws://127.0.0.1:{server.port}/echo?token={SECRETS[1]}',
                   headers={{'Authorization': 'Bearer {SECRETS[0]}'}})
        ws.send('one'); ws.receive(timeout=10)
        """
    )
    kernel.pump_for(1.0)  # the flusher has seen OPEN (it ticks at 20 Hz)
    assert [
        d for d in kernel.displays if d[0] == "update_display_data"
    ] == []  # a view is not redrawn at open
    closing = kernel.run("ws.close(); ws.wait_closed(5)")
    kernel.pump_until(
        lambda: any(
            "was CLOSED" in d[2]["data"]["text/plain"] and d[1] == closing.msg_id for d in kernel.displays
        ),
        10,
        what="an update saying was CLOSED under the running cell",
    )
    updates = [d for d in kernel.displays if d[0] == "update_display_data"]
    assert {d[2]["transient"]["display_id"] for d in updates} == {display_id}
    states = [d[2]["data"]["text/plain"].split(": was ")[1].split()[0] for d in updates]
    assert set(states) == {"CLOSED"}
    assert {d[1] for d in updates} >= {shown[0][1], closing.msg_id}  # the displaying and the running cell
    assert all(VIEW in d[2]["data"] for d in updates)  # the live view stays
    text = str(kernel.displays)
    assert not any(secret in text for secret in SECRETS)


@pytest.mark.kernel
def test_saved_output_holds_the_last_state_masked(saved_notebook):
    """The saved output says "was CLOSED" with its time, masks the token, escapes the payload."""
    notebook = nbformat.read(saved_notebook, as_version=4)
    data = _socket_output(notebook)["data"]
    assert data["text/plain"].startswith("<WebSocket snapshot at ")
    assert "was CLOSED" in data["text/plain"]
    assert "was <b>CLOSED</b>" in data["text/html"]
    assert "hello &lt;b&gt;snapshot&lt;/b&gt;" in data["text/html"]
    assert "<script" not in data["text/html"].lower()
    assert "token=****" in data["text/html"]
    saved = str([cell.outputs for cell in notebook.cells]) + str(notebook.metadata)  # the sources hold them
    assert not any(secret in saved for secret in SECRETS)
    assert "widgets" not in notebook.metadata  # the socket's model (and its layout) is not saved


class _Page(HTMLParser):
    """The text of an HTML page and the contents of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
            self.scripts.append(str(dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


@pytest.mark.kernel
def test_nbconvert_html_shows_the_snapshot(saved_notebook):
    """nbconvert's HTML shows the snapshot, holds no secret and no script of ws_widget or a widget."""
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(saved_notebook)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    html = saved_notebook.with_suffix(".html").read_text()
    page = _Page()
    page.feed(html)
    text = " ".join(" ".join(page.text).split())
    assert "WebSocket snapshot (saved output, not live): was CLOSED at" in text
    assert "hello <b>snapshot</b>" in text  # escaped in the source, shown as text
    outputs = html.split('class="jp-OutputArea')[1:]  # the page also shows the cells' sources
    assert outputs and not any(secret in part for part in outputs for secret in SECRETS)
    scripts = "\n".join(page.scripts)
    for marker in ("ws_widget", "anywidget", "widget-state", "widget-view"):
        assert marker not in scripts, marker


@pytest.mark.browser
def test_kernel_less_notebook_shows_the_snapshot(saved_notebook, jupyter, chromium):
    """Opened before running (its outputs from the file), the notebook shows the dated snapshot."""
    target = jupyter.root_dir / "saved.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(saved_notebook.read_text())
    with chromium.open_notebook(jupyter, "saved.ipynb") as page:
        shown = page.wait_for_output(has_text="WebSocket snapshot")
        text = shown.inner_text()
        assert "was CLOSED" in text and "hello <b>snapshot</b>" in text
        assert "model not found" not in page.page.locator(".jp-OutputArea").all_inner_texts()[1]
        outputs = " ".join(page.page.locator(".jp-OutputArea").all_inner_texts())
        assert not any(secret in outputs for secret in SECRETS)
        if jupyter.flavour == "lab" and os.environ.get("WS_WIDGET_UPDATE_SCREENSHOTS"):  # for the docs
            page.screenshot(SCREENSHOT, ".jp-Notebook")


@pytest.mark.browser
@pytest.mark.parametrize("going", ["shutdown", "restartKernel"])
def test_a_kernel_going_under_a_live_view_leaves_the_snapshot(going, server, jupyter, chromium):
    """When the kernel shuts down or restarts in the page, a socket's view gives way to its snapshot."""
    name = f"kernel-{going}.ipynb"
    jupyter.write_notebook(name, [])
    with chromium.open_notebook(jupyter, name) as page:
        outputs = page.append_and_run(
            f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\nws"
        )
        outputs.locator(".wsw-root [data-role=state]", has_text="OPEN").wait_for()
        page.page.evaluate(f"path => window.__wsTest.panel(path).sessionContext.{going}()", name)
        outputs.filter(has_text="WebSocket snapshot").wait_for(timeout=20_000)
        text = outputs.inner_text()
        assert "was OPEN" in text and "model not found" not in text
        assert outputs.locator(".wsw-root").count() == 0  # no OPEN that no kernel stands behind


def _restart_and_reopen(page) -> object:
    """Restart the page's kernel (Kernel > Restart without its dialog), save, reload the page and
    return a locator of the last code cell's outputs, rendered afresh against the new kernel."""
    page.page.evaluate(
        """async path => {
            const panel = window.__wsTest.panel(path);
            await panel.sessionContext.restartKernel();
            await panel.context.save();
        }""",
        page.name,
    )
    page.wait_kernel_idle()
    page.page.reload()
    page.page.wait_for_function("path => !!(window.__wsTest.panel(path))", arg=page.name)
    page.wait_kernel_idle()
    return page.page.locator(".jp-CodeCell").last.locator(".jp-OutputArea")


@pytest.mark.browser
def test_restarted_kernel_shows_the_snapshot(server, jupyter, chromium):
    """After a kernel restart, a closed socket's output shows its snapshot, not "model not found"."""
    jupyter.write_notebook("restart.ipynb", [])
    with chromium.open_notebook(jupyter, "restart.ipynb") as page:
        outputs = page.append_and_run(
            f"import ws_widget\nws = ws_widget.connect({server.url('/echo')!r})\n"
            "ws.send('before <i>restart</i>')\nws.receive(timeout=10)\n"
            "display(ws)\nws.close()\nws.wait_closed(5)"
        )
        outputs.locator(".wsw-root [data-role=state]", has_text="CLOSED").wait_for()
        outputs = _restart_and_reopen(page)
        outputs.filter(has_text="WebSocket snapshot").wait_for(timeout=20_000)
        text = outputs.inner_text()
        assert "was CLOSED" in text and "before <i>restart</i>" in text
        assert "model not found" not in text and "Error displaying widget" not in text
        assert outputs.locator(".wsw-root").count() == 0
        assert outputs.locator("code i").count() == 0  # the payload is text, not markup


@pytest.mark.browser
def test_restart_leaves_other_widgets_alone(jupyter, chromium):
    """After a kernel restart, a plain ipywidgets slider's output keeps jupyterlab-manager's error."""
    jupyter.write_notebook("restart-slider.ipynb", [])
    with chromium.open_notebook(jupyter, "restart-slider.ipynb") as page:
        outputs = page.append_and_run("import ipywidgets\nipywidgets.IntSlider(value=7)")
        outputs.locator(".widget-slider").wait_for()
        outputs = _restart_and_reopen(page)
        outputs.filter(has_text="model not found").wait_for(timeout=20_000)
        assert outputs.inner_text().strip().endswith("Error displaying widget: model not found")
        assert outputs.locator(".ws-widget-snapshot, .widget-slider").count() == 0
