// What lets a view's parts go cleanly: listeners removed together, and the counters of live
// parts that the leak checks read.

/** Listeners added through `listen` are removed together by `off()`. */
export class Listeners {
  constructor() {
    this.removers = [];
  }

  listen(target, type, handler, capture = false) {
    target.addEventListener(type, handler, capture);
    this.removers.push(() => target.removeEventListener(type, handler, capture));
  }

  on(model, event, handler) {
    model.on(event, handler);
    this.removers.push(() => model.off(event, handler));
  }

  off() {
    for (const remove of this.removers.splice(0)) remove();
  }
}

/**
 * Counters of live parts, for the leak checks of the browser tests. Off unless the page's
 * <html> has a data-wsw-debug attribute; then they are `window.wswDebug` (shared by every copy
 * of this module that anywidget loads), with a WeakRef to every row node made.
 */
export function debugHook() {
  const root = globalThis.document && globalThis.document.documentElement;
  if (!root || !root.dataset || root.dataset.wswDebug === undefined) return null;
  globalThis.wswDebug ||= { views: 0, lists: 0, rows: 0, observers: 0, renders: 0, rowRefs: [] };
  return globalThis.wswDebug;
}
