// A frame's layout (twin of ws_widget.pure.frames.layout).

import { toHex } from "./payloads.js";

/** The opcodes RFC 6455 defines; the others are reserved. */
export const OPCODE_NAMES = { 0: "CONT", 1: "TEXT", 2: "BINARY", 8: "CLOSE", 9: "PING", 10: "PONG" };

/** The size of the header that starts `bytes` (2 to 14), read from its second byte. */
export function headerSize(bytes) {
  if (bytes.length < 2) throw new Error(`a frame starts with at least 2 header bytes, got ${bytes.length}`);
  const marker = bytes[1] & 0x7f;
  return 2 + (marker === 126 ? 2 : marker === 127 ? 8 : 0) + (bytes[1] & 0x80 ? 4 : 0);
}

function markerMeaning(marker) {
  if (marker === 126) return "126: the length is in the next 2 bytes";
  if (marker === 127) return "127: the length is in the next 8 bytes";
  return `${marker} bytes`;
}

/**
 * Lay out a frame's header field by field and unmask the start of its payload (RFC 6455, 5.2).
 * `bytes`: the frame's first bytes as on the wire (header, then some or all of the payload).
 * Returns {fin, rsv1, rsv2, rsv3, opcode, opcodeName, masked, length, lengthForm, lengthBytes,
 * maskKey, header, payload, unmasked, more, fields: [{name, start, width, value, meaning}]};
 * throws an Error saying what is missing when the bytes end inside the header.
 */
export function frameLayout(bytes) {
  const size = headerSize(bytes);
  const [first, second] = bytes;
  const masked = Boolean(second & 0x80);
  const marker = second & 0x7f;
  if (bytes.length < size) {
    throw new Error(`the header is ${size} bytes (byte 1 announces ${marker >= 126 ? "an extended length" : "no extended length"}`
      + `${masked ? " and a masking key" : ""}), got only ${bytes.length}: pass the frame's first bytes`);
  }
  const opcode = first & 0x0f;
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
    { name: "FIN", start: 0, width: 1, value: first >> 7, meaning: bit(0x80) ? "final frame of its message" : "more frames of this message follow" },
    { name: "RSV1", start: 1, width: 1, value: (first >> 6) & 1, meaning: bit(0x40) ? "compressed (permessage-deflate)" : "not compressed" },
    { name: "RSV2", start: 2, width: 1, value: (first >> 5) & 1, meaning: bit(0x20) ? "set: an extension's bit" : "reserved, 0" },
    { name: "RSV3", start: 3, width: 1, value: (first >> 4) & 1, meaning: bit(0x10) ? "set: an extension's bit" : "reserved, 0" },
    { name: "opcode", start: 4, width: 4, value: opcode, meaning: `0x${opcode.toString(16)} ${name}` },
    { name: "MASK", start: 8, width: 1, value: second >> 7, meaning: masked ? "masked by the client" : "not masked (server to client)" },
    { name: "payload length", start: 9, width: 7, value: marker, meaning: markerMeaning(marker) },
  ];
  if (extended) fields.push({ name: "extended length", start: 16, width: extended * 8, value: length, meaning: `${length} bytes (${extended * 8}-bit)` });
  if (maskKey) fields.push({ name: "masking key", start: 16 + extended * 8, width: 32, value: maskKey.reduce((v, b) => v * 256 + b, 0), meaning: toHex(maskKey) });
  return {
    fin: bit(0x80), rsv1: bit(0x40), rsv2: bit(0x20), rsv3: bit(0x10), opcode, opcodeName: name, masked, length,
    lengthForm: { 0: "7-bit", 2: "16-bit", 8: "64-bit" }[extended], lengthBytes: bytes.slice(1, 2 + extended), maskKey,
    header: bytes.slice(0, size), payload, unmasked, more: length - payload.length, fields,
  };
}

/** The field a header bit (0 is byte 0's high bit) belongs to, in `layout.fields`. */
export function fieldOfBit(layout, bit) {
  return layout.fields.find((field) => bit >= field.start && bit < field.start + field.width) || null;
}

/**
 * The Frames tab's line on compression, from the handshake (the extensions negotiated) and
 * whether "Compression off" was asked and its reconnect has not shown a handshake yet.
 */
export function compressionText(handshake, asked) {
  const extensions = (handshake && handshake.extensions) || [];
  const deflate = extensions.some((extension) => extension.name === "permessage-deflate");
  if (asked && deflate) return "Reconnecting without compression\u2026";
  if (deflate) return "Compression on (permessage-deflate): frames with RSV1 set carry deflated payloads, unreadable on the wire.";
  if (handshake && handshake.status === 101) return "Compression off: every payload shows on the wire as sent.";
  return "";
}
