#!/usr/bin/env bash
# `npm run integration-day`: the whole Integration Day on the local stack, from a fresh clone.
# Installs what is missing (npm packages, Node 24, Kafka, Prometheus, the Kubernetes control plane,
# Helm, act), builds the actions, brings up the real servers and the staging stand-in, then runs
# .github/workflows/integration-day.yml through act (scripts/integration-day.ts) and prints where the
# status report and the evidence are. Arguments go to scripts/integration-day.ts (--date, --smoke-fail, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
say() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

say "dependencies"
# npm ci when node_modules is missing or older than the lock file.
if [ ! -x node_modules/node/bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi
NODE24="$PWD/node_modules/node/bin/node"
export PATH="$PWD/node_modules/node/bin:$PWD/node_modules/.bin:$PATH"

if ! dpkg -s prometheus >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  say "system packages (prometheus, chromium)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus chromium >/dev/null
fi

say "build the actions"
"$NODE24" scripts/build.mjs

say "local stack: Kafka, Prometheus, git origin, staging stand-in, Kubernetes + Helm, Gitea (first run builds, then cached)"
bash stack/stack.sh up
bash stack/stack.sh status

say "act (runs the workflow on this host)"
bash tools/act/build.sh

say "Integration Day: .github/workflows/integration-day.yml through act"
exec "$NODE24" node_modules/tsx/dist/cli.mjs scripts/integration-day.ts "$@"
