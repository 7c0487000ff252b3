#!/usr/bin/env bash
# Scale benchmark: the agent vs the Node socket.io-client holding the same N connections, in one
# run, plus a reconnect storm and a 3 s outage on a subset. Not part of scripts/test.sh.
#   N=5000 MODE=websocket|mixed JAVA_HOME=/usr/lib/jvm/... AGENT_JAVA_OPTS="-XX:+UseSerialGC" bench/run.sh
# Needs the packaged jar (mvn -B -q -DskipTests package) and testservers/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/socketio-canary.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
# Each connection is a descriptor in the agent, the holder and the servers.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), node $(node --version)" >&2
exec node bench/bench.js
