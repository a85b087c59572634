#!/usr/bin/env bash
# Builds (only what is missing) into ${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}:
#   kube/<hash>/bin/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   kwok/v0.8.0/bin/{kwok,kwokctl}
#   helm/v3.22.0/helm, helm/v4.3.1/helm, helm/bin/{helm3,helm4} (symlinks)
# Everything comes from the Go module proxy; nothing else is downloaded.
#
# Env: COMMAND_CENTER_CACHE  cache root
#      KUBE_BUILD_NICE       nice level for the Go builds (default 10)
#      KUBE_BUILD_PARALLEL   go build -p (default: number of cores)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null 2>&1 || kube_die "go is not installed (need Go >= 1.26)"
kube_compute_paths

NICE="${KUBE_BUILD_NICE:-10}"
PAR="${KUBE_BUILD_PARALLEL:-$(nproc 2>/dev/null || echo 2)}"
export CGO_ENABLED="${CGO_ENABLED:-0}"

# one build at a time per cache (a concurrent build.sh, e.g. from up.sh, waits)
mkdir -p "$COMMAND_CENTER_CACHE"
exec 8>"$COMMAND_CENTER_CACHE/.kube-build.lock"
if ! flock -n 8; then
  kube_log "another build.sh is running on $COMMAND_CENTER_CACHE: waiting for it (up to 60 min)"
  flock -w 3600 8 || kube_die "timed out waiting for the other build.sh"
fi

started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }

# run a build step; on failure show the tail of its log and stop
run_logged() {
  local what="$1" log="$2"; shift 2
  mkdir -p "$(dirname "$log")"
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2 || true
    kube_die "$what failed (full log: $log)"
  fi
}

all_present() {
  local d="$1"; shift
  local b
  for b in "$@"; do [[ -x "$d/$b" ]] || return 1; done
}

# --- control plane ------------------------------------------------------------
if all_present "$KUBE_BIN_DIR" "${KUBE_BINARIES[@]}"; then
  kube_log "control plane ${K8S_VERSION}: cached in $KUBE_BIN_DIR"
else
  kube_log "control plane ${K8S_VERSION}: building ${KUBE_BINARIES[*]} (cold build: ~10-20 min on 2 cores)"
  tmp="$COMMAND_CENTER_CACHE/kube/.tmp-$KUBE_BUILD_HASH-$$"
  rm -rf "$tmp"; mkdir -p "$tmp/bin"
  log="$COMMAND_CENTER_CACHE/kube/build-$KUBE_BUILD_HASH.log"
  pkgs=()
  for b in "${KUBE_BINARIES[@]}"; do pkgs+=("./cmd/$b"); done
  kube_log "  downloading modules (go mod download)..."
  (cd "$KUBE_STACK_DIR" && run_logged "go mod download" "$log.download" go mod download)
  kube_log "  compiling (log: $log) ..."
  (cd "$KUBE_STACK_DIR" && run_logged "control-plane build" "$log" \
     nice -n "$NICE" go build -p "$PAR" -trimpath -ldflags "$KUBE_LDFLAGS" -o "$tmp/bin/" "${pkgs[@]}")
  for b in "${KUBE_BINARIES[@]}"; do
    [[ -x "$tmp/bin/$b" ]] || kube_die "build produced no $b in $tmp/bin"
  done
  mkdir -p "$(dirname "$KUBE_BIN_DIR")"
  rm -rf "$KUBE_BIN_DIR"
  mv "$tmp/bin" "$KUBE_BIN_DIR"
  rm -rf "$tmp"
  kube_log "control plane built in $(elapsed): $KUBE_BIN_DIR"
fi
"$KUBE_BIN_DIR/kube-apiserver" --version >/dev/null 2>&1 || kube_die "$KUBE_BIN_DIR/kube-apiserver does not run"

# --- go install helper -----------------------------------------------------------
# go_install <dest-dir> <final-name> <ldflags> <pkg@version>
go_install() {
  local dest="$1" name="$2" ldflags="$3" pkg="$4"
  local base="${pkg%@*}"; base="${base##*/}"
  local tmp="$dest/.tmp-$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  # run outside the repo so our go.mod is not involved
  (cd "$tmp" && GOBIN="$tmp" run_logged "go install $pkg" "$dest/install-$name.log" \
     nice -n "$NICE" go install -p "$PAR" -trimpath -ldflags "$ldflags" "$pkg")
  [[ -x "$tmp/$base" ]] || kube_die "go install $pkg produced no $base"
  mv -f "$tmp/$base" "$dest/$name"
  rm -rf "$tmp"
}

# --- kwok / kwokctl ----------------------------------------------------------------
if all_present "$KWOK_BIN_DIR" kwok kwokctl; then
  kube_log "kwok ${KWOK_VERSION}: cached in $KWOK_BIN_DIR"
else
  mkdir -p "$KWOK_BIN_DIR"
  kwok_ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_VERSION#v}"
  for b in kwok kwokctl; do
    if [[ ! -x "$KWOK_BIN_DIR/$b" ]]; then
      kube_log "kwok ${KWOK_VERSION}: go install sigs.k8s.io/kwok/cmd/$b ..."
      go_install "$KWOK_BIN_DIR" "$b" "$kwok_ldflags" "sigs.k8s.io/kwok/cmd/$b@${KWOK_VERSION}"
    fi
  done
  kube_log "kwok built ($(elapsed)): $KWOK_BIN_DIR"
fi

# --- helm 3 / helm 4 -------------------------------------------------------------------
build_helm() {
  local ver="$1" major="$2" bin="$3"
  if [[ -x "$bin" ]]; then
    kube_log "helm ${ver}: cached at $bin"
    return
  fi
  kube_log "helm ${ver}: go install helm.sh/helm/v${major}/cmd/helm@${ver} ..."
  mkdir -p "$(dirname "$bin")"
  go_install "$(dirname "$bin")" helm \
    "-s -w -X helm.sh/helm/v${major}/internal/version.version=${ver} -X helm.sh/helm/v${major}/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v${major}/cmd/helm@${ver}"
  kube_log "helm ${ver} built ($(elapsed)): $bin"
}
build_helm "$HELM3_VERSION" 3 "$HELM3_BIN"
build_helm "$HELM4_VERSION" 4 "$HELM4_BIN"
mkdir -p "$HELM_LINK_DIR"
ln -sfn "../$HELM3_VERSION/helm" "$HELM_LINK_DIR/helm3"
ln -sfn "../$HELM4_VERSION/helm" "$HELM_LINK_DIR/helm4"

# --- sanity checks --------------------------------------------------------------------
v3="$("$HELM_LINK_DIR/helm3" version --short 2>/dev/null || true)"
v4="$("$HELM_LINK_DIR/helm4" version --short 2>/dev/null || true)"
[[ "$v3" == "$HELM3_VERSION"* ]] || kube_die "helm3 reports '$v3', expected $HELM3_VERSION"
[[ "$v4" == "$HELM4_VERSION"* ]] || kube_die "helm4 reports '$v4', expected $HELM4_VERSION"
kv="$("$KUBECTL_BIN" version --client 2>/dev/null | head -1 || true)"
[[ "$kv" == *"$K8S_VERSION"* ]] || kube_die "kubectl reports '$kv', expected $K8S_VERSION"
"$KWOKCTL_BIN" --version >/dev/null 2>&1 || kube_die "$KWOKCTL_BIN does not run"

kube_log "all binaries ready ($(elapsed)):"
for b in "${KUBE_BINARIES[@]}"; do echo "  $b: $KUBE_BIN_DIR/$b"; done
echo "  kwok: $KWOK_BIN"
echo "  kwokctl: $KWOKCTL_BIN"
echo "  helm3: $HELM_LINK_DIR/helm3 -> $HELM3_BIN ($v3)"
echo "  helm4: $HELM_LINK_DIR/helm4 -> $HELM4_BIN ($v4)"
