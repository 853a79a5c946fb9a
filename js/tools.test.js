// Pure helpers of the widget's tools (copy, download, saved messages, pause, columns), tested with `node --test js/`.
import test from "node:test";
import assert from "node:assert/strict";

import {
  BASE_COLUMNS, checkFieldPath, clampWidth, columnKey, columnStyle, columnsFor, dragWidth, fieldCells, pauseBadgeText, savedOptions,
  MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH,
} from "./src/tool_helpers.js";

test("columnsFor puts the JSON columns between the base columns and the preview", () => {
  const columns = columnsFor(["params.Id", "method"]);
  assert.deepEqual(columns.map((c) => c.name), ["seq", "time", "dir", "kind", "size", "params.Id", "method", "preview"]);
  assert.equal(columns[5].cls, "wsw-json wsw-json-0");
  assert.equal(columns[6].cls, "wsw-json wsw-json-1");
  assert.equal(columns.at(-1).fixed, true); // the preview takes the room left: no edge
  assert.deepEqual(columnsFor([]).map((c) => c.name), [...BASE_COLUMNS.map((c) => c.name), "preview"]);
});

test("columnStyle names a CSS variable per sized column, JSON ones by index, and skips unknown names", () => {
  assert.deepEqual(columnStyle({ time: 180, "params.Id": 90, nope: 50 }, ["method", "params.Id"]), {
    "--wsw-w-time": "180px",
    "--wsw-w-json-1": "90px",
  });
  assert.deepEqual(columnStyle({ seq: 3, size: 99999 }, []), { "--wsw-w-seq": `${MIN_COLUMN_WIDTH}px`, "--wsw-w-size": `${MAX_COLUMN_WIDTH}px` });
  assert.deepEqual(columnStyle(null, null), {});
});

test("columnKey resizes with Left and Right, resets with Home, moves between edges with Up and Down", () => {
  assert.deepEqual(columnKey("ArrowRight", 100, false, 0, 5), { width: 108 });
  assert.deepEqual(columnKey("ArrowLeft", 100, true, 0, 5), { width: 68 });
  assert.deepEqual(columnKey("ArrowLeft", 30, false, 0, 5), { width: MIN_COLUMN_WIDTH });
  assert.deepEqual(columnKey("Home", 100, false, 2, 5), { reset: true });
  assert.deepEqual(columnKey("ArrowDown", 100, false, 4, 5), { move: 0 });
  assert.deepEqual(columnKey("ArrowUp", 100, false, 0, 5), { move: 4 });
  assert.equal(columnKey("a", 100, false, 0, 5), null);
  assert.equal(columnKey("Enter", 100, false, 0, 5), null);
});

test("dragWidth follows the pointer within the bounds", () => {
  assert.equal(dragWidth(100, 50, 90), 140);
  assert.equal(dragWidth(100, 50, -500), MIN_COLUMN_WIDTH);
  assert.equal(dragWidth(100, 0, 5000), MAX_COLUMN_WIDTH);
  assert.equal(clampWidth(40.6), 41);
});

test("checkFieldPath accepts the kernel's paths and says what is wrong with others", () => {
  assert.deepEqual(checkFieldPath(" params.Id "), { path: "params.Id" });
  for (const path of ["result[0].Controls[1].Value", "params.Changes[Name=gain].Value", '["sensor 1"].value', "[0].name"]) {
    assert.deepEqual(checkFieldPath(path), { path });
  }
  assert.match(checkFieldPath("a[-1]").error, /invalid JSON path/);
  assert.match(checkFieldPath("a.[0]").error, /invalid JSON path/);
  assert.match(checkFieldPath("").error, /type a JSON path such as params\.Id/);
  assert.match(checkFieldPath("a..b").error, /invalid JSON path a\.\.b/);
  assert.match(checkFieldPath("a[x]").error, /invalid JSON path/);
  assert.match(checkFieldPath("a", ["a"]).error, /shown already/);
  assert.match(checkFieldPath("i", ["a", "b", "c", "d", "e", "f", "g", "h"]).error, /at most 8 JSON columns/);
});

test("fieldCells reads a record's ninth item, blank where a field is absent or the row has none", () => {
  const record = [3, 0, "in", "text", 10, "{}", null, null, ["7", null]];
  assert.deepEqual(fieldCells(record, ["params.Id", "method"]), [
    ["wsw-json wsw-json-0", "7", "params.Id"],
    ["wsw-json wsw-json-1", "", "method"],
  ]);
  assert.deepEqual(fieldCells([1, 0, "in", "text", 1, "x", null, null], ["a"]), [["wsw-json wsw-json-0", "", "a"]]);
  assert.deepEqual(fieldCells(record, []), []);
});

test("pauseBadgeText says paused, then how many records arrived", () => {
  assert.equal(pauseBadgeText(false, 5), "");
  assert.equal(pauseBadgeText(true, 0), "paused");
  assert.equal(pauseBadgeText(true, 1), "paused \u00b7 1 new record");
  assert.equal(pauseBadgeText(true, 12), "paused \u00b7 12 new records");
});

test("savedOptions lists names with their modes, or one disabled line when there are none", () => {
  assert.deepEqual(savedOptions([{ name: "logon", text: "{}", mode: "json" }, { name: "hi", text: "x" }, { text: "no name" }]), [
    { value: "logon", label: "logon (json)" },
    { value: "hi", label: "hi (text)" },
  ]);
  assert.deepEqual(savedOptions([]), [{ value: "", label: "no saved messages", disabled: true }]);
  assert.deepEqual(savedOptions(undefined), [{ value: "", label: "no saved messages", disabled: true }]);
});
