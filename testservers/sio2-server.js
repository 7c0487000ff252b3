'use strict';
// Socket.IO v2 (Engine.IO 3) test server, installed through the npm alias "socket.io-v2".
// Prints exactly one "listening <port>" line when bound.
const http = require('http');
const socketIo = require('socket.io-v2');
const parseArgs = require('./args');

const opts = parseArgs(process.argv.slice(2), {
  port: undefined,
  host: '127.0.0.1',
  'ping-interval': 25000,
  'ping-timeout': 5000,
  namespace: ['/'],
  id: 'sio2',
});
const id = opts.id;
const log = (msg) => console.log(`${new Date().toISOString()} [${id}] ${msg}`);

const httpServer = http.createServer();
const tcpSockets = new Set();
httpServer.on('connection', (s) => {
  tcpSockets.add(s);
  s.on('close', () => tcpSockets.delete(s));
});
const io = socketIo(httpServer, { pingInterval: opts['ping-interval'], pingTimeout: opts['ping-timeout'] });

for (const name of opts.namespace) {
  io.of(name).on('connection', (socket) => {
    log(`connect nsp=${name} sid=${socket.id} transport=${socket.conn.transport.name}`);
    socket.use((packet, next) => {
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') ack({ ok: true, server: id, event: packet[0] });
      next();
    });
    socket.on('disconnect', (reason) => log(`disconnect nsp=${name} sid=${socket.id} reason=${JSON.stringify(reason)}`));
  });
}

httpServer.listen(opts.port, opts.host, () => {
  console.log(`listening ${httpServer.address().port}`);
  log(`namespaces=${opts.namespace.join(',')} pingInterval=${opts['ping-interval']} pingTimeout=${opts['ping-timeout']}`);
});

process.on('SIGTERM', () => {
  log('SIGTERM: closing');
  io.close(() => process.exit(0));
  for (const s of tcpSockets) s.destroy();
  setTimeout(() => process.exit(0), 500);
});
