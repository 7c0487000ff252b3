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
# Needs the packaged jar (mvn -B -q -DskipTests package) and testservers/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/socketio-canary.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
# Each connection is a descriptor in the agent, the holder and the servers.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), node $(node --version)" >&2
case "${1:-all}" in
  scale) exec node bench/bench.js ;;
  footprint) exec node bench/footprint.js ;;
  outage) exec node bench/outage-by-mode.js ;;
  all)
    N="${N:-5000}" MODE=websocket node bench/bench.js
    N="${N:-5000}" MODE=mixed node bench/bench.js
    node bench/footprint.js
    ;;
  *) echo "usage: bench/run.sh [all|scale|footprint|outage]" >&2; exit 2 ;;
esac
