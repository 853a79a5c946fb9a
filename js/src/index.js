// ws_widget front end: one view of a WebSocket living in the kernel.
//
// The kernel holds the history; this view holds only the rows in sight. It receives batches
// (at most 20 per second) of the newest records and counters, and asks for pages as it
// scrolls. Remote data reaches the DOM through textContent only.
//
// The pure helpers are named exports, tested with `node --test js/`. They live in the modules
// beside this one; this entry re-exports them, and esbuild bundles it all into js/widget.js
// (`make js`), the file anywidget loads.

import { Controls, Header } from "./connection.js";
import { h } from "./dom.js";
import { FramesPanel } from "./frames_panel.js";
import { debugHook, Listeners } from "./lifecycle.js";
import { MessagesPanel } from "./messages_panel.js";
import { PlotPanel } from "./plot_panel.js";
import { handshakeText } from "./record_text.js";
import { Requests } from "./requests.js";
import { StatsPanel } from "./stats_panel.js";
import { stateAnnouncement } from "./status_text.js";
import { Tabs } from "./tabs.js";
import { DebugPanel, textPanel } from "./text_panels.js";
import { Tools } from "./tools.js";

// The bundle's named exports, the same as when js/widget.js was written by hand (the pure
// helpers; tests/pure/test_frame_layout.py imports frameLayout from the bundle).
export { checkComposed, checkJson, parseBase64, parseHex, recallTarget } from "./composing.js";
export { composite, contrastRatio, parseColour, relativeLuminance } from "./contrast.js";
export { addOpens, connectionStart, countersText, formatBytes, formatDateTime, formatTime, timeText, TIME_MODES } from "./formatting.js";
export { compressionText, fieldOfBit, frameLayout, headerSize, OPCODE_NAMES } from "./frame_layout.js";
export { MAX_SCROLL_HEIGHT, ROW_HEIGHT, rowKeyTarget, scrollGeometry, scrollToShow, tabKeyTarget } from "./navigation.js";
export { hexDump, prettyJson, printable, toHex } from "./payloads.js";
export { frameColumns, handshakeText, previewText } from "./record_text.js";
export {
  connectRequest, detailNote, framesHint, pauseAnnouncement, pausedText, shownText, stateAnnouncement, stateLabel,
} from "./status_text.js";
export {
  BASE_COLUMNS, checkFieldPath, clampWidth, columnKey, columnStyle, columnsFor, COPY_FORMATS, DOWNLOAD_FORMATS, dragWidth, fieldCells,
  MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, pauseBadgeText, savedOptions,
} from "./tool_helpers.js";
export {
  addBucket, bucketPoints, chartRange, clockText, formatValue, latestText, linePoints, niceStep, PLOT_BUCKETS, SERIES_COLOURS, sparkPoints,
  timeTicks, valueTicks,
} from "./chart_math.js";

let viewCount = 0; // ids are unique per page: several views of one widget can be shown at once

/**
 * Render one view of the widget into `el`; return its cleanup (anywidget calls it when the view
 * is removed): listeners, observers, timers and animation frames go, pending requests drop.
 */
function render({ model, el }) {
  const idPrefix = `wsw${++viewCount}`;
  const debug = debugHook();
  if (debug) debug.views++;
  const requests = new Requests(model);
  const header = new Header();
  const controls = new Controls(requests);
  const messages = new MessagesPanel(requests, idPrefix);
  const tools = new Tools({ model, requests, messages });
  const frames = new FramesPanel(requests, idPrefix);
  const handshake = textPanel("handshake", "Handshake");
  const debugPanel = new DebugPanel();
  const stats = new StatsPanel();
  const plot = new PlotPanel({
    onFields: (fields) => { model.set("plot_fields", fields); model.save_changes(); },
    onPaused: (paused) => { model.set("plot_paused", paused); model.save_changes(); },
    onFind: () => requests.send({ type: "find_fields" }),
  });
  const tabs = new Tabs(idPrefix, [
    { label: "Messages", body: messages.node, onShow: () => messages.list.render() },
    { label: "Frames", body: frames.node, onShow: () => frames.list.refresh() },
    { label: "Handshake", body: handshake.node },
    { label: "Debug Output", body: debugPanel.node },
    { label: "Stats", body: stats.node, onShow: () => stats.draw() },
    { label: "Plot", body: plot.node, onShow: () => { plot.changed(); if (!plot.found.length) plot.find(); } },
  ]);
  const PLOT_TAB = tabs.panels.findIndex((panel) => panel.body === plot.node);
  const root = h("div", { class: "wsw-root" },
    [header.node, controls.node, tabs.node, messages.node, frames.node, handshake.node, debugPanel.node, stats.node, plot.node]);
  el.append(root);

  // Each trait updates only what shows it, once per change.
  let started = false; // the traits' first values are shown, not announced
  let lastState = model.get("state");
  const announce = () => header.announce(stateAnnouncement(model.get("state"), model.get("reason"), model.get("reconnect")));
  const traits = {
    state: (state) => {
      const live = (value) => value === "OPEN" || value === "CONNECTING";
      if (started && live(state) && !live(lastState)) messages.connectedAgain();
      lastState = state;
      header.showState(state);
      controls.showState(state);
      messages.composer.showState(state);
      announce();
    },
    reason: (text) => {
      header.showReason(text);
      announce();
    },
    url: (url) => {
      header.showUrl(url);
      controls.showUrl(url);
    },
    subprotocol: (name) => header.showSubprotocol(name),
    tls: (state) => header.showTls(state),
    handshake: (value) => {
      handshake.pre.textContent = (model.get("limits") || {}).handshake || handshakeText(value);
      frames.showHandshake(value);
    },
    limits: (value) => {
      controls.showLimits(value || {});
      frames.showLimit((value || {}).frames);
      handshake.pre.textContent = (value || {}).handshake || handshakeText(model.get("handshake"));
    },
    frame_log: (on) => frames.showFrameLog(on),
    reconnect: (pending) => {
      header.showReconnect(pending);
      announce();
    },
    paused: (reason) => {
      const said = header.showPaused(reason);
      if (said && started) header.announce(said); // not for the value a new view starts with
    },
    time_mode: (mode) => messages.showTimeMode(mode),
    plot_fields: (fields) => {
      const before = plot.fields.length;
      plot.showFields(fields || []);
      if (!before && plot.fields.length) tabs.select(PLOT_TAB); // picked from Python, or a view opened with a plot
    },
    plot_paused: (paused) => plot.showPaused(paused),
  };
  messages.onTimeMode = (mode) => {
    model.set("time_mode", mode);
    model.save_changes();
  };
  const listeners = new Listeners();
  for (const [name, show] of Object.entries(traits)) {
    listeners.on(model, `change:${name}`, () => show(model.get(name)));
    show(model.get(name));
  }
  started = true;

  listeners.on(model, "msg:custom", (message, buffers) => {
    if (message.type === "batch") {
      header.showCounters(message);
      if (message.opens) messages.addOpens(message.opens);
      debugPanel.append(message.debug);
      tools.seen(message);
      if (!tools.paused) messages.list.push({ records: message.records, total: message.total, first_seq: message.first_seq }, buffers);
      if (message.frames && !frames.node.hidden) frames.list.push(message.frames, buffers);
      if (message.points) stats.add(message.points);
      if (message.plot) plot.add(message.plot, message.plot_skipped);
      if (message.records && message.records.length) plot.maybeFind();
    } else if (message.type === "plot_fill") plot.fill(message.series);
    else if (message.type === "plot_found") plot.showFound(message.found);
    else if (message.type === "record") messages.showDetail(message, buffers);
    else if (message.type === "compose") tools.compose(message);
    else if (message.type === "columns") tools.refetch();
    else if (message.type === "cleared") {
      header.showCounters(message);
      messages.cleared();
      frames.cleared();
      plot.clear();
    } else if (message.type === "error") {
      if (message.action === "send") messages.composer.showError(message.text);
      else if (message.action === "connect") controls.showError(message.text);
      else if (message.action !== "page" && !Tools.owns(message.action)) header.showReason(message.text); // a page's or tool's: they show it
    }
    requests.answer(message, buffers);
  });

  requests.send({ type: "hello" }, (message) => {
    header.showCounters(message);
    tools.seen(message);
    messages.addOpens(message.opens);
    debugPanel.append(message.debug);
    stats.add(message.series || []);
    plot.fill(message.plot);
    plot.showFound(message.plot_found);
  });
  messages.list.refresh();

  return () => {
    listeners.off();
    requests.dispose();
    for (const part of [header, controls, tools, messages, frames, debugPanel, stats, plot, tabs]) part.destroy();
    root.remove();
    if (debug) debug.views--;
  };
}

export default { render };
