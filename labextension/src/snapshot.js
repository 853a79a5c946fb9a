// ws-widget-qsys: a ws_widget socket's output whose widget model is gone (the kernel restarted)
// shows the output's own saved snapshot instead of "Error displaying widget: model not found".
//
// Each socket's output carries, beside the widget view, a dated, masked, script-free snapshot
// as text/html (marked by the `data-ws-widget-snapshot` attribute, ws_widget/pure/snapshot.py)
// and text/plain. @jupyter-widgets/jupyterlab-manager renders the widget-view mime type
// (`safe: false`, rank -10) and has no fallback: when the model is missing it writes the error
// text, and when the view is disposed (the kernel restarted or shut down) it hides the output.
// The widget manager replaces its factory in each notebook's rendermime registry whenever it
// attaches (removeMimeType + addFactory), so a factory of ours for the same mime type would be
// dropped. Instead, for each notebook this wraps its registry's createRenderer: a widget-view
// renderer for an output that carries the snapshot keeps all its own behaviour and, when it
// ends in that error or hides itself, shows the snapshot through the registry's own text/html
// renderer, given an untrusted model so that it is sanitised (never innerHTML of raw data).
// Outputs of other widgets get the manager's renderer untouched.

const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const MARKER = "data-ws-widget-snapshot";
const PLAIN_PREFIX = "<WebSocket snapshot at ";
const ERROR_PREFIX = "Error displaying widget";
const WRAPPED = Symbol("ws-widget-snapshot");

/** The mime type and text of the output's snapshot, or null when it has none of ws_widget's. */
function snapshotOf(data) {
  const html = data["text/html"];
  const htmlText = Array.isArray(html) ? html.join("") : html;
  if (typeof htmlText === "string" && htmlText.includes(MARKER)) return ["text/html", htmlText];
  const plain = data["text/plain"];
  const plainText = Array.isArray(plain) ? plain.join("") : plain;
  if (typeof plainText === "string" && plainText.startsWith(PLAIN_PREFIX)) return ["text/plain", plainText];
  return null;
}

/**
 * Make one widget-view renderer fall back to the snapshot when its model is missing; while
 * its output carries a snapshot, its `show` is in `showable` (see showSnapshots).
 */
function withSnapshot(renderer, rendermime, showable) {
  const renderModel = renderer.renderModel.bind(renderer);
  const hide = renderer.hide.bind(renderer);
  const dispose = renderer.dispose.bind(renderer);
  let snapshot = null; // [mime, text] of the output being rendered
  let shown = null; // the text/html or text/plain renderer showing it

  const clear = () => {
    if (shown) {
      shown.dispose();
      shown = null;
    }
  };

  const show = () => {
    if (renderer.isDisposed || !snapshot) return false;
    const [mime, text] = snapshot;
    const fallback = rendermime.createRenderer(mime);
    clear();
    shown = fallback;
    renderer.node.textContent = "";
    renderer.removeClass("jupyter-widgets");
    renderer.addClass("ws-widget-snapshot");
    renderer.node.appendChild(fallback.node);
    renderer.show();
    // Untrusted: rendermime sanitises the HTML. The snapshot needs no script or trust.
    void fallback.renderModel({ data: { [mime]: text }, metadata: {}, trusted: false, setData() {} });
    return true;
  };

  renderer.renderModel = async (model) => {
    clear();
    renderer.removeClass("ws-widget-snapshot");
    snapshot = snapshotOf(model.data);
    if (snapshot) showable.add(show);
    else showable.delete(show);
    await renderModel(model);
    if (!snapshot || renderer.isDisposed) return;
    if (renderer.isHidden || renderer.node.textContent.startsWith(ERROR_PREFIX)) show();
  };
  // The manager hides the output when its view is disposed (shutdown, closed model).
  renderer.hide = () => {
    if (!show()) hide();
  };
  renderer.dispose = () => {
    showable.delete(show);
    clear();
    dispose();
  };
  return renderer;
}

/** Wrap a notebook's rendermime registry so its widget-view renderers fall back to snapshots. */
export function watchRendermime(rendermime) {
  if (!rendermime || rendermime[WRAPPED]) return;
  const showable = new Set(); // the `show` of each live renderer whose output has a snapshot
  rendermime[WRAPPED] = showable;
  const createRenderer = rendermime.createRenderer.bind(rendermime);
  rendermime.createRenderer = (mimeType) => {
    const renderer = createRenderer(mimeType);
    return mimeType === VIEW_MIME ? withSnapshot(renderer, rendermime, showable) : renderer;
  };
}

/**
 * Show the snapshot in every socket output of this registry's notebook. For a kernel restart
 * in the page: the widget manager keeps the views of the old kernel's models on the page, as
 * they were, no longer live (it neither disposes nor marks them), so each would go on showing
 * OPEN and taking clicks that reach no kernel.
 */
export function showSnapshots(rendermime) {
  for (const show of [...(rendermime?.[WRAPPED] || [])]) show();
}
