'use strict';
// The scale benchmark behind bench/run.sh (see the README's "Performance" section). One run:
// real Node Socket.IO servers on loopback, the packaged agent holding N canaries and, in the same
// run, a Node socket.io-client process holding the same N; then a reconnect storm and a 3 s
// outage on a subset. Prints one table. Everything it starts, it stops by pid.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const N = Number(process.env.N || 1000);
const MODE = process.env.MODE || 'websocket'; // websocket | mixed
const IDLE_WINDOW_S = Number(process.env.IDLE_WINDOW_S || 30);
const SUBSET = Math.min(200, Math.floor(N / 5));
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const JAVA_OPTS = (process.env.AGENT_JAVA_OPTS || '').split(' ').filter(Boolean);
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-bench-'));
const children = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (m) => console.error(`[bench +${((Date.now() - T0) / 1000).toFixed(1)}s] ${m}`);
const T0 = Date.now();

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function start(name, cmd, args, env = {}) {
  const out = fs.openSync(path.join(work, `${name}.log`), 'a');
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', out] });
  child.lines = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) { child.lines.push(buf.slice(0, i)); fs.appendFileSync(path.join(work, `${name}.log`), buf.slice(0, i + 1)); buf = buf.slice(i + 1); }
  });
  children.push(child);
  return child;
}

async function waitFor(what, fn, timeoutMs, everyMs = 100) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function startServer(name, port) {
  const child = start(name, 'node', ['testservers/sio-server.js', '--port', String(port), '--id', name]);
  await waitFor(`${name} listening`, () => child.lines.some((l) => l.startsWith('listening')), 10000, 20);
  return child;
}

function stopped(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill(signal);
  });
}

function proc(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)[1]),
    threads: Number(/Threads:\s+(\d+)/.exec(status)[1]),
    cpuTicks: Number(fields[11]) + Number(fields[12]), // utime + stime
  };
}

function get(port, p) {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status: 0, body: '' }));
    req.setTimeout(10000, () => req.destroy());
  });
}

async function connected(port, target) {
  const { body } = await get(port, '/metrics');
  let sum = 0;
  for (const line of body.split('\n')) {
    if (line.startsWith('socketio_canary_connected{') && (!target || line.includes(`target="${target}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

function targetConf(name, url, clients, reconnection) {
  const transports = MODE === 'mixed' ? '[websocket, polling, polling_upgrade]' : '[websocket]';
  return `{ name = "${name}", url = "${url}", transports = ${transports}, clients = ${clients}, reconnection { ${reconnection} } }`;
}

function writeConfig(file, httpPort, targets) {
  fs.writeFileSync(file, `canary {\n  http { host = "127.0.0.1", port = ${httpPort} }\n  targets = [\n    ${targets.join('\n    ')}\n  ]\n}\n`);
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const perMode = MODE === 'mixed' ? 3 : 1;
  const [mainPort, subPort, holderPort, agentPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  let mainServer = await startServer('server-main', mainPort);
  let subServer = await startServer('server-subset', subPort);
  await startServer('server-holder', holderPort);
  const mainUrl = `http://127.0.0.1:${mainPort}`;

  // 1. The agent with its smallest fleet (one canary), then the holder with none: the baselines.
  const conf = path.join(work, 'canary.conf');
  writeConfig(conf, agentPort, [`{ name = "baseline", url = "${mainUrl}", transports = [websocket], clients = 1 }`]);
  const agent = start('agent', JAVA, [...JAVA_OPTS, '-jar', 'target/socketio-canary.jar', 'run', '--config', conf],
    { CANARY_LOG_LEVEL: process.env.CANARY_LOG_LEVEL || 'WARN' });
  await waitFor('agent baseline canary', async () => (await connected(agentPort)) === 1, 30000, 200);
  const holder = start('node-holder', 'node', ['bench/node-holder.js', '--url', `http://127.0.0.1:${holderPort}`, '--n', String(N), '--mode', MODE]);
  await waitFor('holder waiting', () => holder.lines.length > 0, 10000, 50);
  await sleep(5000);
  const base = { agent: proc(agent.pid), node: proc(holder.pid) };
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
  await waitFor('holder all connected', () => holder.lines.some((l) => l.includes('"all":true')), 120000, 100);
  const nodeConnectS = JSON.parse(holder.lines.find((l) => l.includes('"all":true'))).t / 1000;
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
  const nodeConnectedAfterIdle = JSON.parse(holder.lines[holder.lines.length - 1]).connected;
  const row = (who, n, conn, connectS) => ({
    who, n, connected: conn, connectS,
    rssPerCanaryKb: (after[who].rssKb - base[who].rssKb) / n,
    threadsPerCanary: (after[who].threads - base[who].threads) / n,
    idleCpuPct: (100 * (after[who].cpuTicks - before[who].cpuTicks)) / TICK / windowS,
    rssMb: after[who].rssKb / 1024,
    threads: after[who].threads,
  });
  const rows = [row('agent', total, agentConnectedAfterIdle, agentConnectS), row('node', nodeTotal, nodeConnectedAfterIdle, nodeConnectS)];
  await stopped(holder);

  // 4. A 3 s outage on the subset: kill its server, start it again 3 s later.
  t = Date.now();
  await stopped(subServer, 'SIGKILL');
  await sleep(3000);
  subServer = await startServer('server-subset', subPort);
  const injectedS = (Date.now() - t) / 1000;
  await waitFor('subset reconnected', async () => (await connected(agentPort, 'subset')) === subClients * perMode, 60000, 200);
  await sleep(1500);
  const status = JSON.parse((await get(agentPort, '/api/status')).body);
  const samples = status.targets.find((x) => x.name === 'subset').fleets
    .flatMap((f) => f.history.reconnect_seconds.samples).sort((a, b) => a - b);
  const outage = {
    injectedS, count: samples.length,
    p50: percentile(samples, 50), mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    min: samples[0], max: samples[samples.length - 1],
  };
  log(`outage: injected ${injectedS.toFixed(3)} s, measured p50 ${outage.p50} mean ${outage.mean.toFixed(3)} (${samples.length} samples)`);

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
  t = Date.now();
  await stopped(mainServer, 'SIGKILL');
  mainServer = await startServer('server-main', mainPort);
  const restartS = (Date.now() - t) / 1000;
  let lost = false;
  let stormConnected = 0;
  const stormS = await waitFor('storm recovered', async () => {
    const c = await connected(agentPort);
    stormConnected = c;
    if (c < total) lost = true;
    return lost && c === total ? (Date.now() - t) / 1000 : 0;
  }, Number(process.env.STORM_TIMEOUT_S || 90) * 1000, 100).catch(() => Infinity);
  await sleep(1000);
  storming = false;
  await Promise.all(pollers);
  const storm = { restartS, stormS, pages: {} };
  for (const [p, l] of Object.entries(latencies)) {
    const s = [...l].sort((a, b) => a - b);
    storm.pages[p] = { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] };
  }
  const statusBytes = (await get(agentPort, '/api/status')).body.length;

  // 6. The table.
  const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
  const javaLine = execFileSync('sh', ['-c', `"${JAVA}" -version 2>&1 | head -1`]).toString().trim();
  console.log(`\nsocketio-canary bench: N=${N} mode=${MODE} java=${javaLine} opts=${JAVA_OPTS.join(' ') || '-'}`);
  console.log('| client | N | connected | connect-all s | RSS MB | RSS/canary kB | threads | threads/canary | idle CPU % |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.who === 'agent' ? 'agent (Java)' : 'Node socket.io-client 4.8'} | ${r.n} | ${r.connected} | ${f(r.connectS)} | ${f(r.rssMb, 0)} | ${f(r.rssPerCanaryKb)} | ${r.threads} | ${f(r.threadsPerCanary, 3)} | ${f(r.idleCpuPct, 2)} |`);
  }
  console.log(`memory ratio agent/node: ${f(rows[0].rssPerCanaryKb / rows[1].rssPerCanaryKb, 2)}×`);
  console.log(Number.isFinite(stormS)
    ? `storm: server restarted in ${f(restartS, 2)} s; all ${total} reconnected ${f(stormS, 1)} s after the kill`
    : `storm: server restarted in ${f(restartS, 2)} s; NOT recovered: ${stormConnected}/${total} connected ${process.env.STORM_TIMEOUT_S || 90} s after the kill`);
  for (const [p, s] of Object.entries(storm.pages)) {
    console.log(`  ${p.padEnd(12)} ${s.n} requests, p50 ${f(s.p50)} ms, p99 ${f(s.p99)} ms, max ${f(s.max)} ms`);
  }
  console.log(`  /api/status size ${Math.round(statusBytes / 1024)} kB`);
  console.log(`outage: injected ${f(injectedS, 3)} s on ${subClients * perMode} canaries; measured p50 ${f(outage.p50, 3)} s (${f((100 * (outage.p50 - injectedS)) / injectedS)} %), mean ${f(outage.mean, 3)} s (${f((100 * (outage.mean - injectedS)) / injectedS)} %), min ${f(outage.min, 3)}, max ${f(outage.max, 3)}, n=${outage.count}`);
  console.log(`logs: ${work}`);
}

function cleanup() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
main().then(() => process.exit(0), (e) => { console.error(`bench failed: ${e.message}; logs in ${work}`); process.exit(1); });
