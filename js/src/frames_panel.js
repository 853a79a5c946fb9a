// The Frames tab: the frame log and the layout of the frame opened.

import { parseHex } from "./composing.js";
import { button, checkbox, h } from "./dom.js";
import { formatBytes, formatTime } from "./formatting.js";
import { compressionText, fieldOfBit, frameLayout } from "./frame_layout.js";
import { Listeners } from "./lifecycle.js";
import { printable, toHex } from "./payloads.js";
import { RecordList, wireFollowAndDetail } from "./record_list.js";
import { arrow, frameColumns } from "./record_text.js";
import { bytesFrom } from "./requests.js";
import { framesHint } from "./status_text.js";

/** The colour class of a header field: flags, opcode, mask, length (each also labelled in text). */
function fieldClass(name) {
  if (name === "opcode") return "wsw-f-opcode";
  if (name === "MASK" || name === "masking key") return "wsw-f-mask";
  if (name === "payload length" || name === "extended length") return "wsw-f-length";
  return "wsw-f-flag";
}

/**
 * A frame's detail: its header as a bit grid, one row per byte, each field labelled and
 * coloured; a legend of what each field's value means; the payload masked as on the wire and
 * unmasked. Everything reaches the DOM as text.
 */
class FrameDetail {
  constructor(idPrefix) {
    this.title = h("span", { class: "wsw-frame-title", "data-role": "frame-title" });
    this.close = button("\u00d7 Close", "frame-close", { "aria-label": "Close the frame's layout", title: "Close (Escape)" });
    this.grid = h("table", { class: "wsw-bitgrid", "data-role": "frame-grid" });
    this.legend = h("dl", { class: "wsw-legend", "data-role": "frame-legend" });
    this.payload = h("dl", { class: "wsw-frame-payload", "data-role": "frame-payload" });
    this.note = h("p", { class: "wsw-frame-note", "data-role": "frame-note" });
    this.node = h("div", {
      class: "wsw-detail-pane wsw-frame-detail", "data-role": "frame-detail", tabindex: "0", role: "region",
      "aria-label": "Frame layout", id: `${idPrefix}-frame-detail`,
    }, [h("div", { class: "wsw-detail-head" }, [this.title, this.close]), this.note, this.grid, this.legend, this.payload]);
    this.node.hidden = true;
  }

  loading(seq) {
    this.node.hidden = false;
    this.title.textContent = `Frame #${seq}: loading\u2026`;
    for (const part of [this.grid, this.legend, this.payload]) part.replaceChildren();
    this.note.textContent = "";
  }

  /** Show the frame of a "frame" reply; `inflated`: its payload's start after decompression. */
  show(message, inflated) {
    const info = message.info || {};
    const title = `Frame #${message.seq} ${info.masked ? "sent" : "received"}: ${message.kind}, ${formatBytes(info.length ?? message.size)} on the wire`;
    this.title.textContent = title;
    // The kernel keeps 142 bytes at most; a record loaded from a file could hold any text.
    const parsed = info.wire ? parseHex(String(info.wire).slice(0, 2 * 4096)) : { error: "this frame was recorded without its wire bytes" };
    let layout = null;
    try {
      if (parsed.error) throw new Error(parsed.error);
      layout = frameLayout(parsed.bytes);
    } catch (error) {
      this.note.textContent = `No layout: ${error.message}.`;
      return;
    }
    this.note.textContent = layout.rsv1
      ? "RSV1 is set: this payload is compressed (permessage-deflate), so its bytes are deflated, not the message. Compression off reconnects without it."
      : "";
    this.showGrid(layout);
    this.showLegend(layout);
    this.showPayload(layout, inflated);
  }

  showGrid(layout) {
    const head = h("tr", {}, [h("th", { scope: "col", text: "byte" }),
      ...Array.from({ length: 8 }, (_, i) => h("th", { scope: "col", text: `bit ${i}` }))]);
    const rows = [];
    for (let byte = 0; byte < layout.header.length; byte++) {
      const cells = [h("th", { scope: "row", text: `${byte} (${toHex([layout.header[byte]])})` })];
      for (let bit = 0; bit < 8;) {
        const at = byte * 8 + bit;
        const field = fieldOfBit(layout, at);
        const span = Math.min(8 - bit, field.start + field.width - at);
        const bits = Array.from({ length: span }, (_, k) => (layout.header[byte] >> (7 - bit - k)) & 1).join("");
        const part = field.width > 8 ? ` (byte ${Math.floor((at - field.start) / 8) + 1} of ${field.width / 8})` : "";
        cells.push(h("td", { colspan: String(span), class: fieldClass(field.name), "data-field": field.name }, [
          h("span", { class: "wsw-f-name", text: `${field.name}${part}` }), h("span", { class: "wsw-f-bits", text: bits }),
        ]));
        bit += span;
      }
      rows.push(h("tr", {}, cells));
    }
    const caption = h("caption", { text: `Header: ${toHex(layout.header)} (${layout.header.length} bytes; length in the ${layout.lengthForm} form)` });
    this.grid.replaceChildren(caption, h("thead", {}, [head]), h("tbody", {}, rows));
  }

  showLegend(layout) {
    const items = [];
    for (const field of layout.fields) {
      items.push(h("dt", { class: fieldClass(field.name), text: field.name }));
      const value = field.width > 16 || field.name === "extended length" ? "" : `${field.value.toString(2).padStart(field.width, "0")} = `;
      items.push(h("dd", { "data-field": field.name, text: `${value}${field.meaning}` }));
    }
    this.legend.replaceChildren(...items);
  }

  showPayload(layout, inflated) {
    const more = layout.more ? ` \u2026 ${layout.more} more bytes` : "";
    const entries = [];
    const add = (label, role, text) => entries.push(h("dt", { text: label }), h("dd", { "data-role": role, text }));
    if (!layout.length) add("payload", "frame-wire", "none (0 bytes)");
    else if (layout.masked) {
      add(`payload as on the wire (masked with ${toHex(layout.maskKey)})`, "frame-wire", `${toHex(layout.payload)}${more}`);
      add("unmasked (each byte XOR the key byte at its position mod 4)", "frame-unmasked", `${toHex(layout.unmasked)}${more}`);
    } else add("payload as on the wire (not masked)", "frame-wire", `${toHex(layout.payload)}${more}`);
    if (layout.length && !layout.rsv1 && printable(layout.unmasked)) add("as text", "frame-text", new TextDecoder().decode(layout.unmasked));
    if (layout.rsv1 && inflated && inflated.length) {
      add("inflated (the message's start)", "frame-inflated", printable(inflated) ? new TextDecoder().decode(inflated) : toHex(inflated));
    }
    this.payload.replaceChildren(...entries);
  }

  hide() {
    this.node.hidden = true;
  }
}

/**
 * The Frames tab: recording on or off, follow, compression (and "Compression off"), the list of
 * frames, and the layout of the frame opened (Enter or a click opens it, Escape closes it).
 */
export class FramesPanel {
  constructor(requests, idPrefix) {
    this.requests = requests;
    this.record = checkbox("frame-log", "record frames");
    this.follow = checkbox("frames-follow", "follow", true);
    this.shown = h("span", { class: "wsw-shown", "data-role": "frames-shown" });
    this.hintText = h("span", { "data-role": "frames-hint-text" });
    this.start = button("Record frames", "frames-start");
    this.hint = h("div", { class: "wsw-hint", "data-role": "frames-hint" }, [this.hintText, this.start]);
    this.compressionText = h("span", { class: "wsw-compression", "data-role": "compression", "aria-live": "polite" });
    this.compressionOff = button("Compression off", "compression-off", {
      "aria-label": "Compression off: reconnect without permessage-deflate", title: "Reconnect without compression (ws.widget.compression_off())",
    });
    this.compression = h("div", { class: "wsw-hint", "data-role": "compression-bar" }, [this.compressionText, this.compressionOff]);
    this.handshake = null;
    this.compressionAsked = false;
    this.on = false;
    this.total = 0;
    this.opened = null;
    this.detail = new FrameDetail(idPrefix);
    this.list = new RecordList({
      source: "frames", label: "Frames (Up and Down move, Enter opens the layout, Escape closes it)", requests,
      idPrefix: `${idPrefix}-frames`, onTotal: (total) => this.showHint(this.on, total),
      filterSpec: () => ({}), isUnfiltered: () => true, follow: () => this.follow.input.checked, shown: this.shown,
      rowCells: (record, bytes) => {
        const { bits, preview } = frameColumns(record, bytes);
        return [["wsw-seq", `#${record[0]}`], ["wsw-time", formatTime(record[1])], ["wsw-dir", arrow(record[2]), record[2]],
          ["wsw-kind", record[3]], ["wsw-bits", bits], ["wsw-size", formatBytes((record[6] || {}).length ?? record[4]), "length on the wire"],
          ["wsw-preview", preview]];
      },
      onOpen: (seq, fromKeyboard) => this.open(seq, fromKeyboard),
    });
    this.node = h("div", { class: "wsw-tab-body" }, [
      h("div", { class: "wsw-filters" }, [this.record.label, this.follow.label, this.shown]),
      this.hint,
      this.compression,
      this.list.viewport,
      this.detail.node,
    ]);
    this.showHint(false, 0);
    this.showCompression();
    this.listeners = new Listeners();
    this.listeners.listen(this.record.input, "change", () => requests.send({ type: "frame_log", on: this.record.input.checked }));
    this.listeners.listen(this.start, "click", () => {
      this.record.input.checked = true;
      requests.send({ type: "frame_log", on: true });
    });
    this.listeners.listen(this.compressionOff, "click", () => {
      this.compressionAsked = true;
      this.showCompression();
      requests.send({ type: "compression_off" });
    });
    wireFollowAndDetail(this, this.detail.node, this.detail.close);
  }

  /** Ask for a frame's wire bytes and lay it out; from the keyboard, focus moves to the layout. */
  open(seq, fromKeyboard) {
    this.opened = seq;
    if (this.follow.input.checked) this.follow.input.checked = false; // the row opened stays in sight
    this.detail.loading(seq);
    this.requests.send({ type: "get", source: "frames", seq }, (message, buffers) => {
      if (seq !== this.opened) return; // another frame was opened since, or the layout closed
      if (message.type === "frame") this.detail.show(message, buffers && buffers.length ? bytesFrom(buffers[0]) : null);
      else this.detail.note.textContent = message.text || "the kernel no longer holds this frame";
    });
    if (fromKeyboard) this.detail.node.focus();
  }

  /** Close the layout and give the focus back to the list. */
  closeDetail() {
    this.opened = null;
    this.detail.hide();
    this.list.unselect();
    this.list.focus();
  }

  /** The opening handshake changed: say whether compression is on (and offer to turn it off). */
  showHandshake(handshake) {
    this.handshake = handshake;
    if (handshake && handshake.status !== undefined) this.compressionAsked = false; // the reconnect's own
    this.showCompression();
  }

  showCompression() {
    const text = compressionText(this.handshake, this.compressionAsked);
    if (this.compressionText.textContent !== text) this.compressionText.textContent = text;
    this.compression.hidden = !text;
    const deflate = ((this.handshake && this.handshake.extensions) || []).some((e) => e.name === "permessage-deflate");
    this.compressionOff.hidden = !deflate;
    this.compressionOff.disabled = this.compressionAsked;
  }

  showFrameLog(on) {
    this.record.input.checked = on;
    this.showHint(on, this.total);
  }

  /** The hint over the list: how to start recording while it is off, or that frames will come;
   * or why there are no frames at all (the `limits` trait's `frames`, e.g. in the browser). */
  showHint(on, total) {
    this.on = on;
    this.total = total;
    const text = this.limit || framesHint(on, total);
    if (this.hintText.textContent !== text) this.hintText.textContent = text;
    this.hint.hidden = !text;
    this.start.hidden = on || Boolean(this.limit);
    this.record.input.disabled = Boolean(this.limit);
  }

  showLimit(text) {
    this.limit = text || "";
    this.showHint(this.on, this.total);
  }

  cleared() {
    if (this.opened !== null) {
      this.opened = null;
      this.detail.hide();
    }
    this.list.refresh();
  }

  destroy() {
    this.listeners.off();
    this.list.destroy();
  }
}
