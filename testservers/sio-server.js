'use strict';
// Socket.IO v4 test server. Flags are documented in README.md next to this file.
// Prints exactly one "listening <port>" line when bound; everything else it prints is a log line.
const http = require('http');
const { Server } = require('socket.io');
const EngineSocket = require('engine.io').Socket;
const parseArgs = require('./args');

const opts = parseArgs(process.argv.slice(2), {
  port: undefined,
  host: '127.0.0.1',
  'ping-interval': 25000,
  'ping-timeout': 20000,
  namespace: ['/'],
  token: '',
  'cors-origin': '',
  transports: 'polling,websocket',
  'control-port': 0,
  id: 'sio4',
  // "true": the middleware rejects every handshake and echoes what it was sent in the error
  // message, as careless servers do ("invalid token abc…"); for tests that secrets stay hidden.
  'echo-token-in-error': 'false',
  // Connection state recovery (Socket.IO >= 4.6), off unless "true".
  recovery: 'false',
  'max-disconnection-ms': 120000,
  'skip-middlewares': 'true',
  // A numbered broadcast: io.emit(event, {[seq-field]: n, server: id}) every interval ms (0: only on
  // POST /broadcast). Off while broadcast-event is empty.
  'broadcast-event': '',
  'broadcast-interval-ms': 0,
  'seq-field': 'seq',
  // How long an idle keep-alive connection stays open; 0 keeps Node's default (5 s). A proxy in
  // front holds them longer (nginx's keepalive_timeout: 75 s), so polling clients reuse them.
  'keep-alive-timeout-ms': 0,
  // "true": one more line per connection, "ack-sent ...", when its CONNECT ack leaves for the client
  // (at once on a WebSocket; on polling with the client's next long-poll). The bench's record of
  // when the server took each client back after an outage.
  'log-acks': 'false',
  // Hold every new session's handshake (polling's first GET, a WebSocket's upgrade) this many ms
  // before answering, as a slow auth check would; 0 answers at once. /stats counts those held,
  // for tests that act while the clients' handshakes are in flight.
  'handshake-delay-ms': 0,
});
const id = opts.id;
const log = (msg) => console.log(`${new Date().toISOString()} [${id}] ${msg}`);

// Like an express app in front of socket.io: socket.io takes its own path and hands every other
// request to this handler, which answers 404 as express's final handler does. A bare
// http.createServer() would leave such requests hanging, which no real deployment does.
// (Upgrades on other paths are not requests: engine.io destroys those sockets after 1 s.)
const httpServer = http.createServer((req, res) => {
  const pathname = new URL(req.url, 'http://x').pathname;
  log(`404 ${req.method} ${pathname}`);
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n`
    + `<body>\n<pre>Cannot ${req.method} ${pathname}</pre>\n</body>\n</html>\n`);
});
if (opts['keep-alive-timeout-ms'] > 0) httpServer.keepAliveTimeout = opts['keep-alive-timeout-ms'];
// Every TCP connection (polling and upgraded WebSockets alike), so /close-all-tcp can cut them.
const tcpSockets = new Set();
httpServer.on('connection', (s) => {
  tcpSockets.add(s);
  s.on('close', () => tcpSockets.delete(s));
});

const serverOptions = {
  pingInterval: opts['ping-interval'],
  pingTimeout: opts['ping-timeout'],
  transports: opts.transports.split(',').map((t) => t.trim()).filter(Boolean),
};
if (opts.recovery === 'true') {
  serverOptions.connectionStateRecovery = {
    maxDisconnectionDuration: opts['max-disconnection-ms'],
    skipMiddlewares: opts['skip-middlewares'] === 'true',
  };
}
if (opts['cors-origin']) {
  const allowed = opts['cors-origin'];
  serverOptions.cors = { origin: allowed };
  // CORS headers alone do not stop a non-browser client; a strict server also refuses the request.
  serverOptions.allowRequest = (req, callback) => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== allowed) callback(`origin not allowed: ${origin}`, false);
    else callback(null, true);
  };
}
let handshakesHeld = 0;
if (opts['handshake-delay-ms'] > 0) {
  // engine.io asks allowRequest for new sessions only: a request with a sid is never held.
  const allow = serverOptions.allowRequest || ((req, callback) => callback(null, true));
  serverOptions.allowRequest = (req, callback) => {
    handshakesHeld++;
    setTimeout(() => {
      handshakesHeld--;
      allow(req, callback);
    }, opts['handshake-delay-ms']);
  };
}
const io = new Server(httpServer, serverOptions);

io.engine.on('connection_error', (err) => {
  const ctx = err.context && err.context.name ? ` ${err.context.name}` : '';
  log(`engine connection_error ${err.code} ${err.message}${ctx}`);
});

const namespaces = opts.namespace;
if (!namespaces.includes('/')) {
  // socket.io always creates "/", so refuse it the way an unknown namespace is refused.
  io.of('/').use((socket, next) => next(new Error('Invalid namespace')));
}
for (const name of namespaces) {
  const nsp = io.of(name);
  if (opts['echo-token-in-error'] === 'true') {
    nsp.use((socket, next) => {
      const auth = socket.handshake.auth || {};
      const header = socket.handshake.headers.authorization || '';
      const credentials = header.split(' ').slice(1).join(' ');
      next(new Error(`invalid token ${auth.token}, credentials ${credentials} (header ${header})`));
    });
  } else if (opts.token) {
    nsp.use((socket, next) => {
      const auth = socket.handshake.auth || {};
      if (auth.token === opts.token) next();
      else next(new Error('token expired'));
    });
  }
  nsp.on('connection', (socket) => {
    const transport = socket.conn.transport.name;
    // client=: a tag the client put in its handshake query (bench/node-holder.js --tag), so a
    // bench can tell whose reconnect the server recorded when two clients share it.
    const tag = socket.handshake.query.client ? ` client=${socket.handshake.query.client}` : '';
    log(`connect nsp=${name} sid=${socket.id} transport=${transport} recovered=${socket.recovered}${tag}`);
    if (opts['log-acks'] === 'true') {
      const acked = () => log(`ack-sent nsp=${name} sid=${socket.id} transport=${transport}${tag}`);
      // The ack was written before "connection"; still buffered means no long-poll was waiting for it.
      if (socket.conn.writeBuffer.length === 0) acked();
      else socket.conn.once('drain', acked);
    }
    socket.conn.on('upgrade', (t) => log(`upgrade nsp=${name} sid=${socket.id} transport=${t.name}`));
    // socket.use sees every incoming event with its ack callback, in every 4.x version.
    socket.use(([event, ...args], next) => {
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: true, server: id, event });
      next();
    });
    socket.on('disconnect', (reason, details) => {
      const d = details && details.message ? ` details=${JSON.stringify(details.message)}` : '';
      log(`disconnect nsp=${name} sid=${socket.id} reason=${JSON.stringify(reason)}${d}`);
    });
  });
}

// --- stop-pings: engine.io 6 schedules each ping with Socket#schedulePing (protocol v4, server
// pings). While the window is open, schedulePing only arms a timer for the end of the window, so
// existing and newly opened sessions send no ping; messages and acks keep flowing.
let pingsStoppedUntil = 0;
const originalSchedulePing = EngineSocket.prototype.schedulePing;
EngineSocket.prototype.schedulePing = function schedulePing() {
  const remaining = pingsStoppedUntil - Date.now();
  if (remaining <= 0) return originalSchedulePing.call(this);
  clearTimeout(this.pingIntervalTimer);
  this.pingIntervalTimer = setTimeout(() => {
    if (this.readyState === 'open') this.schedulePing();
  }, remaining);
};
function stopPings(ms) {
  pingsStoppedUntil = Date.now() + ms;
  for (const client of Object.values(io.engine.clients)) {
    if (client.protocol === 3) continue;
    clearTimeout(client.pingTimeoutTimer);
    client.pingTimeoutTimer = null;
    client.schedulePing();
  }
}

// --- numbered broadcast: the sequence starts at 1 with every process (a restart resets it), or
// takes the number the caller gives, so two servers behind one proxy can send the same numbers.
let lastSeq = 0;
function broadcast(seq) {
  lastSeq = seq === undefined ? lastSeq + 1 : seq;
  const payload = { [opts['seq-field']]: lastSeq, server: id };
  for (const name of namespaces) io.of(name).emit(opts['broadcast-event'], payload);
  return lastSeq;
}
if (opts['broadcast-event'] && opts['broadcast-interval-ms'] > 0) {
  setInterval(() => broadcast(), opts['broadcast-interval-ms']).unref();
}

function freeze(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* a hung server: nothing else runs */ }
}

function stats() {
  const sockets = {};
  for (const name of namespaces) sockets[name] = io.of(name).sockets.size;
  return { clients: io.engine.clientsCount, sockets, id, seq: lastSeq, handshakesHeld };
}

function startControl(port) {
  const control = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://control');
    const ms = Number(url.searchParams.get('ms') || 0);
    const reply = (status, body, after) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body), after);
    };
    const route = `${req.method} ${url.pathname}`;
    log(`control ${route}${ms ? ` ms=${ms}` : ''}`);
    switch (route) {
      case 'GET /stats':
        return reply(200, stats());
      case 'POST /disconnect-all': {
        let count = 0;
        for (const name of namespaces) {
          for (const socket of io.of(name).sockets.values()) { socket.disconnect(true); count++; }
        }
        return reply(200, { ok: true, disconnected: count });
      }
      case 'POST /close-engines': {
        // A graceful Engine.IO close: a WebSocket close frame (or a closed poll), no Socket.IO
        // DISCONNECT packet first; what a server restarting its transports or a proxy draining does.
        let count = 0;
        for (const client of Object.values(io.engine.clients)) { client.close(); count++; }
        return reply(200, { ok: true, closed: count });
      }
      case 'POST /close-all-tcp': {
        const count = tcpSockets.size;
        for (const s of tcpSockets) s.destroy();
        return reply(200, { ok: true, closed: count });
      }
      case 'POST /freeze':
        // Answer first, then block: the caller gets its response and the server hangs afterwards.
        return reply(200, { ok: true, ms }, () => freeze(ms));
      case 'POST /broadcast': {
        if (!opts['broadcast-event']) return reply(409, { ok: false, error: 'no --broadcast-event' });
        const given = url.searchParams.get('seq');
        const count = Number(url.searchParams.get('count') || 1);
        const sent = [];
        for (let i = 0; i < count; i++) sent.push(broadcast(given === null ? undefined : Number(given) + i));
        return reply(200, { ok: true, seq: sent });
      }
      case 'POST /stop-pings':
        stopPings(ms);
        return reply(200, { ok: true, ms });
      default:
        return reply(404, { ok: false, error: `no route ${route}` });
    }
  });
  control.listen(port, '127.0.0.1');
  return control;
}

const control = opts['control-port'] ? startControl(opts['control-port']) : null;

httpServer.listen(opts.port, opts.host, () => {
  console.log(`listening ${httpServer.address().port}`);
  log(`namespaces=${namespaces.join(',')} pingInterval=${opts['ping-interval']} pingTimeout=${opts['ping-timeout']}`
    + ` transports=${serverOptions.transports.join(',')} token=${opts.token ? 'set' : 'none'}`
    + ` cors=${opts['cors-origin'] || 'none'} control=${opts['control-port'] || 'none'}`
    + ` recovery=${opts.recovery === 'true' ? `maxDisconnection=${opts['max-disconnection-ms']} skipMiddlewares=${opts['skip-middlewares']}` : 'off'}`
    + ` broadcast=${opts['broadcast-event'] || 'none'}`);
});

process.on('SIGTERM', () => {
  log('SIGTERM: closing');
  if (control) { control.close(); control.closeAllConnections(); }
  io.close(() => process.exit(0));
  for (const s of tcpSockets) s.destroy();
  // io.close waits for the HTTP server; never let a lingering connection delay the exit.
  setTimeout(() => process.exit(0), 500);
});
