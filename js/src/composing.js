// What the composer checks and recalls: hex, base64 and JSON checked before they are sent,
// and the messages sent brought back with Up and Down.

/**
 * The composer's recall after `key` among `count` messages sent, from `recall` (-1: not
 * recalling, the draft shows): Up goes back (stopping at the oldest), Down forward and past
 * the newest back to the draft (-1). null for other keys or when nothing changes.
 */
export function recallTarget(key, recall, count) {
  if (!count) return null;
  if (key === "ArrowUp") return recall === -1 ? count - 1 : Math.max(0, recall - 1);
  if (key === "ArrowDown" && recall !== -1) return recall + 1 < count ? recall + 1 : -1;
  return null;
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
