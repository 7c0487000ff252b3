'use strict';
// Official Node socket.io-client 4.x, used to check the test servers and proxies themselves.
// Prints one JSON object per line: {"t": ms since start, "event": ..., ...}.
// Example: node node-client.js --url http://127.0.0.1:3000 --transports websocket --emit-every 500
const { io } = require('socket.io-client');
const parseArgs = require('./args');

const opts = parseArgs(process.argv.slice(2), {
  url: undefined,
  namespace: '/',
  transports: 'polling,websocket',
  token: '',
  origin: '',
  reconnection: 'true',
  'emit-every': 0,
  'exit-after': 0,
});
const start = Date.now();
const print = (event, fields = {}) => console.log(JSON.stringify({ t: Date.now() - start, event, ...fields }));

const clientOptions = {
  transports: opts.transports.split(',').map((t) => t.trim()).filter(Boolean),
  reconnection: opts.reconnection === 'true',
};
if (opts.token) clientOptions.auth = { token: opts.token };
if (opts.origin) clientOptions.extraHeaders = { Origin: opts.origin };
const target = opts.url.replace(/\/$/, '') + (opts.namespace === '/' ? '' : opts.namespace);
const socket = io(target, clientOptions);
const describe = (d) => (d === undefined ? undefined : (d && d.message) || d.description || String(d));

socket.on('connect', () => {
  print('connect', { id: socket.id, transport: socket.io.engine.transport.name, recovered: socket.recovered });
  socket.io.engine.once('upgrade', (t) => print('upgrade', { transport: t.name }));
});
socket.on('disconnect', (reason, details) => print('disconnect', { reason, details: describe(details), active: socket.active }));
socket.on('connect_error', (err) => print('connect_error', {
  message: err.message, description: describe(err.description), active: socket.active,
}));
socket.io.on('reconnect_attempt', (n) => print('reconnect_attempt', { attempt: n }));
socket.io.on('reconnect', (n) => print('reconnect', { attempt: n }));
socket.io.on('error', (err) => print('manager_error', { message: err.message, description: describe(err.description) }));

if (opts['emit-every'] > 0) {
  setInterval(() => {
    if (!socket.connected) return;
    const sent = Date.now();
    socket.timeout(opts['emit-every']).emit('echo', { sent }, (err, reply) => {
      if (err) print('echo_timeout');
      else print('ack', { rttMs: Date.now() - sent, reply });
    });
  }, opts['emit-every']);
}
if (opts['exit-after'] > 0) setTimeout(() => { socket.close(); process.exit(0); }, opts['exit-after']);
process.on('SIGTERM', () => { socket.close(); process.exit(0); });
