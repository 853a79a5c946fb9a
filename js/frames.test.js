// The frame layout's pure helpers (twins of ws_widget.pure.frames), tested with `node --test js/`.
import test from "node:test";
import assert from "node:assert/strict";

import { compressionText, fieldOfBit, frameLayout, headerSize, OPCODE_NAMES } from "./src/frame_layout.js";

const bytes = (...values) => Uint8Array.from(values);
const text = (array) => new TextDecoder().decode(array);

test("frameLayout lays out RFC 6455's unmasked Hello: FIN, TEXT, no mask, 7-bit length 5", () => {
  const frame = frameLayout(bytes(0x81, 0x05, ...new TextEncoder().encode("Hello")));
  assert.deepEqual([frame.fin, frame.rsv1, frame.rsv2, frame.rsv3, frame.masked], [true, false, false, false, false]);
  assert.deepEqual([frame.opcode, frame.opcodeName, frame.length, frame.lengthForm], [1, "TEXT", 5, "7-bit"]);
  assert.equal(frame.maskKey, null);
  assert.deepEqual([...frame.header], [0x81, 0x05]);
  assert.equal(text(frame.payload), "Hello");
  assert.equal(text(frame.unmasked), "Hello");
  assert.deepEqual(frame.fields.map((f) => [f.name, f.start, f.width, f.value]), [
    ["FIN", 0, 1, 1], ["RSV1", 1, 1, 0], ["RSV2", 2, 1, 0], ["RSV3", 3, 1, 0], ["opcode", 4, 4, 1], ["MASK", 8, 1, 0], ["payload length", 9, 7, 5],
  ]);
});

test("frameLayout unmasks RFC 6455's masked Hello with the key 37 fa 21 3d", () => {
  const frame = frameLayout(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
  assert.ok(frame.masked);
  assert.deepEqual([...frame.maskKey], [0x37, 0xfa, 0x21, 0x3d]);
  assert.deepEqual([...frame.payload], [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  assert.equal(text(frame.unmasked), "Hello");
  const key = frame.fields.at(-1);
  assert.deepEqual([key.name, key.start, key.width, key.meaning], ["masking key", 16, 32, "37 fa 21 3d"]);
  assert.equal(frame.header.length, 6);
});

test("frameLayout reads the 16-bit and 64-bit length forms and counts the bytes not given", () => {
  const short = frameLayout(bytes(0x82, 0x7e, 0x01, 0x00, ...new Uint8Array(256)));
  assert.deepEqual([short.opcodeName, short.length, short.lengthForm, short.more], ["BINARY", 256, "16-bit", 0]);
  assert.deepEqual([...short.lengthBytes], [0x7e, 0x01, 0x00]);
  assert.match(short.fields[6].meaning, /next 2 bytes/);
  assert.deepEqual(short.fields.slice(7).map((f) => [f.name, f.start, f.width, f.value]), [["extended length", 16, 16, 256]]);
  const long = frameLayout(bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0));
  assert.deepEqual([long.length, long.lengthForm, long.payload.length, long.more], [65536, "64-bit", 3, 65533]);
  assert.equal(long.header.length, 10);
});

test("frameLayout names ping, pong, close and continuation opcodes; others are reserved", () => {
  const cases = [[0x89, "PING"], [0x8a, "PONG"], [0x88, "CLOSE"], [0x00, "CONT"], [0x83, "reserved"], [0x8b, "reserved"]];
  for (const [first, name] of cases) {
    const frame = frameLayout(bytes(first, 0));
    assert.equal(frame.opcodeName, name);
    assert.equal(frame.fin, Boolean(first & 0x80));
  }
  assert.equal(Object.keys(OPCODE_NAMES).length, 6);
});

test("frameLayout marks RSV1 as compressed and unmasks a masked ping", () => {
  const deflated = frameLayout(bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00));
  assert.ok(deflated.rsv1);
  assert.equal(deflated.fields[1].meaning, "compressed (permessage-deflate)");
  const ping = frameLayout(bytes(0x89, 0x82, 1, 2, 3, 4, 0x68 ^ 1, 0x69 ^ 2));
  assert.equal(text(ping.unmasked), "hi");
});

test("frameLayout refuses bytes that end inside the header, saying what is missing", () => {
  assert.throws(() => frameLayout(bytes(0x81)), /at least 2 header bytes, got 1/);
  assert.throws(() => frameLayout(bytes(0x81, 0x85, 0x37)), /header is 6 bytes .*masking key.*got only 3/);
  assert.throws(() => frameLayout(bytes(0x82, 0x7e, 0x01)), /header is 4 bytes .*extended length.*got only 3/);
  assert.equal(headerSize(bytes(0x82, 0xff)), 14);
});

test("fieldOfBit finds the field each header bit belongs to", () => {
  const frame = frameLayout(bytes(0x81, 0xfe, 0x01, 0x00, 1, 2, 3, 4));
  assert.deepEqual([0, 3, 4, 7, 8, 9, 15, 16, 31, 32, 63].map((bit) => fieldOfBit(frame, bit).name),
    ["FIN", "RSV3", "opcode", "opcode", "MASK", "payload length", "payload length", "extended length", "extended length", "masking key", "masking key"]);
  assert.equal(fieldOfBit(frame, 64), null);
});

test("compressionText says whether permessage-deflate is on, and that a reconnect turns it off", () => {
  const deflate = { status: 101, extensions: [{ name: "permessage-deflate", parameters: {} }] };
  assert.match(compressionText(deflate, false), /^Compression on .*RSV1.*deflated/);
  assert.equal(compressionText(deflate, true), "Reconnecting without compression\u2026");
  assert.match(compressionText({ status: 101, extensions: [] }, false), /^Compression off: every payload shows on the wire as sent/);
  assert.equal(compressionText({}, false), "");
  assert.equal(compressionText(null, false), "");
});
