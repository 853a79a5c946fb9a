// Runs a Python file in a real Pyodide under Node: `node tests/node/pyodide_run.mjs SCRIPT PACKAGE SITE`.
// PACKAGE (ws_widget/) and SITE (a site-packages holding websockets) are mounted read-only
// into Pyodide's file system and put first on sys.path; the script defines `async def main()`,
// which runs on Pyodide's own event loop (the one a JupyterLite kernel runs cells on). The
// WebSocket is Node's own (undici), the same API as a browser's.
import { loadPyodide } from "../../lite/node_modules/pyodide/pyodide.mjs"; // the site's Pyodide (lite/package.json)
import { readFileSync } from "node:fs";

const [script, packageDir, siteDir] = process.argv.slice(2);
const pyodide = await loadPyodide();
pyodide.FS.mkdirTree("/mnt/package/ws_widget");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: packageDir }, "/mnt/package/ws_widget");
pyodide.FS.mkdirTree("/mnt/site");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: siteDir }, "/mnt/site");
pyodide.runPython("import sys; sys.path[:0] = ['/mnt/package', '/mnt/site']");
try {
  await pyodide.runPythonAsync(`${readFileSync(script, "utf8")}\nawait main()\n`);
} catch (error) {
  console.log(String(error));
  process.exitCode = 1;
}
process.exit();
