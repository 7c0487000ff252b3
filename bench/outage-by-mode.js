'use strict';
// A small outage, transport mode by transport mode (bench/run.sh outage): 20 canaries per mode
// (T="polling" for one mode alone) retrying every 50–100 ms on one server, which is killed and
// started again 3 s later. Prints each canary's reconnect duration minus the injected outage,
// per mode: how late each mode's canaries come back after the server does.
const path = require('path');
const { work, sleep, freePort, startServer, startAgent, stopped, get, connected, writeConfig, waitFor, run } = require('./lib');

async function main() {
  const transports = process.env.T || 'websocket, polling, polling_upgrade';
  const [sp, ap] = await Promise.all([freePort(), freePort()]);
  let server = await startServer('server', sp);
  const conf = path.join(work, 'c.conf');
  writeConfig(conf, ap, [`{ name = "outage", url = "http://127.0.0.1:${sp}", transports = [${transports}], clients = 20, `
    + 'reconnection { delay = 50ms, delay-max = 100ms, randomization = 0.5 } }']);
  startAgent(conf);
  const total = 20 * transports.split(',').length;
  await waitFor('connected', async () => (await connected(ap)) === total, 30000, 200);
  await sleep(8000);
  const t = Date.now();
  await stopped(server, 'SIGKILL');
  await sleep(3000);
  server = await startServer('server', sp);
  const injected = (Date.now() - t) / 1000;
  await waitFor('back', async () => (await connected(ap)) === total, 30000, 100);
  await sleep(1500);
  const status = JSON.parse((await get(ap, '/api/status')).body);
  console.log(`injected ${injected}`);
  for (const f of status.targets[0].fleets) {
    const s = f.history.reconnect_seconds.samples.sort((a, b) => a - b);
    console.log(f.transport, s.length, s.map((v) => (v - injected).toFixed(3)).join(' '));
  }
  console.log(`logs ${work}`);
}
run(main);
