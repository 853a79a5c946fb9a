// The tabs over the panels.

import { h } from "./dom.js";
import { Listeners } from "./lifecycle.js";
import { tabKeyTarget } from "./navigation.js";

/**
 * Tabs (role tablist/tab/tabpanel) over panels: one tab stop (roving tabindex), Left/Right
 * (wrapping), Home and End move and select; `onShow` runs for the panel shown.
 */
export class Tabs {
  constructor(idPrefix, panels) {
    this.panels = panels; // [{label, body, onShow}]
    this.buttons = panels.map(({ label, body }, i) => {
      const slug = label.toLowerCase().replace(" ", "-");
      const tab = h("button", {
        class: "wsw-tab", type: "button", role: "tab", id: `${idPrefix}-tab-${slug}`, "aria-controls": `${idPrefix}-panel-${slug}`,
        "data-role": `tab-${slug}`, text: label,
      });
      body.setAttribute("role", "tabpanel");
      body.setAttribute("id", `${idPrefix}-panel-${slug}`);
      body.setAttribute("aria-labelledby", `${idPrefix}-tab-${slug}`);
      tab.index = i;
      return tab;
    });
    this.node = h("div", { class: "wsw-tabs", role: "tablist", "aria-label": "Views" }, this.buttons);
    this.listeners = new Listeners();
    this.listeners.listen(this.node, "click", (event) => {
      const tab = this.tabOf(event.target);
      if (tab) this.select(tab.index);
    });
    this.listeners.listen(this.node, "keydown", (event) => {
      const tab = this.tabOf(event.target);
      const target = tab && tabKeyTarget(event.key, tab.index, this.buttons.length);
      if (target === null || target === undefined) return;
      event.preventDefault();
      this.select(target);
      this.buttons[target].focus();
    });
    this.selected = -1;
    this.select(0);
  }

  tabOf(target) {
    for (let node = target; node && node !== this.node; node = node.parentNode) if (this.buttons.includes(node)) return node;
    return null;
  }

  select(index) {
    this.buttons.forEach((tab, i) => {
      const on = i === index;
      tab.classList.toggle("wsw-active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.setAttribute("tabindex", on ? "0" : "-1");
      this.panels[i].body.hidden = !on;
    });
    const changed = index !== this.selected;
    this.selected = index;
    if (changed && this.panels[index].onShow) this.panels[index].onShow();
  }

  destroy() {
    this.listeners.off();
  }
}
