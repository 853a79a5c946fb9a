// Pure helpers of the widget, tested with `node --test js/`.
import test from "node:test";
import assert from "node:assert/strict";

import { readdirSync, readFileSync } from "node:fs";

import { sparkPoints } from "./src/chart_math.js";
import { checkComposed, checkJson, parseBase64, parseHex, recallTarget } from "./src/composing.js";
import { contrastRatio, parseColour } from "./src/contrast.js";
import { addOpens, connectionStart, countersText, formatBytes, formatDateTime, formatTime, timeText, TIME_MODES } from "./src/formatting.js";
import widget from "./src/index.js";
import { ROW_HEIGHT, rowKeyTarget, scrollGeometry, scrollToShow, tabKeyTarget } from "./src/navigation.js";
import { hexDump, prettyJson, printable, toHex } from "./src/payloads.js";
import { frameColumns, handshakeText, previewText } from "./src/record_text.js";
import {
  connectRequest, detailNote, framesHint, pauseAnnouncement, pausedText, shownText, stateAnnouncement, stateLabel,
} from "./src/status_text.js";

test("countersText shows the callbacks behind only when there are some", () => {
  const stats = { messages_in: 3, bytes_in: 2048, messages_out: 1, bytes_out: 5, rate: 2.5 };
  assert.equal(countersText(stats), "\u2193 3 (2.0 KiB)  \u2191 1 (5 B)  2.5/s");
  assert.equal(countersText({ ...stats, callbacks_behind: 0 }), "\u2193 3 (2.0 KiB)  \u2191 1 (5 B)  2.5/s");
  assert.equal(countersText({ ...stats, callbacks_behind: 1 }), "\u2193 3 (2.0 KiB)  \u2191 1 (5 B)  2.5/s  1 callback behind");
  assert.equal(countersText({ ...stats, callbacks_behind: 40 }), "\u2193 3 (2.0 KiB)  \u2191 1 (5 B)  2.5/s  40 callbacks behind");
});

test("formatBytes picks a readable unit", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(4 * 1024 * 1024), "4.0 MiB");
});

test("parseHex reads spaced, 0x-prefixed and compact hex", () => {
  assert.deepEqual(Array.from(parseHex("01 02 ff").bytes), [1, 2, 255]);
  assert.deepEqual(Array.from(parseHex("0x01,0x0A").bytes), [1, 10]);
  assert.deepEqual(Array.from(parseHex("").bytes), []);
});

test("parseHex explains bad digits and odd lengths", () => {
  assert.match(parseHex("0g").error, /'g' is not a hex digit/);
  assert.match(parseHex("abc").error, /odd number of digits/);
});

test("parseBase64 decodes and rejects invalid text", () => {
  assert.deepEqual(Array.from(parseBase64("AQL/").bytes), [1, 2, 255]);
  assert.match(parseBase64("A*==").error, /invalid base64/);
});

test("checkJson reports the line and column of an error", () => {
  assert.deepEqual(checkJson('{"a": 1}').value, { a: 1 });
  const { error } = checkJson('{\n  "a": 1,,\n}');
  assert.match(error, /invalid JSON/);
  assert.match(error, /line 2/);
});

test("checkComposed checks only modes that have rules", () => {
  assert.deepEqual(checkComposed("not json", "text"), {});
  assert.match(checkComposed("not json", "json").error, /invalid JSON/);
  assert.match(checkComposed("zz", "hex").error, /hex/);
});

test("hexDump shows offsets, bytes and printable ASCII", () => {
  const dump = hexDump(new Uint8Array([0x48, 0x69, 0x00, 0x7f]));
  assert.equal(dump, "00000000  48 69 00 7f" + " ".repeat(36) + "  Hi..");
  assert.equal(toHex(new Uint8Array([1, 255])), "01 ff");
});

test("prettyJson formats objects and leaves other text alone", () => {
  assert.equal(prettyJson('{"a":[1]}'), '{\n  "a": [\n    1\n  ]\n}');
  assert.equal(prettyJson("hello"), null);
  assert.equal(prettyJson("{broken"), null);
});

test("previewText describes events and keeps text on one line", () => {
  assert.equal(previewText([1, 0, "in", "text", 3, "a\nb", null, null]), "a b");
  assert.equal(previewText([2, 0, "event", "close", 0, null, { code: 4001, reason: "bye", meaning: "private use" }, null]),
    "4001 (private use) bye");
  assert.equal(previewText([3, 0, "in", "binary", 100, null, null, 0], new Uint8Array([1, 2])), "01 02 \u2026");
  assert.equal(previewText([4, 0, "in", "pong", 2, null, { rtt: 0.0015 }, 0], new Uint8Array([1, 2])), "rtt 1.50 ms \u00b7 01 02");
});

test("previewText names pause, resume and reconnect events instead of dumping their info", () => {
  const pause = [5, 0, "event", "pause", 0, null, { reason: "4,096 Data callbacks behind", callbacks: 4097, unread: 0 }, null];
  assert.equal(previewText(pause), "reading paused (4,096 Data callbacks behind)");
  assert.equal(previewText([6, 0, "event", "resume", 0, null, { reason: "caught up" }, null]), "reading resumed (caught up)");
  assert.equal(previewText([7, 0, "event", "resume", 0, null, {}, null]), "reading resumed");
  assert.equal(previewText([8, 0, "event", "reconnect", 0, null, { retry: 2, delay: 1.25 }, null]), "attempt 2 in 1.3 s");
  assert.equal(previewText([9, 0, "event", "someday", 0, null, { a: 1 }, null]), '{"a":1}'); // kinds yet unknown stay legible
});

test("pausedText shows the reason while paused and nothing while reading", () => {
  assert.equal(pausedText("4,096 Data callbacks behind"), "paused: 4,096 Data callbacks behind");
  assert.equal(pausedText("312 messages not yet taken by the receiving loop"), "paused: 312 messages not yet taken by the receiving loop");
  assert.equal(pausedText(""), "");
  assert.equal(pausedText(null), "");
});

test("pauseAnnouncement speaks once on a pause and once on the resume", () => {
  assert.equal(pauseAnnouncement("", "51 Data callbacks behind"), "reading paused: 51 Data callbacks behind");
  assert.equal(pauseAnnouncement("51 Data callbacks behind", ""), "reading resumed");
  assert.equal(pauseAnnouncement("51 Data callbacks behind", "64.0 MiB of Data callbacks behind"), null);
  assert.equal(pauseAnnouncement("", ""), null);
  assert.equal(pauseAnnouncement(undefined, ""), null);
});

test("scrollGeometry maps scroll positions to rows without scaling for small lists", () => {
  const geo = scrollGeometry(100, 300);
  assert.equal(geo.height, 100 * ROW_HEIGHT);
  assert.equal(geo.firstRow(0), 0);
  assert.equal(geo.firstRow(ROW_HEIGHT * 10), 10);
  assert.equal(geo.visible, Math.ceil(300 / ROW_HEIGHT) + 1);
});

test("scrollGeometry scales a million rows into a bounded height, end to end", () => {
  const total = 1_000_000;
  const geo = scrollGeometry(total, 300, ROW_HEIGHT, 8_000_000);
  assert.equal(geo.height, 8_000_000);
  assert.equal(geo.firstRow(0), 0);
  const lastFirst = geo.firstRow(geo.height - 300);
  assert.equal(lastFirst, total - Math.floor(300 / ROW_HEIGHT));
  assert.equal(geo.firstRow(geo.scrollTopFor(500_000)), 500_000);
});

test("frameColumns shows the FIN, RSV1 and MASK bits and a readable preview", () => {
  const text = frameColumns([1, 0, "in", "TEXT", 6, null, { fin: false, rsv1: true, masked: false }, 0], new TextEncoder().encode("alpha-"));
  assert.deepEqual(text, { bits: "FIN=0 RSV1=1 MASK=0", preview: "alpha-" });
  const close = frameColumns([2, 0, "out", "CLOSE", 2, null, { fin: true, rsv1: false, masked: true, code: 1000, meaning: "OK" }, 0]);
  assert.deepEqual(close, { bits: "FIN=1 RSV1=0 MASK=1", preview: "1000 (OK)" });
  assert.equal(frameColumns([3, 0, "in", "BINARY", 2, null, { fin: true }, 0], new Uint8Array([0, 255])).preview, "00 ff");
  assert.equal(printable(new Uint8Array([0xff])), false);
});

test("handshakeText lays out the request, the response and the accept check", () => {
  const text = handshakeText({
    request_line: "GET /echo HTTP/1.1", request_headers: [["Authorization", "****"]], status: 101, reason: "Switching Protocols",
    response_headers: [["Upgrade", "websocket"]], subprotocol: null,
    accept_check: { key: "k", key_plus_guid: "kG", sha1: "ab", accept: "A=", received: "A=", ok: true },
    extensions: [{ name: "permessage-deflate", parameters: { server_max_window_bits: "12", client_no_context_takeover: null } }],
  });
  assert.match(text, /^GET \/echo HTTP\/1.1\nAuthorization: \*\*\*\*\n\nHTTP\/1.1 101 Switching Protocols/);
  assert.match(text, /server sent {9}A= {2}\u2714 matches/);
  assert.match(text, /permessage-deflate; server_max_window_bits=12; client_no_context_takeover/);
  assert.match(handshakeText({ status: 403, reason: "Forbidden", response_headers: [], body: "bad token" }), /403 Forbidden\n\nbad token/);
  assert.equal(handshakeText({}), "No handshake yet: connect first.");
});

test("sparkPoints scales values into the box and skips gaps", () => {
  assert.equal(sparkPoints([0, 5, 10], 100, 10), "0.0,10.0 50.0,5.0 100.0,0.0");
  assert.equal(sparkPoints([null, 2], 10, 10), "10.0,0.0");
  assert.equal(sparkPoints([], 10, 10), "");
});

test("tabKeyTarget wraps Left and Right and jumps with Home and End", () => {
  assert.equal(tabKeyTarget("ArrowRight", 0, 5), 1);
  assert.equal(tabKeyTarget("ArrowRight", 4, 5), 0);
  assert.equal(tabKeyTarget("ArrowLeft", 0, 5), 4);
  assert.equal(tabKeyTarget("Home", 3, 5), 0);
  assert.equal(tabKeyTarget("End", 1, 5), 4);
  assert.equal(tabKeyTarget("Enter", 1, 5), null);
  assert.equal(tabKeyTarget("ArrowRight", 0, 0), null);
});

test("rowKeyTarget starts in view, moves by one or a page, and stops at the ends", () => {
  assert.equal(rowKeyTarget("ArrowDown", null, 100, 40, 13), 40); // no active row: the first in view
  assert.equal(rowKeyTarget("ArrowUp", null, 100, 40, 13), 52); // ... or the last in view
  assert.equal(rowKeyTarget("ArrowUp", null, 5, 0, 13), 4);
  assert.equal(rowKeyTarget("ArrowDown", 2, 100, 0, 13), 3);
  assert.equal(rowKeyTarget("ArrowDown", 99, 100, 0, 13), 99);
  assert.equal(rowKeyTarget("ArrowUp", 0, 100, 0, 13), 0);
  assert.equal(rowKeyTarget("PageDown", 90, 100, 0, 13), 99);
  assert.equal(rowKeyTarget("PageUp", 20, 100, 0, 13), 7);
  assert.equal(rowKeyTarget("Home", 50, 100, 0, 13), 0);
  assert.equal(rowKeyTarget("End", 50, 100, 0, 13), 99);
  assert.equal(rowKeyTarget("ArrowDown", null, 0, 0, 13), null);
  assert.equal(rowKeyTarget("a", 3, 100, 0, 13), null);
});

test("scrollToShow scrolls only when the row is out of view, in scaled lists too", () => {
  const geo = scrollGeometry(100, 300);
  assert.equal(scrollToShow(5, 0, 13, geo), null);
  assert.equal(scrollToShow(13, 0, 13, geo), 1 * ROW_HEIGHT);
  assert.equal(scrollToShow(2, 10, 13, geo), 2 * ROW_HEIGHT);
  const big = scrollGeometry(1_000_000, 300);
  assert.equal(big.firstRow(scrollToShow(500_000, 0, 13, big)), 500_000 - 12);
});

test("stateAnnouncement says the state, the attempt and the reason", () => {
  assert.equal(stateAnnouncement("OPEN", "", {}), "OPEN");
  assert.equal(stateAnnouncement("CLOSED", "1000 (normal closure)", {}), "CLOSED 1000 (normal closure)");
  assert.equal(stateAnnouncement("RECONNECTING", "1012 (service restart) restart", { retry: 2, at_ms: 0 }),
    "RECONNECTING attempt 2 1012 (service restart) restart");
  assert.equal(stateAnnouncement("ERROR", "connection refused"), "ERROR connection refused");
});

test("contrastRatio follows WCAG 2: 21 for black on white, alpha composited over the background", () => {
  assert.equal(contrastRatio("#000", "#fff").toFixed(2), "21.00");
  assert.equal(contrastRatio("#ffffff", "#ffffff"), 1);
  assert.equal(contrastRatio("#ffffff", "#f57c00").toFixed(2), "2.70"); // the old white-on-amber pill
  assert.equal(contrastRatio("rgba(0, 0, 0, 0.54)", "rgb(255, 255, 255)").toFixed(2), "4.59");
  assert.deepEqual(parseColour("rgb(1 2 3 / 50%)"), [1, 2, 3, 0.5]);
  assert.equal(parseColour("papayawhip"), null);
  assert.throws(() => contrastRatio("papayawhip", "#fff"), /contrastRatio needs colours/);
});

test("the stylesheet's text colours meet WCAG AA on JupyterLab's Light and Dark backgrounds", () => {
  const css = readFileSync(new URL("./widget.css", import.meta.url), "utf8");
  const block = (selector) => css.slice(css.indexOf(`${selector} {`), css.indexOf("}", css.indexOf(`${selector} {`)));
  const colours = (text) => Object.fromEntries([...text.matchAll(/--(wsw-[a-z-]+-text):\s*(?:var\(--[a-z0-9-]+,\s*)?(#[0-9a-f]{3,6})/gi)].map((m) => [m[1], m[2]]));
  const light = colours(block(".wsw-root"));
  const dark = colours(block('[data-jp-theme-light="false"] .wsw-root'));
  assert.deepEqual(Object.keys(light).sort(), ["wsw-accent-text", "wsw-error-text", "wsw-ok-text", "wsw-warn-text"]);
  assert.deepEqual(Object.keys(dark).sort(), Object.keys(light).sort());
  // --jp-layout-color1 of JupyterLab Light and Dark (the fallbacks above are those themes' own values).
  for (const [name, colour] of Object.entries(light)) assert.ok(contrastRatio(colour, "#ffffff") >= 4.5, `${name} ${colour} on white`);
  for (const [name, colour] of Object.entries(dark)) assert.ok(contrastRatio(colour, "#212121") >= 4.5, `${name} ${colour} on #212121`);
  for (const [muted, bg] of [["rgba(0, 0, 0, 0.54)", "#ffffff"], ["rgba(255, 255, 255, 0.54)", "#212121"]]) {
    assert.ok(contrastRatio(muted, bg) >= 4.5, `muted ${muted} on ${bg}`); // --jp-ui-font-color2
  }
});

// ---------------------------------------------------------------- hostile strings (issue 7, item 6)

const HOSTILE = [
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "javascript:alert(1)",
  "\u202eevil\u202c", "\u2066rtl\u2069", "\u0000nul", "\ud800", "\udfff lone", "&lt;b&gt;", "${alert(1)}",
  "{{constructor.constructor('alert(1)')()}}", "__proto__", "constructor", "\"'><iframe src=javascript:alert(1)>",
  "<a href=\"javascript:alert(1)\">x</a>", "\r\n\t", "\u2028\u2029", "</pre><b>", "<!--", "\ufeff",
];

/** A seeded generator of hostile strings: fragments glued to random code units, lone surrogates included. */
function hostileStrings(count, seed = 7) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out = [...HOSTILE];
  while (out.length < count) {
    let text = "";
    for (let i = Math.floor(next() * 6); i >= 0; i--) {
      text += next() < 0.5 ? HOSTILE[Math.floor(next() * HOSTILE.length)] : String.fromCharCode(Math.floor(next() * 0x10000));
    }
    out.push(text);
  }
  return out;
}

const MEGABYTE = "<img src=x onerror=alert(1)>".repeat(37_450); // about 1 MB

test("previewText turns hostile text into the same text, one line, never markup", () => {
  for (const text of [...hostileStrings(500), MEGABYTE]) {
    const shown = previewText([1, 0, "in", "text", text.length, text, null, null]);
    assert.equal(typeof shown, "string");
    assert.equal(shown, text.replace(/\s+/g, " ")); // exactly the text: nothing parsed, escaped or dropped
    const close = previewText([2, 0, "event", "close", 0, null, { code: 4000, reason: text, meaning: text }, null]);
    assert.ok(typeof close === "string" && close.endsWith(` ${text}`));
    assert.equal(previewText([3, 0, "event", "error", 0, null, { message: text }, null]), text);
    assert.ok(previewText([4, 0, "event", "open", 0, null, { url: text, subprotocol: text }, null]).startsWith(text));
    assert.equal(typeof previewText([5, 0, "event", text, 0, null, { [text]: text }, null]), "string");
  }
});

test("previewText of records of the wrong shape still gives a string", () => {
  // JSON values only. An object with a "toString" key would throw in a template string: the
  // kernel never sends one (History.from_jsonl checks the types of the fields shown here).
  const odd = [{}, [], 5, true, null, ["<b>"], { a: "<img src=x onerror=alert(1)>" }];
  for (const value of odd) {
    assert.equal(typeof previewText([1, 0, "event", "close", 0, null, { code: value, reason: value, meaning: value }, null]), "string");
    assert.equal(typeof previewText([1, 0, "event", "open", 0, null, { url: value }, null]), "string");
    assert.equal(typeof previewText([1, 0, "in", "pong", 0, null, { rtt: 0.001, unsolicited: value }, null]), "string");
  }
});

test("frameColumns, hexDump and handshakeText keep hostile bytes and text as plain strings", () => {
  for (const text of hostileStrings(300)) {
    const bytes = new TextEncoder().encode(text);
    const { bits, preview } = frameColumns([1, 0, "in", "TEXT", bytes.length, null, { fin: true, meaning: text, code: 1000 }, 0], bytes);
    assert.equal(typeof bits, "string");
    assert.equal(preview, `1000 (${text})`.replace(/\s+/g, " "));
    assert.equal(typeof frameColumns([1, 0, "in", "TEXT", 1, null, {}, 0], bytes).preview, "string");
    assert.match(hexDump(bytes), /^[0-9a-f .\x20-\x7e\n]*$/); // only offsets, hex and printable ASCII
    const handshake = handshakeText({
      request_line: text, request_headers: [[text, text]], status: 101, reason: text, response_headers: [[text, text]],
      body: text, subprotocol: text, extensions: [{ name: text, parameters: { [text]: text } }],
      accept_check: { key: text, key_plus_guid: text, sha1: text, accept: text, received: text, ok: false },
    });
    assert.ok(typeof handshake === "string" && handshake.startsWith(text) && handshake.includes(`${text}: ${text}`));
    const json = JSON.stringify({ [text]: [text] });
    assert.deepEqual(JSON.parse(prettyJson(json)), JSON.parse(json));
  }
});

test("a 1 MB hostile record is turned into text in linear time", () => {
  const started = performance.now();
  assert.equal(previewText([1, 0, "in", "text", MEGABYTE.length, MEGABYTE, null, null]).length, MEGABYTE.length);
  assert.ok(hexDump(new TextEncoder().encode(MEGABYTE.slice(0, 200_000))).length > 0);
  assert.ok(performance.now() - started < 5000);
  assert.equal(typeof formatTime(Number.NaN), "string");
});

test("widget.js and its modules in src/ have no HTML sink: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval", () => {
  const files = ["widget.js", ...readdirSync(new URL("./src/", import.meta.url)).map((name) => `src/${name}`)];
  assert.ok(files.length > 10, files.join(" "));
  for (const file of files) {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
    assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function|srcdoc|\.href\s*=/, file);
  }
});

// A tiny fake DOM (jsdom is not installed): it records every element created and every attribute
// set, and throws on any HTML sink, so render() can be driven with hostile records in node.

class FakeNode {
  constructor(tag, log) {
    this.tagName = tag; this.log = log; this.children = []; this.attributes = {}; this.listeners = {}; this.parentNode = null;
    this.style = {}; this.dataset = {}; this.hidden = false; this.scrollTop = 0; this.scrollHeight = 0;
    const classes = new Set();
    this.classList = { add: (c) => classes.add(c), remove: (c) => classes.delete(c), toggle: (c, on) => (on ?? !classes.has(c)) ? classes.add(c) : classes.delete(c) };
    log.created.push(tag);
  }
  set textContent(value) { this.children = [{ text: String(value) }]; }
  get textContent() { return this.children.map((c) => (c instanceof FakeNode ? c.textContent : c.text)).join(""); }
  set className(value) { this.setAttribute("class", value); }
  set title(value) { this.setAttribute("title", value); }
  set innerHTML(_) { throw new Error("innerHTML used"); }
  set outerHTML(_) { throw new Error("outerHTML used"); }
  insertAdjacentHTML() { throw new Error("insertAdjacentHTML used"); }
  setAttribute(name, value) { this.attributes[name] = String(value); this.log.attributes.push([name, String(value)]); }
  removeAttribute(name) { delete this.attributes[name]; }
  addEventListener(type, listener) { (this.listeners[type] ||= []).push(listener); }
  removeEventListener(type, listener) { this.listeners[type] = (this.listeners[type] || []).filter((l) => l !== listener); }
  /** Dispatch an event at this node, bubbling up through its ancestors. */
  dispatch(type, fields = {}) {
    const event = { target: this, key: "", preventDefault() {}, ...fields };
    for (let node = this; node; node = node.parentNode) {
      for (const listener of node.listeners[type] || []) listener({ ...event, currentTarget: node });
    }
  }
  focus() { this.log.focused = this; }
  append(...nodes) {
    for (const node of nodes) {
      if (node instanceof FakeNode) { node.remove(); node.parentNode = this; }
      this.children.push(typeof node === "string" ? { text: node } : node);
    }
  }
  remove() {
    if (this.parentNode) this.parentNode.children = this.parentNode.children.filter((c) => c !== this);
    this.parentNode = null;
  }
  replaceChildren(...nodes) { for (const child of this.children) if (child instanceof FakeNode) child.parentNode = null; this.children = []; this.append(...nodes); }
  *walk() { yield this; for (const child of this.children) if (child instanceof FakeNode) yield* child.walk(); }
}

function fakeDocument(log) {
  return {
    activeElement: null,
    createElement: (tag) => new FakeNode(tag, log),
    createElementNS: (_, tag) => new FakeNode(tag, log),
    createTextNode: (text) => ({ text: String(text) }),
    write() { throw new Error("document.write used"); },
  };
}

/**
 * Install the fake DOM and render one view against a fake model; return the handles a test
 * needs. The fake ResizeObserver and requestAnimationFrame count what is live.
 */
function fakeView(traits) {
  const log = { created: [], attributes: [], focused: null };
  const live = { observers: new Set(), frames: new Set() };
  const resizers = [];
  let frameId = 0;
  Object.assign(globalThis, {
    document: fakeDocument(log),
    ResizeObserver: class {
      constructor(callback) { this.callback = callback; resizers.push(this); }
      observe() { live.observers.add(this); }
      disconnect() { live.observers.delete(this); }
    },
    requestAnimationFrame: (callback) => { callback(); return ++frameId; },
    cancelAnimationFrame: (id) => live.frames.delete(id),
  });
  const handlers = {};
  const sent = [];
  const model = {
    get: (name) => traits[name],
    on: (event, handler) => { (handlers[event] ||= new Set()).add(handler); },
    off: (event, handler) => handlers[event] && handlers[event].delete(handler),
    send: (content) => sent.push(content),
    set: (name, value) => { traits[name] = value; },
    save_changes: () => sent.push({ type: "save_changes" }),
  };
  const el = new FakeNode("div", log);
  const cleanup = widget.render({ model, el });
  const deliver = (message, buffers = []) => { for (const handler of handlers["msg:custom"] || []) handler(message, buffers); };
  const resize = (height) => { for (const observer of resizers) if (live.observers.has(observer)) observer.callback([{ contentRect: { height } }]); };
  const byRole = (name) => [...el.walk()].find((node) => node.attributes["data-role"] === name);
  return { log, live, handlers, sent, model, el, cleanup, deliver, resize, byRole };
}

function uninstallFakeDom() {
  for (const name of ["document", "ResizeObserver", "requestAnimationFrame", "cancelAnimationFrame"]) delete globalThis[name];
}

const PLAIN_TRAITS = { state: "OPEN", reason: "", url: "ws://127.0.0.1:1/echo", subprotocol: "", tls: "", handshake: {}, frame_log: false, reconnect: {}, paused: "" };

function textRecords(count) {
  return Array.from({ length: count }, (_, i) => [i + 1, 0, i % 2 ? "in" : "out", "text", 7, `message ${i + 1}`, null, null]);
}

test("render() fed hundreds of hostile records creates only the widget's own elements, text as text", () => {
  const strings = hostileStrings(400);
  const traits = { state: strings[0], reason: strings[1], url: strings[2], subprotocol: strings[3], tls: strings[4],
    handshake: { request_line: strings[5], request_headers: [[strings[6], strings[7]]], status: 403, reason: strings[8], body: strings[9] },
    frame_log: false, reconnect: {}, paused: strings[12] };
  const { log, sent, el, cleanup, deliver, resize, byRole } = fakeView(traits);
  const before = log.created.length;

  const records = strings.map((text, i) => [i + 1, 0, ["in", "out", "event", text][i % 4], ["text", "close", "error", "open", text][i % 5],
    text.length, i % 5 === 0 ? text : null, { code: 4000, reason: text, meaning: text, message: text, url: text, [text]: text }, null]);
  const page = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: page.id, offset: 0, total: records.length, first_seq: 1, records });
  const hello = sent.find((content) => content.type === "hello");
  deliver({ type: "hello", id: hello.id, debug: strings.slice(0, 50), stats: null, series: [] });
  deliver({ type: "error", action: "page", text: strings[10] });
  resize(ROW_HEIGHT * 500); // every row in view
  const rows = [...el.walk()].filter((node) => node.attributes["data-seq"]);
  assert.equal(rows.length, records.length);
  rows[7].children[0].dispatch("click"); // on a cell: the list's one listener finds the row
  const get = sent.find((content) => content.type === "get");
  assert.equal(get.seq, 8);
  deliver({ type: "record", id: get.id, seq: get.seq, kind: strings[11], size: 5, text: MEGABYTE });

  const tags = new Set(log.created);
  assert.deepEqual([...tags].filter((tag) => !["div", "span", "button", "input", "select", "option", "textarea", "pre", "label", "svg", "polyline",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "p", // and the frame layout's
    "line", "circle", "text", "ul", "li", "fieldset", "legend"].includes(tag)), []); // and the charts'
  assert.ok(log.created.length - before >= records.length * 7); // a row and six cells per record were made
  const allowed = /^(class|data-[a-z-]+|title|aria-[a-z]+|id|for|type|placeholder|tabindex|role|value|rows|spellcheck|viewBox|preserveAspectRatio|fill|vector-effect|points|colspan|scope|x[12]?|y[12]?|c[xy]|r|transform|text-anchor)$/;
  assert.deepEqual(log.attributes.filter(([name]) => !allowed.test(name)), []); // no on*, href, src or style from data
  const shown = [...el.walk()].map((node) => node.textContent).join("\n");
  assert.ok(shown.includes("<img src=x onerror=alert(1)>") && shown.includes(strings[1])); // shown, as text
  assert.ok(shown.includes(MEGABYTE.slice(0, 1000)));
  assert.ok(byRole("detail").textContent.startsWith("#8 "));
  cleanup();
  uninstallFakeDom();
});

test("rows are reused: scrolling a long list makes no new row nodes, and rows have no listeners of their own", () => {
  const { log, sent, el, cleanup, deliver, resize, byRole } = fakeView(PLAIN_TRAITS);
  resize(ROW_HEIGHT * 10);
  const page = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: page.id, offset: 0, total: 1000, first_seq: 1, records: textRecords(1000) });
  const rowCount = () => [...el.walk()].filter((node) => node.attributes.role === "option").length;
  const viewport = byRole("history");
  viewport.dispatch("scroll"); // the scroll that following the end caused (the fake DOM does not fire it)
  viewport.scrollTop = ROW_HEIGHT * 50;
  viewport.dispatch("scroll");
  const shownRows = rowCount();
  const made = log.created.length;
  for (const top of [ROW_HEIGHT * 100, ROW_HEIGHT * 500, ROW_HEIGHT * 990, 0]) {
    viewport.scrollTop = top;
    viewport.dispatch("scroll");
  }
  assert.equal(log.created.length, made, log.created.slice(made).join(","));
  assert.equal(rowCount(), shownRows);
  const rows = [...el.walk()].filter((node) => node.attributes.role === "option");
  assert.ok(rows.every((row) => Object.values(row.listeners).every((list) => list.length === 0)));
  cleanup();
  uninstallFakeDom();
});

test("the history list: Down three times from the top and Enter open record 3, Escape closes it and refocuses the list", () => {
  const { log, sent, cleanup, deliver, resize, byRole } = fakeView(PLAIN_TRAITS);
  resize(300);
  const page = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: page.id, offset: 0, total: 5, first_seq: 1, records: textRecords(5) });
  const viewport = byRole("history");
  for (let i = 0; i < 3; i++) viewport.dispatch("keydown", { key: "ArrowDown" });
  const active = viewport.attributes["aria-activedescendant"];
  const activeRow = [...viewport.walk()].find((node) => node.attributes.id === active);
  assert.equal(activeRow.attributes["data-seq"], "3");
  viewport.dispatch("keydown", { key: "Enter" });
  const get = sent.find((content) => content.type === "get");
  assert.equal(get.seq, 3);
  deliver({ type: "record", id: get.id, seq: 3, kind: "text", size: 9, text: "message 3" });
  const detail = byRole("detail");
  assert.match(detail.textContent, /^#3 text/);
  assert.equal(log.focused, detail);
  detail.dispatch("keydown", { key: "Escape" });
  assert.equal(detail.textContent, "");
  assert.equal(log.focused, viewport);
  assert.equal(byRole("follow").checked, false); // moving off the newest row stops following
  cleanup();
  uninstallFakeDom();
});

test("tabs: arrow keys, Home and End select a tab, one tab stop, the panel shown follows", () => {
  const { log, el, cleanup } = fakeView(PLAIN_TRAITS);
  const tabs = [...el.walk()].filter((node) => node.attributes.role === "tab");
  const panels = [...el.walk()].filter((node) => node.attributes.role === "tabpanel");
  assert.equal(tabs.length, 6);
  const selected = () => tabs.findIndex((tab) => tab.attributes["aria-selected"] === "true");
  const check = (index) => {
    assert.equal(selected(), index);
    assert.deepEqual(tabs.map((tab) => tab.attributes.tabindex), tabs.map((_, i) => (i === index ? "0" : "-1")));
    assert.deepEqual(panels.map((panel) => panel.hidden), panels.map((_, i) => i !== index));
    assert.equal(panels[index].attributes["aria-labelledby"], tabs[index].attributes.id);
  };
  check(0);
  tabs[0].dispatch("keydown", { key: "ArrowLeft" });
  check(5);
  assert.equal(log.focused, tabs[5]);
  tabs[5].dispatch("keydown", { key: "ArrowRight" });
  check(0);
  tabs[0].dispatch("keydown", { key: "End" });
  check(5);
  tabs[5].dispatch("keydown", { key: "Home" });
  check(0);
  tabs[2].dispatch("click");
  check(2);
  cleanup();
  uninstallFakeDom();
});

test("each trait change updates only its own part; the live region says the state", () => {
  const traits = { ...PLAIN_TRAITS, state: "CONNECTING" };
  const { handlers, cleanup, byRole } = fakeView(traits);
  assert.equal(byRole("announce").textContent, "CONNECTING");
  const fire = (name, value) => { traits[name] = value; for (const handler of handlers[`change:${name}`]) handler(); };
  const handshakeText = byRole("handshake").textContent;
  fire("state", "OPEN");
  assert.equal(byRole("state").textContent, "OPEN");
  assert.equal(byRole("announce").textContent, "OPEN");
  assert.equal(byRole("handshake").textContent, handshakeText);
  traits.reason = "1000 (normal closure)";
  fire("state", "CLOSED");
  assert.equal(byRole("announce").textContent, "CLOSED 1000 (normal closure)");
  fire("reason", "1000 (normal closure)"); // the same batch: said once
  assert.equal(byRole("reason").textContent, "1000 (normal closure)");
  assert.equal(byRole("ping").disabled, true);
  cleanup();
  uninstallFakeDom();
});

test("the paused trait shows a badge while paused, and the live region says the pause and the resume once each", () => {
  const traits = { ...PLAIN_TRAITS };
  const { handlers, cleanup, byRole } = fakeView(traits);
  const badge = byRole("paused");
  assert.equal(badge.hidden, true);
  assert.equal(byRole("announce").textContent, "OPEN");
  const fire = (name, value) => { traits[name] = value; for (const handler of handlers[`change:${name}`]) handler(); };
  fire("paused", "4,096 Data callbacks behind");
  assert.equal(badge.hidden, false);
  assert.equal(badge.textContent, "paused: 4,096 Data callbacks behind");
  assert.equal(byRole("announce").textContent, "reading paused: 4,096 Data callbacks behind");
  fire("subprotocol", "chat"); // another trait changes meanwhile
  assert.equal(byRole("announce").textContent, "reading paused: 4,096 Data callbacks behind");
  fire("paused", "64.0 MiB of Data callbacks behind"); // still paused: shown, not said again
  assert.equal(badge.textContent, "paused: 64.0 MiB of Data callbacks behind");
  assert.equal(byRole("announce").textContent, "reading paused: 4,096 Data callbacks behind");
  fire("paused", "");
  assert.equal(badge.hidden, true);
  assert.equal(badge.textContent, "");
  assert.equal(byRole("announce").textContent, "reading resumed");
  cleanup();
  uninstallFakeDom();
});

test("a view opened while paused shows the badge without announcing it", () => {
  const { cleanup, byRole } = fakeView({ ...PLAIN_TRAITS, paused: "312 messages not yet taken by the receiving loop" });
  assert.equal(byRole("paused").textContent, "paused: 312 messages not yet taken by the receiving loop");
  assert.equal(byRole("paused").hidden, false);
  assert.equal(byRole("announce").textContent, "OPEN");
  cleanup();
  uninstallFakeDom();
});

test("batches carry Stats points as a list, one per second", () => {
  const { cleanup, deliver, byRole, el } = fakeView(PLAIN_TRAITS);
  const stats = { messages_in: 1, bytes_in: 1, messages_out: 0, bytes_out: 0, rate: 0.5, last_rtt: null };
  deliver({ type: "batch", records: [], debug: [], points: [[1000, 1, 0, 1, 0, null], [2000, 3, 0, 3, 0, null]], frames: { records: [], total: 0, first_seq: 1 },
    stats, first_seq: 1, last_seq: 0, total: 0, dropped: 0 });
  byRole("tab-stats").dispatch("click");
  const caption = [...el.walk()].find((node) => node.attributes.class === "wsw-chart-caption");
  assert.equal(caption.textContent, "messages/s (in, out): 3 / 0");
  cleanup();
  uninstallFakeDom();
});

test("50 renders and cleanups leave no observer, model handler, animation frame or pending request behind", () => {
  const { live, handlers, sent, cleanup, deliver, resize } = fakeView(PLAIN_TRAITS);
  cleanup();
  const observersAfterOne = live.observers.size;
  for (let i = 0; i < 50; i++) {
    const view = fakeView(PLAIN_TRAITS);
    view.resize(300);
    const page = view.sent.find((content) => content.type === "page");
    view.deliver({ type: "page", id: page.id, offset: 0, total: 4000, first_seq: 1, records: textRecords(4000) });
    view.cleanup();
    const left = Object.values(view.handlers).reduce((sum, set) => sum + set.size, 0);
    assert.equal(left, 0);
    assert.equal(view.live.observers.size, 0);
    assert.equal([...view.el.walk()].length, 1); // the root left el
    view.deliver({ type: "page", id: page.id + 1, offset: 0, total: 1, first_seq: 1, records: textRecords(1) }); // too late: ignored
  }
  assert.equal(observersAfterOne, 0);
  assert.equal(Object.values(handlers).reduce((sum, set) => sum + set.size, 0), 0);
  void sent; void deliver; void resize;
  uninstallFakeDom();
});

// ---------------------------------------------------------------- issue 14, finding 4: small traps

test("at the end of the list the box of rows ends with the last row in full, scaled or not", () => {
  for (const total of [20, 100, 1_000_000]) {
    const viewport = 298; // 300 px less the 1 px borders
    const geo = scrollGeometry(total, viewport);
    const scrollTop = geo.height - viewport; // following: scrolled to the end
    const first = geo.firstRow(scrollTop);
    const boxTop = geo.rowTop(first, scrollTop);
    const lastRowBottom = boxTop + (total - first) * ROW_HEIGHT;
    assert.ok(boxTop + geo.rowsHeight(first) >= lastRowBottom, `total ${total}: the box clips the last row`);
    assert.ok(lastRowBottom <= scrollTop + viewport, `total ${total}: the last row ends below the viewport`);
    assert.ok(boxTop + geo.rowsHeight(first) <= geo.height, `total ${total}: the box reaches past the spacer`);
  }
  assert.equal(scrollGeometry(3, 298).rowsHeight(0), 3 * ROW_HEIGHT);
});

test("stateLabel says NOT CONNECTED for a socket never connected, and the state otherwise", () => {
  assert.equal(stateLabel("NEW"), "NOT CONNECTED");
  assert.equal(stateLabel("CLOSED"), "CLOSED");
  assert.equal(stateAnnouncement("NEW", ""), "NOT CONNECTED");
});

test("connectRequest sends what was typed, and asks for a URL when there is nothing to reconnect to", () => {
  assert.deepEqual(connectRequest("  ws://host:1/x ", "NEW"), { url: "ws://host:1/x" });
  assert.deepEqual(connectRequest("", "CLOSED"), { url: "" }); // reconnect as before
  assert.match(connectRequest(" ", "NEW").error, /URL first/);
});

test("shownText says why nothing is shown when the filter was refused", () => {
  assert.equal(shownText(12, true, null), "12 records");
  assert.equal(shownText(3, false, null), "3 match");
  assert.equal(shownText(0, false, "invalid regular expression: missing )"), "invalid regular expression: missing ) \u2014 no records shown");
});

test("detailNote marks a record older than the newest connection", () => {
  assert.equal(detailNote(5, 0), "");
  assert.equal(detailNote(5, 3), "");
  assert.match(detailNote(5, 9), /earlier connection/);
  assert.equal(detailNote(null, 9), "");
});

test("framesHint says how to start recording while it is off", () => {
  assert.match(framesHint(false, 0), /not recorded yet.*Record frames/);
  assert.match(framesHint(false, 4), /Recording is off/);
  assert.match(framesHint(true, 0), /^Recording/);
  assert.equal(framesHint(true, 4), "");
});

test("a bad regular expression empties the list and says so; a good one shows matches again", () => {
  const { sent, cleanup, deliver, resize, byRole, el } = fakeView(PLAIN_TRAITS);
  resize(300);
  const first = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: first.id, offset: 0, total: 5, first_seq: 1, records: textRecords(5) });
  const rows = () => [...el.walk()].filter((node) => node.attributes["data-seq"] && !node.hidden).length;
  assert.equal(rows(), 5);
  byRole("filter").value = "(";
  const before = sent.length;
  byRole("regex").checked = true;
  byRole("regex").dispatch("change"); // the list asks again after the filters' 150 ms pause
  return new Promise((resolve) => setTimeout(resolve, 200)).then(() => {
    const asked = sent.slice(before).find((content) => content.type === "page");
    deliver({ type: "error", action: "page", id: asked.id, text: "invalid regular expression: missing ), unterminated subpattern" });
    assert.equal(rows(), 0);
    assert.match(byRole("shown").textContent, /^invalid regular expression.*no records shown$/);
    deliver({ type: "batch", records: textRecords(6).slice(5), debug: [], points: [], frames: { records: [], total: 0, first_seq: 1 },
      stats: null, first_seq: 1, last_seq: 6, total: 6, dropped: 0 }); // new records do not bring old matches back
    assert.equal(rows(), 0);
    cleanup();
    uninstallFakeDom();
  });
});

test("opening a record stops following; the detail has a close button and is marked after a reconnect", () => {
  const traits = { ...PLAIN_TRAITS };
  const { sent, handlers, cleanup, deliver, resize, byRole } = fakeView(traits);
  resize(300);
  const page = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: page.id, offset: 0, total: 5, first_seq: 1, records: textRecords(5) });
  const row = [...byRole("rows").walk()].find((node) => node.attributes["data-seq"] === "4");
  assert.equal(byRole("follow").checked, true);
  row.dispatch("click");
  assert.equal(byRole("follow").checked, false);
  const get = sent.find((content) => content.type === "get");
  deliver({ type: "record", id: get.id, seq: 4, kind: "text", size: 9, text: "message 4" });
  assert.equal(byRole("detail-pane").hidden, false);
  assert.equal(byRole("detail-note").textContent, "");
  const fire = (name, value) => { traits[name] = value; for (const handler of handlers[`change:${name}`]) handler(); };
  fire("state", "CLOSED");
  fire("state", "OPEN");
  assert.match(byRole("detail-note").textContent, /earlier connection/);
  byRole("detail-close").dispatch("click");
  assert.equal(byRole("detail-pane").hidden, true);
  assert.equal(byRole("detail").textContent, "");
  assert.equal(byRole("detail-note").textContent, "");
  cleanup();
  uninstallFakeDom();
});

test("a never-connected view says NOT CONNECTED, and Connect with an empty field asks for a URL", () => {
  const { sent, cleanup, byRole } = fakeView({ ...PLAIN_TRAITS, state: "NEW", url: "" });
  assert.equal(byRole("state").textContent, "NOT CONNECTED");
  assert.match(byRole("url-input").attributes.placeholder, /^type a URL/);
  byRole("connect").dispatch("click");
  assert.equal(sent.filter((content) => content.type === "connect").length, 0);
  assert.match(byRole("connect-error").textContent, /URL first/);
  byRole("url-input").value = "ws://127.0.0.1:9/echo";
  byRole("url-input").dispatch("input");
  assert.equal(byRole("connect-error").textContent, "");
  byRole("connect").dispatch("click");
  assert.deepEqual(sent.filter((content) => content.type === "connect").map((content) => content.url), ["ws://127.0.0.1:9/echo"]);
  cleanup();
  uninstallFakeDom();
});

test("the Frames tab explains how to record, and its button turns the frame log on", () => {
  const traits = { ...PLAIN_TRAITS };
  const { sent, handlers, cleanup, byRole } = fakeView(traits);
  assert.equal(byRole("frames-hint").hidden, false);
  assert.match(byRole("frames-hint-text").textContent, /not recorded yet/);
  byRole("frames-start").dispatch("click");
  assert.deepEqual(sent.filter((content) => content.type === "frame_log").map((content) => content.on), [true]);
  traits.frame_log = true;
  for (const handler of handlers["change:frame_log"]) handler();
  assert.equal(byRole("frames-start").hidden, true);
  assert.match(byRole("frames-hint-text").textContent, /^Recording/);
  cleanup();
  uninstallFakeDom();
});

// Issue 14, finding 3: Up-recall restores the mode; the time column's three modes.

test("formatDateTime shows local time with the date and milliseconds", () => {
  const ms = new Date(2026, 11, 2, 14, 5, 1, 123).getTime();
  assert.equal(formatDateTime(ms), "2026-12-02 14:05:01.123");
  assert.equal(formatDateTime(new Date(2027, 0, 9, 3, 4, 5, 6).getTime()), "2027-01-09 03:04:05.006");
});

test("timeText formats local time, time since connect and the delta to the row above", () => {
  const ms = new Date(2026, 11, 2, 14, 5, 1, 123).getTime();
  assert.equal(timeText("local", ms), "2026-12-02 14:05:01.123");
  assert.equal(timeText("since_connect", ms, { start: ms - 12_345 }), "+12.345 s");
  assert.equal(timeText("since_connect", ms, { start: ms }), "+0.000 s");
  assert.equal(timeText("since_connect", ms, { start: ms + 1500 }), "-1.500 s"); // a clock step back
  assert.equal(timeText("since_connect", ms, {}), "+? s");
  assert.equal(timeText("delta", ms, { previous: ms - 2 }), "\u0394 0.002 s");
  assert.equal(timeText("delta", ms, { previous: ms - 61_000.4 }), "\u0394 61.000 s");
  assert.equal(timeText("delta", ms, { previous: null }), "\u0394 \u2014");
  assert.deepEqual(Object.keys(TIME_MODES), ["local", "since_connect", "delta"]);
});

test("connectionStart finds the newest open at or before a record; addOpens merges without duplicates", () => {
  const opens = addOpens([], [[10, 5000], [1, 1000]]);
  assert.deepEqual(opens, [[1, 1000], [10, 5000]]);
  addOpens(opens, [[10, 5000], [30, 9000], null]);
  assert.deepEqual(opens, [[1, 1000], [10, 5000], [30, 9000]]);
  assert.equal(connectionStart(opens, 0), null);
  assert.equal(connectionStart(opens, 1), 1000);
  assert.equal(connectionStart(opens, 9), 1000);
  assert.equal(connectionStart(opens, 10), 5000);
  assert.equal(connectionStart(opens, 29), 5000);
  assert.equal(connectionStart(opens, 1_000_000), 9000);
  assert.equal(connectionStart([], 5), null);
});

test("recallTarget steps back to the oldest, forward to the newest, then back to the draft", () => {
  assert.equal(recallTarget("ArrowUp", -1, 3), 2);
  assert.equal(recallTarget("ArrowUp", 2, 3), 1);
  assert.equal(recallTarget("ArrowUp", 0, 3), 0);
  assert.equal(recallTarget("ArrowDown", 1, 3), 2);
  assert.equal(recallTarget("ArrowDown", 2, 3), -1);
  assert.equal(recallTarget("ArrowDown", -1, 3), null);
  assert.equal(recallTarget("ArrowUp", -1, 0), null);
  assert.equal(recallTarget("Enter", 1, 3), null);
});

test("Up recalls each message in the mode it was sent in; Down past the newest brings the draft back", () => {
  const { sent, cleanup, byRole } = fakeView(PLAIN_TRAITS);
  const composer = byRole("composer");
  const mode = byRole("mode");
  const sendAs = (text, value) => {
    composer.value = text;
    mode.value = value;
    byRole("send").dispatch("click");
  };
  sendAs("AQID", "base64");
  sendAs('{"a": 1}', "json");
  assert.deepEqual(sent.filter((c) => c.type === "send").map((c) => [c.text, c.mode]), [["AQID", "base64"], ['{"a": 1}', "json"]]);
  composer.value = "draft";
  mode.value = "text";
  const key = (name) => composer.dispatch("keydown", { key: name, get: null });
  Object.assign(composer, { selectionStart: 0, selectionEnd: 0 });
  key("ArrowUp");
  assert.deepEqual([composer.value, mode.value], ['{"a": 1}', "json"]);
  key("ArrowUp");
  assert.deepEqual([composer.value, mode.value], ["AQID", "base64"]);
  Object.assign(composer, { selectionStart: 4, selectionEnd: 4 });
  key("ArrowDown");
  assert.deepEqual([composer.value, mode.value], ['{"a": 1}', "json"]);
  key("ArrowDown");
  assert.deepEqual([composer.value, mode.value], ["draft", "text"]);
  cleanup();
  uninstallFakeDom();
});

test("the time column follows time_mode: local with date, since its connection's open, delta to the row above", () => {
  const traits = { ...PLAIN_TRAITS, time_mode: "local" };
  const { sent, handlers, cleanup, deliver, resize, byRole, el } = fakeView(traits);
  resize(300);
  const t0 = new Date(2026, 11, 2, 14, 5, 1, 0).getTime();
  const records = [
    [1, t0, "event", "open", 0, null, { url: "ws://x" }, null],
    [2, t0 + 1500, "out", "text", 2, "hi", null, null],
    [3, t0 + 1502, "in", "text", 2, "hi", null, null],
    [4, t0 + 3000, "event", "open", 0, null, { url: "ws://x" }, null],
    [5, t0 + 3250, "in", "text", 2, "yo", null, null],
  ];
  const page = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: page.id, offset: 0, total: 5, first_seq: 1, records });
  const cells = () => [...el.walk()].filter((node) => node.attributes.class === "wsw-time").map((node) => node.textContent).slice(0, 5);
  assert.deepEqual(cells(), ["2026-12-02 14:05:01.000", "2026-12-02 14:05:02.500", "2026-12-02 14:05:02.502", "2026-12-02 14:05:04.000", "2026-12-02 14:05:04.250"]);
  const fire = (name, value) => { traits[name] = value; for (const handler of handlers[`change:${name}`]) handler(); };
  fire("time_mode", "since_connect");
  assert.deepEqual(cells(), ["+0.000 s", "+1.500 s", "+1.502 s", "+0.000 s", "+0.250 s"]);
  fire("time_mode", "delta");
  assert.deepEqual(cells(), ["\u0394 \u2014", "\u0394 1.500 s", "\u0394 0.002 s", "\u0394 1.498 s", "\u0394 0.250 s"]);
  assert.equal(byRole("time-mode").value, "delta");
  const select = byRole("time-mode");
  select.value = "local";
  select.dispatch("change");
  assert.equal(traits.time_mode, "local"); // saved into the trait, so it persists for the widget
  assert.ok(sent.some((content) => content.type === "save_changes"));
  assert.equal(cells()[0], "2026-12-02 14:05:01.000");
  cleanup();
  uninstallFakeDom();
});

test("since connect counts from opens the kernel names, also when no open record is in sight", () => {
  const traits = { ...PLAIN_TRAITS, time_mode: "since_connect" };
  const { sent, cleanup, deliver, resize, el, byRole } = fakeView(traits);
  resize(300);
  Object.assign(byRole("direction"), { value: "all" }); // the fake DOM's selects hold no value of their own
  Object.assign(byRole("kinds"), { value: "all" });
  const hello = sent.find((content) => content.type === "hello");
  deliver({ type: "hello", id: hello.id, debug: [], series: [], opens: [[7, 10_000]] });
  const page = sent.find((content) => content.type === "page");
  deliver({ type: "page", id: page.id, offset: 0, total: 2, first_seq: 8, records: [[8, 10_020, "in", "text", 1, "a", null, null], [9, 12_000, "in", "text", 1, "b", null, null]] });
  const cells = () => [...el.walk()].filter((node) => node.attributes.class === "wsw-time").map((node) => node.textContent).slice(0, 2);
  assert.deepEqual(cells(), ["+0.020 s", "+2.000 s"]);
  deliver({ type: "batch", records: [[10, 13_000, "in", "text", 1, "c", null, null]], total: 3, first_seq: 8, debug: [], points: [], opens: [[10, 12_500]], stats: null });
  const all = [...el.walk()].filter((node) => node.attributes.class === "wsw-time").map((node) => node.textContent).slice(0, 3);
  assert.deepEqual(all, ["+0.020 s", "+2.000 s", "+0.500 s"]);
  cleanup();
  uninstallFakeDom();
});

test("the Frames tab: Enter lays out a frame with hostile text as text, Escape closes it, Compression off asks and says so", () => {
  const handshake = { status: 101, extensions: [{ name: "permessage-deflate", parameters: {} }] };
  const { log, sent, el, cleanup, deliver, resize, byRole } = fakeView({ ...PLAIN_TRAITS, frame_log: true, handshake });
  resize(300);
  byRole("tab-frames").dispatch("click");
  const page = sent.filter((content) => content.type === "page" && content.source === "frames").at(-1);
  const hostile = hostileStrings(4);
  const info = { fin: true, rsv1: false, masked: true, length: 5 };
  deliver({ type: "page", id: page.id, offset: 0, total: 2, first_seq: 1, records: [[1, 0, "out", hostile[0], 5, null, info, null], [2, 0, "in", "TEXT", 5, null, info, null]] });
  const viewport = byRole("frames");
  viewport.dispatch("keydown", { key: "ArrowDown" });
  viewport.dispatch("keydown", { key: "Enter" });
  const get = sent.find((content) => content.type === "get");
  assert.deepEqual([get.source, get.seq], ["frames", 1]);
  assert.equal(log.focused, byRole("frame-detail"));
  deliver({ type: "frame", id: get.id, seq: 1, kind: hostile[1], size: 5, info: { ...info, wire: "818537fa213d7f9f4d5158" } });
  assert.ok(byRole("frame-title").textContent.includes(hostile[1])); // shown as text
  assert.equal(byRole("frame-unmasked").textContent, "48 65 6c 6c 6f");
  assert.equal(byRole("frame-text").textContent, "Hello");
  const cells = [...byRole("frame-grid").walk()].filter((node) => node.tagName === "td");
  assert.deepEqual(cells.map((node) => node.attributes["data-field"]).slice(0, 7), ["FIN", "RSV1", "RSV2", "RSV3", "opcode", "MASK", "payload length"]);
  assert.equal(cells.length, 11); // 7 fields in bytes 0 and 1, then the masking key's 4 bytes
  byRole("frame-detail").dispatch("keydown", { key: "Escape" });
  assert.ok(byRole("frame-detail").hidden);
  assert.equal(log.focused, viewport);

  viewport.dispatch("keydown", { key: "ArrowDown" });
  viewport.dispatch("keydown", { key: "Enter" });
  const second = sent.filter((content) => content.type === "get").at(-1);
  deliver({ type: "frame", id: second.id, seq: 2, kind: "TEXT", size: 5, info: { ...info, wire: hostile[2] } });
  assert.match(byRole("frame-note").textContent, /^No layout: /); // hostile "hex": said, not laid out
  assert.equal(byRole("frame-grid").children.length, 0);

  assert.match(byRole("compression").textContent, /^Compression on/);
  byRole("compression-off").dispatch("click");
  assert.ok(sent.some((content) => content.type === "compression_off"));
  assert.equal(byRole("compression").textContent, "Reconnecting without compression\u2026");
  assert.equal([...el.walk()].filter((node) => node.tagName === "script").length, 0);
  cleanup();
  uninstallFakeDom();
});

test("the Plot tab: a field found is picked, batches draw it once a frame, pause stops drawing, resume draws", () => {
  const traits = { ...PLAIN_TRAITS, plot_fields: [], plot_paused: false };
  const { cleanup, deliver, byRole, el, sent, handlers, log } = fakeView(traits);
  const change = (name, value) => { traits[name] = value; for (const handler of handlers[`change:${name}`] || []) handler(); };
  deliver({ type: "plot_found", found: ["temperature_c", "params.Changes[Name=gain].Value", '["<img src=x onerror=alert(1)>"]'] });
  byRole("tab-plot").dispatch("click");
  const boxes = [...el.walk()].filter((node) => node.attributes["data-role"] === "plot-field");
  assert.deepEqual(boxes.map((box) => box.attributes["data-path"]), ["temperature_c", "params.Changes[Name=gain].Value", '["<img src=x onerror=alert(1)>"]']);
  assert.match(byRole("plot-fields").textContent, /<img src=x onerror=alert\(1\)>/); // a field name from the wire stays text
  assert.ok(!log.created.includes("img"));
  boxes[1].checked = true;
  boxes[1].dispatch("change");
  assert.deepEqual(traits.plot_fields, ["params.Changes[Name=gain].Value"]);
  assert.equal(sent[sent.length - 1].type, "save_changes");
  change("plot_fields", ["params.Changes[Name=gain].Value"]);
  const chart = byRole("plot-chart");
  const batch = (t, value) => deliver({ type: "batch", records: [], debug: [], points: [], frames: { records: [], total: 0, first_seq: 1 },
    stats: null, first_seq: 1, last_seq: 0, total: 0, dropped: 0, plot: { "params.Changes[Name=gain].Value": [t, t, value, value, value, 1] }, plot_skipped: 0 });
  batch(1_000_000, -12.5);
  batch(1_001_000, -6);
  const line = () => [...chart.walk()].find((node) => node.tagName === "polyline");
  assert.equal(line().attributes["data-series"], "params.Changes[Name=gain].Value");
  assert.equal(line().attributes.points.split(" ").length, 2);
  assert.equal(byRole("y-label").textContent, "params.Changes[Name=gain].Value");
  assert.equal(byRole("x-label").textContent, "time (local)");
  assert.ok([...chart.walk()].some((node) => node.attributes["data-role"] === "x-tick"));
  assert.match(byRole("plot-chart-legend").textContent, /params\.Changes\[Name=gain\]\.Value-6$/);
  const draws = Number(chart.attributes["data-draws"]);
  byRole("plot-pause").dispatch("click");
  assert.equal(traits.plot_paused, true);
  change("plot_paused", true);
  assert.equal(byRole("plot-pause").textContent, "Resume");
  batch(1_002_000, -3);
  assert.equal(Number(chart.attributes["data-draws"]), draws, "paused: no drawing");
  change("plot_paused", false);
  assert.equal(Number(chart.attributes["data-draws"]), draws + 1);
  assert.equal(line().attributes.points.split(" ").length, 3, "resume draws what came while paused");
  cleanup();
  uninstallFakeDom();
});

test("the Stats tab names its axes, units and series", () => {
  const { cleanup, deliver, byRole } = fakeView(PLAIN_TRAITS);
  deliver({ type: "batch", records: [], debug: [], points: [[1000, 1, 0, 10, 0, null], [2000, 3, 1, 30, 5, 1.5]], frames: { records: [], total: 0, first_seq: 1 },
    stats: null, first_seq: 1, last_seq: 0, total: 0, dropped: 0 });
  byRole("tab-stats").dispatch("click");
  const legend = byRole("chart-rate-legend");
  assert.deepEqual(legend.children.map((item) => item.attributes["data-series"]), ["in (received)", "out (sent)"]);
  assert.deepEqual(legend.children.map((item) => item.children[0].attributes.class), ["wsw-swatch wsw-series-0", "wsw-swatch wsw-series-1"]);
  const y = [...byRole("chart-bytes").walk()].find((node) => node.attributes["data-role"] === "y-label");
  assert.equal(y.textContent, "bytes/s");
  assert.equal([...byRole("chart-rtt").walk()].find((node) => node.attributes["data-role"] === "y-label").textContent, "RTT (ms)");
  cleanup();
  uninstallFakeDom();
});

test("the Plot tab's field list only grows: fields found later are added after the first, whose boxes stay", () => {
  const { cleanup, byRole, el, deliver } = fakeView({ ...PLAIN_TRAITS, plot_fields: [], plot_paused: false });
  const boxes = () => [...el.walk()].filter((node) => node.attributes["data-role"] === "plot-field");
  assert.match(byRole("plot-fields").textContent, /no numeric fields found/);
  deliver({ type: "plot_found", found: ["a", "b"] });
  const first = boxes()[0];
  deliver({ type: "plot_found", found: ["c", "a"] });
  assert.deepEqual(boxes().map((box) => box.attributes["data-path"]), ["a", "b", "c"]);
  assert.equal(boxes()[0], first);
  assert.doesNotMatch(byRole("plot-fields").textContent, /no numeric fields found/);
  cleanup();
  uninstallFakeDom();
});
