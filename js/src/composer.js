// The composer of the Messages tab.

import { checkComposed, recallTarget } from "./composing.js";
import { button, h, option } from "./dom.js";
import { Listeners } from "./lifecycle.js";

/** The composer: mode, labelled text area, Send, and the reason a text was refused. */
export class Composer {
  constructor(requests, idPrefix) {
    this.requests = requests;
    this.mode = h("select", { "data-role": "mode", "aria-label": "Message format" },
      [option("text", "Text"), option("json", "JSON"), option("hex", "Binary (hex)"), option("base64", "Binary (base64)")]);
    const id = `${idPrefix}-composer`;
    this.label = h("label", { class: "wsw-sr-only", for: id, text: "Message to send (Ctrl+Enter sends, Up recalls)" });
    this.error = h("span", { class: "wsw-compose-error", id: `${id}-error`, "aria-live": "polite", "data-role": "compose-error" });
    this.text = h("textarea", {
      class: "wsw-composer", id, rows: "2", placeholder: "message \u2014 Ctrl+Enter sends, \u2191 recalls",
      "data-role": "composer", spellcheck: "false", "aria-describedby": `${id}-error`,
    });
    this.button = button("Send", "send");
    this.node = h("div", { class: "wsw-compose" }, [this.mode, this.label, this.text, this.button, this.error]);
    this.sent = []; // [{text, mode}], oldest first: Up and Down recall each in the mode it was sent in
    this.recall = -1;
    this.draft = { text: "", mode: "text" }; // what the composer held when the recall began
    this.listeners = new Listeners();
    this.listeners.listen(this.button, "click", () => this.send());
    this.listeners.listen(this.text, "keydown", (event) => this.onKey(event));
    this.listeners.listen(this.text, "input", () => this.showError(""));
  }

  showError(text) {
    this.error.textContent = text;
    this.text.classList.toggle("wsw-invalid", Boolean(text));
    if (text) this.text.setAttribute("aria-invalid", "true");
    else this.text.removeAttribute("aria-invalid");
  }

  showState(state) {
    this.button.disabled = !(state === "OPEN" || state === "CONNECTING");
  }

  send() {
    const text = this.text.value;
    const problem = checkComposed(text, this.mode.value);
    this.showError(problem.error || "");
    if (problem.error) return;
    const mode = this.mode.value;
    this.requests.send({ type: "send", text, mode });
    const last = this.sent[this.sent.length - 1];
    if (!last || last.text !== text || last.mode !== mode) this.sent.push({ text, mode });
    this.recall = -1;
  }

  onKey(event) {
    const { text } = this;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.send();
    } else if (
      (event.key === "ArrowUp" && !text.value.slice(0, text.selectionStart).includes("\n")) || // on the first line
      (event.key === "ArrowDown" && !text.value.slice(text.selectionEnd).includes("\n")) // on the last line
    ) {
      const target = recallTarget(event.key, this.recall, this.sent.length);
      if (target === null) return;
      event.preventDefault();
      if (this.recall === -1) this.draft = { text: text.value, mode: this.mode.value };
      this.recall = target;
      const shown = target === -1 ? this.draft : this.sent[target];
      text.value = shown.text;
      this.mode.value = shown.mode; // the mode it was sent in: a base64 message comes back as base64
      this.showError("");
    }
  }

  destroy() {
    this.listeners.off();
  }
}
