// The parts over the tabs: the connection's header and its controls.

import { button, h } from "./dom.js";
import { countersText } from "./formatting.js";
import { Listeners } from "./lifecycle.js";
import { connectRequest, pauseAnnouncement, pausedText, stateLabel } from "./status_text.js";

/** The header: state pill, URL, badges, counters, why reading is paused, RTT, reconnect countdown, reason, live region. */
export class Header {
  constructor() {
    this.pill = h("span", { class: "wsw-pill", "data-role": "state" });
    this.reason = h("span", { class: "wsw-reason", "data-role": "reason" });
    this.url = h("span", { class: "wsw-url", "data-role": "url" });
    this.subprotocol = h("span", { class: "wsw-badge", "data-role": "subprotocol" });
    this.tls = h("span", { class: "wsw-badge", "data-role": "tls" });
    this.counters = h("span", { class: "wsw-counters", "data-role": "counters" });
    this.rtt = h("span", { class: "wsw-rtt", "data-role": "rtt" });
    this.reconnect = h("span", { class: "wsw-reconnect", "data-role": "reconnect" });
    this.paused = h("span", { class: "wsw-paused", "data-role": "paused" });
    this.paused.hidden = true;
    this.pausedReason = "";
    // Screen readers hear state changes, pauses and resumes from here: "OPEN", "reading resumed".
    this.live = h("div", { class: "wsw-sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true", "data-role": "announce" });
    this.node = h("div", { class: "wsw-header" },
      [this.pill, this.url, this.subprotocol, this.tls, this.counters, this.paused, this.rtt, this.reconnect, this.reason, this.live]);
    this.countdown = null;
  }

  showState(state) {
    this.pill.textContent = stateLabel(state);
    this.pill.dataset.state = state;
  }

  showReason(text) {
    this.reason.textContent = text;
  }

  showUrl(url) {
    this.url.textContent = url;
  }

  showSubprotocol(name) {
    this.subprotocol.textContent = name ? `subprotocol ${name}` : "";
    this.subprotocol.hidden = !name;
  }

  showTls(state) {
    this.tls.textContent = state ? `TLS ${state}` : "";
    this.tls.hidden = !state;
    this.tls.dataset.tls = state;
  }

  /** Show a pending reconnect with a countdown, or nothing. */
  showReconnect(pending) {
    clearInterval(this.countdown);
    this.countdown = null;
    if (!pending || !pending.retry) {
      this.reconnect.textContent = "";
      return;
    }
    const tick = () => {
      const seconds = Math.max(0, (pending.at_ms - Date.now()) / 1000);
      this.reconnect.textContent = `reconnecting, attempt ${pending.retry}, next try in ${seconds.toFixed(1)} s`;
    };
    tick();
    this.countdown = setInterval(tick, 200);
  }

  /** Show why reading is paused (hidden while reading); return what to announce, or null. */
  showPaused(reason) {
    const before = this.pausedReason;
    this.pausedReason = reason || "";
    this.paused.textContent = pausedText(reason);
    this.paused.hidden = !reason;
    return pauseAnnouncement(before, this.pausedReason);
  }

  /** Say the state in the live region, once per new text. */
  announce(text) {
    if (this.live.textContent !== text) this.live.textContent = text;
  }

  showCounters(message) {
    const s = message.stats;
    if (!s) return;
    this.counters.textContent = countersText(s);
    this.rtt.textContent = s.last_rtt === null || s.last_rtt === undefined ? "" : `rtt ${(s.last_rtt * 1000).toFixed(2)} ms`;
    if (message.dropped) this.counters.title = `${message.dropped} older records dropped`;
  }

  destroy() {
    clearInterval(this.countdown);
    this.countdown = null;
  }
}

/** The URL field and the Connect, Close, Ping and Clear buttons. */
export class Controls {
  constructor(requests) {
    this.input = h("input", {
      class: "wsw-url-input", type: "text", placeholder: "type a URL: ws://host:port/path", "aria-label": "WebSocket URL",
      spellcheck: "false", "data-role": "url-input",
    });
    this.connect = button("Connect", "connect");
    this.close = button("Close", "close", { "aria-label": "Close connection" });
    this.ping = button("Ping", "ping");
    this.clear = button("Clear", "clear", { "aria-label": "Clear history" });
    this.error = h("span", { class: "wsw-connect-error", "aria-live": "polite", "data-role": "connect-error" });
    this.node = h("div", { class: "wsw-controls", role: "group", "aria-label": "Connection" },
      [this.input, this.connect, this.close, this.ping, this.clear, this.error]);
    this.state = "";
    this.listeners = new Listeners();
    const on = (node, content) => this.listeners.listen(node, "click", () => requests.send(content()));
    this.listeners.listen(this.connect, "click", () => {
      const asked = connectRequest(this.input.value, this.state);
      this.showError(asked.error || "");
      if (!asked.error) requests.send({ type: "connect", url: asked.url });
    });
    this.listeners.listen(this.input, "input", () => this.showError(""));
    on(this.close, () => ({ type: "close" }));
    on(this.ping, () => ({ type: "ping" }));
    on(this.clear, () => ({ type: "clear" }));
    this.listeners.listen(this.input, "keydown", (event) => {
      if (event.key === "Enter") this.connect.click();
    });
  }

  /** Say why Connect did nothing ("" hides it); the URL field is marked invalid meanwhile. */
  showError(text) {
    this.error.textContent = text;
    if (text) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
  }

  showState(state) {
    this.state = state;
    if (state !== "NEW") this.showError("");
    const open = state === "OPEN";
    this.close.disabled = !(open || state === "CONNECTING" || state === "RECONNECTING");
    this.ping.disabled = !open || Boolean(this.pingLimit);
  }

  /** What this connection cannot do (the `limits` trait): Ping is disabled, its reason its title. */
  showLimits(limits) {
    this.pingLimit = limits.ping || "";
    if (this.pingLimit) this.ping.title = this.pingLimit;
    else this.ping.removeAttribute("title");
    this.showState(this.state);
  }

  showUrl(url) {
    if (!this.input.value || document.activeElement !== this.input) this.input.value = url;
  }

  destroy() {
    this.listeners.off();
  }
}
