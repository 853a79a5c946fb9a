"""The widget in a real JupyterLab and Chromium (tests/browser.py): render and jump times with a
big history against a small one, DOM rows, and long tasks while messages stream in."""

from __future__ import annotations

import statistics
import sys
import time

from common import ROOT

sys.path.insert(0, str(ROOT / "tests"))

from browser import Chromium, JupyterServer

NOTEBOOK = "bench.ipynb"

SETUP = """
import time, ws_widget
from ws_widget.faces.widget import WebSocketWidget

def filled(url, n):
    ws = ws_widget.WebSocket(max_records=n)
    ws.connect(url, max_size=None)
    deadline = time.monotonic() + 300
    while ws.stats["messages_in"] < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return ws
"""

# Run one new cell and time it until the widget it shows has real rows (no placeholders).
_RENDER = """async ([path, code, timeoutMs]) => {
  const app = window.jupyterapp, panel = window.__wsTest.panel(path);
  app.shell.activateById(panel.id);
  const notebook = panel.content;
  const index = notebook.model.cells.length;
  notebook.model.sharedModel.insertCell(index, { cell_type: "code", source: code });
  notebook.activeCellIndex = index;
  const cell = notebook.widgets[index];
  cell.node.dataset.wsBench = "current";
  const t0 = performance.now();
  app.commands.execute("notebook:run-cell");
  return await new Promise((resolve, reject) => {
    const done = () => {
      const rows = cell.node.querySelectorAll(".wsw-row");
      if (rows.length && !cell.node.querySelector(".wsw-row.wsw-loading")) {
        observer.disconnect();
        clearTimeout(timer);
        resolve({ ms: performance.now() - t0, rows: rows.length,
                  lastSeq: Number(rows[rows.length - 1].dataset.seq) });
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(cell.node, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error("render timed out"));
    }, timeoutMs);
  });
}"""

# Scroll the current widget's list to the top or the bottom and time it until the rows shown
# are real records of that end.
_JUMP = """async ([where, seq, timeoutMs]) => {
  const cell = document.querySelector('[data-ws-bench="current"]');
  const viewport = cell.querySelector(".wsw-viewport");
  const t0 = performance.now();
  viewport.scrollTop = where === "top" ? 0 : viewport.scrollHeight;
  return await new Promise((resolve, reject) => {
    const check = () => {
      const rows = cell.querySelectorAll(".wsw-row");
      if (!rows.length || cell.querySelector(".wsw-row.wsw-loading")) return false;
      const edge = where === "top" ? rows[0] : rows[rows.length - 1];
      if (Number(edge.dataset.seq) !== seq) return false;
      observer.disconnect();
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, rows: rows.length });
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(cell, { childList: true, subtree: true, attributes: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error("jump timed out"));
    }, timeoutMs);
  });
}"""

_DELETE_CURRENT = """path => {
  const panel = window.__wsTest.panel(path), notebook = panel.content;
  const index = notebook.widgets.findIndex(w => w.node.dataset.wsBench === "current");
  if (index >= 0) notebook.model.sharedModel.deleteCell(index);
}"""


def measure(sender, *, quick: bool = False) -> dict:
    big = 10_000 if quick else 1_000_000
    mid = 1_000 if quick else 10_000  # also fetched from the kernel on a jump, unlike 100 records
    small = 100
    reps = 1 if quick else 3
    live_rate = 20_000
    live_seconds = 3 if quick else 10
    result: dict = {"big": big, "mid": mid, "small": small}
    names = ("big", "mid", "small")
    with JupyterServer("lab") as lab, Chromium() as chromium:
        lab.write_notebook(NOTEBOOK, [SETUP])
        with chromium.open_notebook(lab, NOTEBOOK, timeout=120) as nb:
            nb.run_all()
            fill_start = time.monotonic()
            nb.execute_in_kernel(
                f"ws_big = filled({sender.flood(big, 64)!r}, {big})\n"
                f"ws_mid = filled({sender.flood(mid, 64)!r}, {mid})\n"
                f"ws_small = filled({sender.flood(small, 64)!r}, {small})",
                timeout=600,
            )
            result["fill_seconds"] = time.monotonic() - fill_start
            edges = {}
            for name in names:
                out = nb.execute_in_kernel(
                    f"print(ws_{name}.history.first_seq, ws_{name}.history.last_seq, len(ws_{name}.history))"
                )["stdout"].split()
                edges[name] = (int(out[0]), int(out[1]), int(out[2]))
            result["records"] = {name: edge[2] for name, edge in edges.items()}

            times: dict[str, dict[str, list[float]]] = {
                name: {"render": [], "top": [], "bottom": []} for name in names
            }
            rows_seen = []
            for _ in range(reps):
                for name in names:  # alternating
                    first_seq, last_seq, _count = edges[name]
                    render = nb.page.evaluate(_RENDER, [NOTEBOOK, f"WebSocketWidget(ws_{name})", 60_000])
                    nb.page.wait_for_timeout(300)
                    top = nb.page.evaluate(_JUMP, ["top", first_seq, 60_000])
                    nb.page.wait_for_timeout(300)
                    bottom = nb.page.evaluate(_JUMP, ["bottom", last_seq, 60_000])
                    times[name]["render"].append(render["ms"])
                    times[name]["top"].append(top["ms"])
                    times[name]["bottom"].append(bottom["ms"])
                    rows_seen.append(max(render["rows"], top["rows"], bottom["rows"]))
                    nb.page.evaluate(_DELETE_CURRENT, NOTEBOOK)
                    nb.page.wait_for_timeout(200)
            result["times_ms"] = times
            result["ratios"] = {
                what: statistics.median(times["big"][what]) / statistics.median(times["small"][what])
                for what in ("render", "top", "bottom")
            }
            result["ratios_vs_mid"] = {
                what: statistics.median(times["big"][what]) / statistics.median(times["mid"][what])
                for what in ("render", "top", "bottom")
            }
            result["medians_ms"] = {
                name: {what: statistics.median(v) for what, v in per.items()} for name, per in times.items()
            }
            result["dom_rows_max_per_view"] = max(rows_seen)

            # Long tasks while 20,000 messages/s arrive, the widget following the stream.
            n = live_rate * live_seconds
            render = nb.page.evaluate(
                _RENDER,
                [
                    NOTEBOOK,
                    f"ws_live = ws_widget.connect({sender.flood(n, 64, rate=live_rate)!r}, "
                    f"max_size=None)\nws_live",
                    60_000,
                ],
            )
            nb.page.wait_for_timeout(500)
            nb.reset_long_tasks()
            start = time.monotonic()
            dom_rows = 0
            while time.monotonic() - start < live_seconds - 0.5:
                nb.page.wait_for_timeout(1000)
                dom_rows = max(dom_rows, nb.count(".wsw-row"))
            tasks = nb.long_tasks()
            received = nb.execute_in_kernel("print(ws_live.stats['messages_in'])")["stdout"].strip()
            page_text = nb.page.locator(".jp-OutputArea").all_inner_texts()
            iopub_warnings = [t for t in page_text if "IOPub" in t and "rate exceeded" in t]
            observer = nb.page.evaluate("() => window.__wsTest.longTaskObserver")
            result["live"] = {
                "incoming_rate": live_rate,
                "seconds": live_seconds,
                "received": int(received),
                "long_tasks": tasks.count,
                "longest_ms": tasks.longest,
                "long_task_total_ms": tasks.total,
                "long_task_observer": observer,
                "dom_rows_page": dom_rows,
                "iopub_warnings": iopub_warnings,
                "first_render_ms": render["ms"],
            }
            nb.execute_in_kernel("ws_live.close()")
            result["console_errors"] = nb.unexpected_console_errors()
        log = lab.log_path.read_text(errors="replace") if lab.log_path.exists() else ""
        result["live"]["server_log_iopub_warnings"] = log.count("rate exceeded")
    return result
