'use strict';
// The small-agent benchmark behind bench/run.sh (docs/performance.md): what one agent with 60
// canaries (20 per transport mode, one target) costs next to the official Node client holding the
// same 60 connections, each against its own Socket.IO server (pings every 5 s): start time, RSS,
// threads and CPU 60 s after start, then under churn (every connection of both cut every 30 s for
// 5 minutes), and the Prometheus series the target exports. Prints one table.
const path = require('path');
const {
  work, sleep, log, freePort, waitFor, startServer, startAgent, startNodeClient, nodeAllConnected, nodeConnected,
  proc, cpuPct, threadCpu, get, post, connected, writeConfig, fmt, javaVersion, JAVA_OPTS, run,
} = require('./lib');

const PER_MODE = Number(process.env.FOOTPRINT_PER_MODE || 20);
const CHURN_S = Number(process.env.CHURN_S || 300);
const CUT_EVERY_S = 30;
const IDLE_AT_S = 60;
const IDLE_WINDOW_S = 20;

async function main() {
  const n = PER_MODE * 3;
  const [agentServerPort, agentControl, holderServerPort, holderControl, agentPort] =
    await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const serverFlags = (control) => ['--ping-interval', '5000', '--control-port', String(control)];
  await startServer('server-agent', agentServerPort, serverFlags(agentControl));
  await startServer('server-holder', holderServerPort, serverFlags(holderControl));

  // Both clients start as processes, so start time includes the runtime's own (JVM or Node).
  const conf = path.join(work, 'footprint.conf');
  writeConfig(conf, agentPort, [`{ name = "chat", url = "http://127.0.0.1:${agentServerPort}", `
    + `transports = [websocket, polling, polling_upgrade], clients = ${PER_MODE} }`]);
  const t0 = Date.now();
  const agent = startAgent(conf);
  const agentUpS = await waitFor(`agent ${n} connected`,
    async () => ((await connected(agentPort)) === n ? (Date.now() - t0) / 1000 : 0), 60000, 100);
  const t1 = Date.now();
  const holder = startNodeClient('node-holder', `http://127.0.0.1:${holderServerPort}`, n, 'mixed', { spreadMs: 0 });
  holder.stdin.write('go\n');
  await waitFor('holder all connected', () => nodeAllConnected(holder), 60000, 50);
  const holderUpS = (Date.now() - t1) / 1000;
  log(`up: agent ${fmt(agentUpS)} s, node ${fmt(holderUpS)} s`);

  // Idle, as a freshly started agent: RSS and threads 60 s after start, CPU over the 20 s before.
  const reading = () => ({ agent: proc(agent.pid), node: proc(holder.pid) });
  await sleep(Math.max(0, t0 + (IDLE_AT_S - IDLE_WINDOW_S) * 1000 - Date.now()));
  const idleFrom = reading();
  await sleep(IDLE_WINDOW_S * 1000);
  const idle = reading();
  const series = (await get(agentPort, '/metrics')).body.split('\n')
    .filter((l) => l.startsWith('socketio_canary_') && l.includes('target="chat"')).length;

  // Churn: cut every TCP connection of both clients every 30 s.
  let cuts = 0;
  const churnFrom = reading();
  const churnStart = Date.now();
  while (Date.now() - churnStart < CHURN_S * 1000) {
    await Promise.all([post(agentControl, '/close-all-tcp'), post(holderControl, '/close-all-tcp')]);
    cuts++;
    await sleep(Math.min(CUT_EVERY_S * 1000, churnStart + CHURN_S * 1000 - Date.now()));
  }
  const churnS = (Date.now() - churnStart) / 1000;
  const churned = reading();
  const agentBack = await connected(agentPort);
  const holderBack = nodeConnected(holder);

  const row = (who, upS, back) => `| ${who === 'agent' ? 'agent (Java)' : 'Node socket.io-client 4.8'} | ${n} | ${fmt(upS, 2)} `
    + `| ${fmt(idle[who].rssKb / 1024, 0)} | ${idle[who].threads} | ${fmt(cpuPct(idleFrom[who], idle[who], IDLE_WINDOW_S), 2)} `
    + `| ${fmt(churned[who].rssKb / 1024, 0)} | ${churned[who].threads} | ${fmt(cpuPct(churnFrom[who], churned[who], churnS), 2)} | ${back} |`;
  console.log(`\nsocketio-canary footprint: ${n} canaries (${PER_MODE} per mode) java=${javaVersion()} opts=${JAVA_OPTS.join(' ') || '-'}`);
  console.log(`| client | N | start → all connected s | RSS MB at ${IDLE_AT_S} s | threads | idle CPU % `
    + `| RSS MB after ${fmt(churnS / 60, 0)} min churn | threads | churn CPU % | connected after |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(row('agent', agentUpS, agentBack));
  console.log(row('node', holderUpS, holderBack));
  console.log(`ratios agent/node: RSS at ${IDLE_AT_S} s ${fmt(idle.agent.rssKb / idle.node.rssKb, 2)}×, `
    + `after churn ${fmt(churned.agent.rssKb / churned.node.rssKb, 2)}×; churn CPU `
    + `${fmt(cpuPct(churnFrom.agent, churned.agent, churnS) / cpuPct(churnFrom.node, churned.node, churnS), 2)}×`);
  console.log(`idle CPU by thread (% of a core, switch-ins a second), agent: ${threadCpu(idleFrom.agent, idle.agent, IDLE_WINDOW_S)}`);
  console.log(`  Node: ${threadCpu(idleFrom.node, idle.node, IDLE_WINDOW_S)}`);
  console.log(`churn: ${cuts} cuts of every connection, one each ${CUT_EVERY_S} s`);
  console.log(`series: ${series} socketio_canary_* series for the one three-mode target (default detail)`);
  console.log(`logs: ${work}`);
}

run(main);
