// Colour contrast as WCAG 2 measures it (the stylesheet's text colours are checked with it).

/** Parse "#rgb", "#rrggbb", "rgb(r, g, b)" or "rgba(r, g, b, a)" into [r, g, b, a]; null if not. */
export function parseColour(text) {
  const value = String(text).trim();
  let match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
  if (match) {
    const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
    return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)).concat(1);
  }
  match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(value);
  if (!match) return null;
  const alpha = match[4] === undefined ? 1 : match[4].endsWith("%") ? parseFloat(match[4]) / 100 : Number(match[4]);
  return [Number(match[1]), Number(match[2]), Number(match[3]), alpha];
}

/** A colour with alpha laid over an opaque background: [r, g, b]. */
export function composite([r, g, b, a = 1], [br, bg, bb]) {
  return [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a)];
}

/** The WCAG 2 relative luminance of [r, g, b] (0-255 each). */
export function relativeLuminance([r, g, b]) {
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The WCAG 2 contrast ratio of a foreground (alpha allowed) over an opaque background, 1 to 21. */
export function contrastRatio(foreground, background) {
  const bg = typeof background === "string" ? parseColour(background) : background;
  const fg = typeof foreground === "string" ? parseColour(foreground) : foreground;
  if (!fg || !bg) throw new Error(`contrastRatio needs colours such as #1f2328 or rgb(31, 35, 40), got ${foreground} and ${background}`);
  const lighter = relativeLuminance(composite(fg, bg));
  const darker = relativeLuminance(bg.slice(0, 3));
  const [hi, lo] = lighter > darker ? [lighter, darker] : [darker, lighter];
  return (hi + 0.05) / (lo + 0.05);
}
