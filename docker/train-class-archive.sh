#!/usr/bin/env bash
# Writes the agent's class-data-sharing archive (AppCDS): the classes an agent loads, parsed once
# here at image build instead of at every start. Run by the Dockerfile against the image's own JRE
# and jar (an archive is only valid for the JVM and jar it was made with), and by
# ClassArchiveTrainingIT against the packaged jar, so a change that breaks it fails a test first.
#
# The training run is `demo` (an embedded Socket.IO server behind an idle-cutting proxy, canaries
# of every transport mode): connects, pings, cuts and reconnects on WebSocket and polling, and the
# pages a scraper and the status page fetch. The JVM writes the archive when the agent exits.
# Measured with bench/run.sh footprint (docs/performance.md, "Choosing the JVM flags").
#
# usage: train-class-archive.sh JAR ARCHIVE [PORT]     (JAVA: the java to use, default java)
set -euo pipefail
jar="$1" archive="$2" port="${3:-9479}"
java="${JAVA:-java}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# The image's own flags (JDK_JAVA_OPTIONS is not set yet at this point of the Dockerfile).
"$java" -XX:ArchiveClassesAtExit="$archive" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" \
  demo --port "$port" --clients 2 --proxy-idle-timeout 2s --ping-interval 1s --ping-timeout 1s >"$log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

get() { # GET $1 from the agent over bash's /dev/tcp (the image has no curl); prints the status line
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
  IFS= read -r -t 5 line <&3 || line=""
  cat <&3 >/dev/null || true
  exec 3<&-
  printf '%s\n' "$line"
}

for _ in $(seq 1 100); do
  [[ "$(get /health 2>/dev/null)" == HTTP/1.?' 200 '* ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "train-class-archive: the demo exited early" >&2; exit 1; }
  sleep 0.2
done
# Long enough for idle cuts and reconnects on every transport, with the pages fetched meanwhile.
for page in /metrics /api/status / /metrics; do
  sleep 2
  get "$page" >/dev/null
done
kill -TERM "$pid"
wait "$pid" || true
if [ ! -s "$archive" ]; then
  cat "$log" >&2
  echo "train-class-archive: no archive written to $archive" >&2
  exit 1
fi
echo "train-class-archive: $(du -h "$archive" | cut -f1) archive of the agent's classes at $archive"
