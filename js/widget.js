// ws_widget front end: one view of a WebSocket living in the kernel.
//
// The kernel holds the history; this view holds only the rows in sight. It receives batches
// (at most 20 per second) of the newest records and counters, and asks for pages as it
// scrolls. Remote data reaches the DOM through textContent only.
//
// The pure helpers are named exports, tested with `node --test js/`.

export const ROW_HEIGHT = 22;
export const MAX_SCROLL_HEIGHT = 8_000_000; // px; browsers cap element heights near 16-33M
const PAGE_SIZE = 120;
const CACHE_LIMIT = 4000;
const DEBUG_LINES_SHOWN = 2000;
const ARROWS = { in: "\u2193", out: "\u2191", event: "\u2022" };

// ---------------------------------------------------------------- pure helpers

/** Format a byte count: 512 B, 1.5 KiB, 4.0 MiB. */
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** The header's counters: messages and bytes each way, the rate, and the Data callbacks not run yet. */
export function countersText(s) {
  const behind = s.callbacks_behind ? `  ${s.callbacks_behind} callback${s.callbacks_behind === 1 ? "" : "s"} behind` : "";
  return `\u2193 ${s.messages_in} (${formatBytes(s.bytes_in)})  \u2191 ${s.messages_out} (${formatBytes(s.bytes_out)})  ${s.rate}/s${behind}`;
}

/** Format epoch milliseconds as local HH:MM:SS.mmm. */
export function formatTime(ms) {
  const d = new Date(ms);
  const pad = (v, w = 2) => String(v).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Bytes as hex pairs separated by spaces. */
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** A classic hex dump: offset, 16 hex bytes, ASCII column. */
export function hexDump(bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = bytes.subarray(i, i + 16);
    const hex = toHex(chunk).padEnd(47, " ");
    const ascii = Array.from(chunk, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${i.toString(16).padStart(8, "0")}  ${hex}  ${ascii}`);
  }
  return lines.join("\n");
}

/** Parse hex such as "01 02 ff" or "0x01,0x02": {bytes} or {error}. */
export function parseHex(text) {
  const cleaned = text.replace(/0x/gi, "").replace(/[\s,:;-]/g, "");
  const bad = cleaned.match(/[^0-9a-fA-F]/);
  if (bad) return { error: `invalid hex: '${bad[0]}' is not a hex digit` };
  if (cleaned.length % 2) return { error: "invalid hex: odd number of digits; write each byte as two digits" };
  const bytes = new Uint8Array(cleaned.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(cleaned.slice(2 * i, 2 * i + 2), 16);
  return { bytes };
}

/** Check base64: {bytes} or {error}. */
export function parseBase64(text) {
  const cleaned = text.replace(/\s/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) || cleaned.length % 4) {
    return { error: "invalid base64: use A-Z a-z 0-9 + / with = padding to a multiple of 4" };
  }
  const binary = atob(cleaned);
  return { bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)) };
}

/** Check JSON: {value} or {error} with line and column. */
export function checkJson(text) {
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

/** Check what the composer holds for a mode; returns {error} or {}. */
export function checkComposed(text, mode) {
  if (mode === "json") return checkJson(text).error ? checkJson(text) : {};
  if (mode === "hex") return parseHex(text).error ? parseHex(text) : {};
  if (mode === "base64") return parseBase64(text).error ? parseBase64(text) : {};
  return {};
}

/** Pretty-print text that is JSON; null when it is not. */
export function prettyJson(text) {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/**
 * Virtual scrolling: the spacer height for `total` rows and the first row index shown at
 * `scrollTop`. Past MAX_SCROLL_HEIGHT the scroll range is scaled so that a million rows
 * still scroll end to end.
 */
export function scrollGeometry(total, viewportHeight, rowHeight = ROW_HEIGHT, maxHeight = MAX_SCROLL_HEIGHT) {
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
      return Math.min(rowRange, Math.round((scrollTop / scrollRange) * rowRange));
    },
    rowTop(row, scrollTop) {
      return natural <= maxHeight ? row * rowHeight : scrollTop;
    },
    scrollTopFor(row) {
      if (natural <= maxHeight) return row * rowHeight;
      return rowRange ? (row / rowRange) * scrollRange : 0;
    },
  };
}

/** One line of text for a record's preview column. */
export function previewText(record, bytes) {
  const [, , , kind, , preview, info] = record;
  if ((kind === "pong" || kind === "ping") && info) {
    const rtt = info.rtt !== undefined ? `rtt ${(info.rtt * 1000).toFixed(2)} ms` : info.unsolicited ? "unsolicited" : "";
    return [rtt, bytes && bytes.length ? toHex(bytes) : ""].filter(Boolean).join(" \u00b7 ");
  }
  if (bytes) return toHex(bytes) + (record[4] > bytes.length ? " \u2026" : "");
  if (preview !== null && preview !== undefined) return preview.replace(/\s+/g, " ");
  if (!info) return "";
  if (kind === "close") {
    const reason = info.reason ? ` ${info.reason}` : "";
    return `${info.code ?? ""} (${info.meaning || "no code"})${reason}${info.clean === false ? " \u2014 abnormal" : ""}`;
  }
  if (kind === "error") return info.message || "";
  if (kind === "open") return `${info.url || ""}${info.subprotocol ? ` [${info.subprotocol}]` : ""}`;
  return JSON.stringify(info);
}

// ---------------------------------------------------------------- more pure helpers

/** Text for a frame log row: FIN, RSV1 and MASK bits, length, payload preview. */
export function frameColumns(record, bytes) {
  const info = record[6] || {};
  const bits = `${info.fin ? "FIN" : "fin"} ${info.rsv1 ? "RSV1" : "rsv1"} ${info.masked ? "MASK" : "mask"}`;
  let preview = "";
  if (info.code !== undefined) preview = `${info.code} (${info.meaning || ""})`;
  else if (bytes && bytes.length) preview = printable(bytes) ? new TextDecoder().decode(bytes) : toHex(bytes);
  return { bits, preview: preview.replace(/\s+/g, " ") };
}

/** Whether bytes look like readable UTF-8 text. */
export function printable(bytes) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  } catch {
    return false;
  }
}

/** The handshake as lines of text: request, response, accept check, negotiation. */
export function handshakeText(handshake) {
  if (!handshake || !Object.keys(handshake).length) return "No handshake yet: connect first.";
  const lines = [];
  if (handshake.request_line) lines.push(handshake.request_line);
  for (const [name, value] of handshake.request_headers || []) lines.push(`${name}: ${value}`);
  if (handshake.status !== undefined) {
    lines.push("", `HTTP/1.1 ${handshake.status} ${handshake.reason || ""}`.trimEnd());
    for (const [name, value] of handshake.response_headers || []) lines.push(`${name}: ${value}`);
  }
  if (handshake.body) lines.push("", handshake.body);
  const check = handshake.accept_check;
  if (check) {
    lines.push("", "Sec-WebSocket-Accept check (RFC 6455, 4.2.2):",
      `  key                 ${check.key}`,
      `  key + GUID          ${check.key_plus_guid}`,
      `  SHA-1 (hex)         ${check.sha1}`,
      `  base64(SHA-1)       ${check.accept}`,
      `  server sent         ${check.received}  ${check.ok ? "\u2714 matches" : "\u2718 does NOT match"}`);
  }
  if (handshake.status === 101) {
    lines.push("", `Subprotocol: ${handshake.subprotocol || "none"}`);
    const extensions = handshake.extensions || [];
    lines.push(`Extensions: ${extensions.length ? "" : "none"}`);
    for (const ext of extensions) {
      const params = Object.entries(ext.parameters || {}).map(([k, v]) => (v === null ? k : `${k}=${v}`));
      lines.push(`  ${ext.name}${params.length ? "; " + params.join("; ") : ""}`);
    }
  }
  return lines.join("\n");
}

/** SVG polyline points for values over a width and height; nulls are skipped. */
export function sparkPoints(values, width, height) {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (!present.length) return "";
  const max = Math.max(...present, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => (v === null || v === undefined ? null : `${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`))
    .filter(Boolean)
    .join(" ");
}

// ---------------------------------------------------------------- DOM helpers

function h(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
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

function bytesFrom(buffer) {
  if (!buffer) return null;
  return buffer.buffer ? new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)) : new Uint8Array(buffer);
}

/**
 * A virtualised list of records held in the kernel. Rows are fetched by page as they come
 * into view; `push` takes the newest records of a batch.
 */
function createList({ source, request, rowCells, filterSpec, isUnfiltered, onSelect, follow, shown }) {
  const spacer = h("div", { class: "wsw-spacer" });
  const rowsBox = h("div", { class: "wsw-rows", "data-role": source === "messages" ? "rows" : `${source}-rows` });
  const viewport = h("div", { class: "wsw-viewport", "data-role": source === "messages" ? "history" : source, tabindex: "0" }, [spacer, rowsBox]);
  let total = 0;
  let firstSeq = 1;
  let cache = new Map(); // row index -> [record, bytes]
  let selected = null;
  let pageInFlight = false;
  let pageWanted = false;
  let lastAsked = null;

  // The viewport's height comes from a ResizeObserver: reading clientHeight on every batch
  // forced a layout of the whole page. Renders are coalesced to one per animation frame.
  let height = 300;
  const resizes = new ResizeObserver((entries) => {
    height = entries[entries.length - 1].contentRect.height || 300;
    render();
  });
  resizes.observe(viewport);
  const geometry = () => scrollGeometry(total, height);
  let frameRequested = false;
  let scrolledByUs = false;

  function render() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      renderNow();
    });
  }

  function renderNow() {
    const geo = geometry();
    spacer.style.height = `${geo.height}px`;
    const first = geo.firstRow(viewport.scrollTop);
    const last = Math.min(total, first + geo.visible);
    rowsBox.style.top = `${geo.rowTop(first, viewport.scrollTop)}px`;
    rowsBox.style.height = `${Math.min(height, geo.height)}px`;
    rowsBox.replaceChildren();
    let missing = false;
    for (let i = first; i < last; i++) {
      const entry = cache.get(i);
      if (!entry) missing = true;
      rowsBox.append(rowNode(entry));
    }
    if (shown) shown.textContent = isUnfiltered() ? `${total} records` : `${total} match`;
    if (missing && first !== lastAsked) wantPage(first);
  }

  function rowNode(entry) {
    if (!entry) return h("div", { class: "wsw-row wsw-loading", text: "\u2026" });
    const [record, bytes] = entry;
    const [seq, , dir, kind] = record;
    const row = h("div", { class: `wsw-row wsw-${dir} wsw-kind-${kind}`, "data-seq": String(seq) },
      rowCells(record, bytes).map(([cls, text, title]) => h("span", title ? { class: cls, text, title } : { class: cls, text })));
    if (selected === seq) row.classList.add("wsw-selected");
    if (onSelect) row.addEventListener("click", () => { selected = seq; onSelect(seq); render(); });
    return row;
  }

  function wantPage(first) {
    if (pageInFlight) { pageWanted = true; return; }
    pageInFlight = true;
    lastAsked = first;
    const offset = Math.max(0, first - Math.floor((PAGE_SIZE - geometry().visible) / 2));
    request({ type: "page", source, offset, count: PAGE_SIZE, filter: filterSpec() }, (reply) => {
      pageInFlight = false;
      if (reply.type === "page") store(reply);
      if (pageWanted) { pageWanted = false; lastAsked = null; render(); }
    });
  }

  function store(reply) {
    if (reply.first_seq !== firstSeq && isUnfiltered()) cache = new Map();
    firstSeq = reply.first_seq;
    total = reply.total;
    reply.records.forEach((record, i) => cache.set(reply.offset + i, [record, bytesOf(record, reply.buffers)]));
    trim(reply.offset);
    if (follow()) toEnd(); else render();
  }

  function bytesOf(record, buffers) {
    const index = record[7];
    return index === null || index === undefined || !buffers ? null : bytesFrom(buffers[index]);
  }

  function trim(center) {
    if (cache.size <= CACHE_LIMIT) return;
    for (const key of cache.keys()) if (Math.abs(key - center) > CACHE_LIMIT / 2) cache.delete(key);
  }

  function toEnd() {
    const geo = geometry();
    spacer.style.height = `${geo.height}px`;
    if (viewport.scrollTop < geo.height - height) {
      scrolledByUs = true; // the scroll event this causes is ours, not the user's
      viewport.scrollTop = geo.height;
    }
    render();
  }

  function refresh() {
    cache = new Map();
    total = 0;
    lastAsked = null;
    const filter = filterSpec();
    request({ type: "page", source, offset: follow() ? -PAGE_SIZE : 0, count: PAGE_SIZE, filter }, (reply) => {
      if (reply.type !== "page") return;
      store(reply);
      if (follow() && reply.offset > 0) { // also keep the head at hand for a jump to the top
        request({ type: "page", source, offset: 0, count: PAGE_SIZE, filter }, (head) => {
          if (head.type === "page" && head.first_seq === firstSeq) {
            head.records.forEach((record, i) => cache.set(i, [record, bytesOf(record, head.buffers)]));
          }
        });
      }
    });
  }

  function push(part, buffers) {
    if (part.first_seq !== firstSeq && isUnfiltered()) cache = new Map();
    firstSeq = part.first_seq;
    lastAsked = null;
    if (isUnfiltered()) {
      total = part.total;
      for (const record of part.records) cache.set(record[0] - firstSeq, [record, bytesOf(record, buffers)]);
      trim(total);
      if (follow()) toEnd(); else render();
    } else if (part.records.length && follow()) {
      wantPage(Math.max(0, total - geometry().visible)); // the reply brings the new total
    }
  }

  const onScroll = (callback) => viewport.addEventListener("scroll", () => {
    if (scrolledByUs) {
      scrolledByUs = false;
      return;
    }
    callback(viewport.scrollTop + height >= geometry().height - ROW_HEIGHT);
    render();
  });

  return { viewport, render, refresh, push, onScroll };
}

// ---------------------------------------------------------------- the view

function render({ model, el }) {
  let requestId = 0;
  const pending = new Map(); // id -> callback
  const request = (content, callback) => {
    const id = ++requestId;
    if (callback) pending.set(id, callback);
    model.send({ ...content, id });
    return id;
  };
  const button = (label, role, action) => h("button", { class: "wsw-button", "data-role": role, text: label, onclick: action });

  // Header
  const pill = h("span", { class: "wsw-pill", "data-role": "state" });
  const reason = h("span", { class: "wsw-reason", "data-role": "reason" });
  const urlText = h("span", { class: "wsw-url", "data-role": "url" });
  const subprotocol = h("span", { class: "wsw-badge", "data-role": "subprotocol" });
  const tls = h("span", { class: "wsw-badge", "data-role": "tls" });
  const counters = h("span", { class: "wsw-counters", "data-role": "counters" });
  const rtt = h("span", { class: "wsw-rtt", "data-role": "rtt" });
  const reconnectText = h("span", { class: "wsw-reconnect", "data-role": "reconnect" });
  const header = h("div", { class: "wsw-header" }, [pill, urlText, subprotocol, tls, counters, rtt, reconnectText, reason]);

  // Controls
  const urlInput = h("input", { class: "wsw-url-input", type: "text", placeholder: "ws://127.0.0.1:8765/echo", "aria-label": "URL", spellcheck: "false" });
  const connectButton = button("Connect", "connect", () => request({ type: "connect", url: urlInput.value.trim() }));
  const closeButton = button("Close", "close", () => request({ type: "close" }));
  const pingButton = button("Ping", "ping", () => request({ type: "ping" }));
  const clearButton = button("Clear", "clear", () => request({ type: "clear" }));
  urlInput.addEventListener("keydown", (event) => { if (event.key === "Enter") connectButton.click(); });
  const controls = h("div", { class: "wsw-controls" }, [urlInput, connectButton, closeButton, pingButton, clearButton]);

  // Messages tab: filters, list, detail, composer
  const filterText = h("input", { class: "wsw-filter", type: "search", placeholder: "filter", "aria-label": "filter", "data-role": "filter" });
  const regex = h("input", { type: "checkbox", "data-role": "regex" });
  const direction = h("select", { "data-role": "direction", "aria-label": "direction" },
    [option("all", "in + out"), option("in", "in"), option("out", "out"), option("event", "events")]);
  const kinds = h("select", { "data-role": "kinds", "aria-label": "kind" },
    [option("all", "all kinds"), option("messages", "messages"), option("text", "text"), option("binary", "binary"),
     option("control", "ping/pong"), option("events", "open/close/error")]);
  const follow = h("input", { type: "checkbox", "data-role": "follow" });
  follow.checked = true;
  const shown = h("span", { class: "wsw-shown", "data-role": "shown" });
  const filterBar = h("div", { class: "wsw-filters" }, [
    filterText, h("label", {}, [regex, " regex"]), direction, kinds, h("label", {}, [follow, " follow"]), shown,
  ]);
  const detail = h("pre", { class: "wsw-detail", "data-role": "detail" });
  const filterSpec = () => ({ text: filterText.value, regex: regex.checked, direction: direction.value, kinds: kinds.value });
  const unfiltered = () => !filterText.value && direction.value === "all" && kinds.value === "all";
  let selected = null;
  const messages = createList({
    source: "messages", request, filterSpec, isUnfiltered: unfiltered, follow: () => follow.checked, shown,
    rowCells: (record, bytes) => [
      ["wsw-seq", `#${record[0]}`], ["wsw-time", formatTime(record[1])], ["wsw-dir", Object.hasOwn(ARROWS, record[2]) ? ARROWS[record[2]] : String(record[2]), record[2]],
      ["wsw-kind", record[3]], ["wsw-size", formatBytes(record[4])], ["wsw-preview", previewText(record, bytes)],
    ],
    onSelect: (seq) => { selected = seq; detail.textContent = "loading\u2026"; request({ type: "get", seq }); },
  });

  const mode = h("select", { "data-role": "mode", "aria-label": "mode" },
    [option("text", "Text"), option("json", "JSON"), option("hex", "Binary (hex)"), option("base64", "Binary (base64)")]);
  const composer = h("textarea", { class: "wsw-composer", rows: "2", placeholder: "message \u2014 Ctrl+Enter sends, \u2191 recalls", "data-role": "composer", spellcheck: "false" });
  const composeError = h("span", { class: "wsw-compose-error", "data-role": "compose-error" });
  const sendButton = button("Send", "send", () => send());
  const composeBox = h("div", { class: "wsw-compose" }, [mode, composer, sendButton, composeError]);
  const messagesTab = h("div", { class: "wsw-tab-body" }, [filterBar, messages.viewport, detail, composeBox]);

  // Frames tab
  const frameFollow = h("input", { type: "checkbox", "data-role": "frames-follow" });
  frameFollow.checked = true;
  const frameToggle = h("input", { type: "checkbox", "data-role": "frame-log" });
  const frameShown = h("span", { class: "wsw-shown", "data-role": "frames-shown" });
  const frames = createList({
    source: "frames", request, filterSpec: () => ({}), isUnfiltered: () => true, follow: () => frameFollow.checked, shown: frameShown,
    rowCells: (record, bytes) => {
      const { bits, preview } = frameColumns(record, bytes);
      return [["wsw-seq", `#${record[0]}`], ["wsw-time", formatTime(record[1])], ["wsw-dir", Object.hasOwn(ARROWS, record[2]) ? ARROWS[record[2]] : String(record[2]), record[2]],
        ["wsw-kind", record[3]], ["wsw-bits", bits], ["wsw-size", formatBytes((record[6] || {}).length ?? record[4]), "length on the wire"],
        ["wsw-preview", preview]];
    },
  });
  frameToggle.addEventListener("change", () => request({ type: "frame_log", on: frameToggle.checked }));
  const framesTab = h("div", { class: "wsw-tab-body", hidden: "" }, [
    h("div", { class: "wsw-filters" }, [h("label", {}, [frameToggle, " record frames"]), h("label", {}, [frameFollow, " follow"]), frameShown]),
    frames.viewport,
  ]);

  // Handshake, Debug Output and Stats tabs
  const handshakePre = h("pre", { class: "wsw-debug", "data-role": "handshake" });
  const handshakeTab = h("div", { class: "wsw-tab-body", hidden: "" }, [handshakePre]);
  const debugPre = h("pre", { class: "wsw-debug", "data-role": "debug" });
  const debugTab = h("div", { class: "wsw-tab-body", hidden: "" }, [debugPre]);
  const charts = {
    rate: { label: "messages/s (in, out)", series: [1, 2] },
    bytes: { label: "bytes/s (in, out)", series: [3, 4] },
    rtt: { label: "ping RTT (ms)", series: [5] },
  };
  const statsTab = h("div", { class: "wsw-tab-body", hidden: "" });
  for (const [name, chart] of Object.entries(charts)) {
    chart.svg = svg("svg", { class: "wsw-chart", viewBox: "0 0 300 60", preserveAspectRatio: "none", "data-role": `chart-${name}` });
    chart.lines = chart.series.map((_, i) => {
      const line = svg("polyline", { class: `wsw-line wsw-line-${i}`, fill: "none", "vector-effect": "non-scaling-stroke" });
      chart.svg.append(line);
      return line;
    });
    chart.caption = h("div", { class: "wsw-chart-caption" });
    statsTab.append(h("div", { class: "wsw-chart-box" }, [chart.caption, chart.svg]));
  }
  const series = [];

  const tabBodies = { Messages: messagesTab, Frames: framesTab, Handshake: handshakeTab, "Debug Output": debugTab, Stats: statsTab };
  const tabButtons = Object.entries(tabBodies).map(([label, body]) =>
    h("button", { class: "wsw-tab", "data-role": `tab-${label.toLowerCase().replace(" ", "-")}`, text: label,
      onclick: (event) => selectTab(event.currentTarget, body) }));
  const tabs = h("div", { class: "wsw-tabs", role: "tablist" }, tabButtons);
  const selectTab = (buttonNode, body) => {
    for (const node of tabButtons) node.classList.toggle("wsw-active", node === buttonNode);
    for (const node of Object.values(tabBodies)) node.hidden = node !== body;
    if (body === framesTab) frames.refresh();
    if (body === messagesTab) messages.render();
    if (body === statsTab) drawCharts();
  };
  tabButtons[0].classList.add("wsw-active");

  const root = h("div", { class: "wsw-root" }, [header, controls, tabs, ...Object.values(tabBodies)]);
  el.append(root);

  // ------------------------------------------------------------ updates
  const sentHistory = [];
  let recall = -1;

  let countdown = null;
  function showReconnect() {
    const pending = model.get("reconnect") || {};
    clearInterval(countdown);
    countdown = null;
    if (!pending.retry) { reconnectText.textContent = ""; return; }
    const tick = () => {
      const seconds = Math.max(0, (pending.at_ms - Date.now()) / 1000);
      reconnectText.textContent = `reconnecting, attempt ${pending.retry}, next try in ${seconds.toFixed(1)} s`;
    };
    tick();
    countdown = setInterval(tick, 200);
  }

  function updateHeader() {
    const state = model.get("state");
    pill.textContent = state;
    pill.dataset.state = state;
    reason.textContent = model.get("reason");
    showReconnect();
    urlText.textContent = model.get("url");
    if (!urlInput.value || document.activeElement !== urlInput) urlInput.value = model.get("url");
    subprotocol.textContent = model.get("subprotocol") ? `subprotocol ${model.get("subprotocol")}` : "";
    subprotocol.hidden = !model.get("subprotocol");
    const tlsState = model.get("tls");
    tls.textContent = tlsState ? `TLS ${tlsState}` : "";
    tls.hidden = !tlsState;
    tls.dataset.tls = tlsState;
    const open = state === "OPEN";
    closeButton.disabled = !(open || state === "CONNECTING" || state === "RECONNECTING");
    pingButton.disabled = !open;
    sendButton.disabled = !(open || state === "CONNECTING");
    handshakePre.textContent = handshakeText(model.get("handshake"));
    frameToggle.checked = model.get("frame_log");
  }

  function updateCounters(message) {
    const s = message.stats;
    if (!s) return;
    counters.textContent = countersText(s);
    rtt.textContent = s.last_rtt === null || s.last_rtt === undefined ? "" : `rtt ${(s.last_rtt * 1000).toFixed(2)} ms`;
    if (message.dropped) counters.title = `${message.dropped} older records dropped`;
  }

  function appendDebug(lines) {
    if (!lines || !lines.length) return;
    debugPre.append(document.createTextNode(lines.join("\n") + "\n"));
    const parts = debugPre.textContent.split("\n");
    if (parts.length > DEBUG_LINES_SHOWN + 200) debugPre.textContent = parts.slice(-DEBUG_LINES_SHOWN).join("\n");
    debugPre.scrollTop = debugPre.scrollHeight;
  }

  function addPoints(points) {
    for (const point of points) if (point) series.push(point);
    if (series.length > 300) series.splice(0, series.length - 300);
    if (!statsTab.hidden) drawCharts();
  }

  function drawCharts() {
    for (const chart of Object.values(charts)) {
      const latest = series.length ? series[series.length - 1] : null;
      chart.series.forEach((column, i) => chart.lines[i].setAttribute("points", sparkPoints(series.map((p) => p[column]), 300, 60)));
      const now = latest ? chart.series.map((column) => latest[column] ?? "\u2014").join(" / ") : "no data yet";
      chart.caption.textContent = `${chart.label}: ${now}`;
    }
  }

  function showDetail(message, buffers) {
    if (message.seq !== selected) return;
    let body;
    if (buffers && buffers.length) body = hexDump(bytesFrom(buffers[0]));
    else if (message.text !== undefined) body = prettyJson(message.text) ?? message.text;
    else body = JSON.stringify(message.info, null, 2);
    const more = message.truncated ? `\n\u2026 (${formatBytes(message.size)} in all; cut for display)` : "";
    detail.textContent = `#${message.seq} ${message.kind} ${formatBytes(message.size)}\n${body}${more}`;
  }

  // ------------------------------------------------------------ composer
  function send() {
    const text = composer.value;
    const problem = checkComposed(text, mode.value);
    composeError.textContent = problem.error || "";
    composer.classList.toggle("wsw-invalid", Boolean(problem.error));
    if (problem.error) return;
    request({ type: "send", text, mode: mode.value });
    if (sentHistory[sentHistory.length - 1] !== text) sentHistory.push(text);
    recall = -1;
  }

  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    } else if (event.key === "ArrowUp" && sentHistory.length && !composer.value.slice(0, composer.selectionStart).includes("\n")) {
      event.preventDefault(); // on the first line: recall the previous message sent
      recall = recall === -1 ? sentHistory.length - 1 : Math.max(0, recall - 1);
      composer.value = sentHistory[recall];
    } else if (event.key === "ArrowDown" && recall !== -1 && !composer.value.slice(composer.selectionEnd).includes("\n")) {
      event.preventDefault(); // on the last line: step forward again
      recall = recall + 1 < sentHistory.length ? recall + 1 : -1;
      composer.value = recall === -1 ? "" : sentHistory[recall];
    }
  });
  composer.addEventListener("input", () => {
    composeError.textContent = "";
    composer.classList.remove("wsw-invalid");
  });

  // ------------------------------------------------------------ wiring
  messages.onScroll((atEnd) => { if (!atEnd && follow.checked) follow.checked = false; });
  frames.onScroll((atEnd) => { if (!atEnd && frameFollow.checked) frameFollow.checked = false; });
  follow.addEventListener("change", () => { if (follow.checked) messages.refresh(); });
  frameFollow.addEventListener("change", () => { if (frameFollow.checked) frames.refresh(); });
  let filterTimer = null;
  const onFilter = () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(messages.refresh, 150);
  };
  for (const node of [filterText, regex, direction, kinds]) node.addEventListener(node === filterText ? "input" : "change", onFilter);

  const onMessage = (message, buffers) => {
    if (message.type === "batch") {
      updateCounters(message);
      appendDebug(message.debug);
      messages.push({ records: message.records, total: message.total, first_seq: message.first_seq }, buffers);
      if (message.frames && !framesTab.hidden) frames.push(message.frames, buffers);
      if (message.point) addPoints([message.point]);
    } else if (message.type === "record") showDetail(message, buffers);
    else if (message.type === "cleared") { updateCounters(message); detail.textContent = ""; messages.refresh(); frames.refresh(); }
    else if (message.type === "error") {
      if (message.action === "send") composeError.textContent = message.text;
      else if (message.action === "page") shown.textContent = message.text;
      else reason.textContent = message.text;
    }
    if (message.id !== undefined && pending.has(message.id)) {
      const callback = pending.get(message.id);
      pending.delete(message.id);
      callback({ ...message, buffers }, buffers);
    }
  };
  model.on("msg:custom", onMessage);
  const traits = ["state", "reason", "url", "subprotocol", "tls", "handshake", "frame_log", "reconnect"];
  const onChange = () => updateHeader();
  for (const name of traits) model.on(`change:${name}`, onChange);

  updateHeader();
  request({ type: "hello" }, (message) => { updateCounters(message); appendDebug(message.debug); addPoints(message.series || []); });
  messages.refresh();

  return () => {
    model.off("msg:custom", onMessage);
    for (const name of traits) model.off(`change:${name}`, onChange);
    clearTimeout(filterTimer);
    clearInterval(countdown);
  };
}

export default { render };
