// Bundle the front end's modules (js/src, entry js/src/index.js) into js/widget.js, the one
// file anywidget loads: `make js` runs it. `node js/build.mjs OUTFILE` writes the bundle to
// OUTFILE instead (tests/widget/test_bundle.py builds it so and compares it with js/widget.js).
// Minified: the code to read is js/src (with its comments, which a bundle would drop anyway);
// anywidget sends js/widget.js with every widget it opens, so smaller is faster to open, and
// a minified bundle repeats none of js/src's lines.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  absWorkingDir: root, // the `// js/src/NAME.js` lines name the modules from the repository's root, wherever this runs
  entryPoints: ["js/src/index.js"],
  outfile: process.argv[2] ? resolve(process.argv[2]) : resolve(root, "js/widget.js"),
  bundle: true,
  format: "esm",
  minify: true,
  banner: { js: "// Generated from js/src by `make js` (esbuild): do not edit it by hand; edit js/src, then run make js." },
  logLevel: "warning",
});
