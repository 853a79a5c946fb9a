// The chart helpers of the Plot and Stats tabs, tested with `node --test js/`.
import test from "node:test";
import assert from "node:assert/strict";

import {
  addBucket, bucketPoints, chartRange, clockText, formatValue, latestText, linePoints, niceStep, timeTicks, valueTicks, PLOT_BUCKETS,
} from "./src/chart_math.js";

test("niceStep picks 1, 2 or 5 times a power of ten", () => {
  assert.equal(niceStep(10, 4), 5);
  assert.equal(niceStep(1, 4), 0.5);
  assert.equal(niceStep(0.07, 4), 0.02);
  assert.equal(niceStep(3000, 4), 1000);
  assert.equal(niceStep(0, 4), 1);
});

test("valueTicks rounds the bounds outwards and ticks every step", () => {
  assert.deepEqual(valueTicks(21.13, 22.87), { min: 21, max: 23, step: 0.5, ticks: [21, 21.5, 22, 22.5, 23] });
  assert.deepEqual(valueTicks(-12.5, -3).ticks, [-15, -10, -5, 0]);
  const flat = valueTicks(5, 5);
  assert.ok(flat.min < 5 && flat.max > 5, "a flat series gets room around it");
  assert.deepEqual(valueTicks(NaN, Infinity).ticks, [0, 0.5, 1]);
});

test("formatValue shows the decimals the step needs and k, M, G past ten thousand", () => {
  assert.equal(formatValue(21.5, 0.5), "21.5");
  assert.equal(formatValue(22, 0.5), "22.0");
  assert.equal(formatValue(0.05, 0.05), "0.05");
  assert.equal(formatValue(40, 10), "40");
  assert.equal(formatValue(25_000, 5000), "25k");
  assert.equal(formatValue(3_000_000, 1e6), "3M");
  assert.equal(formatValue(-12.5, 1e-3), "-12.500");
});

test("timeTicks steps by round seconds or minutes and stays inside the span", () => {
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 3, 400);
  const { step, ticks } = timeTicks(t0, t0 + 60_000);
  assert.equal(step, 15_000);
  assert.ok(ticks.every((t) => t >= t0 && t <= t0 + 60_000 && t % step === 0));
  assert.equal(ticks.length, 4);
  assert.equal(timeTicks(t0, t0 + 3_600_000).step, 900_000);
  assert.equal(timeTicks(t0, t0 + 5_000).step, 1000);
});

test("clockText gives local HH:MM:SS, HH:MM for steps of a minute or more", () => {
  const ms = new Date(2026, 0, 1, 9, 5, 7).getTime();
  assert.equal(clockText(ms, 5000), "09:05:07");
  assert.equal(clockText(ms, 60_000), "09:05");
});

test("addBucket keeps at most the bucket count, with the extremes, the count and the last value", () => {
  const series = { width: 0, buckets: [] };
  for (let i = 0; i < 20_000; i++) addBucket(series, [i * 50, i * 50, i === 777 ? -99 : Math.sin(i), i === 12_345 ? 99 : Math.sin(i), Math.sin(i), 1]);
  assert.ok(series.buckets.length <= PLOT_BUCKETS);
  assert.equal(Math.max(...series.buckets.map((b) => b[3])), 99);
  assert.equal(Math.min(...series.buckets.map((b) => b[2])), -99);
  assert.equal(series.buckets.reduce((n, b) => n + b[5], 0), 20_000);
  assert.equal(series.buckets[series.buckets.length - 1][4], Math.sin(19_999));
});

test("addBucket keeps a bucket each below the bound", () => {
  const series = { width: 0, buckets: [] };
  for (let i = 0; i < 5; i++) addBucket(series, [i, i, i, i, i, 1], 5);
  assert.deepEqual(series.buckets.map((b) => b[4]), [0, 1, 2, 3, 4]);
  addBucket(series, [5, 5, 5, 5, 5, 1], 5);
  assert.equal(series.buckets.length, 3);
});

test("bucketPoints draws a bucket's min and max at its middle, then its last value", () => {
  assert.deepEqual(bucketPoints([[0, 10, -1, 4, 2, 3], [20, 20, 7, 7, 7, 1]]), [[5, -1], [5, 4], [10, 2], [20, 7]]);
  assert.deepEqual(bucketPoints([]), []);
});

test("chartRange spans every line's points, skipping nulls, at least the minimum span", () => {
  const range = chartRange([{ points: [[100_000, 1], [101_000, null]] }, { points: [[102_000, -3]] }]);
  assert.deepEqual(range, { t0: 92_000, t1: 102_000, v0: -3, v1: 1 });
  assert.equal(chartRange([{ points: [[1, null]] }]), null);
});

test("linePoints maps time left to right and values bottom to top inside the margins", () => {
  const box = { width: 110, height: 60, left: 10, right: 0, top: 0, bottom: 10 };
  assert.equal(linePoints([[0, 0], [50, 5], [100, 10], [70, null]], { t0: 0, t1: 100 }, { min: 0, max: 10 }, box), "10.0,50.0 60.0,25.0 110.0,0.0");
});

test("latestText keeps six significant digits and drops trailing zeros", () => {
  assert.equal(latestText(-25.4), "-25.4");
  assert.equal(latestText(21.123456789), "21.1235");
  assert.equal(latestText(1500), "1500");
  assert.equal(latestText(null), "\u2014");
});
