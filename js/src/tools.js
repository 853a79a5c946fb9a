// The tools (issue 14, item 3).
//
// Copy a record, download the history, saved messages, pause of the display, resizable columns
// and JSON fields as columns. Each has a Python twin on the widget (ws_widget/faces/widget_tools.py):
// copy_text, download, save_message/delete_message/load_message, pause_display, json_columns,
// column_widths. Kept here, with their pure helpers in tool_helpers.js and the column header in
// column_header.js; the view wires them in with a few lines.

import { ColumnHeader } from "./column_header.js";
import { button, h, option } from "./dom.js";
import { formatBytes } from "./formatting.js";
import { Listeners } from "./lifecycle.js";
import { bytesFrom } from "./requests.js";
import { checkFieldPath, columnsFor, columnStyle, COPY_FORMATS, DOWNLOAD_FORMATS, fieldCells, pauseBadgeText, savedOptions } from "./tool_helpers.js";

const TOOL_ACTIONS = new Set(["copy", "download", "save_message", "delete_message"]);

/** Put `before` and `after` around `child` among `parent`'s children. */
function insertAround(parent, child, before, after) {
  parent.replaceChildren(...[...parent.children].flatMap((node) => (node === child ? [...before, node, ...after] : [node])));
}

/** Bytes of a reply's first buffer as a Blob to save, typed as the kernel said. */
function downloadBlob(reply) {
  const bytes = reply.buffers && reply.buffers.length ? bytesFrom(reply.buffers[0]) : new Uint8Array();
  return new Blob([bytes], { type: reply.mime || "application/octet-stream" });
}

/** Save a Blob as a file through a temporary link (the browser's download). */
function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The tools of the Messages tab: the column header over the list, a bar under it (pause and
 * its badge, downloads, a JSON column to add), copy buttons in the detail pane, and saved
 * messages under the composer. It listens to its own traits; the view calls `batch`,
 * `compose` and `destroy`.
 */
export class Tools {
  constructor({ model, requests, messages }) {
    Object.assign(this, { model, requests, messages });
    this.paused = false;
    this.pausedAt = 0; // last_seq when the display was paused
    this.lastSeq = 0;
    this.paths = [];
    this.widths = {};
    this.saved = [];

    this.header = new ColumnHeader({
      onWidth: (name, width, commit) => this.setWidth(name, width, commit),
      onRemove: (path) => this.saveTrait("json_columns", this.paths.filter((p) => p !== path)),
    });
    this.pauseButton = button("Pause", "pause", { "aria-pressed": "false", title: "Stop the list moving; recording goes on (ws.widget.pause_display())" });
    this.badge = h("span", { class: "wsw-paused-badge", "data-role": "paused-badge", role: "status", "aria-live": "polite" });
    this.downloads = Object.entries(DOWNLOAD_FORMATS).map(([format, label]) =>
      button(label, `download-${format}`, { "aria-label": `Download the history as ${label}`, title: `Download the whole history as ${label} (ws.widget.download("${format}"))` }));
    this.downloads.forEach((node, i) => { node.format = Object.keys(DOWNLOAD_FORMATS)[i]; });
    this.fieldInput = h("input", { class: "wsw-field-input", type: "text", placeholder: "JSON field as column, e.g. params.Id", spellcheck: "false",
      "aria-label": "JSON field to show as a column (Enter adds)", "data-role": "field-input" });
    this.fieldAdd = button("Add column", "field-add");
    this.status = h("span", { class: "wsw-tool-status", "data-role": "tool-status", "aria-live": "polite" });
    this.bar = h("div", { class: "wsw-toolbar", role: "group", "aria-label": "History tools", "data-role": "tools" }, [
      this.pauseButton, this.badge, h("span", { class: "wsw-tool-label", text: "Download:" }), ...this.downloads,
      this.fieldInput, this.fieldAdd, this.status,
    ]);

    this.copyButtons = Object.entries(COPY_FORMATS).map(([how, label]) => {
      const node = button(label, how === "payload" ? "copy" : `copy-${how}`, { title: `${label} (ws.widget.copy_text(seq, "${how}"))` });
      node.how = how;
      return node;
    });
    this.copyStatus = h("span", { class: "wsw-copy-status", "data-role": "copy-status", "aria-live": "polite" });

    const composer = messages.composer;
    this.savedSelect = h("select", { "data-role": "saved", "aria-label": "Saved messages" });
    this.savedLoad = button("Load", "saved-load", { "aria-label": "Load the saved message into the composer" });
    this.savedDelete = button("Delete", "saved-delete", { "aria-label": "Delete the saved message" });
    this.savedName = h("input", { type: "text", class: "wsw-saved-name", placeholder: "name", spellcheck: "false",
      "aria-label": "Name to save the composer's message as", "data-role": "saved-name" });
    this.savedSave = button("Save", "saved-save", { "aria-label": "Save the composer's message under this name" });
    this.savedWhere = h("span", { class: "wsw-saved-where", "data-role": "saved-where" });
    this.savedError = h("span", { class: "wsw-compose-error", "data-role": "saved-error", "aria-live": "polite" });
    this.savedBar = h("div", { class: "wsw-saved", role: "group", "aria-label": "Saved messages" }, [
      h("span", { class: "wsw-tool-label", text: "Saved:" }), this.savedSelect, this.savedLoad, this.savedDelete,
      this.savedName, this.savedSave, this.savedWhere, this.savedError,
    ]);

    // Into the Messages tab: the header over the list, the bar under it, the saved messages under
    // the composer, the copy buttons before the detail's Close.
    insertAround(messages.node, messages.list.viewport, [this.header.node], [this.bar]);
    insertAround(messages.node, composer.node, [], [this.savedBar]);
    insertAround(messages.detailClose.parentNode, messages.detailClose, [...this.copyButtons, this.copyStatus], []);
    this.styleVars = new Set(); // the --wsw-w-* properties set on the tab
    messages.extraCells = (record) => fieldCells(record, this.paths);
    messages.isPaused = () => this.paused;

    this.listeners = new Listeners();
    const on = (node, handler) => this.listeners.listen(node, "click", handler);
    on(this.pauseButton, () => {
      this.showPaused(!this.paused);
      this.saveTrait("display_paused", this.paused);
    });
    for (const node of this.downloads) on(node, () => this.download(node.format));
    for (const node of this.copyButtons) on(node, () => this.copy(node.how));
    on(this.fieldAdd, () => this.addField());
    this.listeners.listen(this.fieldInput, "keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.addField();
      }
    });
    on(this.savedLoad, () => this.loadSaved());
    on(this.savedDelete, () => {
      const name = this.savedSelect.value;
      if (name) this.ask({ type: "delete_message", name }, this.savedError, `deleted ${name}`);
    });
    on(this.savedSave, () => this.saveCurrent());
    this.listeners.listen(this.savedName, "keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.saveCurrent();
      }
    });

    const traits = {
      display_paused: (on) => this.showPaused(Boolean(on)),
      json_columns: (paths) => this.showColumns(paths || []),
      column_widths: (widths) => this.showWidths(widths || {}),
      saved: (saved) => this.showSaved(saved),
      saved_path: (path) => { this.savedWhere.textContent = path ? `kept in ${path}` : ""; },
      saved_problem: (text) => { this.savedError.textContent = text || ""; },
    };
    for (const [name, show] of Object.entries(traits)) {
      this.listeners.on(model, `change:${name}`, () => show(model.get(name)));
    }
    this.showColumns(model.get("json_columns") || []);
    this.showWidths(model.get("column_widths") || {});
    this.showSaved(model.get("saved"));
    traits.saved_path(model.get("saved_path"));
    traits.saved_problem(model.get("saved_problem"));
    this.showPaused(Boolean(model.get("display_paused")));
  }

  saveTrait(name, value) {
    this.model.set(name, value);
    this.model.save_changes();
  }

  /** Send a tool's request; show its error (or `done`) in `where`. */
  ask(content, where, done, then) {
    where.textContent = "";
    this.requests.send(content, (reply) => {
      if (reply.type === "error") where.textContent = reply.text;
      else {
        if (done) where.textContent = done;
        if (then) then(reply);
      }
    });
  }

  /** Counters came (hello, batch): keep the newest seq; say how many arrived while paused. */
  seen(message) {
    if (message.last_seq !== undefined) this.lastSeq = message.last_seq;
    if (this.paused) this.badge.textContent = pauseBadgeText(true, this.lastSeq - this.pausedAt);
  }

  /** Pause or resume the display; a resume catches up with the records that arrived. */
  showPaused(on) {
    if (on === this.paused) return;
    this.paused = on;
    if (on) this.pausedAt = this.lastSeq;
    this.pauseButton.textContent = on ? "Resume" : "Pause";
    this.pauseButton.setAttribute("aria-pressed", on ? "true" : "false");
    this.badge.textContent = pauseBadgeText(on, 0);
    this.messages.list.viewport.dataset.paused = on ? "true" : "false";
    if (!on) this.messages.list.refresh();
  }

  /** Show the JSON columns `paths`; the rows follow once the kernel says "columns" (see refetch). */
  showColumns(paths) {
    this.paths = paths.slice();
    this.header.show(columnsFor(this.paths));
    this.showWidths(this.widths);
    this.messages.list.render();
  }

  /** The kernel encodes rows with the new columns now: fetch the rows in sight again. */
  refetch() {
    this.messages.list.refresh();
  }

  showWidths(widths) {
    this.widths = { ...widths };
    const { style } = this.messages.node;
    for (const name of this.styleVars) style.removeProperty?.(name);
    this.styleVars = new Set();
    for (const [name, value] of Object.entries(columnStyle(this.widths, this.paths))) {
      style.setProperty?.(name, value);
      this.styleVars.add(name);
    }
    this.header.measure();
  }

  /** A column's new width (null: natural); `commit` saves it into column_widths. */
  setWidth(name, width, commit) {
    const widths = { ...this.widths };
    if (width === null) delete widths[name];
    else widths[name] = width;
    this.showWidths(widths);
    if (commit) this.saveTrait("column_widths", widths);
  }

  addField() {
    const checked = checkFieldPath(this.fieldInput.value, this.paths);
    this.status.textContent = checked.error || "";
    if (checked.error) return;
    this.fieldInput.value = "";
    this.saveTrait("json_columns", [...this.paths, checked.path]);
  }

  download(format) {
    this.status.textContent = `preparing ${DOWNLOAD_FORMATS[format]}\u2026`;
    this.ask({ type: "download", format }, this.status, null, (reply) => {
      saveBlob(downloadBlob(reply), reply.name);
      this.status.textContent = `downloaded ${reply.name} (${formatBytes(reply.size || 0)})`;
    });
  }

  copy(how) {
    const seq = this.messages.opened;
    if (seq === null || seq === undefined) return;
    this.ask({ type: "copy", seq, how }, this.copyStatus, null, (reply) => {
      const clipboard = globalThis.navigator && navigator.clipboard;
      if (!clipboard) {
        this.copyStatus.textContent = "this browser gives no clipboard: select the text in the detail and copy it";
        return;
      }
      clipboard.writeText(reply.text).then(
        () => { this.copyStatus.textContent = `copied ${COPY_FORMATS[how].replace(/^Copy ?/, "") || "the payload"}`; },
        (err) => { this.copyStatus.textContent = `the browser refused the clipboard (${err.message}): select the text and copy it`; },
      );
    });
  }

  showSaved(saved) {
    this.saved = Array.isArray(saved) ? saved : [];
    const before = this.savedSelect.value;
    this.savedSelect.replaceChildren(...savedOptions(this.saved).map(({ value, label, disabled }) => {
      const node = option(value, label);
      if (disabled) node.disabled = true;
      return node;
    }));
    if (this.saved.some((m) => m.name === before)) this.savedSelect.value = before;
    const none = !this.saved.length;
    this.savedLoad.disabled = none;
    this.savedDelete.disabled = none;
  }

  loadSaved() {
    const message = this.saved.find((m) => m.name === this.savedSelect.value);
    if (message) this.compose(message);
  }

  saveCurrent() {
    const name = this.savedName.value.trim();
    const { text, mode } = this.messages.composer;
    if (!name) {
      this.savedError.textContent = "type a name to save the message as";
      return;
    }
    this.ask({ type: "save_message", name, text: text.value, mode: mode.value }, this.savedError, `saved ${name}`);
  }

  /** Put a message into the composer ({text, mode}, from Load or ws.widget.load_message). */
  compose(message) {
    const { composer } = this.messages;
    composer.text.value = String(message.text ?? "");
    composer.mode.value = Object.hasOwn({ text: 1, json: 1, hex: 1, base64: 1 }, message.mode) ? message.mode : "text";
    composer.showError("");
    if (message.name) this.savedName.value = message.name;
  }

  /** Whether an error reply belongs to a tool (it shows it itself). */
  static owns(action) {
    return TOOL_ACTIONS.has(action);
  }

  destroy() {
    this.listeners.off();
    this.header.destroy();
  }
}
