// Virtual scrolling and the keys that move: the list's geometry, and the row or tab a key goes to.

export const ROW_HEIGHT = 22;
export const MAX_SCROLL_HEIGHT = 8_000_000; // px; browsers cap element heights near 16-33M

/**
 * Virtual scrolling: the spacer height for `total` rows and the first row index shown at
 * `scrollTop`. Past MAX_SCROLL_HEIGHT the scroll range is scaled so that a million rows
 * still scroll end to end.
 */
export function scrollGeometry(total, viewportHeight, rowHeight = ROW_HEIGHT, maxHeight = MAX_SCROLL_HEIGHT) {
  const natural = total * rowHeight;
  const height = Math.min(natural, maxHeight);
  const visible = Math.max(1, Math.ceil(viewportHeight / rowHeight) + 1);
  const scrollRange = Math.max(0, height - viewportHeight);
  const rowRange = Math.max(0, total - Math.floor(viewportHeight / rowHeight));
  return {
    height,
    visible,
    firstRow(scrollTop) {
      if (scrollRange <= 0) return 0;
      if (natural <= maxHeight) return Math.min(rowRange, Math.floor(scrollTop / rowHeight));
      return Math.min(rowRange, Math.round((scrollTop / scrollRange) * rowRange));
    },
    rowTop(row, scrollTop) {
      return natural <= maxHeight ? row * rowHeight : scrollTop;
    },
    /**
     * The height of the box of rows that starts at `row`: every row it holds in full. (It was
     * the viewport's height, which clipped the last row in half at the end of the list: the
     * box starts at a row's top, the viewport's top is inside that row.)
     */
    rowsHeight(row) {
      return Math.max(0, Math.min(visible, total - row)) * rowHeight;
    },
    scrollTopFor(row) {
      if (natural <= maxHeight) return row * rowHeight;
      return rowRange ? (row / rowRange) * scrollRange : 0;
    },
  };
}

/** The tab a key moves to among `count` tabs (Left/Right wrap, Home, End); null for other keys. */
export function tabKeyTarget(key, index, count) {
  if (!count) return null;
  if (key === "ArrowRight") return (index + 1) % count;
  if (key === "ArrowLeft") return (index - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}

/**
 * The row a key makes active in a list of `total` rows, or null for keys that do not move.
 * `active` is the active row (null for none yet), `first` the first row in view and `page`
 * the rows a viewport holds. With no active row, Down starts at the first row in view and Up
 * at the last.
 */
export function rowKeyTarget(key, active, total, first, page) {
  if (!total) return null;
  const clamp = (row) => Math.max(0, Math.min(total - 1, row));
  const step = Math.max(1, page);
  if (key === "Home") return 0;
  if (key === "End") return total - 1;
  if (active === null || active === undefined || active >= total) {
    if (key === "ArrowDown" || key === "PageDown") return clamp(first);
    if (key === "ArrowUp" || key === "PageUp") return clamp(first + step - 1);
    return null;
  }
  if (key === "ArrowDown") return clamp(active + 1);
  if (key === "ArrowUp") return clamp(active - 1);
  if (key === "PageDown") return clamp(active + step);
  if (key === "PageUp") return clamp(active - step);
  return null;
}

/** The scrollTop that brings `row` into view, or null when it is in view already. */
export function scrollToShow(row, first, page, geometry) {
  if (row < first) return geometry.scrollTopFor(row);
  if (row >= first + Math.max(1, page)) return geometry.scrollTopFor(row - Math.max(1, page) + 1);
  return null;
}
