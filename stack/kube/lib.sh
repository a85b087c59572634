# shellcheck shell=bash
# Shared settings for stack/kube/*.sh. Sourced, never executed.
# Only defines variables and functions: safe to source from an interactive shell
# (env.sh does exactly that).

KUBE_STACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KUBE_REPO_ROOT="$(cd "$KUBE_STACK_DIR/../.." && pwd)"

# Pinned versions. Changing K8S_VERSION also needs ./gen-replaces.sh.
K8S_VERSION="v1.36.3"
KWOK_VERSION="v0.8.0"   # v0.8.1+ needs Go 1.27
HELM3_VERSION="v3.22.0"
HELM4_VERSION="v4.3.1"

COMMAND_CENTER_CACHE="${COMMAND_CENTER_CACHE:-$HOME/.cache/command-center}"

KUBE_LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=$(echo "${K8S_VERSION#v}" | cut -d. -f1) -X k8s.io/component-base/version.gitMinor=$(echo "${K8S_VERSION#v}" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean"
# shellcheck disable=SC2034  # read by build.sh, which sources this file
KUBE_BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)

# Short hash of everything that decides what the control-plane binaries are:
# go.mod, go.sum, the cmd sources, the ldflags and the Go version.
kube_build_hash() {
  (
    cd "$KUBE_STACK_DIR" || exit 1
    {
      printf 'ldflags=%s\n' "$KUBE_LDFLAGS"
      printf 'go=%s\n' "$(go env GOVERSION 2>/dev/null || echo unknown)"
      for f in go.mod go.sum $(find cmd -type f -name '*.go' | LC_ALL=C sort); do
        printf '== %s\n' "$f"
        cat "$f"
      done
    } | sha256sum | cut -c1-16
  )
}

# The paths are read by the scripts that source this file.
# shellcheck disable=SC2034
kube_compute_paths() {
  KUBE_BUILD_HASH="${KUBE_BUILD_HASH:-$(kube_build_hash)}"
  KUBE_BIN_DIR="$COMMAND_CENTER_CACHE/kube/$KUBE_BUILD_HASH/bin"
  KWOK_BIN_DIR="$COMMAND_CENTER_CACHE/kwok/$KWOK_VERSION/bin"
  HELM_DIR="$COMMAND_CENTER_CACHE/helm"
  HELM3_BIN="$HELM_DIR/$HELM3_VERSION/helm"
  HELM4_BIN="$HELM_DIR/$HELM4_VERSION/helm"
  HELM_LINK_DIR="$HELM_DIR/bin"   # helm3, helm4 symlinks
  KUBECTL_BIN="$KUBE_BIN_DIR/kubectl"
  KWOKCTL_BIN="$KWOK_BIN_DIR/kwokctl"
  KWOK_BIN="$KWOK_BIN_DIR/kwok"

  STACK_STATE="$(realpath -m "${STACK_STATE:-$KUBE_REPO_ROOT/.stack}")"
  KUBE_STATE_DIR="$STACK_STATE/kube"
  KUBECONFIG_PATH="$KUBE_STATE_DIR/kubeconfig"
  KUBE_APISERVER_PORT="${KUBE_APISERVER_PORT:-16443}"
  KUBE_APISERVER_URL="https://127.0.0.1:$KUBE_APISERVER_PORT"
  KUBE_CLUSTER_NAME="${KUBE_CLUSTER_NAME:-command-center}"
  # kwokctl keeps everything (config, pki, etcd data, pids, logs) here
  KWOK_WORKDIR="$KUBE_STATE_DIR/kwok"
  KWOK_CLUSTER_DIR="$KWOK_WORKDIR/clusters/$KUBE_CLUSTER_NAME"
}

kube_log() { printf '[kube] %s\n' "$*" >&2; }
kube_die() { printf '[kube] ERROR: %s\n' "$*" >&2; exit 1; }

# kwokctl with our workdir; --name selects the cluster.
kube_kwokctl() {
  KWOK_WORKDIR="$KWOK_WORKDIR" "$KWOKCTL_BIN" --name "$KUBE_CLUSTER_NAME" "$@"
}

kube_kubectl() {
  "$KUBECTL_BIN" --kubeconfig "$KUBECONFIG_PATH" "$@"
}

# 0 when pid is a live process (zombies, waiting to be reaped, do not count)
kube_pid_alive() {
  local pid="$1" stat
  kill -0 "$pid" 2>/dev/null || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}

# pids (from kwokctl's pid files) of this cluster's processes that are alive.
# A pid only counts if its command line points into the cluster folder, so a
# stale pid file (e.g. after a reboot) never designates somebody else's process.
kube_cluster_pids() {
  local f pid
  local -a argv
  [[ -d "$KWOK_CLUSTER_DIR/pids" ]] || return 0
  for f in "$KWOK_CLUSTER_DIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    pid="$(tr -dc '0-9' <"$f")"
    if [[ -z "$pid" ]] || ! kube_pid_alive "$pid"; then continue; fi
    mapfile -d '' -t argv <"/proc/$pid/cmdline" 2>/dev/null || continue
    if [[ "${argv[*]}" == *"$KWOK_CLUSTER_DIR/"* ]]; then echo "$pid"; fi
  done
  return 0
}

# 0 when the apiserver answers /readyz with "ok" through our kubeconfig
kube_apiserver_ready() {
  [[ -f "$KUBECONFIG_PATH" && -x "$KUBECTL_BIN" ]] || return 1
  local out
  out="$(timeout 10 "$KUBECTL_BIN" --kubeconfig "$KUBECONFIG_PATH" --request-timeout=5s get --raw /readyz 2>/dev/null)" || return 1
  [[ "$out" == "ok" ]]
}
