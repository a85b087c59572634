#!/usr/bin/env bash
# Builds nektos/act (runs workflows on the host) from the Go module proxy, once:
#   ${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}/act/v0.2.87/act
# Idempotent: prints the binary's path and exits when it is already there.
# Env: COMMAND_CENTER_CACHE  cache root;  ACT_BUILD_NICE  nice level for the build (default 10)
set -euo pipefail
ACT_VERSION=v0.2.87
CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"
DEST="$CACHE/act/$ACT_VERSION"
BIN="$DEST/act"

if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "act: go is not installed (need Go to build act $ACT_VERSION)" >&2; exit 1; }

mkdir -p "$DEST"
log="$DEST/build.log"
# GOBIN into a temp dir, then rename: a concurrent or interrupted build never leaves a half-written binary.
tmp=$(mktemp -d "$DEST/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! CGO_ENABLED=0 GOBIN="$tmp" nice -n "${ACT_BUILD_NICE:-10}" go install "github.com/nektos/act@$ACT_VERSION" >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "act: go install github.com/nektos/act@$ACT_VERSION failed (log: $log)" >&2
  exit 1
fi
mv -f "$tmp/act" "$BIN"
echo "$BIN"
