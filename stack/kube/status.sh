#!/usr/bin/env bash
# Prints whether the local cluster is running. Exit 0 when up, 3 when down.
set -uo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kube_compute_paths

pids="$(kube_cluster_pids | tr '\n' ' ')"
if [[ -n "${pids// /}" ]] && kube_apiserver_ready; then
  nodes="$(kube_kubectl --request-timeout=5s get nodes --no-headers 2>/dev/null | awk '{print $1"="$2}' | tr '\n' ' ')"
  echo "kube: running"
  echo "apiserver:  $KUBE_APISERVER_URL"
  echo "kubeconfig: $KUBECONFIG_PATH"
  echo "nodes:      ${nodes:-none}"
  echo "pids:       $pids"
  exit 0
fi
echo "kube: not running"
[[ -n "${pids// /}" ]] && echo "note: processes $pids are alive but the apiserver is not ready (run up.sh or down.sh)"
echo "apiserver:  $KUBE_APISERVER_URL"
echo "kubeconfig: $KUBECONFIG_PATH"
exit 3
