#!/usr/bin/env bash
# Regenerates stack/kube/go.mod so that k8s.io/kubernetes@$K8S_VERSION can be
# built as a dependency.
#
# Upstream's go.mod requires every k8s.io staging module as "v0.0.0" and
# replaces it with ./staging/src/... - replace directives of a dependency are
# ignored, so we add our own replace for each one, pointing at the published
# tag (v1.X.Y -> v0.X.Y). The list is read from upstream's go.mod, not typed.
#
# Usage: ./gen-replaces.sh            (uses K8S_VERSION, default v1.36.3)
set -euo pipefail
cd "$(dirname "$0")"

K8S_VERSION="${K8S_VERSION:-v1.36.3}"
STAGING_VERSION="v0.${K8S_VERSION#v1.}"

echo "[gen-replaces] k8s.io/kubernetes ${K8S_VERSION} -> staging modules ${STAGING_VERSION}"
gomod="$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
if [[ -z "$gomod" || ! -f "$gomod" ]]; then
  echo "[gen-replaces] ERROR: could not download k8s.io/kubernetes@${K8S_VERSION} go.mod" >&2
  exit 1
fi

# every "k8s.io/<x> v0.0.0" requirement is a staging module
mapfile -t staging < <(grep -oE '^[[:space:]]*k8s\.io/[A-Za-z0-9._-]+ v0\.0\.0([[:space:]]|$)' "$gomod" | awk '{print $1}' | sort -u)
if [[ ${#staging[@]} -eq 0 ]]; then
  echo "[gen-replaces] ERROR: no staging modules found in $gomod" >&2
  exit 1
fi

[[ -f go.mod ]] || go mod init commandcenter.local/stack/kube

# drop old k8s.io replaces, then add the fresh list
for old in $(go mod edit -json | sed -n 's/.*"Path": "\(k8s\.io\/[^"]*\)".*/\1/p' | sort -u); do
  go mod edit -dropreplace="$old" 2>/dev/null || true
done
args=()
for m in "${staging[@]}"; do
  args+=("-replace=${m}=${m}@${STAGING_VERSION}")
done
go mod edit "${args[@]}" -require="k8s.io/kubernetes@${K8S_VERSION}"
echo "[gen-replaces] ${#staging[@]} replace directives written"

if [[ "${SKIP_TIDY:-0}" != 1 ]]; then
  echo "[gen-replaces] go mod tidy"
  go mod tidy
fi
