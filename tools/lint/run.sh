#!/usr/bin/env bash
# Lints every workflow with actionlint (with shellcheck) and zizmor (offline, no token); installs the
# linters first when missing (tools/lint/install.sh). Exit 0 only when both report nothing.
# Usage: tools/lint/run.sh [workflow files...]   (default: .github/workflows/*.yml)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools=$(bash "$root/tools/lint/install.sh")
actionlint=$(sed -n 's/^actionlint=//p' <<<"$tools")
zizmor=$(sed -n 's/^zizmor=//p' <<<"$tools")
cd "$root"
files=("$@")
(( ${#files[@]} )) || files=(.github/workflows/*.yml)
rc=0
echo "actionlint $("$actionlint" --version | head -1) on ${#files[@]} workflow(s)"
"$actionlint" -shellcheck "$(command -v shellcheck)" "${files[@]}" || rc=1
echo "zizmor $("$zizmor" --version | awk '{print $2}') (offline) on ${#files[@]} workflow(s)"
"$zizmor" --offline --no-progress --config "$root/tools/lint/zizmor.yml" "${files[@]}" || rc=1
exit $rc
