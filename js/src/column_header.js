// The column header of the Messages tab's list: resizable columns, JSON columns removed.

import { h } from "./dom.js";
import { Listeners } from "./lifecycle.js";
import { columnKey, dragWidth, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH } from "./tool_helpers.js";

/** The row of column headers with an edge per column to drag (or move with the keyboard). */
export class ColumnHeader {
  constructor({ onWidth, onRemove }) {
    Object.assign(this, { onWidth, onRemove });
    this.node = h("div", { class: "wsw-colhead", role: "group", "aria-label": "Columns (drag an edge, or Left and Right on it, to resize)",
      "data-role": "columns" });
    this.edges = [];
    this.focusIndex = 0;
    this.drag = null;
    this.listeners = new Listeners();
    this.listeners.listen(this.node, "pointerdown", (event) => this.onPointerDown(event));
    this.listeners.listen(this.node, "pointermove", (event) => this.onPointerMove(event));
    this.listeners.listen(this.node, "pointerup", (event) => this.onPointerUp(event));
    // Keys are taken on the window, in the capture phase: Notebook 7 catches the arrows on the
    // document before they reach the page (measured: keydown never came to the edge).
    if (globalThis.window) this.listeners.listen(globalThis.window, "keydown", (event) => this.onKey(event), true);
    this.listeners.listen(this.node, "click", (event) => {
      const remove = event.target.closest && event.target.closest("[data-remove]");
      if (remove) this.onRemove(remove.dataset.remove);
    });
  }

  /** Build the cells for `columns` (see columnsFor). */
  show(columns) {
    this.edges = [];
    const cells = columns.map((column) => {
      const cell = h("span", { class: `wsw-colname ${column.cls}`, "data-column": column.name, title: column.name });
      cell.append(h("span", { class: "wsw-colname-text", text: column.label }));
      if (column.json) {
        cell.append(h("button", { class: "wsw-colremove", type: "button", "data-remove": column.name, "data-role": "column-remove",
          "aria-label": `Remove the column ${column.name}`, title: "Remove this column", text: "\u00d7" }));
      }
      if (!column.fixed) {
        const edge = h("span", {
          class: "wsw-coledge", role: "separator", "aria-orientation": "vertical", tabindex: "-1", "data-role": "column-edge",
          "data-column": column.name, "aria-valuemin": String(MIN_COLUMN_WIDTH), "aria-valuemax": String(MAX_COLUMN_WIDTH),
          "aria-label": `Width of the ${column.label} column: Left and Right resize, Home resets, Up and Down pick another column`,
        });
        edge.index = this.edges.length;
        this.edges.push(edge);
        cell.append(edge);
      }
      return cell;
    });
    this.node.replaceChildren(...cells);
    this.focusIndex = Math.min(this.focusIndex, this.edges.length - 1);
    this.edges.forEach((edge, i) => edge.setAttribute("tabindex", i === this.focusIndex ? "0" : "-1"));
    this.measure();
  }

  /** Tell assistive technology each column's width now. */
  measure() {
    for (const edge of this.edges) edge.setAttribute("aria-valuenow", String(Math.round(this.widthOf(edge))));
  }

  widthOf(edge) {
    const box = edge.parentNode && edge.parentNode.getBoundingClientRect ? edge.parentNode.getBoundingClientRect() : null;
    return box ? box.width : 0;
  }

  edgeOf(target) {
    return target && target.classList && target.classList.contains("wsw-coledge") ? target : null;
  }

  onPointerDown(event) {
    const edge = this.edgeOf(event.target);
    if (!edge) return;
    event.preventDefault();
    edge.setPointerCapture?.(event.pointerId);
    this.drag = { edge, startX: event.clientX, startWidth: this.widthOf(edge) };
  }

  onPointerMove(event) {
    if (!this.drag) return;
    this.onWidth(this.drag.edge.dataset.column, dragWidth(this.drag.startWidth, this.drag.startX, event.clientX), false);
  }

  onPointerUp(event) {
    if (!this.drag) return;
    const { edge, startX, startWidth } = this.drag;
    this.drag = null;
    this.onWidth(edge.dataset.column, dragWidth(startWidth, startX, event.clientX), true);
    this.measure();
  }

  onKey(event) {
    const edge = this.edgeOf(event.target);
    if (!edge || !this.edges.includes(edge)) return;
    const action = columnKey(event.key, this.widthOf(edge), event.shiftKey, edge.index, this.edges.length);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    if (action.move !== undefined) {
      this.focusIndex = action.move;
      this.edges.forEach((other, i) => other.setAttribute("tabindex", i === action.move ? "0" : "-1"));
      this.edges[action.move].focus();
      return;
    }
    this.onWidth(edge.dataset.column, action.reset ? null : action.width, true);
    this.measure();
  }

  destroy() {
    this.listeners.off();
  }
}
