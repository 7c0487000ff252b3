'use strict';
// The scale benchmark behind bench/run.sh (see docs/performance.md). One run:
// real Node Socket.IO servers on loopback, the packaged agent holding N canaries and, in the same
// run, a Node socket.io-client process holding the same N; then a reconnect storm and a 3 s
// outage on a subset. Prints one table. Everything it starts, it stops by pid.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const {
  work, sleep, log, freePort, waitFor, startServer, startAgent, startNodeClient, nodeAllConnected, nodeConnected,
  nodeReconnectSeconds, serverOutages, stopped, proc, cpuPct, threadCpu, get, connected, connectErrors, listenOverflows, gcPauses, writeConfig, percentile, fmt, javaVersion,
  JAVA_OPTS, run,
} = require('./lib');

const N = Number(process.env.N || 1000);
const MODE = process.env.MODE || 'websocket'; // websocket | mixed
// Three of the servers' 25 s ping intervals, so every canary pings exactly three times in it. The
// canaries connect within seconds of each other and their pings come in bursts 25 s apart: a 30 s
// window held one burst or two, a 90 s one three or four, depending on when it began: idle CPU
// of one build read 3.2 and 4.9 % of a core in two 30 s runs, 2.8 and 4.5 % in two 90 s runs
// (mixed, 5,000).
const IDLE_WINDOW_S = Number(process.env.IDLE_WINDOW_S || 75);
const SUBSET = Math.min(200, Math.floor(N / 5));

function targetConf(name, url, clients, reconnection) {
  const transports = MODE === 'mixed' ? '[websocket, polling, polling_upgrade]' : '[websocket]';
  return `{ name = "${name}", url = "${url}", transports = ${transports}, clients = ${clients}, reconnection { ${reconnection} } }`;
}

/**
 * HISTO=1: the agent's live heap after a full GC (jcmd GC.class_histogram), once with its one
 * baseline canary and once with all N, both saved whole in the logs. What one canary holds is the
 * difference per class divided by the canaries added: the fixed structures (Netty's allocator,
 * the JDK's tables, class metadata) cancel out, where dividing one histogram by N charged them to
 * the canaries.
 */
function heapHistogram(pid, name) {
  const jcmd = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'jcmd') : 'jcmd';
  const text = execFileSync(jcmd, [String(pid), 'GC.class_histogram'], { maxBuffer: 64 << 20 }).toString();
  fs.writeFileSync(path.join(work, `class-histogram-${name}.txt`), text);
  const classes = new Map();
  for (const [, instances, bytes, cls] of text.split('\n').map((l) => /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(l)).filter(Boolean)) {
    classes.set(cls, { instances: Number(instances), bytes: Number(bytes) });
  }
  return classes;
}

function perCanaryHeap(base, full, added) {
  const rows = [...full].map(([cls, f]) => {
    const b = base.get(cls) || { instances: 0, bytes: 0 };
    return { cls, bytes: (f.bytes - b.bytes) / added, objects: (f.instances - b.instances) / added };
  }).sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  const lines = [`live heap per canary: ${fmt(total / 1024, 2)} kB (histogram at N minus at 1, over the ${added} added); top classes:`];
  for (const r of rows.slice(0, 25)) {
    lines.push(`  ${fmt(r.bytes, 0).padStart(6)} B  ${fmt(r.objects, 2).padStart(7)} objects  ${r.cls}`);
  }
  return lines.join('\n');
}

async function main() {
  const perMode = MODE === 'mixed' ? 3 : 1;
  const [mainPort, subPort, holderPort, agentPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  let mainServer = await startServer('server-main', mainPort);
  let subServer = await startServer('server-subset', subPort, ['--log-acks', 'true']);
  await startServer('server-holder', holderPort);
  const mainUrl = `http://127.0.0.1:${mainPort}`;

  // 1. The agent with its smallest fleet (one canary), then the holder with none: the baselines.
  const conf = path.join(work, 'canary.conf');
  writeConfig(conf, agentPort, [`{ name = "baseline", url = "${mainUrl}", transports = [websocket], clients = 1 }`]);
  const agent = startAgent(conf);
  await waitFor('agent baseline canary', async () => (await connected(agentPort)) === 1, 30000, 200);
  const holder = startNodeClient('node-holder', `http://127.0.0.1:${holderPort}`, N, MODE);
  await waitFor('holder waiting', () => holder.lines.length > 0, 10000, 50);
  await sleep(5000);
  const base = { agent: proc(agent.pid), node: proc(holder.pid) };
  // After the RSS reading: the histogram's full GC may shrink the heap.
  const baseHeap = process.env.HISTO === '1' ? heapHistogram(agent.pid, 'baseline') : null;
  log(`baselines: agent ${base.agent.rssKb} kB ${base.agent.threads} threads; node ${base.node.rssKb} kB ${base.node.threads} threads`);

  // 2. Connect N canaries (reload: same process), then N Node clients, one after the other.
  const mainClients = Math.floor((N - SUBSET) / perMode);
  const subClients = Math.floor(SUBSET / perMode);
  const total = (mainClients + subClients) * perMode;
  writeConfig(conf, agentPort, [
    targetConf('main', mainUrl, mainClients, 'delay = 1s, delay-max = 5s, randomization = 0.5'),
    // Tight retries on the subset, so its measured outage is the server's downtime, not backoff.
    targetConf('subset', `http://127.0.0.1:${subPort}`, subClients, 'delay = 50ms, delay-max = 100ms, randomization = 0.5'),
  ]);
  let t = Date.now();
  agent.kill('SIGHUP');
  await waitFor(`agent ${total} connected`, async () => (await connected(agentPort)) === total, 120000, 250);
  const agentConnectS = (Date.now() - t) / 1000;
  log(`agent: ${total} connected in ${agentConnectS.toFixed(1)} s`);
  holder.stdin.write('go\n');
  const nodeConnectS = (await waitFor('holder all connected', () => nodeAllConnected(holder), 120000, 100)).t / 1000;
  const nodeTotal = JSON.parse(holder.lines[0]).n;
  log(`node: ${nodeTotal} connected in ${nodeConnectS.toFixed(1)} s`);

  // 3. Idle: settle (idle keep-alive polling connections and DNS threads retire within 60 s), then
  // CPU over the window, RSS and threads at its end.
  await sleep(Number(process.env.SETTLE_S || 65) * 1000);
  const before = { agent: proc(agent.pid), node: proc(holder.pid) };
  t = Date.now();
  await sleep(IDLE_WINDOW_S * 1000);
  const windowS = (Date.now() - t) / 1000;
  const after = { agent: proc(agent.pid), node: proc(holder.pid) };
  const agentConnectedAfterIdle = await connected(agentPort);
  const nodeConnectedAfterIdle = nodeConnected(holder);
  const row = (who, n, conn, connectS) => ({
    who, n, connected: conn, connectS,
    rssPerCanaryKb: (after[who].rssKb - base[who].rssKb) / n,
    threadsPerCanary: (after[who].threads - base[who].threads) / n,
    idleCpuPct: cpuPct(before[who], after[who], windowS),
    rssMb: after[who].rssKb / 1024,
    threads: after[who].threads,
  });
  const rows = [row('agent', total, agentConnectedAfterIdle, agentConnectS), row('node', nodeTotal, nodeConnectedAfterIdle, nodeConnectS)];
  await stopped(holder);
  const histogram = baseHeap ? perCanaryHeap(baseHeap, heapHistogram(agent.pid, 'all'), total - 1) : null;

  // 4. A 3 s outage on the subset: kill its server, start it again 3 s later. The Node client,
  // with as many connections in the same modes and the same 50–100 ms retries, is on that server
  // too: what it measures is the reference for what the server itself made every client wait.
  const subHolder = startNodeClient('node-subset', `http://127.0.0.1:${subPort}`, subClients * perMode, MODE,
    { spreadMs: 0, fastRetries: true });
  subHolder.stdin.write('go\n');
  await waitFor('node subset connected', () => nodeAllConnected(subHolder), 30000, 100);
  await sleep(5000);
  t = Date.now();
  await stopped(subServer, 'SIGKILL');
  await sleep(3000);
  subServer = await startServer('server-subset', subPort, ['--log-acks', 'true']);
  const injectedS = (Date.now() - t) / 1000;
  await waitFor('subset reconnected', async () => (await connected(agentPort, 'subset')) === subClients * perMode, 60000, 200);
  await sleep(1500);
  const status = JSON.parse((await get(agentPort, '/api/status')).body);
  const samples = status.targets.find((x) => x.name === 'subset').fleets
    .flatMap((f) => f.history.reconnect_seconds.samples).sort((a, b) => a - b);
  await waitFor('node subset reconnected', () => nodeConnected(subHolder) === subClients * perMode, 30000, 100);
  const nodeSamples = nodeReconnectSeconds(subHolder);
  await stopped(subHolder);
  const summary = (xs) => ({
    count: xs.length, p50: percentile(xs, 50), mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: xs[0], max: xs[xs.length - 1],
  });
  // The reference for both clients' readings: when the server's CONNECT ack left for each of them.
  const record = serverOutages(subServer, t);
  const outage = {
    injectedS, ...summary(samples), node: summary(nodeSamples), server: { agent: summary(record.agent), node: summary(record.node) },
  };
  log(`outage: injected ${injectedS.toFixed(3)} s, measured p50 ${outage.p50} mean ${outage.mean.toFixed(3)} (${samples.length} samples); `
    + `node p50 ${outage.node.p50} (${nodeSamples.length})`);

  // 5. Reconnect storm: restart the main server with everything connected; poll the agent's pages.
  const latencies = { '/metrics': [], '/api/status': [], '/': [] };
  let storming = true;
  const pollers = Object.keys(latencies).map(async (p) => {
    while (storming) {
      const r = await get(agentPort, p);
      latencies[p].push(r.status === 200 ? r.ms : Infinity);
      await sleep(Math.max(0, 75 - r.ms));
    }
  });
  await sleep(1000);
  // One scrape before the kill and one after recovery: the collector's pauses and the failed attempts in between.
  const metricsBefore = (await get(agentPort, '/metrics')).body;
  const gcBefore = gcPauses(metricsBefore);
  const errorsBefore = connectErrors(metricsBefore);
  const backlogBefore = listenOverflows();
  t = Date.now();
  await stopped(mainServer, 'SIGKILL');
  mainServer = await startServer('server-main', mainPort);
  const restartS = (Date.now() - t) / 1000;
  let lost = false;
  let stormConnected = 0;
  // How the fleet came back: when it was first back to each share of the canaries, after the kill.
  const shares = [0.5, 0.9, 0.99];
  const sharesS = {};
  const stormS = await waitFor('storm recovered', async () => {
    const c = await connected(agentPort);
    stormConnected = c;
    if (c < total) lost = true;
    for (const share of shares) {
      if (lost && sharesS[share] === undefined && c >= share * total) sharesS[share] = (Date.now() - t) / 1000;
    }
    return lost && c === total ? (Date.now() - t) / 1000 : 0;
  }, Number(process.env.STORM_TIMEOUT_S || 90) * 1000, 100).catch(() => Infinity);
  await sleep(1000);
  storming = false;
  await Promise.all(pollers);
  const metricsAfter = (await get(agentPort, '/metrics')).body;
  const errorsAfter = connectErrors(metricsAfter);
  const backlogFull = listenOverflows() - backlogBefore;
  const stormErrors = Object.entries(errorsAfter)
    .map(([k, v]) => [k, v - (errorsBefore[k] || 0)]).filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
  // What the slow pages waited for, if it was the collector: its pauses from kill to recovery + 1 s.
  const gcAfter = gcPauses(metricsAfter);
  const gc = Object.fromEntries(['minor', 'major'].map((k) => [k, {
    count: gcAfter[k].count - gcBefore[k].count, ms: 1000 * (gcAfter[k].seconds - gcBefore[k].seconds),
  }]));
  const storm = { restartS, stormS, pages: {} };
  for (const [p, l] of Object.entries(latencies)) {
    const s = [...l].sort((a, b) => a - b);
    storm.pages[p] = { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] };
  }
  const statusBytes = (await get(agentPort, '/api/status')).body.length;

  // 6. The table.
  const f = fmt;
  console.log(`\nsocketio-canary bench: N=${N} mode=${MODE} java=${javaVersion()} opts=${JAVA_OPTS.join(' ') || '-'}`);
  console.log('| client | N | connected | connect-all s | RSS MB | RSS/canary kB | threads | threads/canary | idle CPU % |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.who === 'agent' ? 'agent (Java)' : 'Node socket.io-client 4.8'} | ${r.n} | ${r.connected} | ${f(r.connectS)} | ${f(r.rssMb, 0)} | ${f(r.rssPerCanaryKb)} | ${r.threads} | ${f(r.threadsPerCanary, 3)} | ${f(r.idleCpuPct, 2)} |`);
  }
  console.log(`memory ratio agent/node: ${f(rows[0].rssPerCanaryKb / rows[1].rssPerCanaryKb, 2)}×`);
  console.log(`idle CPU by thread (% of a core, switch-ins a second), agent: ${threadCpu(before.agent, after.agent, windowS)}`);
  console.log(`  Node: ${threadCpu(before.node, after.node, windowS)}`);
  console.log(Number.isFinite(stormS)
    ? `storm: server restarted in ${f(restartS, 2)} s; all ${total} reconnected ${f(stormS, 1)} s after the kill`
    : `storm: server restarted in ${f(restartS, 2)} s; NOT recovered: ${stormConnected}/${total} connected ${process.env.STORM_TIMEOUT_S || 90} s after the kill`);
  console.log(`  back to ${shares.map((x) => `${100 * x} % at ${f(sharesS[x], 1)} s`).join(', ')}; failed attempts meanwhile: `
    + `${stormErrors.length ? stormErrors.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}; `
    + `handshakes dropped by the restarted server's full accept queue (TcpExtListenOverflows, machine-wide): ${backlogFull}`);
  for (const [p, s] of Object.entries(storm.pages)) {
    console.log(`  ${p.padEnd(12)} ${s.n} requests, p50 ${f(s.p50)} ms, p99 ${f(s.p99)} ms, max ${f(s.max)} ms`);
  }
  console.log(`  the agent's collector meanwhile: ${gc.minor.count} young collections, ${f(gc.minor.ms, 0)} ms in all; `
    + `${gc.major.count} full, ${f(gc.major.ms, 0)} ms in all`);
  console.log(`  /api/status size ${Math.round(statusBytes / 1024)} kB`);
  const pct = (v, ref) => `${f((100 * (v - ref)) / ref)} %`;
  console.log(`outage: injected ${f(injectedS, 3)} s on ${subClients * perMode} canaries; measured p50 ${f(outage.p50, 3)} s (${pct(outage.p50, injectedS)}), mean ${f(outage.mean, 3)} s (${pct(outage.mean, injectedS)}), min ${f(outage.min, 3)}, max ${f(outage.max, 3)}, n=${outage.count}`);
  console.log(`  Node client, same outage and server: p50 ${f(outage.node.p50, 3)} s (${pct(outage.node.p50, injectedS)}), mean ${f(outage.node.mean, 3)} s (${pct(outage.node.mean, injectedS)}), n=${outage.node.count}; `
    + `agent vs Node: p50 ${pct(outage.p50, outage.node.p50)}, mean ${pct(outage.mean, outage.node.mean)}`);
  const { server } = outage;
  console.log(`  the server's record (kill → its CONNECT ack left): the agent's canaries p50 ${f(server.agent.p50, 3)} s `
    + `(${pct(server.agent.p50, injectedS)}), mean ${f(server.agent.mean, 3)} s, n=${server.agent.count}; Node's p50 ${f(server.node.p50, 3)} s `
    + `(${pct(server.node.p50, injectedS)}), n=${server.node.count}; measured vs the record: agent p50 ${pct(outage.p50, server.agent.p50)}, `
    + `mean ${pct(outage.mean, server.agent.mean)}; Node p50 ${pct(outage.node.p50, server.node.p50)}, mean ${pct(outage.node.mean, server.node.mean)}`);
  if (histogram) console.log(histogram);
  console.log(`logs: ${work}`);
}

run(main);
