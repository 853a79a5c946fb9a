// The record list: the virtualised list of the Messages and Frames tabs.

import { h } from "./dom.js";
import { debugHook, Listeners } from "./lifecycle.js";
import { ROW_HEIGHT, rowKeyTarget, scrollGeometry, scrollToShow } from "./navigation.js";
import { bytesFrom } from "./requests.js";
import { shownText } from "./status_text.js";

const PAGE_SIZE = 120;
const CACHE_LIMIT = 4000;

/**
 * A virtualised, keyboard-operable list of records held in the kernel (role listbox).
 *
 * Rows are fetched by page as they come into view; `push` takes the newest records of a
 * batch. A pool of row nodes is reused on every render, with one delegated click listener.
 * Up/Down, PageUp/PageDown, Home/End move the active row (aria-activedescendant); Enter opens
 * it through `onOpen`. `destroy` disconnects the observer, cancels the animation frame and
 * ignores page replies still on their way.
 */
export class RecordList {
  constructor({ source, label, requests, rowCells, filterSpec, isUnfiltered, follow, shown, onOpen, onTotal, onRecords, idPrefix }) {
    Object.assign(this, { source, requests, rowCells, filterSpec, isUnfiltered, follow, shown, onOpen, onTotal, onRecords, idPrefix });
    this.spacer = h("div", { class: "wsw-spacer" });
    this.rowsBox = h("div", { class: "wsw-rows", role: "presentation", "data-role": source === "messages" ? "rows" : `${source}-rows` });
    this.viewport = h("div", {
      class: "wsw-viewport", "data-role": source === "messages" ? "history" : source, tabindex: "0",
      role: "listbox", "aria-label": label,
    }, [this.spacer, this.rowsBox]);
    this.total = 0;
    this.problem = null; // why no page could be had (an invalid regular expression): nothing is shown
    this.firstSeq = 1;
    this.cache = new Map(); // row index -> [record, bytes]
    this.selected = null; // seq of the record opened
    this.active = null; // row index of the keyboard's active row
    this.first = 0; // first row index in view
    this.pool = []; // row nodes in use, in order
    this.slots = new WeakMap(); // row node -> position in the pool
    this.pageInFlight = false;
    this.pageWanted = false;
    this.lastAsked = null;
    this.frame = null;
    this.frameRequested = false;
    this.scrolledByUs = false;
    this.destroyed = false;
    this.scrollCallback = null;
    this.debug = debugHook();
    if (this.debug) this.debug.lists++;

    // The viewport's height comes from a ResizeObserver: reading clientHeight on every batch
    // forced a layout of the whole page. Renders are coalesced to one per animation frame.
    this.height = 300;
    this.resizes = new ResizeObserver((entries) => {
      this.height = entries[entries.length - 1].contentRect.height || 300;
      this.render();
    });
    this.resizes.observe(this.viewport);
    if (this.debug) this.debug.observers++;

    this.listeners = new Listeners();
    this.listeners.listen(this.rowsBox, "click", (event) => this.onClick(event));
    this.listeners.listen(this.viewport, "keydown", (event) => this.onKey(event));
    this.listeners.listen(this.viewport, "scroll", () => this.onScrolled());
  }

  geometry() {
    return scrollGeometry(this.total, this.height);
  }

  /** Rows a viewport holds in full (the step of PageUp/PageDown). */
  pageRows() {
    return Math.max(1, Math.floor(this.height / ROW_HEIGHT));
  }

  render() {
    if (this.frameRequested || this.destroyed) return;
    this.frameRequested = true;
    this.frame = requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.destroyed) this.renderNow();
    });
  }

  renderNow() {
    const geo = this.geometry();
    const { viewport } = this;
    this.spacer.style.height = `${geo.height}px`;
    const first = geo.firstRow(viewport.scrollTop);
    const count = Math.max(0, Math.min(this.total, first + geo.visible) - first);
    this.first = first;
    this.rowsBox.style.top = `${geo.rowTop(first, viewport.scrollTop)}px`;
    this.rowsBox.style.height = `${geo.rowsHeight(first)}px`;
    this.fitPool(count);
    let missing = false;
    let activeId = null;
    for (let k = 0; k < count; k++) {
      const row = first + k;
      const entry = this.cache.get(row);
      if (!entry) missing = true;
      this.fill(this.pool[k], row, entry);
      if (row === this.active) activeId = this.pool[k].rowId;
    }
    if (activeId) viewport.setAttribute("aria-activedescendant", activeId);
    else viewport.removeAttribute("aria-activedescendant");
    if (this.shown) this.shown.textContent = shownText(this.total, this.isUnfiltered(), this.problem);
    if (this.onTotal) this.onTotal(this.total);
    if (this.debug) this.debug.renders++;
    if (missing && first !== this.lastAsked) this.wantPage(first);
  }

  /**
   * Make the first `count` pooled row nodes shown, creating only those missing; the rest stay
   * in the list, hidden, for the next render (the pool never outgrows the tallest viewport).
   */
  fitPool(count) {
    while (this.pool.length < count) {
      const position = this.pool.length;
      const node = h("div", { id: `${this.idPrefix}-row-${position}`, role: "option" });
      node.rowId = `${this.idPrefix}-row-${position}`;
      node.cells = [];
      this.slots.set(node, position);
      this.pool.push(node);
      this.rowsBox.append(node);
      if (this.debug) {
        this.debug.rows++;
        if (globalThis.WeakRef) this.debug.rowRefs.push(new WeakRef(node));
      }
    }
    for (let k = count; k < this.pool.length; k++) {
      const node = this.pool[k];
      if (node.hidden) continue;
      node.hidden = true; // a spare: no row class, no seq, so no selector finds its old record
      node.className = "wsw-spare";
      node.removeAttribute("data-seq");
    }
  }

  /** Show `entry` (or a placeholder while its page is on its way) in a pooled row node. */
  fill(node, row, entry) {
    if (node.hidden) node.hidden = false;
    node.setAttribute("aria-posinset", String(row + 1));
    node.setAttribute("aria-setsize", String(this.total));
    if (!entry) {
      node.className = `wsw-row wsw-loading${row === this.active ? " wsw-active" : ""}`;
      node.removeAttribute("data-seq");
      node.setAttribute("aria-selected", "false");
      const blanks = Math.max(1, node.cells.length);
      this.fillCells(node, Array.from({ length: blanks }, (_, i) => ["wsw-cell", i === blanks - 1 ? "\u2026" : ""]));
      return;
    }
    const [record, bytes] = entry;
    const [seq, , dir, kind] = record;
    const selected = this.selected === seq;
    node.className = `wsw-row wsw-${dir} wsw-kind-${kind}${selected ? " wsw-selected" : ""}${row === this.active ? " wsw-active" : ""}`;
    node.setAttribute("data-seq", String(seq));
    node.setAttribute("aria-selected", selected ? "true" : "false");
    this.fillCells(node, this.rowCells(record, bytes, row));
  }

  fillCells(node, cells) {
    while (node.cells.length < cells.length) {
      const span = h("span");
      node.cells.push(span);
      node.append(span);
    }
    while (node.cells.length > cells.length) node.cells.pop().remove();
    cells.forEach(([cls, text, title], i) => {
      const span = node.cells[i];
      span.className = cls;
      span.textContent = text;
      if (title) span.setAttribute("title", title);
      else span.removeAttribute("title");
    });
  }

  /** The row index of a node inside a row, or null. */
  rowOf(target) {
    for (let node = target; node && node !== this.rowsBox; node = node.parentNode) {
      if (this.slots.has(node)) return node.hidden ? null : this.first + this.slots.get(node);
    }
    return null;
  }

  onClick(event) {
    const row = this.rowOf(event.target);
    if (row === null) return;
    this.active = row;
    this.open(row, false);
    this.render();
  }

  onKey(event) {
    if (event.key === "Enter") {
      if (this.active !== null && this.open(this.active, true)) event.preventDefault();
      return;
    }
    const row = rowKeyTarget(event.key, this.active, this.total, this.first, this.pageRows());
    if (row === null) return;
    event.preventDefault();
    this.moveTo(row);
  }

  /** Make `row` the active row and scroll it into view. */
  moveTo(row) {
    this.active = row;
    const top = scrollToShow(row, this.first, this.pageRows(), this.geometry());
    if (top !== null) this.viewport.scrollTop = top;
    if (this.scrollCallback) this.scrollCallback(row === this.total - 1);
    this.render();
  }

  /** Open the record at `row` (when loaded) through onOpen; returns whether it did. */
  open(row, fromKeyboard) {
    const entry = this.cache.get(row);
    if (!entry || !this.onOpen) return false;
    this.selected = entry[0][0];
    this.onOpen(this.selected, fromKeyboard);
    this.render();
    return true;
  }

  /** Forget the opened record (its detail was closed). */
  unselect() {
    this.selected = null;
    this.render();
  }

  focus() {
    this.viewport.focus();
  }

  wantPage(first) {
    if (this.pageInFlight) {
      this.pageWanted = true;
      return;
    }
    this.pageInFlight = true;
    this.lastAsked = first;
    const offset = Math.max(0, first - Math.floor((PAGE_SIZE - this.geometry().visible) / 2));
    this.requests.send({ type: "page", source: this.source, offset, count: PAGE_SIZE, filter: this.filterSpec() }, (reply) => {
      if (this.destroyed) return;
      this.pageInFlight = false;
      if (reply.type === "page") this.store(reply);
      else if (reply.type === "error") this.showProblem(reply.text);
      if (this.pageWanted) {
        this.pageWanted = false;
        this.lastAsked = null;
        this.render();
      }
    });
  }

  /** Show no rows and say why (a filter the kernel refused): no earlier matches stay in sight. */
  showProblem(text) {
    this.problem = text || "the kernel refused the request";
    this.cache = new Map();
    this.total = 0;
    this.active = null;
    this.render();
  }

  store(reply) {
    this.problem = null;
    if (this.onRecords) this.onRecords(reply.records);
    if (reply.first_seq !== this.firstSeq && this.isUnfiltered()) this.cache = new Map();
    this.firstSeq = reply.first_seq;
    this.total = reply.total;
    reply.records.forEach((record, i) => this.cache.set(reply.offset + i, [record, this.bytesOf(record, reply.buffers)]));
    this.trim(reply.offset);
    if (this.follow()) this.toEnd();
    else this.render();
  }

  bytesOf(record, buffers) {
    const index = record[7];
    return index === null || index === undefined || !buffers ? null : bytesFrom(buffers[index]);
  }

  trim(center) {
    if (this.cache.size <= CACHE_LIMIT) return;
    for (const key of this.cache.keys()) if (Math.abs(key - center) > CACHE_LIMIT / 2) this.cache.delete(key);
  }

  toEnd() {
    const geo = this.geometry();
    this.spacer.style.height = `${geo.height}px`;
    if (this.viewport.scrollTop < geo.height - this.height) {
      this.scrolledByUs = true; // the scroll event this causes is ours, not the user's
      this.viewport.scrollTop = geo.height;
    }
    this.render();
  }

  /** Drop the rows held and fetch the page in view again (filters changed, history cleared). */
  refresh() {
    this.cache = new Map();
    this.total = 0;
    this.lastAsked = null;
    this.active = null;
    const filter = this.filterSpec();
    const { source } = this;
    this.requests.send({ type: "page", source, offset: this.follow() ? -PAGE_SIZE : 0, count: PAGE_SIZE, filter }, (reply) => {
      if (this.destroyed) return;
      if (reply.type === "error") this.showProblem(reply.text);
      if (reply.type !== "page") return;
      this.store(reply);
      if (this.follow() && reply.offset > 0) { // also keep the head at hand for a jump to the top
        this.requests.send({ type: "page", source, offset: 0, count: PAGE_SIZE, filter }, (head) => {
          if (this.destroyed || head.type !== "page" || head.first_seq !== this.firstSeq) return;
          head.records.forEach((record, i) => this.cache.set(i, [record, this.bytesOf(record, head.buffers)]));
        });
      }
    });
  }

  push(part, buffers) {
    if (this.onRecords) this.onRecords(part.records);
    if (part.first_seq !== this.firstSeq && this.isUnfiltered()) this.cache = new Map();
    this.firstSeq = part.first_seq;
    this.lastAsked = null;
    if (this.isUnfiltered()) {
      this.problem = null;
      this.total = part.total;
      for (const record of part.records) this.cache.set(record[0] - this.firstSeq, [record, this.bytesOf(record, buffers)]);
      this.trim(this.total);
      if (this.follow()) this.toEnd();
      else this.render();
    } else if (part.records.length && this.follow() && !this.problem) {
      this.wantPage(Math.max(0, this.total - this.geometry().visible)); // the reply brings the new total
    }
  }

  /** Call `callback(atEnd)` when the user scrolls or moves the active row. */
  onScroll(callback) {
    this.scrollCallback = callback;
  }

  onScrolled() {
    if (this.scrolledByUs) {
      this.scrolledByUs = false;
      return;
    }
    if (this.scrollCallback) this.scrollCallback(this.viewport.scrollTop + this.height >= this.geometry().height - ROW_HEIGHT);
    this.render();
  }

  destroy() {
    this.destroyed = true;
    this.listeners.off();
    this.resizes.disconnect();
    if (this.frameRequested) cancelAnimationFrame(this.frame);
    this.frameRequested = false;
    this.cache = new Map();
    if (this.debug) {
      this.debug.observers--;
      this.debug.lists--;
      this.debug.rows -= this.pool.length;
    }
    this.pool = [];
    this.rowsBox.replaceChildren();
  }
}

/**
 * Wire a panel's list to its Follow box and its record detail: checking Follow refreshes the
 * list, scrolling away from the end unchecks it, and Escape (in the detail or the list) or the
 * close button closes an open detail. `panel` has `list`, `follow`, `listeners`, `opened`
 * (null while no detail is open) and `closeDetail()`.
 */
export function wireFollowAndDetail(panel, detailNode, closeButton) {
  const { list, follow, listeners } = panel;
  listeners.listen(follow.input, "change", () => {
    if (follow.input.checked) list.refresh();
  });
  list.onScroll((atEnd) => {
    if (!atEnd && follow.input.checked) follow.input.checked = false;
  });
  const onEscape = (event) => {
    if (event.key === "Escape" && panel.opened !== null) {
      event.preventDefault();
      panel.closeDetail();
    }
  };
  listeners.listen(detailNode, "keydown", onEscape);
  listeners.listen(list.viewport, "keydown", onEscape);
  listeners.listen(closeButton, "click", () => panel.closeDetail());
}
