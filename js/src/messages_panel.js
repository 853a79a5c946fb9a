// The Messages tab.

import { Composer } from "./composer.js";
import { button, checkbox, h, option } from "./dom.js";
import { addOpens, connectionStart, formatBytes, formatDateTime, TIME_MODES, timeText } from "./formatting.js";
import { Listeners } from "./lifecycle.js";
import { hexDump, prettyJson } from "./payloads.js";
import { RecordList, wireFollowAndDetail } from "./record_list.js";
import { arrow, previewText } from "./record_text.js";
import { bytesFrom } from "./requests.js";
import { detailNote } from "./status_text.js";

/** The Messages tab: filters, the history list, the detail of the record opened, the composer. */
export class MessagesPanel {
  constructor(requests, idPrefix) {
    this.requests = requests;
    this.filterText = h("input", { class: "wsw-filter", type: "search", placeholder: "filter", "aria-label": "Filter records by text", "data-role": "filter" });
    this.regex = checkbox("regex", "regex");
    this.direction = h("select", { "data-role": "direction", "aria-label": "Direction" },
      [option("all", "in + out"), option("in", "in"), option("out", "out"), option("event", "events")]);
    this.kinds = h("select", { "data-role": "kinds", "aria-label": "Kind" },
      [option("all", "all kinds"), option("messages", "messages"), option("text", "text"), option("binary", "binary"),
        option("control", "ping/pong"), option("events", "events")]);
    this.follow = checkbox("follow", "follow", true);
    this.shown = h("span", { class: "wsw-shown", "data-role": "shown" });
    this.timeSelect = h("select", { "data-role": "time-mode", "aria-label": "Time column", title: "Time column (ws.widget.time_mode)" },
      Object.entries(TIME_MODES).map(([value, label]) => option(value, label)));
    this.timeMode = "local";
    this.opens = []; // [seq, time_ms] of the connections' opens, sorted: "since connect" counts from them
    this.onTimeMode = null; // set by the view: saves a choice made here into the time_mode trait
    const filterBar = h("div", { class: "wsw-filters", role: "group", "aria-label": "Filters" }, [
      this.filterText, this.regex.label, this.direction, this.kinds, this.follow.label, this.timeSelect, this.shown,
    ]);
    this.detail = h("pre", { class: "wsw-detail", "data-role": "detail", tabindex: "0", role: "region", "aria-label": "Record detail" });
    this.detailNote = h("span", { class: "wsw-detail-note", "data-role": "detail-note" });
    this.detailClose = button("\u00d7 Close", "detail-close", { "aria-label": "Close the record's detail", title: "Close (Escape)" });
    this.detailPane = h("div", { class: "wsw-detail-pane", "data-role": "detail-pane" }, [
      h("div", { class: "wsw-detail-head" }, [this.detailNote, this.detailClose]), this.detail,
    ]);
    this.detailPane.hidden = true;
    this.lastOpenSeq = 0; // the newest "open" record seen: records before it are from an earlier connection
    this.list = new RecordList({
      source: "messages", label: "History (Up and Down move, Enter opens, Escape closes)", requests, idPrefix: `${idPrefix}-messages`,
      filterSpec: () => this.filterSpec(), isUnfiltered: () => this.unfiltered(), shown: this.shown,
      follow: () => this.follow.input.checked && !(this.isPaused && this.isPaused()), // a paused display stays put
      rowCells: (record, bytes, row) => [
        ["wsw-seq", `#${record[0]}`], ["wsw-time", this.timeOf(record, row), formatDateTime(record[1])], ["wsw-dir", arrow(record[2]), record[2]],
        ["wsw-kind", record[3]], ["wsw-size", formatBytes(record[4])], ...(this.extraCells ? this.extraCells(record) : []),
        ["wsw-preview", previewText(record, bytes)],
      ],
      onOpen: (seq, fromKeyboard) => this.open(seq, fromKeyboard), onRecords: (records) => this.seeRecords(records),
    });
    this.composer = new Composer(requests, idPrefix);
    this.extraCells = null; // set by the tools: the JSON columns' cells of a record
    this.isPaused = null; // set by the tools: whether the display is paused
    this.opened = null;
    this.node = h("div", { class: "wsw-tab-body" }, [filterBar, this.list.viewport, this.detailPane, this.composer.node]);
    this.filterTimer = null;
    this.listeners = new Listeners();
    const onFilter = () => {
      clearTimeout(this.filterTimer);
      this.filterTimer = setTimeout(() => this.list.refresh(), 150);
    };
    this.listeners.listen(this.filterText, "input", onFilter);
    for (const node of [this.regex.input, this.direction, this.kinds]) this.listeners.listen(node, "change", onFilter);
    this.listeners.listen(this.timeSelect, "change", () => {
      this.showTimeMode(this.timeSelect.value);
      if (this.onTimeMode) this.onTimeMode(this.timeMode);
    });
    wireFollowAndDetail(this, this.detailPane, this.detailClose);
  }

  /** The time column's text for `record` at list row `row`, in the time mode chosen. */
  timeOf(record, row) {
    const mode = this.timeMode;
    if (mode === "since_connect") return timeText(mode, record[1], { start: connectionStart(this.opens, record[0]) });
    if (mode === "delta") {
      const above = row > 0 ? this.list.cache.get(row - 1) : null;
      return timeText(mode, record[1], { previous: above ? above[0][1] : null });
    }
    return timeText(mode, record[1]);
  }

  /** Show the time column in `mode` (local, since_connect or delta; anything else: local). */
  showTimeMode(mode) {
    this.timeMode = Object.hasOwn(TIME_MODES, mode) ? mode : "local";
    if (this.timeSelect.value !== this.timeMode) this.timeSelect.value = this.timeMode;
    this.list.viewport.dataset.timeMode = this.timeMode;
    this.node.dataset.timeMode = this.timeMode; // the column header sizes its time column alike
    this.list.render();
  }

  /** Learn connection opens ([seq, time_ms] pairs, from the kernel); rows in sight show them. */
  addOpens(pairs) {
    const before = this.opens.length;
    addOpens(this.opens, pairs);
    if (this.opens.length !== before && this.timeMode === "since_connect") this.list.render();
  }

  filterSpec() {
    return { text: this.filterText.value, regex: this.regex.input.checked, direction: this.direction.value, kinds: this.kinds.value };
  }

  unfiltered() {
    return !this.filterText.value && this.direction.value === "all" && this.kinds.value === "all";
  }

  /**
   * Ask for a record's detail; from the keyboard, focus moves to it (Escape brings it back).
   * Opening a record stops following, so the row opened stays where it was clicked.
   */
  open(seq, fromKeyboard) {
    this.opened = seq;
    if (this.follow.input.checked) this.follow.input.checked = false;
    this.detailPane.hidden = false;
    this.showNote();
    this.detail.textContent = "loading\u2026";
    this.requests.send({ type: "get", seq });
    if (fromKeyboard) this.detail.focus();
  }

  showDetail(message, buffers) {
    if (message.seq !== this.opened) return;
    let body;
    if (buffers && buffers.length) body = hexDump(bytesFrom(buffers[0]));
    else if (message.text !== undefined) body = prettyJson(message.text) ?? message.text;
    else body = JSON.stringify(message.info, null, 2);
    const more = message.truncated ? `\n\u2026 (${formatBytes(message.size)} in all; cut for display)` : "";
    this.detail.textContent = `#${message.seq} ${message.kind} ${formatBytes(message.size)}\n${body}${more}`;
  }

  /** Close the detail and give the focus back to the list. */
  closeDetail() {
    this.hideDetail();
    this.list.unselect();
    this.list.focus();
  }

  hideDetail() {
    this.opened = null;
    this.detail.textContent = "";
    this.detailPane.hidden = true;
    this.showNote();
  }

  /** Note the newest "open" record among `records` (a batch): an open detail older than it is marked. */
  seeRecords(records) {
    const opens = [];
    for (const record of records || []) {
      if (record[3] !== "open" || record[2] !== "event") continue;
      this.lastOpenSeq = Math.max(this.lastOpenSeq, record[0]);
      opens.push([record[0], record[1]]);
    }
    if (opens.length) addOpens(this.opens, opens);
    this.showNote();
  }

  /** A new connection began (the state says so before its "open" record comes): mark the detail open now. */
  connectedAgain() {
    if (this.opened !== null) this.lastOpenSeq = Math.max(this.lastOpenSeq, this.opened + 1);
    this.showNote();
  }

  showNote() {
    const note = detailNote(this.opened, this.lastOpenSeq);
    if (this.detailNote.textContent !== note) this.detailNote.textContent = note;
  }

  cleared() {
    this.hideDetail();
    this.list.refresh();
  }

  destroy() {
    clearTimeout(this.filterTimer);
    this.listeners.off();
    this.list.destroy();
    this.composer.destroy();
  }
}
