'use strict';
// Holds N official Node socket.io-client 4.8 connections, the reference the agent is measured
// against in bench/run.sh. Waits for a "go" line on stdin (so the bench can measure the empty
// process first), then connects all N (each its own Manager: forceNew) and prints one JSON line
// whenever the connected count crosses a tenth of N, and {"all": true} once all are connected.
// Usage: node node-holder.js --url http://127.0.0.1:3000 --n 1000
//   --mode websocket|polling|polling_upgrade|mixed [--spread-ms 2000]
//   [--reconnection-delay-ms 1000 --reconnection-delay-max-ms 5000] [--report-reconnects 1]
// --report-reconnects 1: one more JSON line per reconnect, {"reconnect": ms, "transport": mode},
// disconnect → connect again, timed as the agent times it. --tag NAME: every handshake carries
// ?client=NAME, which testservers/sio-server.js prints on its connect and ack-sent lines (the
// server's own record of when it took each connection back, told apart from the agent's canaries).
const { io } = require('../testservers/node_modules/socket.io-client');
const parseArgs = require('../testservers/args');

const opts = parseArgs(process.argv.slice(2), {
  url: undefined, n: 0, mode: 'websocket', 'spread-ms': 2000,
  'reconnection-delay-ms': 1000, 'reconnection-delay-max-ms': 5000, 'report-reconnects': 0, tag: '',
});
const n = Number(opts.n);
const modes = {
  websocket: ['websocket'],
  polling: ['polling'],
  polling_upgrade: ['polling', 'websocket'],
};
if (opts.mode !== 'mixed' && !modes[opts.mode]) throw new Error(`--mode ${opts.mode}: websocket, polling, polling_upgrade or mixed`);
// mixed: the same split as the agent's mixed fleet, a third per transport mode.
const plan = opts.mode === 'mixed'
  ? Object.keys(modes).flatMap((m) => Array(Math.floor(n / 3)).fill(m))
  : Array(n).fill(opts.mode);

let connected = 0;
let lastTenth = -1;
let start = Date.now();
const print = (o) => console.log(JSON.stringify({ t: Date.now() - start, connected, ...o }));

function report() {
  const tenth = Math.floor((connected * 10) / plan.length);
  if (tenth !== lastTenth) {
    lastTenth = tenth;
    print({});
  }
  if (connected === plan.length) print({ all: true });
}

function go() {
  start = Date.now();
  plan.forEach((mode, i) => {
    // Spread like the agent: at most 2 s for the whole fleet (0 for a small one: all at once).
    setTimeout(() => {
      const socket = io(opts.url, {
        forceNew: true, transports: modes[mode], upgrade: mode === 'polling_upgrade',
        reconnectionDelay: opts['reconnection-delay-ms'], reconnectionDelayMax: opts['reconnection-delay-max-ms'],
        ...(opts.tag ? { query: { client: opts.tag } } : {}),
      });
      let up = false;
      let downAt = 0;
      socket.on('connect', () => {
        if (up) return;
        up = true;
        connected++;
        if (downAt && opts['report-reconnects']) print({ reconnect: Number(process.hrtime.bigint() - downAt) / 1e6, transport: mode });
        report();
      });
      socket.on('disconnect', () => { if (up) { up = false; connected--; downAt = process.hrtime.bigint(); } });
    }, Math.floor((i * Number(opts['spread-ms'])) / plan.length));
  });
}

console.log(JSON.stringify({ waiting: true, n: plan.length }));
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { if (d.includes('go')) go(); });
process.on('SIGTERM', () => process.exit(0));
