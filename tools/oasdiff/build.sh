#!/usr/bin/env bash
# Builds oasdiff (the OpenAPI diff tool design-drift is cross-checked and benchmarked against)
# from the Go module proxy, once:
#   ${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}/oasdiff/<version>/oasdiff
# Idempotent: prints the binary's path and exits when it is already there.
# Env: COMMAND_CENTER_CACHE  cache root;  OASDIFF_BUILD_NICE  nice level for the build (default 10)
set -euo pipefail
OASDIFF_VERSION=v1.36.0
CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"
DEST="$CACHE/oasdiff/$OASDIFF_VERSION"
BIN="$DEST/oasdiff"

if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "oasdiff: go is not installed (need Go to build oasdiff $OASDIFF_VERSION)" >&2; exit 1; }

mkdir -p "$DEST"
log="$DEST/build.log"
# GOBIN into a temp dir, then rename: a concurrent or interrupted build never leaves a half-written binary.
tmp=$(mktemp -d "$DEST/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# go install leaves the version as "main"; stamp the real one so reports name what was compared.
if ! CGO_ENABLED=0 GOBIN="$tmp" nice -n "${OASDIFF_BUILD_NICE:-10}" go install \
    -ldflags "-X github.com/oasdiff/oasdiff/build.Version=${OASDIFF_VERSION#v}" \
    "github.com/oasdiff/oasdiff@$OASDIFF_VERSION" >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "oasdiff: go install github.com/oasdiff/oasdiff@$OASDIFF_VERSION failed (log: $log)" >&2
  exit 1
fi
mv -f "$tmp/oasdiff" "$BIN"
echo "$BIN"
