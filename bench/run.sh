#!/usr/bin/env bash
# Benchmarks: the agent vs the Node socket.io-client holding the same connections, in one run.
# Not part of scripts/test.sh.
#   bench/run.sh              scale (5,000 WebSocket), scale (5,000 mixed), footprint (about 12 minutes)
#   bench/run.sh scale        N canaries (default 1000), MODE=websocket|mixed: memory, CPU, a
#                             reconnect storm and a 3 s outage on a subset (bench/bench.js)
#   bench/run.sh footprint    60 canaries (20 per mode): start time, RSS, threads, CPU at 60 s and
#                             after 5 minutes of churn, series per target (bench/footprint.js)
#   bench/run.sh outage       a 3 s outage, each mode's reconnects (bench/outage-by-mode.js; T=polling)
# Environment: JAVA_HOME=/usr/lib/jvm/..., AGENT_JAVA_OPTS="-XX:+UseSerialGC", AGENT_ENV="MALLOC_ARENA_MAX=2",
# N, MODE, CHURN_S, HISTO=1 (scale: class histogram of the idle agent).
# Every run starts and ends with the machine's speed (bench/speed-probe.js) and ends with the CPU
# share its host stole meanwhile.
# Needs the packaged jar (mvn -B -q -DskipTests package) and testservers/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/socketio-canary.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
# Each connection is a descriptor in the agent, the holder and the servers.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), node $(node --version)" >&2
case "${1:-all}" in
  all | scale | footprint | outage) ;;
  *) echo "usage: bench/run.sh [all|scale|footprint|outage]" >&2; exit 2 ;;
esac
# The machine's own speed before and after, and the CPU time its host took away meanwhile (steal):
# absolute figures from a slowed or shared machine do not compare with another run's.
cpu_ticks() { awk '/^cpu / { total = 0; for (i = 2; i <= NF; i++) total += $i; print total, $9 }' /proc/stat; }
machine_after() {
  read -r total_after steal_after < <(cpu_ticks)
  node bench/speed-probe.js after >&2
  awk -v t="$((total_after - total_before))" -v s="$((steal_after - steal_before))" \
    'BEGIN { printf "CPU stolen by the host during the run: %.1f %%\n", (t > 0 ? 100 * s / t : 0) }' >&2
}
node bench/speed-probe.js before >&2
read -r total_before steal_before < <(cpu_ticks)
case "${1:-all}" in
  scale) node bench/bench.js ;;
  footprint) node bench/footprint.js ;;
  outage) node bench/outage-by-mode.js ;;
  all)
    N="${N:-5000}" MODE=websocket node bench/bench.js
    N="${N:-5000}" MODE=mixed node bench/bench.js
    node bench/footprint.js
    ;;
esac
machine_after
