#!/usr/bin/env bash
# Runs shellcheck over every shell script of the project (the stack, the tools, the scripts, CI), held to
# the same standard as the TypeScript: zero findings. Installs shellcheck from Debian when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if ! command -v shellcheck >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
fi
mapfile -t files < <(git ls-files '*.sh' .ci/run | grep -v -e '^examples/' -e '^tests/fixtures/' | sort -u)
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p') on ${#files[@]} script(s)"
shellcheck -x "${files[@]}"
