// A counting, throttling reverse proxy (Node built-ins only). The browser opens the page at the
// proxy's port; every request the browser makes — the page's and its service worker's alike —
// crosses it, so every response byte is counted (status line + headers + body, as the origin
// compressed it) with the time it was written, and a throttle applies to all of them.
//
// Why not Chromium's own throttling: CDP's Network.emulateNetworkConditions is set per target
// (page), and a service worker is a target of its own whose fetches it does not reliably slow
// down; a proxy sees the socket, whoever opened it.
//
// The throttle models a slow mobile line on the path between browser and server:
//   - a new connection is usable one round trip after it is accepted (TCP handshake; no TLS);
//   - a request travels up through the uplink (shared token bucket), then half a round trip;
//   - the response waits another half round trip, then flows through the downlink (shared token
//     bucket), in small chunks so concurrent responses share the line.
// Towards the browser the proxy speaks HTTP/1.1 keep-alive like a real server; it rewrites only
// hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding) and sends a Content-Length, so
// what it counts is what a keep-alive server would send.
import http from 'node:http';
import net from 'node:net';

const CHUNK = 4096; // bytes per downlink step: 20 ms at 1.6 Mbit/s
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade', 'te', 'trailer']);
const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });
export const now = () => performance.timeOrigin + performance.now(); // epoch ms, as a page's timeOrigin

/** A token bucket shared by every connection: `take(n)` resolves when n bytes may pass, FIFO. */
export class TokenBucket {
  constructor(bytesPerSecond, burstBytes) {
    this.rate = bytesPerSecond / 1000; // per ms
    this.burst = burstBytes;
    this.tokens = burstBytes;
    this.last = now();
    this.queue = Promise.resolve();
  }

  take(n) {
    const turn = this.queue.then(async () => {
      const t = now();
      this.tokens = Math.min(this.burst, this.tokens + (t - this.last) * this.rate);
      this.last = t;
      if (this.tokens < n) await sleep((n - this.tokens) / this.rate);
      const t2 = now();
      this.tokens = Math.min(this.burst, this.tokens + (t2 - this.last) * this.rate) - n;
      this.last = t2;
    });
    this.queue = turn;
    return turn;
  }
}

/** A throttle profile: { downKbps, upKbps, rttMs }. */
function makeThrottle({ downKbps, upKbps, rttMs }) {
  return {
    profile: { downKbps, upKbps, rttMs },
    rttMs,
    down: new TokenBucket((downKbps * 1000) / 8, 16 * 1024),
    up: new TokenBucket((upKbps * 1000) / 8, 16 * 1024),
  };
}

/** Reads one request head (and a Content-Length body) from a socket's buffered bytes. */
function parseRequest(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const [method, target, version] = lines[0].split(' ');
  const headers = [];
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers.push([l.slice(0, i).trim(), l.slice(i + 1).trim()]);
  }
  const len = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] || 0);
  if (buf.length < end + 4 + len) return null;
  return { method, target, version, headers, body: buf.subarray(end + 4, end + 4 + len), size: end + 4 + len };
}

/** The response head as the proxy writes it: the origin's end-to-end headers, keep-alive. */
function responseHead(status, message, rawHeaders, bodyLength, method) {
  const lines = [`HTTP/1.1 ${status} ${message}`];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!HOP.has(rawHeaders[i].toLowerCase())) lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  }
  const noBody = status === 304 || status === 204 || status < 200;
  if (!noBody && method !== 'HEAD') lines.push(`Content-Length: ${bodyLength}`);
  lines.push('Connection: keep-alive', 'Keep-Alive: timeout=5');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * Starts the proxy on 127.0.0.1 (a free port) in front of `origin` ({ host, port }). Returns
 * { port, log, setThrottle(profile | null), close() }; `log` gets one entry per response:
 * { url, method, status, encoding, start, firstByte, end, bytes, head, writes: [[t, bytes]] }.
 */
export async function startProxy(origin) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const state = { throttle: null, log: [], sockets: new Set() };

  const forward = (req) => new Promise((resolve, reject) => {
    const headers = req.headers.filter(([k]) => !HOP.has(k.toLowerCase()));
    const up = http.request({ host: origin.host, port: origin.port, method: req.method, path: req.target, headers: Object.fromEntries(headers.map(([k, v]) => [k, v])), agent }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, message: res.statusMessage, rawHeaders: res.rawHeaders, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    up.on('error', reject);
    up.end(req.body);
  });

  /** Writes `bytes` to the browser, through the downlink when throttled; logs each write. */
  async function send(socket, bytes, entry) {
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const piece = bytes.subarray(at, at + CHUNK);
      if (state.throttle) await state.throttle.down.take(piece.length);
      if (socket.destroyed) return;
      socket.write(piece);
      const t = now();
      entry.firstByte ??= t;
      entry.writes.push([t, piece.length]);
      entry.bytes += piece.length;
    }
  }

  async function handle(socket, req) {
    const entry = { url: req.target, method: req.method, start: now(), writes: [], bytes: 0 };
    const th = state.throttle;
    if (th) {
      await sleep(socket.readyAt - now());
      await th.up.take(req.size);
      await sleep(th.rttMs / 2);
    }
    let res;
    try {
      res = await forward(req);
    } catch (err) {
      res = { status: 502, message: 'Bad Gateway', rawHeaders: ['Content-Type', 'text/plain'], body: Buffer.from(`proxy: ${err.message}\n`) };
    }
    if (th) await sleep(th.rttMs / 2);
    const body = req.method === 'HEAD' ? Buffer.alloc(0) : res.body;
    const head = responseHead(res.status, res.message, res.rawHeaders, res.body.length, req.method);
    Object.assign(entry, { status: res.status, head: head.length, encoding: header(res.rawHeaders, 'content-encoding') || 'identity' });
    state.log.push(entry);
    await send(socket, Buffer.concat([head, body]), entry);
    entry.end = now();
  }

  const server = net.createServer((socket) => {
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
    socket.on('error', () => {});
    socket.readyAt = now() + (state.throttle ? state.throttle.rttMs : 0);
    let buf = Buffer.alloc(0);
    let busy = Promise.resolve();
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (let req = parseRequest(buf); req; req = parseRequest(buf)) {
        buf = buf.subarray(req.size);
        const r = req;
        busy = busy.then(() => handle(socket, r)); // one at a time per connection, in order
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    log: state.log,
    setThrottle: (profile) => { state.throttle = profile ? makeThrottle(profile) : null; },
    /** Drops every open connection (between measurements, so none carries over). */
    dropConnections: () => { for (const s of state.sockets) s.destroy(); },
    close: () => new Promise((r) => {
      for (const s of state.sockets) s.destroy();
      agent.destroy();
      server.close(r);
    }),
  };
}

function header(rawHeaders, name) {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1];
  return null;
}
