// ws-widget-qsys: in JupyterLab 4 and Notebook 7, a code cell whose source starts with the
// `%%qsys` cell magic (ws_widget.qsys) is edited and highlighted as Lua.
//
// JupyterLab has no per-cell-magic highlighting (jupyterlab/jupyterlab#15324, #3869): every
// code cell gets the notebook's mime type (the kernel's language). This plugin watches each
// code cell of each notebook and sets its model's mimeType to Lua (`text/x-lua`, the Lua mode of
// @codemirror/legacy-modes in JupyterLab's editor language registry) while the first line is
// `%%qsys`, and back to the notebook's own mime type when that line goes. The editor follows
// its model's mimeType. The notebook re-sets every cell's mime type when the kernel's language
// changes; a Lua cell takes Lua back at once. Nothing is saved: the mime type is not part of
// the notebook file.
//
// It imports nothing (a document widget extension needs no token), so the bundle carries no
// copy of any @jupyterlab package and loads the same in JupyterLab and Notebook 7.
// Rebuild with `make labextension`; the built files live in ws_widget/labextension/.
//
// A second plugin (src/snapshot.js) shows a ws_widget socket output's saved snapshot where the
// widget manager would say "model not found" (after a kernel restart), and in place of the
// views still on the page when the kernel restarts or stops.

import { showSnapshots, watchRendermime } from "./snapshot.js";

const LUA_MIME = "text/x-lua";
const KERNEL_GOING = new Set(["restarting", "autorestarting", "terminating", "dead"]);

// IPython drops blank lines before a cell magic, so `%%qsys` may follow some.
const QSYS_MAGIC = /^(?:[ \t]*\r?\n)*%%qsys(?:[ \t]|\r?\n|$)/;

/** Whether this source runs as a `%%qsys` (Lua) cell. */
function isQsys(source) {
  return QSYS_MAGIC.test(source);
}

/** Watch one notebook's code cells for as long as its panel lives. */
function watchNotebook(panel) {
  const notebook = panel.content;
  const watched = new Set();

  const defaultMime = () => notebook.codeMimetype || "text/x-ipython";

  const apply = (cell) => {
    if (cell.isDisposed || cell.type !== "code") return;
    const wanted = isQsys(cell.sharedModel.getSource()) ? LUA_MIME : defaultMime();
    // Only a change of ours: anything else (Python, R, ...) belongs to the notebook.
    if (wanted === LUA_MIME && cell.mimeType !== LUA_MIME) {
      cell.mimeType = LUA_MIME;
    } else if (wanted !== LUA_MIME && cell.mimeType === LUA_MIME) {
      cell.mimeType = wanted;
    }
  };

  const watch = (cell) => {
    if (!cell || cell.type !== "code" || watched.has(cell)) return;
    watched.add(cell);
    cell.sharedModel.changed.connect((_, change) => {
      if (change.sourceChange) apply(cell);
    });
    // The notebook sets every cell's mime type when the kernel's language changes.
    cell.mimeTypeChanged.connect(() => apply(cell));
    apply(cell);
  };

  const watchModel = (model) => {
    if (!model) return;
    for (let i = 0; i < model.cells.length; i++) watch(model.cells.get(i));
    model.cells.changed.connect((_, args) => {
      for (const cell of args.newValues || []) watch(cell);
    });
  };

  watchModel(notebook.model);
  notebook.modelChanged.connect(() => watchModel(notebook.model));
}

const plugin = {
  id: "ws-widget-qsys:highlight",
  description: "Highlights a %%qsys cell (ws_widget's Q-SYS Lua cell magic) as Lua.",
  autoStart: true,
  activate: (app) => {
    app.docRegistry.addWidgetExtension("Notebook", {
      createNew: (panel) => {
        watchNotebook(panel);
      },
    });
  },
};

const snapshot = {
  id: "ws-widget-qsys:snapshot",
  description: "Shows a ws_widget socket's saved snapshot when its widget model is gone (kernel restart).",
  autoStart: true,
  activate: (app) => {
    app.docRegistry.addWidgetExtension("Notebook", {
      createNew: (panel) => {
        const { rendermime } = panel.content;
        watchRendermime(rendermime);
        // The kernel that owned the views is going: what they show is from then on a snapshot.
        panel.sessionContext.statusChanged.connect((_, status) => {
          if (KERNEL_GOING.has(status)) showSnapshots(rendermime);
        });
      },
    });
  },
};

export default [plugin, snapshot];
