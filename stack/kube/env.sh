# shellcheck shell=bash
# Source me:  source stack/kube/env.sh
# Exports the paths build.sh / up.sh use (computed the same way):
#   KUBECONFIG_PATH HELM3_BIN HELM4_BIN KUBECTL_BIN KWOKCTL_BIN
# plus KUBE_APISERVER_URL, KUBE_BIN_DIR, KWOK_BIN_DIR.
# Does not build or start anything, and does not set KUBECONFIG.
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kube_compute_paths
export KUBECONFIG_PATH HELM3_BIN HELM4_BIN KUBECTL_BIN KWOKCTL_BIN KUBE_APISERVER_URL KUBE_BIN_DIR KWOK_BIN_DIR
