// An independent WebSocket client for ws_widget's tests: Node's `ws`.
//   node client.js URL [--expect N] [--ca FILE] [MESSAGE ...]
// Connects to URL, sends each MESSAGE as a text frame, and prints one JSON line per event:
//   {"event":"open"}, {"event":"message","data":"...","binary":false} (binary data in base64),
//   {"event":"close","code":1000,"reason":"..."}, {"event":"error","message":"..."}.
// With --expect N it closes (1000) after receiving N messages; it always exits once closed, or after 10 s.
const fs = require("fs");
const WebSocket = require("ws");

const args = process.argv.slice(2);
let url = null, expect = Infinity, ca = undefined;
const messages = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--expect") expect = Number(args[++i]);
  else if (args[i] === "--ca") ca = fs.readFileSync(args[++i]);
  else if (url === null) url = args[i];
  else messages.push(args[i]);
}

const print = (event) => process.stdout.write(JSON.stringify(event) + "\n");
const ws = new WebSocket(url, ca ? { ca } : {});
let received = 0;
const timer = setTimeout(() => { print({ event: "error", message: "timeout" }); process.exit(2); }, 10000);

ws.on("open", () => {
  print({ event: "open" });
  for (const message of messages) ws.send(message);
});
ws.on("message", (data, isBinary) => {
  const text = data.toString(isBinary ? "base64" : "utf8");
  print({ event: "message", data: text, binary: isBinary });
  if (++received >= expect) ws.close(1000, "done");
});
ws.on("error", (err) => print({ event: "error", message: err.message }));
ws.on("close", (code, reason) => {
  print({ event: "close", code, reason: reason.toString("utf8") });
  clearTimeout(timer);
  process.exit(0);
});
