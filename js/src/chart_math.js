// Charts: the math of the Plot and Stats tabs' charts (axes, ticks, buckets, line points).

import { formatTime } from "./formatting.js";

export const PLOT_BUCKETS = 400; // per series, as the kernel keeps them (ws_widget/pure/series.py)
export const BOX = { width: 600, height: 200, left: 60, right: 10, top: 10, bottom: 36 }; // the chart's viewBox and margins
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);
const MIN_SPAN = 10_000; // ms a time axis spans at least
export const SERIES_COLOURS = 8; // wsw-series-0 .. wsw-series-7 in widget.css

/** A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `count` parts. */
export function niceStep(span, count = 4) {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (raw <= m * power * (1 + 1e-9)) return m * power;
  return 10 * power;
}

/** The value axis for data from `min` to `max`: round bounds, their step and the ticks between. */
export function valueTicks(min, max, count = 4) {
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

/** A tick's label: as many decimals as the step needs; k, M, G past ten thousand. */
export function formatValue(value, step) {
  const size = Math.abs(value);
  for (const [unit, scale] of [["G", 1e9], ["M", 1e6], ["k", 1e3]]) {
    if (size >= 10 * scale || (size >= scale && step >= scale)) return `${Number((value / scale).toPrecision(4))}${unit}`;
  }
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** A latest value for a legend: up to six significant digits, no trailing zeros. */
export function latestText(value) {
  return value === null || value === undefined ? "\u2014" : String(Number(Number(value).toPrecision(6)));
}

/** Time axis ticks (epoch ms) between `t0` and `t1`: a round step of 1 s to 1 day, about `count` ticks. */
export function timeTicks(t0, t1, count = 5) {
  const span = Math.max(1, t1 - t0);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}

/** A time tick's label, local time: HH:MM:SS, or HH:MM for steps of a minute or more. */
export function clockText(ms, step) {
  const text = formatTime(ms).slice(0, 8);
  return step >= 60_000 ? text.slice(0, 5) : text;
}

/** Add a bucket `[t0, t1, min, max, last, count]` to `series` ({width, buckets}), as
 * ws_widget/pure/series.py does: merge into the last one within the width, halve past `size`. */
export function addBucket(series, bucket, size = PLOT_BUCKETS) {
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

/** The `[t, value]` points that draw buckets: each bucket's min and max at its middle, then its last value. */
export function bucketPoints(buckets) {
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

/** The time and value ranges of lines ({points: [[t, v]...]}); nulls skipped. */
export function chartRange(lines, minSpan = MIN_SPAN) {
  let [t0, t1, v0, v1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const { points } of lines) {
    for (const [t, v] of points) {
      if (v === null || v === undefined) continue;
      t0 = Math.min(t0, t); t1 = Math.max(t1, t);
      v0 = Math.min(v0, v); v1 = Math.max(v1, v);
    }
  }
  if (t0 === Infinity) return null;
  return { t0: Math.min(t0, t1 - minSpan), t1, v0, v1 };
}

/** SVG polyline points of `[t, v]` points in the plot area of `box` for the ranges given. */
export function linePoints(points, { t0, t1 }, { min, max }, box = BOX) {
  const width = box.width - box.left - box.right;
  const height = box.height - box.top - box.bottom;
  const x = (t) => box.left + ((t - t0) / Math.max(1, t1 - t0)) * width;
  const y = (v) => box.top + height - ((v - min) / (max - min || 1)) * height;
  return points.filter(([, v]) => v !== null && v !== undefined).map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
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
