// The benchmark sender: Node's `ws` (from tests/node/node_modules) on 127.0.0.1, port 0, in its
// own process, so that it never shares a core's GIL or event loop with the client measured.
// Prints the port on stdout, then serves:
//   /flood?n=N&size=S&binary=0|1&rate=R
//        N messages of S bytes ("x"-filled text, or binary). Without rate (or rate=0) as fast as
//        the socket takes them: frames are built once and written as pre-framed chunks of about
//        256 KiB, so the sender costs a memcpy per chunk, not work per message. With rate=R
//        messages/s, paced in 2 ms ticks. The connection then stays open until the client closes.
//   /echo   echoes every message (text or binary) through ws's own framing.
//   /ticks?n=N&rate=R&size=S&close=0|1
//        N numbered text messages "0", "1", ... "N-1" (each padded with spaces to S bytes when S
//        is larger), at R messages/s for this connection (first one at once), or as fast as the
//        socket takes them without rate; then closes (1000) if close=1, else stays open until
//        the client closes. For the load tests and the scale benchmark: every sequence number
//        can be counted.
// Exits when its stdin closes (with the benchmark run).
const http = require("http");
const path = require("path");
const { WebSocketServer } = require(path.join(__dirname, "..", "tests", "node", "node_modules", "ws"));

const server = http.createServer((req, res) => { res.writeHead(404); res.end("not found"); });
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });

server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname !== "/flood" && url.pathname !== "/echo" && url.pathname !== "/ticks") {
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => serve(ws, url));
});

function frame(size, binary) {
  const payload = Buffer.alloc(size, binary ? 0xab : 0x78);
  let header;
  if (size < 126) {
    header = Buffer.from([binary ? 0x82 : 0x81, size]);
  } else if (size < 65536) {
    header = Buffer.alloc(4);
    header[0] = binary ? 0x82 : 0x81; header[1] = 126; header.writeUInt16BE(size, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = binary ? 0x82 : 0x81; header[1] = 127; header.writeBigUInt64BE(BigInt(size), 2);
  }
  return Buffer.concat([header, payload]);
}

function serve(ws, url) {
  if (url.pathname === "/echo") {
    ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    return;
  }
  if (url.pathname === "/ticks") {
    ticks(ws, url);
    return;
  }
  const n = Number(url.searchParams.get("n") || 100000);
  const size = Number(url.searchParams.get("size") || 64);
  const binary = url.searchParams.get("binary") === "1";
  const rate = Number(url.searchParams.get("rate") || 0);
  const one = frame(size, binary);
  const socket = ws._socket;
  let sent = 0;
  let closed = false;
  ws.on("close", () => { closed = true; });
  ws.on("error", () => { closed = true; });

  if (!rate) {
    const perChunk = Math.max(1, Math.floor((256 * 1024) / one.length));
    const chunk = Buffer.concat(Array(perChunk).fill(one));
    const pump = () => {
      while (!closed && sent < n) {
        const count = Math.min(perChunk, n - sent);
        sent += count;
        const ok = socket.write(count === perChunk ? chunk : chunk.subarray(0, count * one.length));
        if (!ok) { socket.once("drain", pump); return; }
      }
    };
    pump();
    return;
  }
  // Paced: send what is due every 2 ms.
  const maxPerTick = Math.max(1, Math.ceil(rate * 0.05));
  const chunk = Buffer.concat(Array(maxPerTick).fill(one));
  const start = process.hrtime.bigint();
  const timer = setInterval(() => {
    if (closed || sent >= n) { clearInterval(timer); return; }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    const due = Math.min(n, Math.floor(rate * elapsed)) - sent;
    for (let left = due; left > 0; left -= maxPerTick) {
      const count = Math.min(left, maxPerTick);
      sent += count;
      socket.write(chunk.subarray(0, count * one.length));
    }
  }, 2);
}

function ticks(ws, url) {
  const n = Number(url.searchParams.get("n") || 100);
  const rate = Number(url.searchParams.get("rate") || 0);
  const size = Number(url.searchParams.get("size") || 0);
  const close = url.searchParams.get("close") === "1";
  let sent = 0;
  let closed = false;
  let timer = null;
  ws.on("close", () => { closed = true; if (timer) clearInterval(timer); });
  ws.on("error", () => { closed = true; });
  const message = (seq) => String(seq).padEnd(size, " ");
  const finish = () => { if (close && !closed) ws.close(1000, "done"); };
  if (!rate) {
    const pump = () => {
      while (!closed && sent < n) {
        ws.send(message(sent++));
        if (ws._socket.writableNeedDrain) { ws._socket.once("drain", pump); return; }
      }
      if (sent >= n) finish();
    };
    pump();
    return;
  }
  // Paced: what is due since the start, checked every period (at most 1/rate s, at least 2 ms).
  const start = process.hrtime.bigint();
  const send = () => {
    if (closed) return;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    const due = Math.min(n, 1 + Math.floor(rate * elapsed));
    while (sent < due) ws.send(message(sent++));
    if (sent >= n) { clearInterval(timer); finish(); }
  };
  timer = setInterval(send, Math.max(2, Math.min(100, 1000 / rate)));
  send();
}

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
