#!/usr/bin/env bash
# Runs every test: installs what the tests start (nginx, HAProxy, Prometheus, Chromium, helm, the
# Node test servers), then unit and integration tests with Maven. Works on a fresh Debian machine
# as root; elsewhere it says what is missing. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
bash scripts/install-test-deps.sh
if ! command -v mvn >/dev/null 2>&1; then
  echo "test.sh: installing maven" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven >/dev/null
fi

mvn -B -ntp verify "$@"
echo "test.sh: all tests passed in $(( $(date +%s) - started )) s"
