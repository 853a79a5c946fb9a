// One chart of the Plot and Stats tabs, drawn in SVG.

import { BOX, chartRange, clockText, formatValue, latestText, linePoints, SERIES_COLOURS, timeTicks, valueTicks } from "./chart_math.js";
import { h, svg } from "./dom.js";

/**
 * One chart: an SVG with a time axis (ticks, local time), a value axis (ticks, its label and
 * unit), a line per series in its colour, and a legend naming each series with its latest value.
 */
export class Chart {
  constructor(role, label, height = BOX.height) {
    this.label = label;
    this.box = { ...BOX, height };
    this.svg = svg("svg", { class: "wsw-plot", viewBox: `0 0 ${BOX.width} ${height}`, role: "img", "aria-label": label, "data-role": role });
    this.legend = h("ul", { class: "wsw-legend", "aria-label": `Legend of ${label}`, "data-role": `${role}-legend` });
    this.caption = h("div", { class: "wsw-chart-caption" });
    this.node = h("div", { class: "wsw-chart-box" }, [this.caption, this.svg, this.legend]);
    this.draws = 0;
  }

  /** Draw `lines` ([{label, points, colour, latest}]) with the value axis named `yLabel`. */
  draw(lines, yLabel, format = formatValue) {
    this.draws++;
    this.svg.setAttribute("data-draws", this.draws);
    const { box } = this;
    const parts = [];
    const range = chartRange(lines);
    const plotBottom = box.height - box.bottom;
    parts.push(svg("line", { class: "wsw-axis", x1: box.left, y1: box.top, x2: box.left, y2: plotBottom }));
    parts.push(svg("line", { class: "wsw-axis", x1: box.left, y1: plotBottom, x2: box.width - box.right, y2: plotBottom }));
    const axisLabel = (text, attributes) => {
      const node = svg("text", { class: "wsw-axis-label", ...attributes });
      node.textContent = text;
      parts.push(node);
    };
    axisLabel(yLabel, { x: 12, y: (box.top + plotBottom) / 2, transform: `rotate(-90 12 ${(box.top + plotBottom) / 2})`, "text-anchor": "middle", "data-role": "y-label" });
    axisLabel("time (local)", { x: (box.left + box.width - box.right) / 2, y: box.height - 2, "text-anchor": "middle", "data-role": "x-label" });
    if (range) {
      const values = valueTicks(range.v0, range.v1);
      const scaleY = (v) => box.top + (plotBottom - box.top) * (1 - (v - values.min) / (values.max - values.min || 1));
      for (const tick of values.ticks) {
        const y = scaleY(tick).toFixed(1);
        parts.push(svg("line", { class: "wsw-grid", x1: box.left, y1: y, x2: box.width - box.right, y2: y }));
        axisLabel(format(tick, values.step), { x: box.left - 4, y: Number(y) + 4, "text-anchor": "end", class: "wsw-tick" });
      }
      const times = timeTicks(range.t0, range.t1);
      const width = box.width - box.left - box.right;
      for (const tick of times.ticks) {
        const x = (box.left + ((tick - range.t0) / Math.max(1, range.t1 - range.t0)) * width).toFixed(1);
        parts.push(svg("line", { class: "wsw-axis", x1: x, y1: plotBottom, x2: x, y2: plotBottom + 4 }));
        axisLabel(clockText(tick, times.step), { x, y: plotBottom + 16, "text-anchor": "middle", class: "wsw-tick", "data-role": "x-tick" });
      }
      for (const line of lines) {
        const colour = `wsw-series-${line.colour % SERIES_COLOURS}`;
        const points = linePoints(line.points, range, values, box);
        parts.push(svg("polyline", { class: `wsw-line ${colour}`, fill: "none", points, "data-series": line.label }));
        const last = points ? points.slice(points.lastIndexOf(" ") + 1).split(",") : null;
        if (last) { // the newest value marked, and held to now (a Q-SYS change group sends only changes)
          parts.push(svg("circle", { class: `wsw-marker ${colour}`, cx: last[0], cy: last[1], r: 3 }));
          if (Number(last[0]) < box.width - box.right - 1) {
            parts.push(svg("line", { class: `wsw-line wsw-hold ${colour}`, x1: last[0], y1: last[1], x2: box.width - box.right, y2: last[1] }));
          }
        }
      }
    } else {
      axisLabel("no values yet", { x: (box.left + box.width) / 2, y: (box.top + plotBottom) / 2, "text-anchor": "middle", class: "wsw-tick" });
    }
    this.svg.replaceChildren(...parts);
    this.legend.replaceChildren(...lines.map((line) => h("li", { class: "wsw-legend-item", "data-series": line.label }, [
      h("span", { class: `wsw-swatch wsw-series-${line.colour % SERIES_COLOURS}`, "aria-hidden": "true" }),
      h("span", { class: "wsw-legend-name", text: line.label }),
      h("span", { class: "wsw-legend-value", text: latestText(line.latest) }),
    ])));
  }
}
