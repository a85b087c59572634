#!/usr/bin/env bash
# Installs the test runners smoke-suite's tests run besides pytest, vitest and node:test, once:
#   pytest-rerunfailures 16.7  ${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}/python/pytest-rerunfailures-16.7
#                              (pip --target, from PyPI; put the folder on PYTHONPATH)
#   gotestsum v1.13.0          .../gotestsum/v1.13.0/gotestsum (go install, from the Go module proxy)
#   jest 30 + jest-junit 17    tests/fixtures/smoke/jest-todo/node_modules (pnpm install --frozen-lockfile
#                              of the fixture's own lockfile, from the npm registry)
# Idempotent: prints `pytest_rerunfailures=<dir>`, `gotestsum=<file>` and `jest_fixture=<dir>` and does
# nothing else when everything is there. Env: COMMAND_CENTER_CACHE  cache root;  SMOKE_TOOLS_NICE  nice
# level for the build (default 10)
set -euo pipefail
RERUNFAILURES_VERSION=16.7
GOTESTSUM_VERSION=v1.13.0
root="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"
RERUN_DIR="$CACHE/python/pytest-rerunfailures-$RERUNFAILURES_VERSION"
GOTESTSUM_DIR="$CACHE/gotestsum/$GOTESTSUM_VERSION"
JEST_DIR="$root/tests/fixtures/smoke/jest-todo"
NICE="${SMOKE_TOOLS_NICE:-10}"
say() { printf '[smoke-tools] %s\n' "$*" >&2; }
die() { printf '[smoke-tools] error: %s\n' "$*" >&2; exit 1; }

if [ ! -f "$RERUN_DIR/pytest_rerunfailures.py" ]; then
  command -v python3 >/dev/null 2>&1 || die "python3 is not installed (needed for pytest-rerunfailures)"
  say "installing pytest-rerunfailures $RERUNFAILURES_VERSION (pip --target)"
  mkdir -p "$(dirname "$RERUN_DIR")"
  tmp=$(mktemp -d "$RERUN_DIR.XXXXXX")
  # --no-deps: its one requirement (packaging) comes with pytest, and a second pytest in the target
  # would shadow the machine's.
  if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
      --target "$tmp" "pytest-rerunfailures==$RERUNFAILURES_VERSION" >"$tmp.log" 2>&1; then
    tail -n 20 "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "pip install pytest-rerunfailures==$RERUNFAILURES_VERSION failed"
  fi
  rm -f "$tmp.log"
  rm -rf "$RERUN_DIR"
  mv "$tmp" "$RERUN_DIR"
fi

if [ ! -x "$GOTESTSUM_DIR/gotestsum" ]; then
  command -v go >/dev/null 2>&1 || die "go is not installed (needed to build gotestsum $GOTESTSUM_VERSION)"
  say "building gotestsum $GOTESTSUM_VERSION (go install)"
  mkdir -p "$GOTESTSUM_DIR"
  # Into a temp dir, then rename: an interrupted build never leaves a half-written binary.
  tmp=$(mktemp -d "$GOTESTSUM_DIR/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  if ! CGO_ENABLED=0 GOBIN="$tmp" nice -n "$NICE" go install "gotest.tools/gotestsum@$GOTESTSUM_VERSION" >"$GOTESTSUM_DIR/build.log" 2>&1; then
    tail -n 20 "$GOTESTSUM_DIR/build.log" >&2
    die "go install gotest.tools/gotestsum@$GOTESTSUM_VERSION failed (log: $GOTESTSUM_DIR/build.log)"
  fi
  mv -f "$tmp/gotestsum" "$GOTESTSUM_DIR/gotestsum"
fi

lock_sha=$(sha256sum "$JEST_DIR/pnpm-lock.yaml" | cut -d' ' -f1)
if [ "$(cat "$JEST_DIR/node_modules/.command-center-lock.sha" 2>/dev/null)" != "$lock_sha" ]; then
  node24="$root/node_modules/node/bin/node"
  pnpm="$root/node_modules/.bin/pnpm"
  { [ -x "$node24" ] && [ -x "$pnpm" ]; } || die "Node 24 and pnpm come from the project's own packages: run \`npm ci\` first"
  say "installing the jest fixture (pnpm install --frozen-lockfile in tests/fixtures/smoke/jest-todo)"
  if ! (cd "$JEST_DIR" && PATH="$(dirname "$node24"):$PATH" "$pnpm" install --frozen-lockfile --reporter=silent) >"$CACHE/jest-fixture-install.log" 2>&1; then
    tail -n 20 "$CACHE/jest-fixture-install.log" >&2
    die "pnpm install in tests/fixtures/smoke/jest-todo failed (log: $CACHE/jest-fixture-install.log)"
  fi
  echo "$lock_sha" > "$JEST_DIR/node_modules/.command-center-lock.sha"
fi

echo "pytest_rerunfailures=$RERUN_DIR"
echo "gotestsum=$GOTESTSUM_DIR/gotestsum"
echo "jest_fixture=$JEST_DIR"
