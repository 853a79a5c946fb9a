// Generated from js/src by `make js` (esbuild): do not edit it by hand; edit js/src, then run make js.

// js/src/dom.js
function h(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}
function option(value, label) {
  return h("option", { value, text: label });
}
function svg(tag, attributes = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}
function button(label, role, extra = {}) {
  return h("button", { class: "wsw-button", type: "button", "data-role": role, text: label, ...extra });
}
function checkbox(role, label, checked = false) {
  const input = h("input", { type: "checkbox", "data-role": role });
  input.checked = checked;
  return { input, label: h("label", {}, [input, ` ${label}`]) };
}

// js/src/formatting.js
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
function countersText(s) {
  const behind = s.callbacks_behind ? `  ${s.callbacks_behind} callback${s.callbacks_behind === 1 ? "" : "s"} behind` : "";
  return `\u2193 ${s.messages_in} (${formatBytes(s.bytes_in)})  \u2191 ${s.messages_out} (${formatBytes(s.bytes_out)})  ${s.rate}/s${behind}`;
}
function formatTime(ms) {
  const d = new Date(ms);
  const pad = (v, w = 2) => String(v).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
var TIME_MODES = { local: "local time", since_connect: "since connect", delta: "delta" };
function formatDateTime(ms) {
  const d = new Date(ms);
  const pad = (v, w = 2) => String(v).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}
function secondsText(ms, since) {
  const delta = Math.round(ms - since);
  const sign = delta < 0 ? "-" : "";
  const abs = Math.abs(delta);
  return `${sign}${Math.floor(abs / 1e3)}.${String(abs % 1e3).padStart(3, "0")}`;
}
function connectionStart(opens, seq) {
  let lo = 0;
  let hi = opens.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (opens[mid][0] <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo ? opens[lo - 1][1] : null;
}
function addOpens(opens, more) {
  let added = false;
  for (const pair of more || []) {
    if (!Array.isArray(pair) || opens.some(([seq]) => seq === pair[0])) continue;
    opens.push([pair[0], pair[1]]);
    added = true;
  }
  if (added) opens.sort((a, b) => a[0] - b[0]);
  return opens;
}
function timeText(mode, ms, { start = null, previous = null } = {}) {
  if (mode === "since_connect") {
    if (start === null || start === void 0) return "+? s";
    const seconds = secondsText(ms, start);
    return `${seconds.startsWith("-") ? "" : "+"}${seconds} s`;
  }
  if (mode === "delta") return previous === null || previous === void 0 ? "\u0394 \u2014" : `\u0394 ${secondsText(ms, previous)} s`;
  return formatDateTime(ms);
}

// js/src/lifecycle.js
var Listeners = class {
  constructor() {
    this.removers = [];
  }
  listen(target, type, handler, capture = false) {
    target.addEventListener(type, handler, capture);
    this.removers.push(() => target.removeEventListener(type, handler, capture));
  }
  on(model, event, handler) {
    model.on(event, handler);
    this.removers.push(() => model.off(event, handler));
  }
  off() {
    for (const remove of this.removers.splice(0)) remove();
  }
};
function debugHook() {
  const root = globalThis.document && globalThis.document.documentElement;
  if (!root || !root.dataset || root.dataset.wswDebug === void 0) return null;
  globalThis.wswDebug ||= { views: 0, lists: 0, rows: 0, observers: 0, renders: 0, rowRefs: [] };
  return globalThis.wswDebug;
}

// js/src/status_text.js
function pausedText(reason) {
  return reason ? `paused: ${reason}` : "";
}
function pauseAnnouncement(before, after) {
  if (!before && after) return `reading paused: ${after}`;
  if (before && !after) return "reading resumed";
  return null;
}
function stateLabel(state) {
  if (!state) return "CLOSED";
  return state === "NEW" ? "NOT CONNECTED" : state;
}
function stateAnnouncement(state, reason, reconnect) {
  const parts = [stateLabel(state)];
  if (reconnect && reconnect.retry) parts.push(`attempt ${reconnect.retry}`);
  if (reason) parts.push(reason);
  return parts.join(" ");
}
function connectRequest(typed, state) {
  const url = String(typed || "").trim();
  if (!url && state === "NEW") return { error: "type a ws:// or wss:// URL first, then Connect" };
  return { url };
}
function shownText(total, unfiltered, problem) {
  if (problem) return `${problem} \u2014 no records shown`;
  return unfiltered ? `${total} records` : `${total} match`;
}
function detailNote(seq, lastOpenSeq) {
  return seq !== null && seq !== void 0 && lastOpenSeq > seq ? "from an earlier connection: the socket has connected again since" : "";
}
function framesHint(on, total) {
  if (!on) {
    return total ? "Recording is off: the frames below are from before. Record frames to see new ones (ws.frame_log = True)." : "Frames are not recorded yet. Record frames to see every frame sent and received (ws.frame_log = True).";
  }
  return total ? "" : "Recording: every frame sent and received from now on shows here.";
}

// js/src/connection.js
var Header = class {
  constructor() {
    this.pill = h("span", { class: "wsw-pill", "data-role": "state" });
    this.reason = h("span", { class: "wsw-reason", "data-role": "reason" });
    this.url = h("span", { class: "wsw-url", "data-role": "url" });
    this.subprotocol = h("span", { class: "wsw-badge", "data-role": "subprotocol" });
    this.tls = h("span", { class: "wsw-badge", "data-role": "tls" });
    this.counters = h("span", { class: "wsw-counters", "data-role": "counters" });
    this.rtt = h("span", { class: "wsw-rtt", "data-role": "rtt" });
    this.reconnect = h("span", { class: "wsw-reconnect", "data-role": "reconnect" });
    this.paused = h("span", { class: "wsw-paused", "data-role": "paused" });
    this.paused.hidden = true;
    this.pausedReason = "";
    this.live = h("div", { class: "wsw-sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true", "data-role": "announce" });
    this.node = h(
      "div",
      { class: "wsw-header" },
      [this.pill, this.url, this.subprotocol, this.tls, this.counters, this.paused, this.rtt, this.reconnect, this.reason, this.live]
    );
    this.countdown = null;
  }
  showState(state) {
    this.pill.textContent = stateLabel(state);
    this.pill.dataset.state = state;
  }
  showReason(text) {
    this.reason.textContent = text;
  }
  showUrl(url) {
    this.url.textContent = url;
  }
  showSubprotocol(name) {
    this.subprotocol.textContent = name ? `subprotocol ${name}` : "";
    this.subprotocol.hidden = !name;
  }
  showTls(state) {
    this.tls.textContent = state ? `TLS ${state}` : "";
    this.tls.hidden = !state;
    this.tls.dataset.tls = state;
  }
  /** Show a pending reconnect with a countdown, or nothing. */
  showReconnect(pending) {
    clearInterval(this.countdown);
    this.countdown = null;
    if (!pending || !pending.retry) {
      this.reconnect.textContent = "";
      return;
    }
    const tick = () => {
      const seconds = Math.max(0, (pending.at_ms - Date.now()) / 1e3);
      this.reconnect.textContent = `reconnecting, attempt ${pending.retry}, next try in ${seconds.toFixed(1)} s`;
    };
    tick();
    this.countdown = setInterval(tick, 200);
  }
  /** Show why reading is paused (hidden while reading); return what to announce, or null. */
  showPaused(reason) {
    const before = this.pausedReason;
    this.pausedReason = reason || "";
    this.paused.textContent = pausedText(reason);
    this.paused.hidden = !reason;
    return pauseAnnouncement(before, this.pausedReason);
  }
  /** Say the state in the live region, once per new text. */
  announce(text) {
    if (this.live.textContent !== text) this.live.textContent = text;
  }
  showCounters(message) {
    const s = message.stats;
    if (!s) return;
    this.counters.textContent = countersText(s);
    this.rtt.textContent = s.last_rtt === null || s.last_rtt === void 0 ? "" : `rtt ${(s.last_rtt * 1e3).toFixed(2)} ms`;
    if (message.dropped) this.counters.title = `${message.dropped} older records dropped`;
  }
  destroy() {
    clearInterval(this.countdown);
    this.countdown = null;
  }
};
var Controls = class {
  constructor(requests) {
    this.input = h("input", {
      class: "wsw-url-input",
      type: "text",
      placeholder: "type a URL: ws://host:port/path",
      "aria-label": "WebSocket URL",
      spellcheck: "false",
      "data-role": "url-input"
    });
    this.connect = button("Connect", "connect");
    this.close = button("Close", "close", { "aria-label": "Close connection" });
    this.ping = button("Ping", "ping");
    this.clear = button("Clear", "clear", { "aria-label": "Clear history" });
    this.error = h("span", { class: "wsw-connect-error", "aria-live": "polite", "data-role": "connect-error" });
    this.node = h(
      "div",
      { class: "wsw-controls", role: "group", "aria-label": "Connection" },
      [this.input, this.connect, this.close, this.ping, this.clear, this.error]
    );
    this.state = "";
    this.listeners = new Listeners();
    const on = (node, content) => this.listeners.listen(node, "click", () => requests.send(content()));
    this.listeners.listen(this.connect, "click", () => {
      const asked = connectRequest(this.input.value, this.state);
      this.showError(asked.error || "");
      if (!asked.error) requests.send({ type: "connect", url: asked.url });
    });
    this.listeners.listen(this.input, "input", () => this.showError(""));
    on(this.close, () => ({ type: "close" }));
    on(this.ping, () => ({ type: "ping" }));
    on(this.clear, () => ({ type: "clear" }));
    this.listeners.listen(this.input, "keydown", (event) => {
      if (event.key === "Enter") this.connect.click();
    });
  }
  /** Say why Connect did nothing ("" hides it); the URL field is marked invalid meanwhile. */
  showError(text) {
    this.error.textContent = text;
    if (text) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
  }
  showState(state) {
    this.state = state;
    if (state !== "NEW") this.showError("");
    const open = state === "OPEN";
    this.close.disabled = !(open || state === "CONNECTING" || state === "RECONNECTING");
    this.ping.disabled = !open || Boolean(this.pingLimit);
  }
  /** What this connection cannot do (the `limits` trait): Ping is disabled, its reason its title. */
  showLimits(limits) {
    this.pingLimit = limits.ping || "";
    if (this.pingLimit) this.ping.title = this.pingLimit;
    else this.ping.removeAttribute("title");
    this.showState(this.state);
  }
  showUrl(url) {
    if (!this.input.value || document.activeElement !== this.input) this.input.value = url;
  }
  destroy() {
    this.listeners.off();
  }
};

// js/src/composing.js
function recallTarget(key, recall, count) {
  if (!count) return null;
  if (key === "ArrowUp") return recall === -1 ? count - 1 : Math.max(0, recall - 1);
  if (key === "ArrowDown" && recall !== -1) return recall + 1 < count ? recall + 1 : -1;
  return null;
}
function parseHex(text) {
  const cleaned = text.replace(/0x/gi, "").replace(/[\s,:;-]/g, "");
  const bad = cleaned.match(/[^0-9a-fA-F]/);
  if (bad) return { error: `invalid hex: '${bad[0]}' is not a hex digit` };
  if (cleaned.length % 2) return { error: "invalid hex: odd number of digits; write each byte as two digits" };
  const bytes = new Uint8Array(cleaned.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(cleaned.slice(2 * i, 2 * i + 2), 16);
  return { bytes };
}
function parseBase64(text) {
  const cleaned = text.replace(/\s/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) || cleaned.length % 4) {
    return { error: "invalid base64: use A-Z a-z 0-9 + / with = padding to a multiple of 4" };
  }
  const binary = atob(cleaned);
  return { bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)) };
}
function checkJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const match = /position (\d+)/.exec(err.message);
    if (match) {
      const before = text.slice(0, Number(match[1]));
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      return { error: `invalid JSON at line ${line} column ${column}: ${err.message}` };
    }
    return { error: `invalid JSON: ${err.message}` };
  }
}
function checkComposed(text, mode) {
  if (mode === "json") return checkJson(text).error ? checkJson(text) : {};
  if (mode === "hex") return parseHex(text).error ? parseHex(text) : {};
  if (mode === "base64") return parseBase64(text).error ? parseBase64(text) : {};
  return {};
}

// js/src/payloads.js
function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}
function hexDump(bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = bytes.subarray(i, i + 16);
    const hex = toHex(chunk).padEnd(47, " ");
    const ascii = Array.from(chunk, (b) => b >= 32 && b < 127 ? String.fromCharCode(b) : ".").join("");
    lines.push(`${i.toString(16).padStart(8, "0")}  ${hex}  ${ascii}`);
  }
  return lines.join("\n");
}
function prettyJson(text) {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}
function printable(bytes) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  } catch {
    return false;
  }
}

// js/src/frame_layout.js
var OPCODE_NAMES = { 0: "CONT", 1: "TEXT", 2: "BINARY", 8: "CLOSE", 9: "PING", 10: "PONG" };
function headerSize(bytes) {
  if (bytes.length < 2) throw new Error(`a frame starts with at least 2 header bytes, got ${bytes.length}`);
  const marker = bytes[1] & 127;
  return 2 + (marker === 126 ? 2 : marker === 127 ? 8 : 0) + (bytes[1] & 128 ? 4 : 0);
}
function markerMeaning(marker) {
  if (marker === 126) return "126: the length is in the next 2 bytes";
  if (marker === 127) return "127: the length is in the next 8 bytes";
  return `${marker} bytes`;
}
function frameLayout(bytes) {
  const size = headerSize(bytes);
  const [first, second] = bytes;
  const masked = Boolean(second & 128);
  const marker = second & 127;
  if (bytes.length < size) {
    throw new Error(`the header is ${size} bytes (byte 1 announces ${marker >= 126 ? "an extended length" : "no extended length"}${masked ? " and a masking key" : ""}), got only ${bytes.length}: pass the frame's first bytes`);
  }
  const opcode = first & 15;
  const name = Object.hasOwn(OPCODE_NAMES, opcode) ? OPCODE_NAMES[opcode] : "reserved";
  const extended = size - 2 - (masked ? 4 : 0);
  let length = marker;
  if (extended) {
    length = 0;
    for (let i = 2; i < 2 + extended; i++) length = length * 256 + bytes[i];
  }
  const maskKey = masked ? bytes.slice(2 + extended, size) : null;
  const payload = bytes.slice(size, size + Math.min(length, bytes.length - size));
  const unmasked = maskKey ? payload.map((b, i) => b ^ maskKey[i % 4]) : payload;
  const bit = (mask) => Boolean(first & mask);
  const fields = [
    { name: "FIN", start: 0, width: 1, value: first >> 7, meaning: bit(128) ? "final frame of its message" : "more frames of this message follow" },
    { name: "RSV1", start: 1, width: 1, value: first >> 6 & 1, meaning: bit(64) ? "compressed (permessage-deflate)" : "not compressed" },
    { name: "RSV2", start: 2, width: 1, value: first >> 5 & 1, meaning: bit(32) ? "set: an extension's bit" : "reserved, 0" },
    { name: "RSV3", start: 3, width: 1, value: first >> 4 & 1, meaning: bit(16) ? "set: an extension's bit" : "reserved, 0" },
    { name: "opcode", start: 4, width: 4, value: opcode, meaning: `0x${opcode.toString(16)} ${name}` },
    { name: "MASK", start: 8, width: 1, value: second >> 7, meaning: masked ? "masked by the client" : "not masked (server to client)" },
    { name: "payload length", start: 9, width: 7, value: marker, meaning: markerMeaning(marker) }
  ];
  if (extended) fields.push({ name: "extended length", start: 16, width: extended * 8, value: length, meaning: `${length} bytes (${extended * 8}-bit)` });
  if (maskKey) fields.push({ name: "masking key", start: 16 + extended * 8, width: 32, value: maskKey.reduce((v, b) => v * 256 + b, 0), meaning: toHex(maskKey) });
  return {
    fin: bit(128),
    rsv1: bit(64),
    rsv2: bit(32),
    rsv3: bit(16),
    opcode,
    opcodeName: name,
    masked,
    length,
    lengthForm: { 0: "7-bit", 2: "16-bit", 8: "64-bit" }[extended],
    lengthBytes: bytes.slice(1, 2 + extended),
    maskKey,
    header: bytes.slice(0, size),
    payload,
    unmasked,
    more: length - payload.length,
    fields
  };
}
function fieldOfBit(layout, bit) {
  return layout.fields.find((field) => bit >= field.start && bit < field.start + field.width) || null;
}
function compressionText(handshake, asked) {
  const extensions = handshake && handshake.extensions || [];
  const deflate = extensions.some((extension) => extension.name === "permessage-deflate");
  if (asked && deflate) return "Reconnecting without compression\u2026";
  if (deflate) return "Compression on (permessage-deflate): frames with RSV1 set carry deflated payloads, unreadable on the wire.";
  if (handshake && handshake.status === 101) return "Compression off: every payload shows on the wire as sent.";
  return "";
}

// js/src/navigation.js
var ROW_HEIGHT = 22;
var MAX_SCROLL_HEIGHT = 8e6;
function scrollGeometry(total, viewportHeight, rowHeight = ROW_HEIGHT, maxHeight = MAX_SCROLL_HEIGHT) {
  const natural = total * rowHeight;
  const height = Math.min(natural, maxHeight);
  const visible = Math.max(1, Math.ceil(viewportHeight / rowHeight) + 1);
  const scrollRange = Math.max(0, height - viewportHeight);
  const rowRange = Math.max(0, total - Math.floor(viewportHeight / rowHeight));
  return {
    height,
    visible,
    firstRow(scrollTop) {
      if (scrollRange <= 0) return 0;
      if (natural <= maxHeight) return Math.min(rowRange, Math.floor(scrollTop / rowHeight));
      return Math.min(rowRange, Math.round(scrollTop / scrollRange * rowRange));
    },
    rowTop(row, scrollTop) {
      return natural <= maxHeight ? row * rowHeight : scrollTop;
    },
    /**
     * The height of the box of rows that starts at `row`: every row it holds in full. (It was
     * the viewport's height, which clipped the last row in half at the end of the list: the
     * box starts at a row's top, the viewport's top is inside that row.)
     */
    rowsHeight(row) {
      return Math.max(0, Math.min(visible, total - row)) * rowHeight;
    },
    scrollTopFor(row) {
      if (natural <= maxHeight) return row * rowHeight;
      return rowRange ? row / rowRange * scrollRange : 0;
    }
  };
}
function tabKeyTarget(key, index, count) {
  if (!count) return null;
  if (key === "ArrowRight") return (index + 1) % count;
  if (key === "ArrowLeft") return (index - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}
function rowKeyTarget(key, active, total, first, page) {
  if (!total) return null;
  const clamp = (row) => Math.max(0, Math.min(total - 1, row));
  const step = Math.max(1, page);
  if (key === "Home") return 0;
  if (key === "End") return total - 1;
  if (active === null || active === void 0 || active >= total) {
    if (key === "ArrowDown" || key === "PageDown") return clamp(first);
    if (key === "ArrowUp" || key === "PageUp") return clamp(first + step - 1);
    return null;
  }
  if (key === "ArrowDown") return clamp(active + 1);
  if (key === "ArrowUp") return clamp(active - 1);
  if (key === "PageDown") return clamp(active + step);
  if (key === "PageUp") return clamp(active - step);
  return null;
}
function scrollToShow(row, first, page, geometry) {
  if (row < first) return geometry.scrollTopFor(row);
  if (row >= first + Math.max(1, page)) return geometry.scrollTopFor(row - Math.max(1, page) + 1);
  return null;
}

// js/src/requests.js
var Requests = class {
  constructor(model) {
    this.model = model;
    this.lastId = 0;
    this.pending = /* @__PURE__ */ new Map();
    this.disposed = false;
  }
  send(content, callback) {
    if (this.disposed) return null;
    const id = ++this.lastId;
    if (callback) this.pending.set(id, callback);
    this.model.send({ ...content, id });
    return id;
  }
  /** Call the callback waiting for this reply, if any. */
  answer(message, buffers) {
    if (message.id === void 0 || !this.pending.has(message.id)) return;
    const callback = this.pending.get(message.id);
    this.pending.delete(message.id);
    callback({ ...message, buffers }, buffers);
  }
  dispose() {
    this.disposed = true;
    this.pending.clear();
  }
};
function bytesFrom(buffer) {
  if (!buffer) return null;
  return buffer.buffer ? new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)) : new Uint8Array(buffer);
}

// js/src/record_list.js
var PAGE_SIZE = 120;
var CACHE_LIMIT = 4e3;
var RecordList = class {
  constructor({ source, label, requests, rowCells, filterSpec, isUnfiltered, follow, shown, onOpen, onTotal, onRecords, idPrefix }) {
    Object.assign(this, { source, requests, rowCells, filterSpec, isUnfiltered, follow, shown, onOpen, onTotal, onRecords, idPrefix });
    this.spacer = h("div", { class: "wsw-spacer" });
    this.rowsBox = h("div", { class: "wsw-rows", role: "presentation", "data-role": source === "messages" ? "rows" : `${source}-rows` });
    this.viewport = h("div", {
      class: "wsw-viewport",
      "data-role": source === "messages" ? "history" : source,
      tabindex: "0",
      role: "listbox",
      "aria-label": label
    }, [this.spacer, this.rowsBox]);
    this.total = 0;
    this.problem = null;
    this.firstSeq = 1;
    this.cache = /* @__PURE__ */ new Map();
    this.selected = null;
    this.active = null;
    this.first = 0;
    this.pool = [];
    this.slots = /* @__PURE__ */ new WeakMap();
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
      node.hidden = true;
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
    this.cache = /* @__PURE__ */ new Map();
    this.total = 0;
    this.active = null;
    this.render();
  }
  store(reply) {
    this.problem = null;
    if (this.onRecords) this.onRecords(reply.records);
    if (reply.first_seq !== this.firstSeq && this.isUnfiltered()) this.cache = /* @__PURE__ */ new Map();
    this.firstSeq = reply.first_seq;
    this.total = reply.total;
    reply.records.forEach((record, i) => this.cache.set(reply.offset + i, [record, this.bytesOf(record, reply.buffers)]));
    this.trim(reply.offset);
    if (this.follow()) this.toEnd();
    else this.render();
  }
  bytesOf(record, buffers) {
    const index = record[7];
    return index === null || index === void 0 || !buffers ? null : bytesFrom(buffers[index]);
  }
  trim(center) {
    if (this.cache.size <= CACHE_LIMIT) return;
    for (const key of this.cache.keys()) if (Math.abs(key - center) > CACHE_LIMIT / 2) this.cache.delete(key);
  }
  toEnd() {
    const geo = this.geometry();
    this.spacer.style.height = `${geo.height}px`;
    if (this.viewport.scrollTop < geo.height - this.height) {
      this.scrolledByUs = true;
      this.viewport.scrollTop = geo.height;
    }
    this.render();
  }
  /** Drop the rows held and fetch the page in view again (filters changed, history cleared). */
  refresh() {
    this.cache = /* @__PURE__ */ new Map();
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
      if (this.follow() && reply.offset > 0) {
        this.requests.send({ type: "page", source, offset: 0, count: PAGE_SIZE, filter }, (head) => {
          if (this.destroyed || head.type !== "page" || head.first_seq !== this.firstSeq) return;
          head.records.forEach((record, i) => this.cache.set(i, [record, this.bytesOf(record, head.buffers)]));
        });
      }
    });
  }
  push(part, buffers) {
    if (this.onRecords) this.onRecords(part.records);
    if (part.first_seq !== this.firstSeq && this.isUnfiltered()) this.cache = /* @__PURE__ */ new Map();
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
      this.wantPage(Math.max(0, this.total - this.geometry().visible));
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
    this.cache = /* @__PURE__ */ new Map();
    if (this.debug) {
      this.debug.observers--;
      this.debug.lists--;
      this.debug.rows -= this.pool.length;
    }
    this.pool = [];
    this.rowsBox.replaceChildren();
  }
};

// js/src/record_text.js
var ARROWS = { in: "\u2193", out: "\u2191", event: "\u2022" };
function arrow(direction) {
  return Object.hasOwn(ARROWS, direction) ? ARROWS[direction] : String(direction);
}
function previewText(record, bytes) {
  const [, , , kind, , preview, info] = record;
  if ((kind === "pong" || kind === "ping") && info) {
    const rtt = info.rtt !== void 0 ? `rtt ${(info.rtt * 1e3).toFixed(2)} ms` : info.unsolicited ? "unsolicited" : "";
    return [rtt, bytes && bytes.length ? toHex(bytes) : ""].filter(Boolean).join(" \xB7 ");
  }
  if (bytes) return toHex(bytes) + (record[4] > bytes.length ? " \u2026" : "");
  if (preview !== null && preview !== void 0) return preview.replace(/\s+/g, " ");
  if (!info) return "";
  if (kind === "close") {
    const reason = info.reason ? ` ${info.reason}` : "";
    return `${info.code ?? ""} (${info.meaning || "no code"})${reason}${info.clean === false ? " \u2014 abnormal" : ""}`;
  }
  if (kind === "error") return info.message || "";
  if (kind === "open") return `${info.url || ""}${info.subprotocol ? ` [${info.subprotocol}]` : ""}`;
  if (kind === "pause") return `reading paused${info.reason ? ` (${info.reason})` : ""}`;
  if (kind === "resume") return `reading resumed${info.reason ? ` (${info.reason})` : ""}`;
  if (kind === "reconnect" && info.retry !== void 0) {
    return `attempt ${info.retry}${info.delay !== void 0 ? ` in ${Number(info.delay).toFixed(1)} s` : ""}`;
  }
  return JSON.stringify(info);
}
function frameColumns(record, bytes) {
  const info = record[6] || {};
  const bits = `FIN=${info.fin ? 1 : 0} RSV1=${info.rsv1 ? 1 : 0} MASK=${info.masked ? 1 : 0}`;
  let preview = "";
  if (info.code !== void 0) preview = `${info.code} (${info.meaning || ""})`;
  else if (bytes && bytes.length) preview = printable(bytes) ? new TextDecoder().decode(bytes) : toHex(bytes);
  return { bits, preview: preview.replace(/\s+/g, " ") };
}
function handshakeText(handshake) {
  if (!handshake || !Object.keys(handshake).length) return "No handshake yet: connect first.";
  const lines = [];
  if (handshake.request_line) lines.push(handshake.request_line);
  for (const [name, value] of handshake.request_headers || []) lines.push(`${name}: ${value}`);
  if (handshake.status !== void 0) {
    lines.push("", `HTTP/1.1 ${handshake.status} ${handshake.reason || ""}`.trimEnd());
    for (const [name, value] of handshake.response_headers || []) lines.push(`${name}: ${value}`);
  }
  if (handshake.body) lines.push("", handshake.body);
  const check = handshake.accept_check;
  if (check) {
    lines.push(
      "",
      "Sec-WebSocket-Accept check (RFC 6455, 4.2.2):",
      `  key                 ${check.key}`,
      `  key + GUID          ${check.key_plus_guid}`,
      `  SHA-1 (hex)         ${check.sha1}`,
      `  base64(SHA-1)       ${check.accept}`,
      `  server sent         ${check.received}  ${check.ok ? "\u2714 matches" : "\u2718 does NOT match"}`
    );
  }
  if (handshake.status === 101) {
    lines.push("", `Subprotocol: ${handshake.subprotocol || "none"}`);
    const extensions = handshake.extensions || [];
    lines.push(`Extensions: ${extensions.length ? "" : "none"}`);
    for (const ext of extensions) {
      const params = Object.entries(ext.parameters || {}).map(([k, v]) => v === null ? k : `${k}=${v}`);
      lines.push(`  ${ext.name}${params.length ? "; " + params.join("; ") : ""}`);
    }
  }
  return lines.join("\n");
}

// js/src/frames_panel.js
function fieldClass(name) {
  if (name === "opcode") return "wsw-f-opcode";
  if (name === "MASK" || name === "masking key") return "wsw-f-mask";
  if (name === "payload length" || name === "extended length") return "wsw-f-length";
  return "wsw-f-flag";
}
var FrameDetail = class {
  constructor(idPrefix) {
    this.title = h("span", { class: "wsw-frame-title", "data-role": "frame-title" });
    this.close = button("\xD7 Close", "frame-close", { "aria-label": "Close the frame's layout", title: "Close (Escape)" });
    this.grid = h("table", { class: "wsw-bitgrid", "data-role": "frame-grid" });
    this.legend = h("dl", { class: "wsw-legend", "data-role": "frame-legend" });
    this.payload = h("dl", { class: "wsw-frame-payload", "data-role": "frame-payload" });
    this.note = h("p", { class: "wsw-frame-note", "data-role": "frame-note" });
    this.node = h("div", {
      class: "wsw-detail-pane wsw-frame-detail",
      "data-role": "frame-detail",
      tabindex: "0",
      role: "region",
      "aria-label": "Frame layout",
      id: `${idPrefix}-frame-detail`
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
    const parsed = info.wire ? parseHex(String(info.wire).slice(0, 2 * 4096)) : { error: "this frame was recorded without its wire bytes" };
    let layout = null;
    try {
      if (parsed.error) throw new Error(parsed.error);
      layout = frameLayout(parsed.bytes);
    } catch (error) {
      this.note.textContent = `No layout: ${error.message}.`;
      return;
    }
    this.note.textContent = layout.rsv1 ? "RSV1 is set: this payload is compressed (permessage-deflate), so its bytes are deflated, not the message. Compression off reconnects without it." : "";
    this.showGrid(layout);
    this.showLegend(layout);
    this.showPayload(layout, inflated);
  }
  showGrid(layout) {
    const head = h("tr", {}, [
      h("th", { scope: "col", text: "byte" }),
      ...Array.from({ length: 8 }, (_, i) => h("th", { scope: "col", text: `bit ${i}` }))
    ]);
    const rows = [];
    for (let byte = 0; byte < layout.header.length; byte++) {
      const cells = [h("th", { scope: "row", text: `${byte} (${toHex([layout.header[byte]])})` })];
      for (let bit = 0; bit < 8; ) {
        const at = byte * 8 + bit;
        const field = fieldOfBit(layout, at);
        const span = Math.min(8 - bit, field.start + field.width - at);
        const bits = Array.from({ length: span }, (_, k) => layout.header[byte] >> 7 - bit - k & 1).join("");
        const part = field.width > 8 ? ` (byte ${Math.floor((at - field.start) / 8) + 1} of ${field.width / 8})` : "";
        cells.push(h("td", { colspan: String(span), class: fieldClass(field.name), "data-field": field.name }, [
          h("span", { class: "wsw-f-name", text: `${field.name}${part}` }),
          h("span", { class: "wsw-f-bits", text: bits })
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
};
var FramesPanel = class {
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
      "aria-label": "Compression off: reconnect without permessage-deflate",
      title: "Reconnect without compression (ws.widget.compression_off())"
    });
    this.compression = h("div", { class: "wsw-hint", "data-role": "compression-bar" }, [this.compressionText, this.compressionOff]);
    this.handshake = null;
    this.compressionAsked = false;
    this.on = false;
    this.total = 0;
    this.opened = null;
    this.detail = new FrameDetail(idPrefix);
    this.list = new RecordList({
      source: "frames",
      label: "Frames (Up and Down move, Enter opens the layout, Escape closes it)",
      requests,
      idPrefix: `${idPrefix}-frames`,
      onTotal: (total) => this.showHint(this.on, total),
      filterSpec: () => ({}),
      isUnfiltered: () => true,
      follow: () => this.follow.input.checked,
      shown: this.shown,
      rowCells: (record, bytes) => {
        const { bits, preview } = frameColumns(record, bytes);
        return [
          ["wsw-seq", `#${record[0]}`],
          ["wsw-time", formatTime(record[1])],
          ["wsw-dir", arrow(record[2]), record[2]],
          ["wsw-kind", record[3]],
          ["wsw-bits", bits],
          ["wsw-size", formatBytes((record[6] || {}).length ?? record[4]), "length on the wire"],
          ["wsw-preview", preview]
        ];
      },
      onOpen: (seq, fromKeyboard) => this.open(seq, fromKeyboard)
    });
    this.node = h("div", { class: "wsw-tab-body" }, [
      h("div", { class: "wsw-filters" }, [this.record.label, this.follow.label, this.shown]),
      this.hint,
      this.compression,
      this.list.viewport,
      this.detail.node
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
    this.listeners.listen(this.follow.input, "change", () => {
      if (this.follow.input.checked) this.list.refresh();
    });
    this.list.onScroll((atEnd) => {
      if (!atEnd && this.follow.input.checked) this.follow.input.checked = false;
    });
    const onEscape = (event) => {
      if (event.key === "Escape" && this.opened !== null) {
        event.preventDefault();
        this.closeDetail();
      }
    };
    this.listeners.listen(this.detail.node, "keydown", onEscape);
    this.listeners.listen(this.list.viewport, "keydown", onEscape);
    this.listeners.listen(this.detail.close, "click", () => this.closeDetail());
  }
  /** Ask for a frame's wire bytes and lay it out; from the keyboard, focus moves to the layout. */
  open(seq, fromKeyboard) {
    this.opened = seq;
    if (this.follow.input.checked) this.follow.input.checked = false;
    this.detail.loading(seq);
    this.requests.send({ type: "get", source: "frames", seq }, (message, buffers) => {
      if (seq !== this.opened) return;
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
    if (handshake && handshake.status !== void 0) this.compressionAsked = false;
    this.showCompression();
  }
  showCompression() {
    const text = compressionText(this.handshake, this.compressionAsked);
    if (this.compressionText.textContent !== text) this.compressionText.textContent = text;
    this.compression.hidden = !text;
    const deflate = (this.handshake && this.handshake.extensions || []).some((e) => e.name === "permessage-deflate");
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
};

// js/src/composer.js
var Composer = class {
  constructor(requests, idPrefix) {
    this.requests = requests;
    this.mode = h(
      "select",
      { "data-role": "mode", "aria-label": "Message format" },
      [option("text", "Text"), option("json", "JSON"), option("hex", "Binary (hex)"), option("base64", "Binary (base64)")]
    );
    const id = `${idPrefix}-composer`;
    this.label = h("label", { class: "wsw-sr-only", for: id, text: "Message to send (Ctrl+Enter sends, Up recalls)" });
    this.error = h("span", { class: "wsw-compose-error", id: `${id}-error`, "aria-live": "polite", "data-role": "compose-error" });
    this.text = h("textarea", {
      class: "wsw-composer",
      id,
      rows: "2",
      placeholder: "message \u2014 Ctrl+Enter sends, \u2191 recalls",
      "data-role": "composer",
      spellcheck: "false",
      "aria-describedby": `${id}-error`
    });
    this.button = button("Send", "send");
    this.node = h("div", { class: "wsw-compose" }, [this.mode, this.label, this.text, this.button, this.error]);
    this.sent = [];
    this.recall = -1;
    this.draft = { text: "", mode: "text" };
    this.listeners = new Listeners();
    this.listeners.listen(this.button, "click", () => this.send());
    this.listeners.listen(this.text, "keydown", (event) => this.onKey(event));
    this.listeners.listen(this.text, "input", () => this.showError(""));
  }
  showError(text) {
    this.error.textContent = text;
    this.text.classList.toggle("wsw-invalid", Boolean(text));
    if (text) this.text.setAttribute("aria-invalid", "true");
    else this.text.removeAttribute("aria-invalid");
  }
  showState(state) {
    this.button.disabled = !(state === "OPEN" || state === "CONNECTING");
  }
  send() {
    const text = this.text.value;
    const problem = checkComposed(text, this.mode.value);
    this.showError(problem.error || "");
    if (problem.error) return;
    const mode = this.mode.value;
    this.requests.send({ type: "send", text, mode });
    const last = this.sent[this.sent.length - 1];
    if (!last || last.text !== text || last.mode !== mode) this.sent.push({ text, mode });
    this.recall = -1;
  }
  onKey(event) {
    const { text } = this;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.send();
    } else if (event.key === "ArrowUp" && !text.value.slice(0, text.selectionStart).includes("\n") || // on the first line
    event.key === "ArrowDown" && !text.value.slice(text.selectionEnd).includes("\n")) {
      const target = recallTarget(event.key, this.recall, this.sent.length);
      if (target === null) return;
      event.preventDefault();
      if (this.recall === -1) this.draft = { text: text.value, mode: this.mode.value };
      this.recall = target;
      const shown = target === -1 ? this.draft : this.sent[target];
      text.value = shown.text;
      this.mode.value = shown.mode;
      this.showError("");
    }
  }
  destroy() {
    this.listeners.off();
  }
};

// js/src/messages_panel.js
var MessagesPanel = class {
  constructor(requests, idPrefix) {
    this.requests = requests;
    this.filterText = h("input", { class: "wsw-filter", type: "search", placeholder: "filter", "aria-label": "Filter records by text", "data-role": "filter" });
    this.regex = checkbox("regex", "regex");
    this.direction = h(
      "select",
      { "data-role": "direction", "aria-label": "Direction" },
      [option("all", "in + out"), option("in", "in"), option("out", "out"), option("event", "events")]
    );
    this.kinds = h(
      "select",
      { "data-role": "kinds", "aria-label": "Kind" },
      [
        option("all", "all kinds"),
        option("messages", "messages"),
        option("text", "text"),
        option("binary", "binary"),
        option("control", "ping/pong"),
        option("events", "events")
      ]
    );
    this.follow = checkbox("follow", "follow", true);
    this.shown = h("span", { class: "wsw-shown", "data-role": "shown" });
    this.timeSelect = h(
      "select",
      { "data-role": "time-mode", "aria-label": "Time column", title: "Time column (ws.widget.time_mode)" },
      Object.entries(TIME_MODES).map(([value, label]) => option(value, label))
    );
    this.timeMode = "local";
    this.opens = [];
    this.onTimeMode = null;
    const filterBar = h("div", { class: "wsw-filters", role: "group", "aria-label": "Filters" }, [
      this.filterText,
      this.regex.label,
      this.direction,
      this.kinds,
      this.follow.label,
      this.timeSelect,
      this.shown
    ]);
    this.detail = h("pre", { class: "wsw-detail", "data-role": "detail", tabindex: "0", role: "region", "aria-label": "Record detail" });
    this.detailNote = h("span", { class: "wsw-detail-note", "data-role": "detail-note" });
    this.detailClose = button("\xD7 Close", "detail-close", { "aria-label": "Close the record's detail", title: "Close (Escape)" });
    this.detailPane = h("div", { class: "wsw-detail-pane", "data-role": "detail-pane" }, [
      h("div", { class: "wsw-detail-head" }, [this.detailNote, this.detailClose]),
      this.detail
    ]);
    this.detailPane.hidden = true;
    this.lastOpenSeq = 0;
    this.list = new RecordList({
      source: "messages",
      label: "History (Up and Down move, Enter opens, Escape closes)",
      requests,
      idPrefix: `${idPrefix}-messages`,
      filterSpec: () => this.filterSpec(),
      isUnfiltered: () => this.unfiltered(),
      shown: this.shown,
      follow: () => this.follow.input.checked && !(this.isPaused && this.isPaused()),
      // a paused display stays put
      rowCells: (record, bytes, row) => [
        ["wsw-seq", `#${record[0]}`],
        ["wsw-time", this.timeOf(record, row), formatDateTime(record[1])],
        ["wsw-dir", arrow(record[2]), record[2]],
        ["wsw-kind", record[3]],
        ["wsw-size", formatBytes(record[4])],
        ...this.extraCells ? this.extraCells(record) : [],
        ["wsw-preview", previewText(record, bytes)]
      ],
      onOpen: (seq, fromKeyboard) => this.open(seq, fromKeyboard),
      onRecords: (records) => this.seeRecords(records)
    });
    this.composer = new Composer(requests, idPrefix);
    this.extraCells = null;
    this.isPaused = null;
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
    this.listeners.listen(this.follow.input, "change", () => {
      if (this.follow.input.checked) this.list.refresh();
    });
    this.list.onScroll((atEnd) => {
      if (!atEnd && this.follow.input.checked) this.follow.input.checked = false;
    });
    const onEscape = (event) => {
      if (event.key === "Escape" && this.opened !== null) {
        event.preventDefault();
        this.closeDetail();
      }
    };
    this.listeners.listen(this.detailPane, "keydown", onEscape);
    this.listeners.listen(this.list.viewport, "keydown", onEscape);
    this.listeners.listen(this.detailClose, "click", () => this.closeDetail());
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
    this.node.dataset.timeMode = this.timeMode;
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
    else if (message.text !== void 0) body = prettyJson(message.text) ?? message.text;
    else body = JSON.stringify(message.info, null, 2);
    const more = message.truncated ? `
\u2026 (${formatBytes(message.size)} in all; cut for display)` : "";
    this.detail.textContent = `#${message.seq} ${message.kind} ${formatBytes(message.size)}
${body}${more}`;
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
};

// js/src/chart_math.js
var PLOT_BUCKETS = 400;
var BOX = { width: 600, height: 200, left: 60, right: 10, top: 10, bottom: 36 };
var TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1e3);
var MIN_SPAN = 1e4;
var SERIES_COLOURS = 8;
function niceStep(span, count = 4) {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (raw <= m * power * (1 + 1e-9)) return m * power;
  return 10 * power;
}
function valueTicks(min, max, count = 4) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceStep(max - min, count);
  const low = Math.floor(min / step + 1e-9) * step;
  const high = Math.ceil(max / step - 1e-9) * step;
  const ticks = [];
  for (let i = 0; low + i * step <= high + step / 2; i++) ticks.push(Number((low + i * step).toPrecision(12)));
  return { min: low, max: high, step, ticks };
}
function formatValue(value, step) {
  const size = Math.abs(value);
  for (const [unit, scale] of [["G", 1e9], ["M", 1e6], ["k", 1e3]]) {
    if (size >= 10 * scale || size >= scale && step >= scale) return `${Number((value / scale).toPrecision(4))}${unit}`;
  }
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}
function latestText(value) {
  return value === null || value === void 0 ? "\u2014" : String(Number(Number(value).toPrecision(6)));
}
function timeTicks(t0, t1, count = 5) {
  const span = Math.max(1, t1 - t0);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}
function clockText(ms, step) {
  const text = formatTime(ms).slice(0, 8);
  return step >= 6e4 ? text.slice(0, 5) : text;
}
function addBucket(series, bucket, size = PLOT_BUCKETS) {
  const { buckets } = series;
  const last = buckets[buckets.length - 1];
  if (last && bucket[1] - last[0] <= series.width) {
    absorbBucket(last, bucket);
    return;
  }
  buckets.push([...bucket]);
  if (buckets.length <= size) return;
  const merged = [];
  for (let i = 0; i < buckets.length; i += 2) {
    if (i + 1 < buckets.length) absorbBucket(buckets[i], buckets[i + 1]);
    merged.push(buckets[i]);
  }
  series.buckets = merged;
  const span = (merged[merged.length - 1][1] - merged[0][0]) / Math.max(1, merged.length);
  series.width = Math.max(series.width * 2, span);
}
function absorbBucket(into, other) {
  into[1] = Math.max(into[1], other[1]);
  into[2] = Math.min(into[2], other[2]);
  into[3] = Math.max(into[3], other[3]);
  into[4] = other[4];
  into[5] += other[5];
}
function bucketPoints(buckets) {
  const points = [];
  for (const [t0, t1, min, max, last, count] of buckets) {
    if (count > 1 && min !== max) {
      const middle = (t0 + t1) / 2;
      points.push([middle, min], [middle, max]);
    }
    points.push([t1, last]);
  }
  return points;
}
function chartRange(lines, minSpan = MIN_SPAN) {
  let [t0, t1, v0, v1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const { points } of lines) {
    for (const [t, v] of points) {
      if (v === null || v === void 0) continue;
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
    }
  }
  if (t0 === Infinity) return null;
  return { t0: Math.min(t0, t1 - minSpan), t1, v0, v1 };
}
function linePoints(points, { t0, t1 }, { min, max }, box = BOX) {
  const width = box.width - box.left - box.right;
  const height = box.height - box.top - box.bottom;
  const x = (t) => box.left + (t - t0) / Math.max(1, t1 - t0) * width;
  const y = (v) => box.top + height - (v - min) / (max - min || 1) * height;
  return points.filter(([, v]) => v !== null && v !== void 0).map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
}
function sparkPoints(values, width, height) {
  const present = values.filter((v) => v !== null && v !== void 0);
  if (!present.length) return "";
  const max = Math.max(...present, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => v === null || v === void 0 ? null : `${(i * step).toFixed(1)},${(height - v / max * height).toFixed(1)}`).filter(Boolean).join(" ");
}

// js/src/chart.js
var Chart = class {
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
        const x = (box.left + (tick - range.t0) / Math.max(1, range.t1 - range.t0) * width).toFixed(1);
        parts.push(svg("line", { class: "wsw-axis", x1: x, y1: plotBottom, x2: x, y2: plotBottom + 4 }));
        axisLabel(clockText(tick, times.step), { x, y: plotBottom + 16, "text-anchor": "middle", class: "wsw-tick", "data-role": "x-tick" });
      }
      for (const line of lines) {
        const colour = `wsw-series-${line.colour % SERIES_COLOURS}`;
        const points = linePoints(line.points, range, values, box);
        parts.push(svg("polyline", { class: `wsw-line ${colour}`, fill: "none", points, "data-series": line.label }));
        const last = points ? points.slice(points.lastIndexOf(" ") + 1).split(",") : null;
        if (last) {
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
      h("span", { class: "wsw-legend-value", text: latestText(line.latest) })
    ])));
  }
};

// js/src/plot_panel.js
var PlotPanel = class {
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
      this.picker,
      this.chart.node
    ]);
    this.fields = [];
    this.found = [];
    this.boxes = /* @__PURE__ */ new Map();
    this.series = /* @__PURE__ */ new Map();
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
    if (Date.now() - this.lastFind > (this.found.length ? 1e4 : 2e3)) this.find();
  }
  showFields(fields) {
    this.fields = [...fields || []];
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
      this.picker.append(...paths.slice(shown.length).map(item));
    } else if (!this.picker.children.length || paths.join("\n") !== shown.join("\n")) {
      this.boxes = /* @__PURE__ */ new Map();
      const hint = h("span", { class: "wsw-plot-hint", text: "no numeric fields found in incoming JSON yet: Find fields looks again" });
      this.picker.replaceChildren(h("legend", { text: "Fields to plot" }), ...paths.map(item), ...paths.length ? [] : [hint]);
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
      if (series) {
        addBucket(series, bucket);
        any = true;
      }
    }
    if (skipped !== void 0 && skipped !== this.skipped) {
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
    this.frame = true;
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
};

// js/src/stats_panel.js
var StatsPanel = class {
  constructor() {
    this.node = h("div", { class: "wsw-tab-body", tabindex: "0" });
    this.charts = {
      rate: { label: "messages/s (in, out)", unit: "messages/s", series: [[1, "in (received)"], [2, "out (sent)"]] },
      bytes: { label: "bytes/s (in, out)", unit: "bytes/s", series: [[3, "in (received)"], [4, "out (sent)"]] },
      rtt: { label: "ping RTT (ms)", unit: "RTT (ms)", series: [[5, "ping RTT"]] }
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
        label,
        colour,
        points: points.map((p) => [p[0], p[column]]),
        latest: latest ? latest[column] : null
      }));
      chart.chart.draw(lines, chart.unit);
      const now = latest ? chart.series.map(([column]) => latest[column] ?? "\u2014").join(" / ") : "no data yet";
      chart.chart.caption.textContent = `${chart.label}: ${now}`;
    }
  }
  destroy() {
  }
};

// js/src/tabs.js
var Tabs = class {
  constructor(idPrefix, panels) {
    this.panels = panels;
    this.buttons = panels.map(({ label, body }, i) => {
      const slug = label.toLowerCase().replace(" ", "-");
      const tab = h("button", {
        class: "wsw-tab",
        type: "button",
        role: "tab",
        id: `${idPrefix}-tab-${slug}`,
        "aria-controls": `${idPrefix}-panel-${slug}`,
        "data-role": `tab-${slug}`,
        text: label
      });
      body.setAttribute("role", "tabpanel");
      body.setAttribute("id", `${idPrefix}-panel-${slug}`);
      body.setAttribute("aria-labelledby", `${idPrefix}-tab-${slug}`);
      tab.index = i;
      return tab;
    });
    this.node = h("div", { class: "wsw-tabs", role: "tablist", "aria-label": "Views" }, this.buttons);
    this.listeners = new Listeners();
    this.listeners.listen(this.node, "click", (event) => {
      const tab = this.tabOf(event.target);
      if (tab) this.select(tab.index);
    });
    this.listeners.listen(this.node, "keydown", (event) => {
      const tab = this.tabOf(event.target);
      const target = tab && tabKeyTarget(event.key, tab.index, this.buttons.length);
      if (target === null || target === void 0) return;
      event.preventDefault();
      this.select(target);
      this.buttons[target].focus();
    });
    this.selected = -1;
    this.select(0);
  }
  tabOf(target) {
    for (let node = target; node && node !== this.node; node = node.parentNode) if (this.buttons.includes(node)) return node;
    return null;
  }
  select(index) {
    this.buttons.forEach((tab, i) => {
      const on = i === index;
      tab.classList.toggle("wsw-active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.setAttribute("tabindex", on ? "0" : "-1");
      this.panels[i].body.hidden = !on;
    });
    const changed = index !== this.selected;
    this.selected = index;
    if (changed && this.panels[index].onShow) this.panels[index].onShow();
  }
  destroy() {
    this.listeners.off();
  }
};

// js/src/text_panels.js
var DEBUG_LINES_SHOWN = 2e3;
function textPanel(role, label) {
  const pre = h("pre", { class: "wsw-debug", "data-role": role, tabindex: "0", role: "region", "aria-label": label });
  return { pre, node: h("div", { class: "wsw-tab-body" }, [pre]) };
}
var DebugPanel = class {
  constructor() {
    const { pre, node } = textPanel("debug", "Debug Output");
    Object.assign(this, { pre, node });
    this.lines = 0;
  }
  append(lines) {
    if (!lines || !lines.length) return;
    this.pre.append(document.createTextNode(lines.join("\n") + "\n"));
    this.lines += lines.length;
    if (this.lines > DEBUG_LINES_SHOWN + 200) {
      const kept = this.pre.textContent.split("\n").slice(-DEBUG_LINES_SHOWN - 1);
      this.pre.textContent = kept.join("\n");
      this.lines = kept.length - 1;
    }
    this.pre.scrollTop = this.pre.scrollHeight;
  }
  destroy() {
  }
};

// js/src/tool_helpers.js
var BASE_COLUMNS = [
  { name: "seq", label: "#", cls: "wsw-seq" },
  { name: "time", label: "time", cls: "wsw-time" },
  { name: "dir", label: "dir", cls: "wsw-dir" },
  { name: "kind", label: "kind", cls: "wsw-kind" },
  { name: "size", label: "size", cls: "wsw-size" }
];
var MIN_COLUMN_WIDTH = 24;
var MAX_COLUMN_WIDTH = 2e3;
var DOWNLOAD_FORMATS = { jsonl: "JSONL", har: "HAR", csv: "CSV" };
var COPY_FORMATS = { payload: "Copy", python: "Copy as Python", json: "Copy as JSON" };
var MAX_JSON_COLUMNS = 8;
function columnsFor(paths) {
  const json = (paths || []).map((path, i) => ({ name: path, label: path, cls: `wsw-json wsw-json-${i}`, json: true, index: i }));
  return [...BASE_COLUMNS, ...json, { name: "preview", label: "preview", cls: "wsw-preview", fixed: true }];
}
function columnStyle(widths, paths) {
  const style = {};
  for (const [name, width] of Object.entries(widths || {})) {
    const index = (paths || []).indexOf(name);
    const key = index >= 0 ? `json-${index}` : BASE_COLUMNS.some((c) => c.name === name) ? name : null;
    if (key && Number.isFinite(width)) style[`--wsw-w-${key}`] = `${clampWidth(width)}px`;
  }
  return style;
}
function clampWidth(width) {
  return Math.round(Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, width)));
}
function columnKey(key, width, shift, index, count) {
  const step = shift ? 32 : 8;
  if (key === "ArrowLeft") return { width: clampWidth(width - step) };
  if (key === "ArrowRight") return { width: clampWidth(width + step) };
  if (key === "Home") return { reset: true };
  if (key === "ArrowUp" && count) return { move: (index - 1 + count) % count };
  if (key === "ArrowDown" && count) return { move: (index + 1) % count };
  return null;
}
function dragWidth(startWidth, startX, x) {
  return clampWidth(startWidth + (x - startX));
}
var PATH_BRACKET = String.raw`\[(?:\d+|(?:Name|name)=[^\]]*|"(?:[^"\\]|\\.)*")\]`;
var PATH_KEY = String.raw`[A-Za-z_$][A-Za-z0-9_$\-]*`;
var FIELD_PATH = new RegExp(`^(?:${PATH_KEY}|${PATH_BRACKET})(?:\\.${PATH_KEY}|${PATH_BRACKET})*$`);
function checkFieldPath(text, shown = []) {
  const path = String(text || "").trim();
  if (!path || path.length > 200) return { error: "type a JSON path such as params.Id (1 to 200 characters)" };
  if (!FIELD_PATH.test(path)) {
    return { error: `invalid JSON path ${path}: keys joined by dots, [0] for a list index, [Name=gain] for a named element, ["any key"] for other keys` };
  }
  if (shown.includes(path)) return { error: `${path} is shown already` };
  if (shown.length >= MAX_JSON_COLUMNS) return { error: `at most ${MAX_JSON_COLUMNS} JSON columns: remove one first` };
  return { path };
}
function fieldCells(record, paths) {
  const cells = Array.isArray(record[8]) ? record[8] : [];
  return (paths || []).map((path, i) => {
    const text = cells[i];
    return [`wsw-json wsw-json-${i}`, text === null || text === void 0 ? "" : String(text), path];
  });
}
function pauseBadgeText(paused, newCount) {
  if (!paused) return "";
  return newCount > 0 ? `paused \xB7 ${newCount} new record${newCount === 1 ? "" : "s"}` : "paused";
}
function savedOptions(saved) {
  const list = Array.isArray(saved) ? saved.filter((m) => m && typeof m.name === "string") : [];
  if (!list.length) return [{ value: "", label: "no saved messages", disabled: true }];
  return list.map((m) => ({ value: m.name, label: `${m.name} (${m.mode || "text"})` }));
}

// js/src/column_header.js
var ColumnHeader = class {
  constructor({ onWidth, onRemove }) {
    Object.assign(this, { onWidth, onRemove });
    this.node = h("div", {
      class: "wsw-colhead",
      role: "group",
      "aria-label": "Columns (drag an edge, or Left and Right on it, to resize)",
      "data-role": "columns"
    });
    this.edges = [];
    this.focusIndex = 0;
    this.drag = null;
    this.listeners = new Listeners();
    this.listeners.listen(this.node, "pointerdown", (event) => this.onPointerDown(event));
    this.listeners.listen(this.node, "pointermove", (event) => this.onPointerMove(event));
    this.listeners.listen(this.node, "pointerup", (event) => this.onPointerUp(event));
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
        cell.append(h("button", {
          class: "wsw-colremove",
          type: "button",
          "data-remove": column.name,
          "data-role": "column-remove",
          "aria-label": `Remove the column ${column.name}`,
          title: "Remove this column",
          text: "\xD7"
        }));
      }
      if (!column.fixed) {
        const edge = h("span", {
          class: "wsw-coledge",
          role: "separator",
          "aria-orientation": "vertical",
          tabindex: "-1",
          "data-role": "column-edge",
          "data-column": column.name,
          "aria-valuemin": String(MIN_COLUMN_WIDTH),
          "aria-valuemax": String(MAX_COLUMN_WIDTH),
          "aria-label": `Width of the ${column.label} column: Left and Right resize, Home resets, Up and Down pick another column`
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
    if (action.move !== void 0) {
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
};

// js/src/tools.js
var TOOL_ACTIONS = /* @__PURE__ */ new Set(["copy", "download", "save_message", "delete_message"]);
function insertAround(parent, child, before, after) {
  parent.replaceChildren(...[...parent.children].flatMap((node) => node === child ? [...before, node, ...after] : [node]));
}
function downloadBlob(reply) {
  const bytes = reply.buffers && reply.buffers.length ? bytesFrom(reply.buffers[0]) : new Uint8Array();
  return new Blob([bytes], { type: reply.mime || "application/octet-stream" });
}
function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 6e4);
}
var Tools = class {
  constructor({ model, requests, messages }) {
    Object.assign(this, { model, requests, messages });
    this.paused = false;
    this.pausedAt = 0;
    this.lastSeq = 0;
    this.paths = [];
    this.widths = {};
    this.saved = [];
    this.header = new ColumnHeader({
      onWidth: (name, width, commit) => this.setWidth(name, width, commit),
      onRemove: (path) => this.saveTrait("json_columns", this.paths.filter((p) => p !== path))
    });
    this.pauseButton = button("Pause", "pause", { "aria-pressed": "false", title: "Stop the list moving; recording goes on (ws.widget.pause_display())" });
    this.badge = h("span", { class: "wsw-paused-badge", "data-role": "paused-badge", role: "status", "aria-live": "polite" });
    this.downloads = Object.entries(DOWNLOAD_FORMATS).map(([format, label]) => button(label, `download-${format}`, { "aria-label": `Download the history as ${label}`, title: `Download the whole history as ${label} (ws.widget.download("${format}"))` }));
    this.downloads.forEach((node, i) => {
      node.format = Object.keys(DOWNLOAD_FORMATS)[i];
    });
    this.fieldInput = h("input", {
      class: "wsw-field-input",
      type: "text",
      placeholder: "JSON field as column, e.g. params.Id",
      spellcheck: "false",
      "aria-label": "JSON field to show as a column (Enter adds)",
      "data-role": "field-input"
    });
    this.fieldAdd = button("Add column", "field-add");
    this.status = h("span", { class: "wsw-tool-status", "data-role": "tool-status", "aria-live": "polite" });
    this.bar = h("div", { class: "wsw-toolbar", role: "group", "aria-label": "History tools", "data-role": "tools" }, [
      this.pauseButton,
      this.badge,
      h("span", { class: "wsw-tool-label", text: "Download:" }),
      ...this.downloads,
      this.fieldInput,
      this.fieldAdd,
      this.status
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
    this.savedName = h("input", {
      type: "text",
      class: "wsw-saved-name",
      placeholder: "name",
      spellcheck: "false",
      "aria-label": "Name to save the composer's message as",
      "data-role": "saved-name"
    });
    this.savedSave = button("Save", "saved-save", { "aria-label": "Save the composer's message under this name" });
    this.savedWhere = h("span", { class: "wsw-saved-where", "data-role": "saved-where" });
    this.savedError = h("span", { class: "wsw-compose-error", "data-role": "saved-error", "aria-live": "polite" });
    this.savedBar = h("div", { class: "wsw-saved", role: "group", "aria-label": "Saved messages" }, [
      h("span", { class: "wsw-tool-label", text: "Saved:" }),
      this.savedSelect,
      this.savedLoad,
      this.savedDelete,
      this.savedName,
      this.savedSave,
      this.savedWhere,
      this.savedError
    ]);
    insertAround(messages.node, messages.list.viewport, [this.header.node], [this.bar]);
    insertAround(messages.node, composer.node, [], [this.savedBar]);
    insertAround(messages.detailClose.parentNode, messages.detailClose, [...this.copyButtons, this.copyStatus], []);
    this.styleVars = /* @__PURE__ */ new Set();
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
      display_paused: (on2) => this.showPaused(Boolean(on2)),
      json_columns: (paths) => this.showColumns(paths || []),
      column_widths: (widths) => this.showWidths(widths || {}),
      saved: (saved) => this.showSaved(saved),
      saved_path: (path) => {
        this.savedWhere.textContent = path ? `kept in ${path}` : "";
      },
      saved_problem: (text) => {
        this.savedError.textContent = text || "";
      }
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
    if (message.last_seq !== void 0) this.lastSeq = message.last_seq;
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
    this.styleVars = /* @__PURE__ */ new Set();
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
    if (seq === null || seq === void 0) return;
    this.ask({ type: "copy", seq, how }, this.copyStatus, null, (reply) => {
      const clipboard = globalThis.navigator && navigator.clipboard;
      if (!clipboard) {
        this.copyStatus.textContent = "this browser gives no clipboard: select the text in the detail and copy it";
        return;
      }
      clipboard.writeText(reply.text).then(
        () => {
          this.copyStatus.textContent = `copied ${COPY_FORMATS[how].replace(/^Copy ?/, "") || "the payload"}`;
        },
        (err) => {
          this.copyStatus.textContent = `the browser refused the clipboard (${err.message}): select the text and copy it`;
        }
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
};

// js/src/contrast.js
function parseColour(text) {
  const value = String(text).trim();
  let match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
  if (match) {
    const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
    return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)).concat(1);
  }
  match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(value);
  if (!match) return null;
  const alpha = match[4] === void 0 ? 1 : match[4].endsWith("%") ? parseFloat(match[4]) / 100 : Number(match[4]);
  return [Number(match[1]), Number(match[2]), Number(match[3]), alpha];
}
function composite([r, g, b, a = 1], [br, bg, bb]) {
  return [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a)];
}
function relativeLuminance([r, g, b]) {
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
function contrastRatio(foreground, background) {
  const bg = typeof background === "string" ? parseColour(background) : background;
  const fg = typeof foreground === "string" ? parseColour(foreground) : foreground;
  if (!fg || !bg) throw new Error(`contrastRatio needs colours such as #1f2328 or rgb(31, 35, 40), got ${foreground} and ${background}`);
  const lighter = relativeLuminance(composite(fg, bg));
  const darker = relativeLuminance(bg.slice(0, 3));
  const [hi, lo] = lighter > darker ? [lighter, darker] : [darker, lighter];
  return (hi + 0.05) / (lo + 0.05);
}

// js/src/index.js
var viewCount = 0;
function render({ model, el }) {
  const idPrefix = `wsw${++viewCount}`;
  const debug = debugHook();
  if (debug) debug.views++;
  const requests = new Requests(model);
  const header = new Header();
  const controls = new Controls(requests);
  const messages = new MessagesPanel(requests, idPrefix);
  const tools = new Tools({ model, requests, messages });
  const frames = new FramesPanel(requests, idPrefix);
  const handshake = textPanel("handshake", "Handshake");
  const debugPanel = new DebugPanel();
  const stats = new StatsPanel();
  const plot = new PlotPanel({
    onFields: (fields) => {
      model.set("plot_fields", fields);
      model.save_changes();
    },
    onPaused: (paused) => {
      model.set("plot_paused", paused);
      model.save_changes();
    },
    onFind: () => requests.send({ type: "find_fields" })
  });
  const tabs = new Tabs(idPrefix, [
    { label: "Messages", body: messages.node, onShow: () => messages.list.render() },
    { label: "Frames", body: frames.node, onShow: () => frames.list.refresh() },
    { label: "Handshake", body: handshake.node },
    { label: "Debug Output", body: debugPanel.node },
    { label: "Stats", body: stats.node, onShow: () => stats.draw() },
    { label: "Plot", body: plot.node, onShow: () => {
      plot.changed();
      if (!plot.found.length) plot.find();
    } }
  ]);
  const PLOT_TAB = tabs.panels.findIndex((panel) => panel.body === plot.node);
  const root = h(
    "div",
    { class: "wsw-root" },
    [header.node, controls.node, tabs.node, messages.node, frames.node, handshake.node, debugPanel.node, stats.node, plot.node]
  );
  el.append(root);
  let started = false;
  let lastState = model.get("state");
  const announce = () => header.announce(stateAnnouncement(model.get("state"), model.get("reason"), model.get("reconnect")));
  const traits = {
    state: (state) => {
      const live = (value) => value === "OPEN" || value === "CONNECTING";
      if (started && live(state) && !live(lastState)) messages.connectedAgain();
      lastState = state;
      header.showState(state);
      controls.showState(state);
      messages.composer.showState(state);
      announce();
    },
    reason: (text) => {
      header.showReason(text);
      announce();
    },
    url: (url) => {
      header.showUrl(url);
      controls.showUrl(url);
    },
    subprotocol: (name) => header.showSubprotocol(name),
    tls: (state) => header.showTls(state),
    handshake: (value) => {
      handshake.pre.textContent = (model.get("limits") || {}).handshake || handshakeText(value);
      frames.showHandshake(value);
    },
    limits: (value) => {
      controls.showLimits(value || {});
      frames.showLimit((value || {}).frames);
      handshake.pre.textContent = (value || {}).handshake || handshakeText(model.get("handshake"));
    },
    frame_log: (on) => frames.showFrameLog(on),
    reconnect: (pending) => {
      header.showReconnect(pending);
      announce();
    },
    paused: (reason) => {
      const said = header.showPaused(reason);
      if (said && started) header.announce(said);
    },
    time_mode: (mode) => messages.showTimeMode(mode),
    plot_fields: (fields) => {
      const before = plot.fields.length;
      plot.showFields(fields || []);
      if (!before && plot.fields.length) tabs.select(PLOT_TAB);
    },
    plot_paused: (paused) => plot.showPaused(paused)
  };
  messages.onTimeMode = (mode) => {
    model.set("time_mode", mode);
    model.save_changes();
  };
  const listeners = new Listeners();
  for (const [name, show] of Object.entries(traits)) {
    listeners.on(model, `change:${name}`, () => show(model.get(name)));
    show(model.get(name));
  }
  started = true;
  listeners.on(model, "msg:custom", (message, buffers) => {
    if (message.type === "batch") {
      header.showCounters(message);
      if (message.opens) messages.addOpens(message.opens);
      debugPanel.append(message.debug);
      tools.seen(message);
      if (!tools.paused) messages.list.push({ records: message.records, total: message.total, first_seq: message.first_seq }, buffers);
      if (message.frames && !frames.node.hidden) frames.list.push(message.frames, buffers);
      if (message.points) stats.add(message.points);
      if (message.plot) plot.add(message.plot, message.plot_skipped);
      if (message.records && message.records.length) plot.maybeFind();
    } else if (message.type === "plot_fill") plot.fill(message.series);
    else if (message.type === "plot_found") plot.showFound(message.found);
    else if (message.type === "record") messages.showDetail(message, buffers);
    else if (message.type === "compose") tools.compose(message);
    else if (message.type === "columns") tools.refetch();
    else if (message.type === "cleared") {
      header.showCounters(message);
      messages.cleared();
      frames.cleared();
      plot.clear();
    } else if (message.type === "error") {
      if (message.action === "send") messages.composer.showError(message.text);
      else if (message.action === "connect") controls.showError(message.text);
      else if (message.action !== "page" && !Tools.owns(message.action)) header.showReason(message.text);
    }
    requests.answer(message, buffers);
  });
  requests.send({ type: "hello" }, (message) => {
    header.showCounters(message);
    tools.seen(message);
    messages.addOpens(message.opens);
    debugPanel.append(message.debug);
    stats.add(message.series || []);
    plot.fill(message.plot);
    plot.showFound(message.plot_found);
  });
  messages.list.refresh();
  return () => {
    listeners.off();
    requests.dispose();
    for (const part of [header, controls, tools, messages, frames, debugPanel, stats, plot, tabs]) part.destroy();
    root.remove();
    if (debug) debug.views--;
  };
}
var index_default = { render };
export {
  BASE_COLUMNS,
  COPY_FORMATS,
  DOWNLOAD_FORMATS,
  MAX_COLUMN_WIDTH,
  MAX_SCROLL_HEIGHT,
  MIN_COLUMN_WIDTH,
  OPCODE_NAMES,
  PLOT_BUCKETS,
  ROW_HEIGHT,
  SERIES_COLOURS,
  TIME_MODES,
  addBucket,
  addOpens,
  bucketPoints,
  chartRange,
  checkComposed,
  checkFieldPath,
  checkJson,
  clampWidth,
  clockText,
  columnKey,
  columnStyle,
  columnsFor,
  composite,
  compressionText,
  connectRequest,
  connectionStart,
  contrastRatio,
  countersText,
  index_default as default,
  detailNote,
  dragWidth,
  fieldCells,
  fieldOfBit,
  formatBytes,
  formatDateTime,
  formatTime,
  formatValue,
  frameColumns,
  frameLayout,
  framesHint,
  handshakeText,
  headerSize,
  hexDump,
  latestText,
  linePoints,
  niceStep,
  parseBase64,
  parseColour,
  parseHex,
  pauseAnnouncement,
  pauseBadgeText,
  pausedText,
  prettyJson,
  previewText,
  printable,
  recallTarget,
  relativeLuminance,
  rowKeyTarget,
  savedOptions,
  scrollGeometry,
  scrollToShow,
  shownText,
  sparkPoints,
  stateAnnouncement,
  stateLabel,
  tabKeyTarget,
  timeText,
  timeTicks,
  toHex,
  valueTicks
};
