// The Stats tab.

import { Chart } from "./chart.js";
import { h } from "./dom.js";

/** The Stats tab: messages/s, bytes/s (in and out) and the ping RTT over the last 300 seconds. */
export class StatsPanel {
  constructor() {
    this.node = h("div", { class: "wsw-tab-body", tabindex: "0" });
    this.charts = {
      rate: { label: "messages/s (in, out)", unit: "messages/s", series: [[1, "in (received)"], [2, "out (sent)"]] },
      bytes: { label: "bytes/s (in, out)", unit: "bytes/s", series: [[3, "in (received)"], [4, "out (sent)"]] },
      rtt: { label: "ping RTT (ms)", unit: "RTT (ms)", series: [[5, "ping RTT"]] },
    };
    for (const [name, chart] of Object.entries(this.charts)) {
      chart.chart = new Chart(`chart-${name}`, chart.label, 130);
      this.node.append(chart.chart.node);
    }
    this.points = [];
  }

  add(points) {
    for (const point of points) if (point) this.points.push(point);
    if (this.points.length > 300) this.points.splice(0, this.points.length - 300);
    if (!this.node.hidden) this.draw();
  }

  draw() {
    const { points } = this;
    const latest = points.length ? points[points.length - 1] : null;
    for (const chart of Object.values(this.charts)) {
      const lines = chart.series.map(([column, label], colour) => ({
        label, colour, points: points.map((p) => [p[0], p[column]]), latest: latest ? latest[column] : null,
      }));
      chart.chart.draw(lines, chart.unit);
      const now = latest ? chart.series.map(([column]) => latest[column] ?? "\u2014").join(" / ") : "no data yet";
      chart.chart.caption.textContent = `${chart.label}: ${now}`;
    }
  }

  destroy() {}
}
