"""A real Jupyter server and a real Chromium, driven through Playwright, for browser tests.

Three pieces, each usable on its own:

- :class:`JupyterServer` starts ``jupyter lab`` or ``jupyter notebook`` (Notebook 7) on
  127.0.0.1 with a free port, no token, ``window.jupyterapp`` exposed, and throwaway settings,
  workspaces, runtime, config and data dirs, and stops it with its kernels;
- :class:`Chromium` starts Playwright and Debian's ``chromium`` once (never ``playwright
  install``); :func:`require_chromium` skips without it, or fails when ``CI`` is set;
- :class:`NotebookPage` is one notebook open in its own browser context: wait for the kernel,
  run all cells, wait for outputs, execute code in the kernel without touching any cell,
  append and run a cell, switch theme, take screenshots, record console errors, dialogs and
  long tasks, and count elements.

Fixtures are left to the test modules (see ``tests/test_browser_smoke.py``); once a second
module needs them, move ``chromium`` (session scope) into ``conftest.py`` and keep the server
fixtures module-scoped, so each module gets a fresh server and a fresh settings dir::

    @pytest.fixture(scope="session")
    def chromium():
        with Chromium() as instance:
            yield instance

    @pytest.fixture(scope="module")
    def lab():
        with JupyterServer("lab") as server:
            yield server

    def test_slider(chromium, lab):
        lab.write_notebook("slider.ipynb", ["import ipywidgets as w; w.IntSlider(value=7)"])
        with chromium.open_notebook(lab, "slider.ipynb") as nb:
            nb.run_all()
            nb.wait_for_output(".widget-slider")
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

FLAVOURS = {"lab": "jupyterlab", "notebook": "notebook"}
# The traitlets class that owns page config for each flavour.
_APP_CLASS = {"lab": "LabApp", "notebook": "JupyterNotebookApp"}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Settings written into the throwaway user settings dir: no news or update checks, which would
# otherwise ask for consent in a toast and try to reach the network.
_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}

# Installed into every page before any of its scripts run.
_INIT_SCRIPT = r"""
(() => {
  const t = (window.__wsTest = window.__wsTest || {});
  t.longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        t.longTasks.push({ name: e.name, start: e.startTime, duration: e.duration });
      }
    }).observe({ type: "longtask", buffered: true });
    t.longTaskObserver = true;
  } catch (err) {
    t.longTaskObserver = false;
  }
  // The notebook panel whose document has this path, else the current widget.
  t.panel = (path) => {
    const app = window.jupyterapp;
    if (!app) return null;
    try {
      for (const w of app.shell.widgets("main")) {
        if (w && w.context && w.context.path === path) return w;
      }
    } catch (err) {
      /* a shell without widgets(area): fall through */
    }
    const current = app.shell.currentWidget;
    return current && current.context && current.context.path === path ? current : null;
  };
  t.kernel = (path) => {
    const panel = t.panel(path);
    return panel && panel.sessionContext.session ? panel.sessionContext.session.kernel : null;
  };
})();
"""


def _is_known_noise(flavour: str, text: str) -> bool:
    """Whether a console error is one the front end makes on its own, whatever the test does."""
    # Notebook 7.6 on every page load: its shortcuts plugin reads ``.schema`` of plugins whose
    # settings failed to load (metadataform, logconsole: their schemas are Lab-only).
    if flavour == "notebook" and "(reading 'schema')" in text and "notebook_core" in text:
        return True
    # Navigating away from a page with an unsaved notebook.
    return text.startswith("Blocked attempt to show a 'beforeunload' confirmation panel")


class KernelError(AssertionError):
    """Code run by :meth:`NotebookPage.execute_in_kernel` raised in the kernel."""


# --------------------------------------------------------------------------------------------
# The server


class JupyterServer:
    """``jupyter lab`` (``flavour="lab"``) or Notebook 7 (``flavour="notebook"``) on loopback.

    Everything it writes lives under one temporary dir, removed by :meth:`stop`: the root dir
    for notebooks (:attr:`root_dir`), user settings, workspaces, runtime, config, data and
    IPython dirs. The kernel is the ``python3`` kernelspec of the running interpreter's prefix
    (the venv), since the throwaway data dir hides any user-level kernelspec.
    """

    def __init__(
        self, flavour: str = "lab", *, startup_timeout: float = 60.0, extra_args: Sequence[str] = ()
    ):
        if flavour not in FLAVOURS:
            raise ValueError(f"flavour must be one of {sorted(FLAVOURS)}, not {flavour!r}")
        require_flavour(flavour)
        self.flavour = flavour
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args)
        self.tmp = Path(tempfile.mkdtemp(prefix=f"ws-widget-{flavour}-"))
        self.root_dir = self.tmp / "root"
        self.log_path = self.tmp / "server.log"
        self.url = ""  # base URL with a trailing slash, once started
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._log = None
        self._descendants: set[int] = set()

    # -- lifecycle

    def __enter__(self) -> JupyterServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> JupyterServer:
        """Start the server and wait until its API answers; return ``self``."""
        names = ("settings", "workspaces", "runtime", "config", "data", "ipython")
        dirs = {name: self.tmp / name for name in names}
        for path in (self.root_dir, *dirs.values()):
            path.mkdir(parents=True, exist_ok=True)
        for name, value in _USER_SETTINGS.items():
            target = dirs["settings"] / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(value))

        app = _APP_CLASS[self.flavour]
        command = [
            sys.executable, "-m", FLAVOURS[self.flavour],
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=0",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--{app}.expose_app_in_browser=True",
            f"--{app}.user_settings_dir={dirs['settings']}",
            f"--{app}.workspaces_dir={dirs['workspaces']}",
            *self.extra_args,
        ]  # fmt: skip
        if self.flavour == "lab":
            command.append("--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            IPYTHONDIR=str(dirs["ipython"]),
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
            PYTHONUNBUFFERED="1",
        )
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_TOKEN", None)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            command, cwd=self.root_dir, env=env, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            self._wait_ready(dirs["runtime"])
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, runtime: Path) -> None:
        deadline = time.monotonic() + self.startup_timeout
        pattern = f"jpserver-{self.proc.pid}.json"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter {self.flavour} exited with {self.proc.returncode}\n{self.log_tail()}"
                )
            info_file = runtime / pattern
            if not self.url and info_file.exists():
                try:
                    info = json.loads(info_file.read_text())
                except ValueError:  # being written
                    info = None
                if info:
                    self.port = int(info["port"])
                    self.url = f"http://127.0.0.1:{self.port}{info.get('base_url', '/')}"
            if self.url:
                try:
                    with urllib.request.urlopen(self.url + "api/status", timeout=2) as response:
                        if response.status == 200:
                            return
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.1)
        raise TimeoutError(
            f"jupyter {self.flavour} did not answer in {self.startup_timeout} s\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server (SIGTERM, so it shuts its kernels down), then kill any leftovers."""
        if self.proc is not None:
            self._descendants |= _descendants(self.proc.pid)
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    _killpg(self.proc.pid)
                    self.proc.wait(5)
            _killpg(self.proc.pid)  # anything left in the server's own process group
            for pid in self._descendants:  # kernels run in sessions of their own
                _kill(pid)
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def leftover_processes(self) -> list[int]:
        """Return the pids, among those this server ever started, that still run."""
        return [pid for pid in sorted(self._descendants) if _alive(pid)]

    # -- content

    def write_notebook(self, name: str, cells: Iterable[str], *, kernel: str = "python3") -> Path:
        """Write a notebook of code cells with these sources into the root dir; return its path."""
        import nbformat

        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {
            "name": kernel,
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        notebook.metadata["language_info"] = {"name": "python"}
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        path = self.root_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
        return path

    def notebook_url(self, name: str) -> str:
        """The URL that opens this notebook: in a fresh workspace for Lab, the editor for NB7."""
        if self.flavour == "lab":
            # A workspace of its own, so no document of an earlier page is restored beside it.
            return f"{self.url}lab/workspaces/t{uuid.uuid4().hex[:12]}/tree/{quote(name)}"
        return f"{self.url}notebooks/{quote(name)}"

    def log_tail(self, lines: int = 60) -> str:
        """The last lines the server printed."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def require_flavour(flavour: str) -> None:
    """Skip the test if this flavour's package is not installed; fail instead if ``CI`` is set."""
    import importlib.util

    if importlib.util.find_spec(FLAVOURS[flavour]) is None:
        _missing(f"jupyter {flavour} needs the {FLAVOURS[flavour]} package (pip install -e '.[test]')")


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _descendants(pid: int) -> set[int]:
    try:
        import psutil
    except ImportError:
        return set()
    try:
        return {child.pid for child in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return set()


def _alive(pid: int) -> bool:
    try:
        import psutil

        process = psutil.Process(pid)
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except ImportError:
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False
    except psutil.Error:
        return False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


# --------------------------------------------------------------------------------------------
# The browser


def require_chromium() -> str:
    """Return the path of ``chromium``; skip the test without it and Playwright, fail if ``CI``."""
    problems = []
    path = shutil.which("chromium")
    if path is None:
        problems.append("no chromium on PATH (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("Python playwright is not installed (pip install -e '.[test]')")
    if problems:
        _missing("browser tests cannot run: " + "; ".join(problems))
    return path


class Chromium:
    """Playwright (sync API) and one headless Debian Chromium; start it once per session."""

    def __init__(self, *, headless: bool = True):
        executable = require_chromium()
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self.browser = self._playwright.chromium.launch(
                executable_path=executable, headless=headless, args=CHROMIUM_ARGS
            )
        except BaseException:
            self._playwright.stop()
            raise

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.browser.close()
        finally:
            self._playwright.stop()

    def open_notebook(self, server: JupyterServer, name: str, **kwargs) -> NotebookPage:
        """Open this notebook of the server in a new browser context; see :class:`NotebookPage`."""
        return NotebookPage(self.browser, server, name, **kwargs)


@dataclass
class LongTasks:
    """Long tasks (main-thread work over 50 ms) seen by the page, from :meth:`NotebookPage.long_tasks`."""

    entries: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def total(self) -> float:
        """Milliseconds spent in long tasks."""
        return sum(entry["duration"] for entry in self.entries)

    @property
    def longest(self) -> float:
        return max((entry["duration"] for entry in self.entries), default=0.0)


class NotebookPage:
    """One notebook, open in its own browser context, with its kernel started and idle.

    :attr:`page` is the Playwright page for anything not covered here. Console errors
    (``console.error`` and uncaught exceptions) collect in :attr:`console_errors`, and every
    ``alert``/``confirm``/``prompt`` is dismissed and its message recorded in :attr:`dialogs`,
    for XSS checks. ``init_scripts`` run in every page before its own scripts.
    """

    def __init__(
        self,
        browser,
        server: JupyterServer,
        name: str,
        *,
        viewport: dict | None = None,
        timeout: float = 60.0,
        wait_for_kernel: bool = True,
        init_scripts: Sequence[str] = (),
    ):
        self.server = server
        self.name = name
        self.timeout = timeout
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.context.set_default_timeout(timeout * 1000)
        self.context.add_init_script(_INIT_SCRIPT)
        for script in init_scripts:  # e.g. counters a test installs before the page's own scripts
            self.context.add_init_script(script)
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_pageerror)
        self.page.on("dialog", self._on_dialog)
        try:
            self.page.goto(server.notebook_url(name))
            self.page.wait_for_function(
                "path => !!(window.__wsTest.panel(path))", arg=name, timeout=timeout * 1000
            )
            if wait_for_kernel:
                self.wait_kernel_idle()
        except BaseException:
            self.close(shutdown_kernel=False)
            raise

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def unexpected_console_errors(self) -> list[str]:
        """The console errors, less the known noise of the Jupyter front end itself."""
        return [text for text in self.console_errors if not _is_known_noise(self.server.flavour, text)]

    def _on_pageerror(self, error) -> None:
        self.console_errors.append(f"pageerror: {error.stack or error}")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        try:
            dialog.dismiss()
        except Exception:  # noqa: BLE001 - the page may be closing: any error of Playwright's
            pass

    def __enter__(self) -> NotebookPage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self, *, shutdown_kernel: bool = True) -> None:
        """Shut the notebook's kernel down (so kernels don't pile up) and close the context."""
        if shutdown_kernel:
            try:
                self.page.evaluate(
                    """path => {
                        const panel = window.__wsTest.panel(path);
                        return panel && panel.sessionContext.shutdown();
                    }""",
                    self.name,
                )
            except Exception:  # noqa: BLE001 - the page or kernel may be gone already
                pass
        self.context.close()

    # -- kernel

    def wait_kernel_idle(self, timeout: float | None = None) -> None:
        """Wait until the notebook's kernel is connected and idle."""
        self.page.wait_for_function(
            """path => {
                const panel = window.__wsTest.panel(path);
                if (!panel || !panel.sessionContext.isReady) return false;
                const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
                return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
            }""",
            arg=self.name,
            timeout=(timeout or self.timeout) * 1000,
            polling=100,
        )

    def execute_in_kernel(self, code: str, timeout: float | None = None) -> dict:
        """Run code in the notebook's kernel without adding output to any cell.

        Comm messages it causes (widget state) still reach the page. Return ``{"status",
        "stdout", "stderr", "result"}`` (``result`` is ``text/plain`` of the last expression);
        raise :class:`KernelError` if the code raised.
        """
        outcome = self.page.evaluate(
            """async ([path, code, ms]) => {
                const kernel = window.__wsTest.kernel(path);
                if (!kernel) throw new Error("no kernel for " + path);
                const out = { status: null, stdout: "", stderr: "", result: null, error: null };
                const failure = (c) => ({ ename: c.ename, evalue: c.evalue, traceback: c.traceback });
                const future = kernel.requestExecute({ code, store_history: false, stop_on_error: true });
                future.onIOPub = (msg) => {
                    const type = msg.header.msg_type, c = msg.content;
                    if (type === "stream") out[c.name] += c.text;
                    else if (type === "execute_result") out.result = c.data["text/plain"];
                    else if (type === "error") out.error = failure(c);
                };
                let timer;
                const expired = new Promise((_, reject) => {
                    const error = new Error("execute_in_kernel timed out after " + ms + " ms");
                    timer = setTimeout(() => reject(error), ms);
                });
                try {
                    const reply = await Promise.race([future.done, expired]);
                    out.status = reply.content.status;
                    if (!out.error && reply.content.status === "error") {
                        out.error = failure(reply.content);
                    }
                } finally {
                    clearTimeout(timer);
                }
                return out;
            }""",
            [self.name, code, int((timeout or self.timeout) * 1000)],
        )
        if outcome["status"] != "ok":
            error = outcome["error"] or {}
            raise KernelError(f"{error.get('ename')}: {error.get('evalue')}\nin:\n{code}")
        return outcome

    # -- cells

    def run_all(self, *, wait: bool = True) -> None:
        """Run all cells through the ``notebook:run-all-cells`` command (Lab and NB7 alike).

        With ``wait``, return once every cell has run and the kernel is idle again.
        """
        self.page.evaluate(
            """async ([path, wait]) => {
                const app = window.jupyterapp, panel = window.__wsTest.panel(path);
                app.shell.activateById(panel.id);
                const done = app.commands.execute("notebook:run-all-cells");
                if (wait) await done;
            }""",
            [self.name, wait],
        )
        if wait:
            self.wait_kernel_idle()

    def append_and_run(self, code: str) -> object:
        """Append a code cell with this source, run it, and return a locator of its outputs."""
        marker = uuid.uuid4().hex[:12]
        self.page.evaluate(
            """async ([path, code, marker]) => {
                const app = window.jupyterapp, panel = window.__wsTest.panel(path);
                app.shell.activateById(panel.id);
                const notebook = panel.content;
                const index = notebook.model.cells.length;
                notebook.model.sharedModel.insertCell(index, { cell_type: "code", source: code });
                notebook.activeCellIndex = index;
                notebook.widgets[index].node.dataset.wsTest = marker;
                await app.commands.execute("notebook:run-cell");
            }""",
            [self.name, code, marker],
        )
        self.wait_kernel_idle()
        return self.page.locator(f'[data-ws-test="{marker}"] .jp-OutputArea')

    def outputs(self, selector: str = "", *, has_text: str | None = None):
        """A locator of elements matching ``selector`` inside cell outputs (all outputs if empty)."""
        locator = self.page.locator(f".jp-OutputArea-output {selector}".strip())
        return locator.filter(has_text=has_text) if has_text is not None else locator

    def wait_for_output(
        self, selector: str = "", *, has_text: str | None = None, timeout: float | None = None
    ):
        """Wait until an element matching ``selector`` (and ``has_text``) shows in an output."""
        locator = self.outputs(selector, has_text=has_text).first
        try:
            locator.wait_for(state="visible", timeout=(timeout or self.timeout) * 1000)
        except Exception as exc:
            texts = self.page.locator(".jp-OutputArea-output").all_inner_texts()
            raise AssertionError(
                f"no output matching {selector!r} with text {has_text!r}; outputs: {texts!r}; "
                f"console errors: {self.console_errors!r}"
            ) from exc
        return locator

    def collect_garbage(self) -> None:
        """Run a full garbage collection in the page (through the DevTools protocol)."""
        session = self.context.new_cdp_session(self.page)
        try:
            session.send("HeapProfiler.collectGarbage")
        finally:
            session.detach()

    def count(self, selector: str) -> int:
        """How many elements on the page match the selector (open shadow roots included)."""
        return self.page.locator(selector).count()

    # -- looks

    def set_theme(self, theme: str = "JupyterLab Dark") -> None:
        """Switch the theme and wait until it applies.

        The choice is saved in the server's user settings, so later pages of the same server
        open in it too: switch back with ``set_theme("JupyterLab Light")``.
        """
        self.page.evaluate(
            "theme => window.jupyterapp.commands.execute('apputils:change-theme', { theme })", theme
        )
        self.page.wait_for_function("theme => document.body.dataset.jpThemeName === theme", arg=theme)
        self.page.wait_for_timeout(300)  # theme CSS settles

    def dark(self) -> None:
        """Switch to the JupyterLab Dark theme."""
        self.set_theme("JupyterLab Dark")

    def screenshot(self, path: str | os.PathLike, selector: str | None = None) -> Path:
        """Save a PNG of the viewport, or of the first element matching ``selector``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if selector:
            self.page.locator(selector).first.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path))
        return path

    # -- performance

    def long_tasks(self, *, reset: bool = False) -> LongTasks:
        """The long tasks seen since the page opened (or the last reset); ``reset`` clears them.

        Only the page's own tasks count: code run inside ``page.evaluate()`` is never reported
        as a long task, so trigger the work to measure from the page (a click, a kernel
        message, a ``setTimeout``).
        """
        entries = self.page.evaluate(
            """reset => {
                const t = window.__wsTest, seen = t.longTasks.slice();
                if (reset) t.longTasks.length = 0;
                return seen;
            }""",
            reset,
        )
        return LongTasks(entries)

    def reset_long_tasks(self) -> None:
        self.long_tasks(reset=True)


WIDGET_ROOT = ".wsw-root"  # the widget's outermost element


def role(name: str) -> str:
    """The selector of the widget's element with ``data-role="name"``."""
    return f'{WIDGET_ROOT} [data-role="{name}"]'


def open_widget(chromium, jupyter, name: str, setup: str) -> NotebookPage:
    """Write a notebook whose only cell runs ``setup`` and shows ``ws``; open and run it."""
    jupyter.write_notebook(name, [setup + "\nws"])
    nb = chromium.open_notebook(jupyter, name)
    nb.run_all()
    nb.wait_for_output(WIDGET_ROOT)
    return nb


def wait_text(nb, selector: str, pattern: str, timeout: float = 30_000) -> str:
    """Wait until the element's text matches ``pattern``; return the text."""
    nb.page.wait_for_function(
        "([selector, pattern]) => { const node = document.querySelector(selector);"
        " return node && new RegExp(pattern).test(node.textContent); }",
        arg=[selector, pattern],
        timeout=timeout,
    )
    return nb.page.locator(selector).first.text_content() or ""


def serve_voila(root: Path, cells: Sequence[str]) -> Iterable[str]:
    """Write a notebook of ``cells`` into ``root`` and serve it with Voila on 127.0.0.1.

    A generator for a fixture: yields the app's URL once the port answers, stops Voila after.
    """
    import socket

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = new_notebook(cells=[new_code_cell(source) for source in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "app.ipynb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    voila = str(Path(sys.executable).parent / "voila")
    process = subprocess.Popen(
        [voila, str(root / "app.ipynb"), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)


AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"


def axe_problems(nb, selector: str = WIDGET_ROOT, options: dict | None = None) -> list[str]:
    """The serious and critical axe-core violations inside the first element matching selector."""
    if not nb.page.evaluate("() => typeof window.axe !== 'undefined'"):
        nb.page.add_script_tag(content=AXE.read_text())
    # JupyterLab's <body> is 0 px high (overflow hidden, the shell positioned inside it), which
    # axe takes for a clipping ancestor that hides all text: color-contrast would then check
    # only form fields. The body gets the window's height for the run (see the amber test).
    violations = nb.page.evaluate(
        """async ([selector, options]) => {
            const body = document.body, height = body.style.height;
            body.style.height = window.innerHeight + "px";
            try {
                const result = await axe.run(document.querySelector(selector), options || {});
                return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary) }));
            } finally {
                body.style.height = height;
            }
        }""",
        [selector, options],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {v['nodes']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
