// Bytes, counters and times as text: the header's counters and the time column's modes.

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

/** The time column's modes (the widget's `time_mode` trait), with the labels of their control. */
export const TIME_MODES = { local: "local time", since_connect: "since connect", delta: "delta" };

/** Format epoch milliseconds as local time with the date: 2026-12-02 14:05:01.123. */
export function formatDateTime(ms) {
  const d = new Date(ms);
  const pad = (v, w = 2) => String(v).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}

/** Seconds between two epoch-millisecond times as "12.345" (a minus sign when `ms` is earlier). */
function secondsText(ms, since) {
  const delta = Math.round(ms - since);
  const sign = delta < 0 ? "-" : "";
  const abs = Math.abs(delta);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, "0")}`;
}

/**
 * The epoch ms of the connection a record belongs to: the newest open at or before `seq`.
 * `opens` is sorted by seq, as [seq, time_ms] pairs; null when no open precedes `seq`.
 */
export function connectionStart(opens, seq) {
  let lo = 0;
  let hi = opens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (opens[mid][0] <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo ? opens[lo - 1][1] : null;
}

/** Merge [seq, time_ms] pairs into the sorted list `opens` (no duplicates); return `opens`. */
export function addOpens(opens, more) {
  let added = false;
  for (const pair of more || []) {
    if (!Array.isArray(pair) || opens.some(([seq]) => seq === pair[0])) continue;
    opens.push([pair[0], pair[1]]);
    added = true;
  }
  if (added) opens.sort((a, b) => a[0] - b[0]);
  return opens;
}

/**
 * The time column's text for a record at `ms` (epoch milliseconds): local time with the date,
 * `+12.345 s` since its connection opened (`start`), or `Δ 0.002 s` since the row above
 * (`previous`); "+? s" or "Δ —" when that time is not known (no open before the record,
 * the first row).
 */
export function timeText(mode, ms, { start = null, previous = null } = {}) {
  if (mode === "since_connect") {
    if (start === null || start === undefined) return "+? s";
    const seconds = secondsText(ms, start);
    return `${seconds.startsWith("-") ? "" : "+"}${seconds} s`;
  }
  if (mode === "delta") return previous === null || previous === undefined ? "Δ —" : `Δ ${secondsText(ms, previous)} s`;
  return formatDateTime(ms);
}
