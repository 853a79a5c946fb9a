// Records the sha256 of the extension's sources next to the built bundle, so a test can tell
// that the committed build (ws_widget/labextension/) was made from the committed sources.
// Run by `npm run build` after `jupyter labextension build .`.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

export const SOURCES = ["package.json", "src/index.js", "src/snapshot.js"];

const hash = createHash("sha256");
for (const path of SOURCES) {
  hash.update(path + "\0");
  hash.update(readFileSync(new URL(path, import.meta.url)));
  hash.update("\0");
}
const out = new URL("../ws_widget/labextension/source.sha256", import.meta.url);
writeFileSync(out, hash.digest("hex") + "\n");
