// DOM helpers: elements, options, SVG, buttons and checkboxes. Text goes in through textContent.

export function h(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

export function option(value, label) {
  return h("option", { value, text: label });
}

export function svg(tag, attributes = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

export function button(label, role, extra = {}) {
  return h("button", { class: "wsw-button", type: "button", "data-role": role, text: label, ...extra });
}

/** A checkbox with its visible label. */
export function checkbox(role, label, checked = false) {
  const input = h("input", { type: "checkbox", "data-role": role });
  input.checked = checked;
  return { input, label: h("label", {}, [input, ` ${label}`]) };
}
