// The tabs that show a block of text: Handshake and Debug Output.

import { h } from "./dom.js";

const DEBUG_LINES_SHOWN = 2000;

/** A scrollable, focusable block of text (the Handshake and Debug Output tabs). */
export function textPanel(role, label) {
  const pre = h("pre", { class: "wsw-debug", "data-role": role, tabindex: "0", role: "region", "aria-label": label });
  return { pre, node: h("div", { class: "wsw-tab-body" }, [pre]) };
}

/** The Debug Output tab: the socket's lines, the newest DEBUG_LINES_SHOWN kept. */
export class DebugPanel {
  constructor() {
    const { pre, node } = textPanel("debug", "Debug Output");
    Object.assign(this, { pre, node });
    this.lines = 0;
  }

  append(lines) {
    if (!lines || !lines.length) return;
    this.pre.append(document.createTextNode(lines.join("\n") + "\n"));
    this.lines += lines.length;
    if (this.lines > DEBUG_LINES_SHOWN + 200) {
      const kept = this.pre.textContent.split("\n").slice(-DEBUG_LINES_SHOWN - 1);
      this.pre.textContent = kept.join("\n");
      this.lines = kept.length - 1;
    }
    this.pre.scrollTop = this.pre.scrollHeight;
  }

  destroy() {}
}
