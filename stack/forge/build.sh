#!/usr/bin/env bash
# Builds Gitea (stack/forge/lib.sh: FORGE_VERSION) from the Go module proxy into
#   ${COMMAND_CENTER_CACHE:-~/.cache/command-center}/forge/v<version>/<recipe hash>/gitea
# and prints that path. Only the first run pays (~10 min on 2 cores); later runs find the binary.
# Env: FORGE_BUILD_NICE  nice level of the Go build (default 19: the machine is shared)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null 2>&1 || die "forge: go is not installed (Gitea $FORGE_VERSION needs Go >= 1.26.4)"
bin=$(forge_binary)
built() { [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "version $FORGE_VERSION "; }
if built; then log "forge: gitea $FORGE_VERSION cached at $bin" >&2; echo "$bin"; exit 0; fi

# One build at a time per cache: a second `stack up` waits for the first instead of building too.
mkdir -p "$FORGE_CACHE"
exec 8>"$FORGE_CACHE/.build.lock"
if ! flock -n 8; then
  log "forge: another build of gitea $FORGE_VERSION is running: waiting for it (up to 60 min)" >&2
  flock -w 3600 8 || die "forge: timed out waiting for the other build"
fi
if built; then log "forge: gitea $FORGE_VERSION cached at $bin" >&2; echo "$bin"; exit 0; fi

started=$SECONDS
src=$(forge_module_dir) || die "forge: could not download $FORGE_MODULE from the Go module proxy"

# Our go.mod repeats Gitea's replace lines (a dependency's own are ignored): they must still agree.
replaces() {
  go mod edit -print "$1" | awk '
    /^replace \($/ { block = 1; next }
    block && /^\)$/ { block = 0; next }
    block { print; next }
    /^replace / { sub(/^replace /, ""); print }' \
    | sed 's@//.*@@; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^gitea\.dev ' | LC_ALL=C sort
}
if ! diff <(replaces "$src/go.mod") <(replaces "$FORGE_STACK_DIR/go.mod") >&2; then
  die "forge: the replace lines of stack/forge/go.mod differ from Gitea $FORGE_VERSION's go.mod (< Gitea, > ours)"
fi

work="$FORGE_CACHE/.build-$$"
buildlog="$FORGE_CACHE/build-$(forge_build_hash).log"
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
# Gitea's go.sum first: gitea.dev/sdk is not in the checksum database, so only its sum vouches for it.
cp "$FORGE_STACK_DIR/go.mod" "$src/main.go" "$src/go.sum" "$work/"
chmod u+w "$work"/*
log "forge: building gitea $FORGE_VERSION (cold: ~10 min on 2 cores; log: $buildlog)" >&2
if ! (cd "$work" && {
  nice -n "${FORGE_BUILD_NICE:-19}" go mod tidy \
    && CGO_ENABLED=0 nice -n "${FORGE_BUILD_NICE:-19}" go build -trimpath -ldflags "$FORGE_LDFLAGS" -o gitea .
} >"$buildlog" 2>&1); then
  tail -n 30 "$buildlog" >&2
  die "forge: building gitea failed (log: $buildlog)"
fi
"$work/gitea" --version 2>/dev/null | grep -q "version $FORGE_VERSION " || die "forge: the built gitea does not report $FORGE_VERSION"

# The tidied go.mod/go.sum stay beside the binary as the record of what went into it.
mkdir -p "$(dirname "$bin").tmp-$$"
mv "$work/gitea" "$work/go.mod" "$work/go.sum" "$(dirname "$bin").tmp-$$/"
rm -rf "$(dirname "$bin")"
mv "$(dirname "$bin").tmp-$$" "$(dirname "$bin")"
log "forge: gitea $FORGE_VERSION built in $(( SECONDS - started ))s: $bin ($(( $(stat -c %s "$bin") >> 20 )) MiB)" >&2
echo "$bin"
