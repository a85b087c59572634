#!/usr/bin/env bash
# Builds nektos/act (runs workflows on the host) from the Go module proxy, once:
#   ${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}/act/v0.2.87/act
# Idempotent: prints the binary's path and exits when it is already there.
#
# Two changes to upstream v0.2.87, both in its v4 artifact server (pkg/artifacts/artifacts_v4.go),
# so that the current @actions/artifact (6.x, what upload-artifact v7 uses) can talk to it; nothing
# else in act is touched (nektos/act#6022 and #6114, still open upstream):
#  1. request bodies are decoded with protojson's DiscardUnknown: the client sends a `mime_type` field
#     in CreateArtifact that act does not know, and act refuses every upload with
#     `unknown field "mime_type"`; GitHub's own service accepts it;
#  2. the signature in act's signed upload/download URLs is unpadded base64url: the Azure storage
#     SDK drops a trailing `=` from query values, so a padded signature never verifies
#     ("Error unauthorized") and every block upload fails.
#
# Env: COMMAND_CENTER_CACHE  cache root;  ACT_BUILD_NICE  nice level for the build (default 10)
set -euo pipefail
ACT_VERSION=v0.2.87
CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"
DEST="$CACHE/act/$ACT_VERSION"
BIN="$DEST/act"
PATCH_ID="artifact-server-v4-compat-2"

if [ -x "$BIN" ] && [ "$(cat "$DEST/PATCHED" 2>/dev/null)" = "$PATCH_ID" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "act: go is not installed (need Go to build act $ACT_VERSION)" >&2; exit 1; }

mkdir -p "$DEST"
log="$DEST/build.log"
# Build in a private copy of the module source, then rename: an interrupted or concurrent build
# never leaves a half-written binary.
tmp=$(mktemp -d "$DEST/.build.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
{
  src=$(go mod download -json "github.com/nektos/act@$ACT_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] && [ -d "$src" ] || { echo "act: go mod download returned no source directory"; exit 1; }
  cp -R "$src" "$tmp/act"
  chmod -R u+w "$tmp/act"
  file="$tmp/act/pkg/artifacts/artifacts_v4.go"
  grep -q 'err = protojson.Unmarshal(body, req)' "$file" || { echo "act: the artifact server source changed; the patch no longer applies"; exit 1; }
  [ "$(grep -c 'base64.URLEncoding' "$file")" = 2 ] || { echo "act: the artifact server's signing code changed; the patch no longer applies"; exit 1; }
  sed -i 's/err = protojson.Unmarshal(body, req)/err = protojson.UnmarshalOptions{DiscardUnknown: true}.Unmarshal(body, req)/; s/base64.URLEncoding/base64.RawURLEncoding/g' "$file"
  cd "$tmp/act"
  CGO_ENABLED=0 nice -n "${ACT_BUILD_NICE:-10}" go build -trimpath -ldflags "-X main.version=${ACT_VERSION#v}" -o "$tmp/act-bin" .
} >"$log" 2>&1 || {
  tail -n 30 "$log" >&2
  echo "act: building $ACT_VERSION failed (log: $log)" >&2
  exit 1
}
mv -f "$tmp/act-bin" "$BIN"
echo "$PATCH_ID" > "$DEST/PATCHED"
echo "$BIN"
