// A record as text: its direction arrow, its preview, its row in the frame log, the handshake.

import { printable, toHex } from "./payloads.js";

const ARROWS = { in: "\u2193", out: "\u2191", event: "\u2022" };

export function arrow(direction) {
  return Object.hasOwn(ARROWS, direction) ? ARROWS[direction] : String(direction);
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
  if (kind === "pause") return `reading paused${info.reason ? ` (${info.reason})` : ""}`;
  if (kind === "resume") return `reading resumed${info.reason ? ` (${info.reason})` : ""}`;
  if (kind === "reconnect" && info.retry !== undefined) {
    return `attempt ${info.retry}${info.delay !== undefined ? ` in ${Number(info.delay).toFixed(1)} s` : ""}`;
  }
  return JSON.stringify(info);
}

/** Text for a frame log row: FIN, RSV1 and MASK bits (each with its value), length, payload preview. */
export function frameColumns(record, bytes) {
  const info = record[6] || {};
  const bits = `FIN=${info.fin ? 1 : 0} RSV1=${info.rsv1 ? 1 : 0} MASK=${info.masked ? 1 : 0}`;
  let preview = "";
  if (info.code !== undefined) preview = `${info.code} (${info.meaning || ""})`;
  else if (bytes && bytes.length) preview = printable(bytes) ? new TextDecoder().decode(bytes) : toHex(bytes);
  return { bits, preview: preview.replace(/\s+/g, " ") };
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
