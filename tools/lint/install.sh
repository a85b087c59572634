#!/usr/bin/env bash
# Installs the workflow linters once, into the cache (never into the repository):
#   actionlint v1.7.12  ${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}/lint/actionlint-v1.7.12/actionlint
#                       (built from the Go module proxy; runs shellcheck on every `run:` script, so
#                       the shell linter is installed from Debian when missing)
#   zizmor 1.32.0       .../lint/zizmor-1.32.0/bin/zizmor (the native binary of its PyPI wheel)
# Idempotent: prints two lines, `actionlint=<path>` and `zizmor=<path>`, and does nothing else when
# both are there. Env: COMMAND_CENTER_CACHE  cache root;  LINT_BUILD_NICE  nice level (default 10)
set -euo pipefail
ACTIONLINT_VERSION=v1.7.12
ZIZMOR_VERSION=1.32.0
CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"
ACTIONLINT_DIR="$CACHE/lint/actionlint-$ACTIONLINT_VERSION"
ZIZMOR_DIR="$CACHE/lint/zizmor-$ZIZMOR_VERSION"
say() { printf '[lint-tools] %s\n' "$*" >&2; }
die() { printf '[lint-tools] error: %s\n' "$*" >&2; exit 1; }

if ! command -v shellcheck >/dev/null 2>&1; then
  # Without it actionlint silently skips every script check.
  say "installing shellcheck from Debian"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || say "apt-get update failed; trying the install anyway"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends shellcheck >/dev/null \
    || die "apt-get install shellcheck failed"
fi

if [ ! -x "$ACTIONLINT_DIR/actionlint" ]; then
  command -v go >/dev/null 2>&1 || die "go is not installed (needed to build actionlint $ACTIONLINT_VERSION)"
  say "building actionlint $ACTIONLINT_VERSION (go install)"
  mkdir -p "$ACTIONLINT_DIR"
  # Into a temp dir, then rename: an interrupted build never leaves a half-written binary.
  tmp=$(mktemp -d "$ACTIONLINT_DIR/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  if ! CGO_ENABLED=0 GOBIN="$tmp" nice -n "${LINT_BUILD_NICE:-10}" go install \
      -ldflags "-X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION#v}" \
      "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >"$ACTIONLINT_DIR/build.log" 2>&1; then
    tail -n 20 "$ACTIONLINT_DIR/build.log" >&2
    die "go install actionlint@$ACTIONLINT_VERSION failed (log: $ACTIONLINT_DIR/build.log)"
  fi
  mv -f "$tmp/actionlint" "$ACTIONLINT_DIR/actionlint"
fi

if [ ! -x "$ZIZMOR_DIR/bin/zizmor" ]; then
  # zizmor's wheel is one native binary: `pip install --target` puts it in <target>/bin, no Python needed after.
  say "installing zizmor $ZIZMOR_VERSION (pip)"
  mkdir -p "$(dirname "$ZIZMOR_DIR")"
  tmpz=$(mktemp -d "$ZIZMOR_DIR.XXXXXX")
  if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
      --target "$tmpz" "zizmor==$ZIZMOR_VERSION" >"$tmpz.log" 2>&1; then
    tail -n 20 "$tmpz.log" >&2
    rm -rf "$tmpz"
    die "pip install zizmor==$ZIZMOR_VERSION failed"
  fi
  rm -f "$tmpz.log"
  [ -x "$tmpz/bin/zizmor" ] || { rm -rf "$tmpz"; die "the zizmor wheel had no bin/zizmor"; }
  rm -rf "$ZIZMOR_DIR"
  mv "$tmpz" "$ZIZMOR_DIR"
fi

echo "actionlint=$ACTIONLINT_DIR/actionlint"
echo "zizmor=$ZIZMOR_DIR/bin/zizmor"
