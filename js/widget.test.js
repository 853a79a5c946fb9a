// Pure helpers of the widget, tested with `node --test js/`.
import test from "node:test";
import assert from "node:assert/strict";

import {
  checkComposed, checkJson, formatBytes, frameColumns, handshakeText, hexDump, parseBase64, parseHex,
  prettyJson, previewText, printable, scrollGeometry, sparkPoints, toHex, ROW_HEIGHT,
} from "./widget.js";

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
  assert.deepEqual(text, { bits: "fin RSV1 mask", preview: "alpha-" });
  const close = frameColumns([2, 0, "out", "CLOSE", 2, null, { fin: true, rsv1: false, masked: true, code: 1000, meaning: "OK" }, 0]);
  assert.deepEqual(close, { bits: "FIN rsv1 MASK", preview: "1000 (OK)" });
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
