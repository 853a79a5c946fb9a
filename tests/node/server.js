// An independent WebSocket server for ws_widget's tests: Node's `ws` on 127.0.0.1, port 0.
// Prints the port on stdout, then serves:
//   /echo          echoes every message as it came (text or binary)
//   /fragments     sends "alpha-beta-gamma" as three fragments (TEXT, CONT, CONT+FIN)
//   /close?code=&reason=   closes with that code and reason
//   /headers       sends the request headers as JSON
// Any other path gets HTTP 404.
const http = require("http");
const { WebSocketServer } = require("ws");

const server = http.createServer((req, res) => { res.writeHead(404); res.end("not found"); });
const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => protocols.values().next().value || false });
const paths = new Set(["/echo", "/fragments", "/close", "/headers"]);

server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (!paths.has(url.pathname)) {
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req, url));
});

function serve(ws, req, url) {
  if (url.pathname === "/echo") {
    ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
  } else if (url.pathname === "/fragments") {
    ws.send("alpha-", { fin: false });
    ws.send("beta-", { fin: false });
    ws.send("gamma", { fin: true });
  } else if (url.pathname === "/close") {
    ws.close(Number(url.searchParams.get("code") || 1000), url.searchParams.get("reason") || "");
  } else if (url.pathname === "/headers") {
    ws.send(JSON.stringify(req.headers));
  }
}

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.on("end", () => process.exit(0)); // exit with the test run
process.stdin.resume();
