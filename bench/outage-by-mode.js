'use strict';
// A small outage, transport mode by transport mode (bench/run.sh outage): 20 agent canaries per
// mode (T="polling" for one mode alone) and, beside them on the same server, the Node client with
// as many connections of each mode, both retrying every 50–100 ms. The server is killed and
// started again 3 s later. Prints, per mode and client, each reconnect's duration minus the
// injected outage: how late each comes back after the server does. The Node client shows what
// the server itself makes every client wait, and so does the server's own record of when each
// connection's CONNECT ack left for it (by the transport each connected on: both polling modes
// connect on polling).
const path = require('path');
const {
  work, sleep, freePort, startServer, startAgent, startNodeClient, nodeAllConnected, nodeReconnectSeconds, serverOutages, stopped, get,
  connected, writeConfig, waitFor, fmt, run,
} = require('./lib');

const PER_MODE = 20;

async function main() {
  const transports = (process.env.T || 'websocket, polling, polling_upgrade').split(',').map((t) => t.trim());
  const [sp, ap] = await Promise.all([freePort(), freePort()]);
  let server = await startServer('server', sp, ['--log-acks', 'true']);
  const conf = path.join(work, 'outage.conf');
  writeConfig(conf, ap, [`{ name = "outage", url = "http://127.0.0.1:${sp}", transports = [${transports.join(', ')}], `
    + `clients = ${PER_MODE}, reconnection { delay = 50ms, delay-max = 100ms, randomization = 0.5 } }`]);
  startAgent(conf);
  const total = PER_MODE * transports.length;
  await waitFor('agent connected', async () => (await connected(ap)) === total, 30000, 200);
  const holders = transports.map((t) => {
    const h = startNodeClient(`node-${t}`, `http://127.0.0.1:${sp}`, PER_MODE, t, { spreadMs: 0, fastRetries: true });
    h.stdin.write('go\n');
    return h;
  });
  await waitFor('node connected', () => holders.every(nodeAllConnected), 30000, 100);
  await sleep(8000);
  const t = Date.now();
  await stopped(server, 'SIGKILL');
  await sleep(3000);
  server = await startServer('server', sp, ['--log-acks', 'true']);
  const injected = (Date.now() - t) / 1000;
  await waitFor('agent back', async () => (await connected(ap)) === total, 30000, 100);
  await sleep(1500);
  const status = JSON.parse((await get(ap, '/api/status')).body);
  const late = (seconds) => [...seconds].sort((a, b) => a - b).map((v) => fmt(v - injected, 3)).join(' ');
  console.log(`injected ${fmt(injected, 3)} s; seconds late per reconnect, sorted:`);
  for (const f of status.targets[0].fleets) {
    console.log(`agent ${f.transport.padEnd(15)} n=${f.history.reconnect_seconds.samples.length} ${late(f.history.reconnect_seconds.samples)}`);
  }
  transports.forEach((tr, i) => {
    const samples = nodeReconnectSeconds(holders[i]);
    console.log(`node  ${tr.padEnd(15)} n=${samples.length} ${late(samples)}`);
  });
  for (const tr of ['websocket', 'polling']) {
    const record = serverOutages(server, t, tr);
    for (const who of ['agent', 'node']) {
      if (record[who].length) console.log(`server's record of ${who.padEnd(5)} on ${tr.padEnd(9)} n=${record[who].length} ${late(record[who])}`);
    }
  }
  console.log(`logs: ${work}`);
}

run(main);
