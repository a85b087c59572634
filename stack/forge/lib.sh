# shellcheck shell=bash
# Settings shared by stack/forge/build.sh and stack/forge/forge.sh (sourced, never run).

FORGE_STACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORGE_VERSION="1.27.3"
FORGE_MODULE="code.gitea.io/gitea@v$FORGE_VERSION"
# No build tags: CGO off gives Gitea's pure-Go SQLite driver and a static binary.
FORGE_LDFLAGS="-s -w -X main.Version=$FORGE_VERSION"
FORGE_CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}/forge/v$FORGE_VERSION"

# Short hash of what decides the binary (the wrapper go.mod, ldflags, Go version and platform), so a
# changed recipe builds anew beside the old binary instead of reusing it.
forge_build_hash() {
  {
    printf 'ldflags=%s\ncgo=0\n' "$FORGE_LDFLAGS"
    go env GOVERSION GOOS GOARCH
    cat "$FORGE_STACK_DIR/go.mod"
  } | sha256sum | cut -c1-16
}

forge_binary() { printf '%s/%s/gitea\n' "$FORGE_CACHE" "$(forge_build_hash)"; }

# Gitea's source folder in the Go module cache (downloaded when missing): its templates, locales and
# public files are what the server serves (no bindata in the binary).
forge_module_dir() {
  local dir
  dir=$(cd / && go mod download -json "$FORGE_MODULE" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -f "$dir/go.mod" ] || return 1
  printf '%s\n' "$dir"
}
