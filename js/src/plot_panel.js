// The Plot tab.

import { Chart } from "./chart.js";
import { addBucket, bucketPoints } from "./chart_math.js";
import { button, checkbox, h } from "./dom.js";
import { Listeners } from "./lifecycle.js";

/**
 * The Plot tab: the numeric fields found in incoming JSON (checkboxes), a live chart of those
 * picked (min/max buckets per series, drawn at most once an animation frame and only when new
 * values came), Pause/Resume, and Find fields. The choice is the `plot_fields` trait, the pause
 * `plot_paused`; the fields found come in `plot_found` messages (see ws_widget/faces/plot.py).
 */
export class PlotPanel {
  constructor({ onFields, onPaused, onFind }) {
    this.onFields = onFields;
    this.onPaused = onPaused;
    this.onFind = onFind;
    this.pauseButton = button("Pause", "plot-pause", { "aria-pressed": "false" });
    this.findButton = button("Find fields", "plot-find");
    this.status = h("span", { class: "wsw-plot-status", "data-role": "plot-status" });
    this.picker = h("fieldset", { class: "wsw-plot-fields", "data-role": "plot-fields" });
    this.chart = new Chart("plot-chart", "Plot of the chosen fields over time");
    this.node = h("div", { class: "wsw-tab-body" }, [
      h("div", { class: "wsw-filters", role: "group", "aria-label": "Plot controls" }, [this.pauseButton, this.findButton, this.status]),
      this.picker, this.chart.node,
    ]);
    this.fields = [];
    this.found = [];
    this.boxes = new Map();
    this.series = new Map(); // path -> {width, buckets}
    this.paused = false;
    this.skipped = 0;
    this.dirty = false;
    this.frame = null;
    this.lastFind = 0;
    this.listeners = new Listeners();
    this.listeners.listen(this.pauseButton, "click", () => this.onPaused(!this.paused));
    this.listeners.listen(this.findButton, "click", () => this.find());
    this.listeners.listen(this.picker, "change", () => {
      const picked = [...this.boxes].filter(([, input]) => input.checked).map(([path]) => path);
      this.onFields(picked);
    });
    this.showPicker();
  }

  find() {
    this.lastFind = Date.now();
    this.onFind();
  }

  /** While shown and messages come, look for fields again: every 2 s while none are known, else every 10 s. */
  maybeFind() {
    if (this.node.hidden) return;
    if (Date.now() - this.lastFind > (this.found.length ? 10_000 : 2000)) this.find();
  }

  showFields(fields) {
    this.fields = [...(fields || [])];
    for (const path of [...this.series.keys()]) if (!this.fields.includes(path)) this.series.delete(path);
    for (const path of this.fields) if (!this.series.has(path)) this.series.set(path, { width: 0, buckets: [] });
    this.showPicker();
    this.changed();
  }

  /** Fields found by the kernel: added to those known, in the order first found (the list only grows, to 64). */
  showFound(found) {
    for (const path of found || []) if (!this.found.includes(path) && this.found.length < 64) this.found.push(path);
    this.showPicker();
  }

  showPaused(paused) {
    this.paused = Boolean(paused);
    this.pauseButton.textContent = this.paused ? "Resume" : "Pause";
    this.pauseButton.setAttribute("aria-pressed", this.paused ? "true" : "false");
    this.showStatus();
    if (!this.paused) this.changed();
  }

  showPicker() {
    const paths = [...this.found, ...this.fields.filter((path) => !this.found.includes(path))];
    const shown = [...this.boxes.keys()];
    const item = (path) => {
      const { input, label } = checkbox("plot-field", path);
      input.setAttribute("data-path", path);
      this.boxes.set(path, input);
      return label;
    };
    if (shown.length && shown.every((path, i) => paths[i] === path)) {
      this.picker.append(...paths.slice(shown.length).map(item)); // more fields: added, focus kept
    } else if (!this.picker.children.length || paths.join("\n") !== shown.join("\n")) {
      this.boxes = new Map();
      const hint = h("span", { class: "wsw-plot-hint", text: "no numeric fields found in incoming JSON yet: Find fields looks again" });
      this.picker.replaceChildren(h("legend", { text: "Fields to plot" }), ...paths.map(item), ...(paths.length ? [] : [hint]));
    }
    for (const [path, input] of this.boxes) input.checked = this.fields.includes(path);
  }

  showStatus() {
    const parts = [];
    if (this.paused) parts.push("paused: values are gathered, Resume draws them");
    if (this.skipped) parts.push(`${this.skipped} messages not plotted (over 10,000 a second, the newest are read)`);
    this.status.textContent = parts.join("; ");
  }

  /** Buckets for whole series (a view's start, a field just picked): they replace what is there. */
  fill(seriesMap) {
    for (const [path, buckets] of Object.entries(seriesMap || {})) {
      if (!this.fields.includes(path)) continue;
      const series = { width: 0, buckets: [] };
      for (const bucket of buckets) addBucket(series, bucket);
      this.series.set(path, series);
    }
    this.changed();
  }

  /** One flush's bucket per series. */
  add(plot, skipped) {
    let any = false;
    for (const [path, bucket] of Object.entries(plot || {})) {
      const series = this.series.get(path);
      if (series) { addBucket(series, bucket); any = true; }
    }
    if (skipped !== undefined && skipped !== this.skipped) {
      this.skipped = skipped;
      this.showStatus();
    }
    if (any) this.changed();
  }

  clear() {
    for (const path of this.series.keys()) this.series.set(path, { width: 0, buckets: [] });
    this.skipped = 0;
    this.showStatus();
    this.changed();
  }

  /** New values: draw at the next animation frame, unless paused or hidden (showing draws). */
  changed() {
    this.dirty = true;
    if (this.paused || this.node.hidden || this.frame !== null) return;
    this.frame = true; // a frame is asked for (a synchronous requestAnimationFrame resets it at once)
    const id = requestAnimationFrame(() => {
      this.frame = null;
      this.draw();
    });
    if (this.frame !== null) this.frame = id;
  }

  draw() {
    if (this.paused) return;
    this.dirty = false;
    const lines = this.fields.map((path, colour) => {
      const { buckets } = this.series.get(path) || { buckets: [] };
      return { label: path, colour, points: bucketPoints(buckets), latest: buckets.length ? buckets[buckets.length - 1][4] : null };
    });
    this.chart.draw(lines, this.fields.length === 1 ? this.fields[0] : "value");
    const count = lines.reduce((n, line) => n + line.points.length, 0);
    this.chart.caption.textContent = this.fields.length ? `${this.fields.length} field${this.fields.length === 1 ? "" : "s"}, ${count} points drawn` : "pick a field to plot";
  }

  destroy() {
    this.listeners.off();
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}
