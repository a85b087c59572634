#!/usr/bin/env bash
# Stops the local cluster and removes its state (etcd data, certificates, logs)
# and the kubeconfig. Leaves no process behind: checks by pid and by command
# line (processes whose arguments point into this cluster's state folder).
# Idempotent: "not running" is success.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kube_compute_paths

if [[ "${1:-}" != "--locked" ]]; then   # up.sh calls us with the lock held
  mkdir -p "$KUBE_STATE_DIR"
  exec 9>"$KUBE_STATE_DIR/.lock"
  flock -w 120 9 || kube_die "another up.sh/down.sh holds $KUBE_STATE_DIR/.lock"
fi

# processes of this cluster: pid files + any process whose command line
# mentions the cluster folder (in case a pid file is gone)
cluster_procs() {
  local p
  local -a argv
  {
    kube_cluster_pids
    for p in /proc/[0-9]*; do   # pure bash: no helper process whose argv holds the pattern
      [[ "${p#/proc/}" == "$$" ]] && continue
      mapfile -d '' -t argv <"$p/cmdline" 2>/dev/null || continue
      if [[ "${argv[*]}" == *"$KWOK_CLUSTER_DIR/"* ]]; then echo "${p#/proc/}"; fi
    done
  } | sort -u
}

before="$(cluster_procs | tr '\n' ' ')"
if [[ -d "$KWOK_CLUSTER_DIR" ]]; then
  kube_log "deleting cluster '$KUBE_CLUSTER_NAME' (pids: ${before:-none})"
  if [[ -x "$KWOKCTL_BIN" ]]; then
    # (kwokctl wants some kubeconfig to remove its context from: "" is an
    #  error, and the default is ~/.kube/config, which we never touch)
    timeout 120 env KWOK_WORKDIR="$KWOK_WORKDIR" "$KWOKCTL_BIN" --name "$KUBE_CLUSTER_NAME" \
      delete cluster --kubeconfig "$KUBE_STATE_DIR/.kwokctl-scratch-kubeconfig" >"$KUBE_STATE_DIR/kwokctl-delete.log" 2>&1 9>&- \
      || kube_log "kwokctl delete cluster failed (log: $KUBE_STATE_DIR/kwokctl-delete.log); killing processes directly"
  fi
else
  kube_log "no cluster state in $KWOK_CLUSTER_DIR"
fi

# kwokctl signals the processes and returns: give them up to 15s to exit
# (sed, not grep: with no process at all, as after a reboot, grep's exit 1 would end the script)
left="$( { tr ' ' '\n' <<<"$before"; cluster_procs; } | sed '/^$/d' | sort -u)"
alive=()
for _ in $(seq 1 30); do
  alive=()
  for pid in $left; do if kube_pid_alive "$pid"; then alive+=("$pid"); fi; done
  ((${#alive[@]})) || break
  sleep 0.5
done
# anything left (kwokctl failed, was missing, or a process hangs): TERM, then KILL, by pid
if ((${#alive[@]})); then
  kube_log "stopping leftover processes: ${alive[*]}"
  kill -TERM "${alive[@]}" 2>/dev/null || true
  for _ in $(seq 1 20); do
    still=()
    for pid in "${alive[@]}"; do if kube_pid_alive "$pid"; then still+=("$pid"); fi; done
    ((${#still[@]})) || break
    sleep 0.5
  done
  for pid in "${alive[@]}"; do if kube_pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi; done
fi

rm -rf "$KWOK_CLUSTER_DIR"
rm -f "$KUBECONFIG_PATH" "$KUBE_STATE_DIR/.kwokctl-scratch-kubeconfig"

remaining=""
for _ in $(seq 1 10); do
  remaining="$(cluster_procs | tr '\n' ' ')"
  [[ -z "${remaining// /}" ]] && break
  sleep 0.5
done
if [[ -n "${remaining// /}" ]]; then
  kube_die "processes still running after down: $remaining"
fi
kube_log "cluster down; no processes left"
