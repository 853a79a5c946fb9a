// The pure helpers of the tools (tools.js): columns and their widths, JSON fields as columns,
// the pause badge, the saved messages' options.

/** The history's own columns: the name `column_widths` takes, the header's label, the cell class. */
export const BASE_COLUMNS = [
  { name: "seq", label: "#", cls: "wsw-seq" }, { name: "time", label: "time", cls: "wsw-time" },
  { name: "dir", label: "dir", cls: "wsw-dir" }, { name: "kind", label: "kind", cls: "wsw-kind" },
  { name: "size", label: "size", cls: "wsw-size" },
];
export const MIN_COLUMN_WIDTH = 24;
export const MAX_COLUMN_WIDTH = 2000;
export const DOWNLOAD_FORMATS = { jsonl: "JSONL", har: "HAR", csv: "CSV" };
export const COPY_FORMATS = { payload: "Copy", python: "Copy as Python", json: "Copy as JSON" };

const MAX_JSON_COLUMNS = 8;

/** The columns a header shows: the base ones, one per JSON path (its CSS variable by index), then the preview. */
export function columnsFor(paths) {
  const json = (paths || []).map((path, i) => ({ name: path, label: path, cls: `wsw-json wsw-json-${i}`, json: true, index: i }));
  return [...BASE_COLUMNS, ...json, { name: "preview", label: "preview", cls: "wsw-preview", fixed: true }];
}

/** The CSS variables that size the columns: {"--wsw-w-time": "180px", "--wsw-w-json-0": "90px"}. */
export function columnStyle(widths, paths) {
  const style = {};
  for (const [name, width] of Object.entries(widths || {})) {
    const index = (paths || []).indexOf(name);
    const key = index >= 0 ? `json-${index}` : BASE_COLUMNS.some((c) => c.name === name) ? name : null;
    if (key && Number.isFinite(width)) style[`--wsw-w-${key}`] = `${clampWidth(width)}px`;
  }
  return style;
}

/** A width kept within MIN_COLUMN_WIDTH..MAX_COLUMN_WIDTH, in whole pixels. */
export function clampWidth(width) {
  return Math.round(Math.max(MIN_COLUMN_WIDTH, Math.min(MAX_COLUMN_WIDTH, width)));
}

/**
 * What a key does on a column edge: {width} (Left/Right narrow and widen by 8 px, 32 with
 * Shift), {reset} (Home: back to the natural width), {move} (Up/Down: the edge before or
 * after, wrapping), or null.
 */
export function columnKey(key, width, shift, index, count) {
  const step = shift ? 32 : 8;
  if (key === "ArrowLeft") return { width: clampWidth(width - step) };
  if (key === "ArrowRight") return { width: clampWidth(width + step) };
  if (key === "Home") return { reset: true };
  if (key === "ArrowUp" && count) return { move: (index - 1 + count) % count };
  if (key === "ArrowDown" && count) return { move: (index + 1) % count };
  return null;
}

/** The width a drag makes: the width when it began plus the pointer's move, clamped. */
export function dragWidth(startWidth, startX, x) {
  return clampWidth(startWidth + (x - startX));
}

// The kernel's path grammar (ws_widget/pure/fields.py, shared with the Plot tab).
const PATH_BRACKET = String.raw`\[(?:\d+|(?:Name|name)=[^\]]*|"(?:[^"\\]|\\.)*")\]`;
const PATH_KEY = String.raw`[A-Za-z_$][A-Za-z0-9_$\-]*`;
const FIELD_PATH = new RegExp(`^(?:${PATH_KEY}|${PATH_BRACKET})(?:\\.${PATH_KEY}|${PATH_BRACKET})*$`);

/** Check a JSON path as the kernel does ("params.Id", "result[0].Name"): {path} or {error}. */
export function checkFieldPath(text, shown = []) {
  const path = String(text || "").trim();
  if (!path || path.length > 200) return { error: "type a JSON path such as params.Id (1 to 200 characters)" };
  if (!FIELD_PATH.test(path)) {
    return { error: `invalid JSON path ${path}: keys joined by dots, [0] for a list index, [Name=gain] for a named element, ["any key"] for other keys` };
  }
  if (shown.includes(path)) return { error: `${path} is shown already` };
  if (shown.length >= MAX_JSON_COLUMNS) return { error: `at most ${MAX_JSON_COLUMNS} JSON columns: remove one first` };
  return { path };
}

/** The JSON columns' cells of a wire record (its ninth item), "" where a field is absent. */
export function fieldCells(record, paths) {
  const cells = Array.isArray(record[8]) ? record[8] : [];
  return (paths || []).map((path, i) => {
    const text = cells[i];
    return [`wsw-json wsw-json-${i}`, text === null || text === undefined ? "" : String(text), path];
  });
}

/** The badge of a paused display: how many records arrived since the pause. */
export function pauseBadgeText(paused, newCount) {
  if (!paused) return "";
  return newCount > 0 ? `paused \u00b7 ${newCount} new record${newCount === 1 ? "" : "s"}` : "paused";
}

/** The saved messages' select: the options, or one disabled line saying there are none. */
export function savedOptions(saved) {
  const list = Array.isArray(saved) ? saved.filter((m) => m && typeof m.name === "string") : [];
  if (!list.length) return [{ value: "", label: "no saved messages", disabled: true }];
  return list.map((m) => ({ value: m.name, label: `${m.name} (${m.mode || "text"})` }));
}
