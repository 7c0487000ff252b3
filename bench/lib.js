'use strict';
// What bench.js and footprint.js share: processes they start and stop by pid, /proc readings,
// HTTP to the agent. Everything a bench starts is registered here and killed when it exits.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const JAVA = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const JAVA_OPTS = (process.env.AGENT_JAVA_OPTS || '').split(' ').filter(Boolean);
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-bench-'));
const children = [];
const T0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (m) => console.error(`[bench +${((Date.now() - T0) / 1000).toFixed(1)}s] ${m}`);

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

/**
 * A testservers/sio-server.js on 127.0.0.1; extra flags as an array. SERVER_KEEPALIVE_MS sets how
 * long it keeps an idle keep-alive connection (default Node's 5 s, shorter than a ping interval,
 * so every polling client opens a connection per ping; a proxy in front would keep it longer).
 */
async function startServer(name, port, flags = []) {
  const keepAlive = process.env.SERVER_KEEPALIVE_MS ? ['--keep-alive-timeout-ms', process.env.SERVER_KEEPALIVE_MS] : [];
  const child = start(name, 'node', ['testservers/sio-server.js', '--port', String(port), '--id', name, ...keepAlive, ...flags]);
  await waitFor(`${name} listening`, () => child.lines.some((l) => l.startsWith('listening')), 10000, 20);
  return child;
}

/**
 * The packaged agent with {@code conf}, logging at WARN unless CANARY_LOG_LEVEL says otherwise;
 * AGENT_ENV="NAME=value ..." sets variables for the agent alone (MALLOC_ARENA_MAX=2, say).
 */
function startAgent(conf) {
  const extra = Object.fromEntries((process.env.AGENT_ENV || '').split(' ').filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return start('agent', JAVA, [...JAVA_OPTS, '-jar', 'target/socketio-canary.jar', 'run', '--config', conf],
    { CANARY_LOG_LEVEL: process.env.CANARY_LOG_LEVEL || 'WARN', ...extra });
}

/** The tag the Node client's outage connections carry in their handshake ({@link serverOutages}). */
const NODE_TAG = 'node';

/**
 * bench/node-holder.js holding n connections of {@code mode} (websocket, polling, polling_upgrade
 * or mixed) to {@code url}, connected once the caller writes "go". {@code fastRetries}: retry
 * every 50–100 ms, as the agent's outage canaries do, report each reconnect, and tag each
 * handshake so the server's record of it is told apart from the agent's.
 */
function startNodeClient(name, url, n, mode, { spreadMs = 2000, fastRetries = false } = {}) {
  const args = ['bench/node-holder.js', '--url', url, '--n', String(n), '--mode', mode, '--spread-ms', String(spreadMs)];
  if (fastRetries) {
    args.push('--reconnection-delay-ms', '50', '--reconnection-delay-max-ms', '100', '--report-reconnects', '1', '--tag', NODE_TAG);
  }
  return start(name, 'node', args);
}

/**
 * The outage as the server saw it: for every connection the restarted {@code server} (started with
 * {@code --log-acks true}) took back after {@code killedAtMs}, the seconds from the kill to the
 * moment its CONNECT ack left for the client (its "ack-sent" lines), ascending, split into the
 * Node client's (tagged) and the agent's. That is what a client measuring its outage honestly should read, less only its
 * own delay in noticing the cut and the ack; the injected downtime ends when the server listens
 * again and says nothing of how long it then takes to serve everyone.
 * {@code transport}: only the connections made on it (polling for both polling modes).
 */
function serverOutages(server, killedAtMs, transport = undefined) {
  const outages = { agent: [], node: [] };
  for (const l of server.lines) {
    const m = /^(\S+) \[[^\]]*\] ack-sent nsp=\S+ sid=\S+ transport=(\S+)( client=(\S+))?$/.exec(l);
    if (!m || (transport && m[2] !== transport)) continue;
    const at = Date.parse(m[1]);
    if (at > killedAtMs) outages[m[4] === NODE_TAG ? 'node' : 'agent'].push((at - killedAtMs) / 1000);
  }
  for (const xs of Object.values(outages)) xs.sort((a, b) => a - b);
  return outages;
}

/** The Node client's line once all its connections were up, or undefined before. */
const nodeAllConnected = (holder) => holder.lines.map((l) => JSON.parse(l)).find((o) => o.all);

/** How many connections the Node client has up, as of its last line. */
const nodeConnected = (holder) => JSON.parse(holder.lines[holder.lines.length - 1]).connected;

/** The Node client's reconnect durations (disconnect → connect) in seconds, ascending. */
const nodeReconnectSeconds = (holder) => holder.lines.map((l) => JSON.parse(l))
  .filter((o) => o.reconnect !== undefined).map((o) => o.reconnect / 1000).sort((a, b) => a - b);

function stopped(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill(signal);
  });
}

/** RSS, threads and CPU ticks (utime + stime) of one process, and each thread's times, from /proc. */
function proc(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)[1]),
    threads: Number(/Threads:\s+(\d+)/.exec(status)[1]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    perThread: threadTimes(pid),
  };
}

/**
 * Each thread's name, nanoseconds on a CPU and times switched in (schedstat's first and third
 * fields; the third counts wake-ups, what a cross-thread hand-off costs, and returns from
 * preemption), by thread id.
 */
function threadTimes(pid) {
  const times = new Map();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const [cpuNs, , switchIns] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      // Node names every thread "node": its main thread, the one that runs the event loop, apart.
      times.set(tid, { name: Number(tid) === Number(pid) ? `${name} main` : name, cpuNs, switchIns });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times;
}

/** CPU between two proc() readings, in % of one core. */
function cpuPct(before, after, seconds) {
  return (100 * (after.cpuTicks - before.cpuTicks)) / TICK / seconds;
}

/**
 * Where a window's CPU went, by thread: threads whose names differ only in numbers after a dash,
 * underscore or space are one group ("vert.x-eventloop-thread-*"), the busiest first, each with
 * its % of a core and switch-ins a second; the rest summed. Threads that started within the window
 * count from zero, those that ended are lost.
 */
function threadCpu(before, after, seconds, shown = 6) {
  const groups = new Map();
  for (const [tid, t] of after.perThread) {
    const from = before.perThread.get(tid);
    const name = t.name.replace(/(?<=[-_ ])\d+/g, '*');
    const g = groups.get(name) || { name, threads: 0, cpuNs: 0, switchIns: 0 };
    g.threads++;
    g.cpuNs += t.cpuNs - (from ? from.cpuNs : 0);
    g.switchIns += t.switchIns - (from ? from.switchIns : 0);
    groups.set(name, g);
  }
  const sorted = [...groups.values()].sort((a, b) => b.cpuNs - a.cpuNs);
  const rest = sorted.slice(shown);
  const others = rest.reduce((sum, g) => ({ ...sum, threads: sum.threads + g.threads, cpuNs: sum.cpuNs + g.cpuNs,
    switchIns: sum.switchIns + g.switchIns }), { threads: 0, cpuNs: 0, switchIns: 0 });
  const show = (label, g) => `${label} ${fmt((100 * g.cpuNs) / 1e9 / seconds, 2)} % ${fmt(g.switchIns / seconds, 0)}/s`;
  return [...sorted.slice(0, shown).map((g) => show(g.threads > 1 ? `${g.name} (${g.threads})` : g.name, g)),
    ...(rest.length ? [show(`${others.threads} others`, others)] : [])].join('; ');
}

function request(method, port, p) {
  return new Promise((resolve) => {
    const t = process.hrtime.bigint();
    const req = http.request({ method, host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, status: 0, body: '' }));
    req.setTimeout(10000, () => req.destroy());
    req.end();
  });
}
const get = (port, p) => request('GET', port, p);
const post = (port, p) => request('POST', port, p);

/** The sample of one line of Prometheus text (no timestamps on the agent's /metrics). */
const sampleValue = (line) => Number(line.slice(line.lastIndexOf(' ') + 1));

/** The sum of the samples in Prometheus text on lines that start with {@code prefix} and contain all {@code parts}. */
function sampleSum(body, prefix, ...parts) {
  let sum = 0;
  for (const line of body.split('\n')) {
    if (line.startsWith(prefix) && parts.every((p) => line.includes(p))) sum += sampleValue(line);
  }
  return sum;
}

/** Connected canaries on the agent's /metrics, of one target or all. */
async function connected(port, target) {
  const { body } = await get(port, '/metrics');
  return sampleSum(body, 'socketio_canary_connected{', ...(target ? [`target="${target}"`] : []));
}

/** The failed connect attempts so far in one /metrics body, by "transport/reason", summed over targets. */
function connectErrors(body) {
  const byKey = {};
  for (const line of body.split('\n')) {
    if (!line.startsWith('socketio_canary_connect_errors_total{')) continue;
    const transport = /transport="([^"]*)"/.exec(line);
    const reason = /reason="([^"]*)"/.exec(line);
    const key = `${transport ? transport[1] : '-'}/${reason ? reason[1] : '-'}`;
    byKey[key] = (byKey[key] || 0) + sampleValue(line);
  }
  return byKey;
}

/**
 * TCP handshakes dropped so far because a listening socket's accept queue was full, machine-wide
 * (the kernel's TcpExtListenOverflows; the bench's servers are the only listeners under load). A
 * connect caught by it goes through only at a TCP retransmission, 1 s or more later (then 3, 7 s).
 */
function listenOverflows() {
  const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
  const names = lines[0].split(/\s+/);
  const values = lines[1].split(/\s+/);
  return Number(values[names.indexOf('ListenOverflows')]);
}

/**
 * The agent's stop-the-world collections so far, from Micrometer's jvm_gc_pause_seconds in one
 * /metrics body: count and seconds, summed over causes, for young ("end of minor GC") and full
 * ("end of major GC") collections. Two readings, subtracted, say what the collector paused in between.
 */
function gcPauses(body) {
  const pauses = (kind) => ({
    count: sampleSum(body, 'jvm_gc_pause_seconds_count{', `action="end of ${kind} GC"`),
    seconds: sampleSum(body, 'jvm_gc_pause_seconds_sum{', `action="end of ${kind} GC"`),
  });
  return { minor: pauses('minor'), major: pauses('major') };
}

function writeConfig(file, httpPort, targets) {
  fs.writeFileSync(file, `canary {\n  http { host = "127.0.0.1", port = ${httpPort} }\n  targets = [\n    ${targets.join('\n    ')}\n  ]\n}\n`);
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

function javaVersion() {
  return execFileSync('sh', ['-c', `"${JAVA}" -version 2>&1 | head -1`]).toString().trim();
}

/** Runs main, prints where the logs are on failure, kills every child on exit. */
function run(main) {
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.on('exit', cleanup);
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => process.exit(143));
  main().then(() => process.exit(0), (e) => { console.error(`bench failed: ${e.message}; logs in ${work}`); process.exit(1); });
}

module.exports = {
  ROOT, JAVA_OPTS, work, sleep, log, freePort, start, waitFor, startServer, startAgent, startNodeClient,
  nodeAllConnected, nodeConnected, nodeReconnectSeconds, serverOutages, stopped, proc, cpuPct, threadCpu, get, post, connected, connectErrors, listenOverflows, gcPauses, writeConfig,
  percentile, fmt, javaVersion, run,
};
