#!/usr/bin/env bash
# Smoke test of the local cluster + helm binaries. Brings the cluster up if it
# is not (up.sh), exercises it, and with --down stops it again at the end.
# ok and bad always return 0, so `check && ok || bad` reads as if-then-else here.
# shellcheck disable=SC2015
#   ./smoke.sh [--down]
# Exit 0 when every check passed.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kube_compute_paths

DOWN=0; [[ "${1:-}" == "--down" ]] && DOWN=1
NS="cc-smoke-$$"
work="$(mktemp -d)"
pass=0; fail=0
ok()  { echo "PASS: $*"; pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
k()   { kube_kubectl --request-timeout=20s "$@"; }
cleanup() {
  k delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
  rm -rf "$work"
  if ((DOWN)); then "$KUBE_STACK_DIR/down.sh" || true; fi
}
trap cleanup EXIT

t0=$(date +%s)
"$KUBE_STACK_DIR/up.sh"
echo "up.sh took $(( $(date +%s) - t0 ))s"

# 1. apiserver + nodes
[[ "$(k get --raw /readyz)" == ok ]] && ok "/readyz ok" || bad "/readyz"
k get nodes -o wide
ready_nodes="$(k get nodes --no-headers | awk '$2=="Ready"' | wc -l)"
((ready_nodes >= 1)) && ok "$ready_nodes nodes Ready" || bad "no Ready node"
k version

k create namespace "$NS" >/dev/null

# 2. a healthy Deployment rolls out; a rollback works
cat >"$work/web.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "registry.example/web:1"}]
EOF
k apply -f "$work/web.yaml"
if k -n "$NS" rollout status deploy/web --timeout=90s; then ok "deployment web rolled out (2/2)"; else bad "deployment web rollout"; fi
k -n "$NS" set image deploy/web web=registry.example/web:2 >/dev/null
k -n "$NS" rollout status deploy/web --timeout=90s && ok "rollout to web:2" || bad "rollout to web:2"
k -n "$NS" rollout undo deploy/web >/dev/null
k -n "$NS" rollout status deploy/web --timeout=90s && ok "rollback (rollout undo)" || bad "rollback"
img="$(k -n "$NS" get deploy/web -o jsonpath='{.spec.template.spec.containers[0].image}')"
[[ "$img" == "registry.example/web:1" ]] && ok "image after undo is web:1" || bad "image after undo is $img"

# 2b. a StatefulSet rolls out, a Job completes
cat >"$work/sts-job.yaml" <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: $NS}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "registry.example/db:1"}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: $NS}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "registry.example/migrate:1"}]
EOF
k apply -f "$work/sts-job.yaml"
k -n "$NS" rollout status statefulset/db --timeout=90s && ok "statefulset db rolled out" || bad "statefulset rollout"
k -n "$NS" wait --for=condition=complete job/migrate --timeout=90s && ok "job migrate completed" || bad "job migrate"

# 3. a Deployment labelled crashloop never becomes Ready
cat >"$work/crash.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: crash, namespace: $NS}
spec:
  replicas: 1
  progressDeadlineSeconds: 30
  selector: {matchLabels: {app: crash}}
  template:
    metadata:
      labels: {app: crash, command-center.dev/simulate: crashloop}
    spec:
      containers: [{name: app, image: "registry.example/crash:1"}]
EOF
k apply -f "$work/crash.yaml"
if k -n "$NS" rollout status deploy/crash --timeout=25s; then bad "crash deployment became ready"; else ok "crash deployment did not become ready (rollout status timed out)"; fi
reason="$(k -n "$NS" get pods -l app=crash -o jsonpath='{.items[0].status.containerStatuses[0].state.waiting.reason}')"
restarts="$(k -n "$NS" get pods -l app=crash -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}')"
k -n "$NS" get pods -l app=crash
[[ "$reason" == CrashLoopBackOff ]] && ok "waiting reason CrashLoopBackOff" || bad "waiting reason '$reason'"
((restarts >= 1)) && ok "restartCount $restarts" || bad "restartCount '$restarts'"
k -n "$NS" get events --field-selector reason=BackOff --no-headers | head -3

# 4. helm 3 and helm 4
export HELM_CACHE_HOME="$work/helm/cache" HELM_CONFIG_HOME="$work/helm/config" HELM_DATA_HOME="$work/helm/data"
v3="$("$HELM_LINK_DIR/helm3" version --short)"; v4="$("$HELM_LINK_DIR/helm4" version --short)"
echo "helm3 version: $("$HELM_LINK_DIR/helm3" version)"
echo "helm4 version: $("$HELM_LINK_DIR/helm4" version)"
[[ "$v3" == "$HELM3_VERSION"* ]] && ok "helm3 $v3" || bad "helm3 reports $v3"
[[ "$v4" == "$HELM4_VERSION"* ]] && ok "helm4 $v4" || bad "helm4 reports $v4"

mkdir -p "$work/chart/templates"
cat >"$work/chart/Chart.yaml" <<EOF
apiVersion: v2
name: tiny
version: 0.1.0
appVersion: "1.0"
EOF
cat >"$work/chart/values.yaml" <<EOF
replicas: 2
image: registry.example/tiny:1
simulate: ""
EOF
cat >"$work/chart/templates/deploy.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
        {{- with .Values.simulate }}
        command-center.dev/simulate: {{ . }}
        {{- end }}
    spec:
      containers:
      - name: app
        image: {{ .Values.image }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {app: {{ .Release.Name }}}
  ports: [{port: 80}]
EOF
for h in helm3 helm4; do
  if "$HELM_LINK_DIR/$h" --kubeconfig "$KUBECONFIG_PATH" install "tiny-$h" "$work/chart" -n "$NS" --wait --timeout 90s; then
    ok "$h install --wait"
  else
    bad "$h install --wait"
  fi
  "$HELM_LINK_DIR/$h" --kubeconfig "$KUBECONFIG_PATH" status "tiny-$h" -n "$NS" | sed -n '1,6p'
done
"$HELM_LINK_DIR/helm4" --kubeconfig "$KUBECONFIG_PATH" upgrade tiny-helm4 "$work/chart" -n "$NS" --set image=registry.example/tiny:2 --wait --timeout 90s >/dev/null \
  && ok "helm4 upgrade --wait" || bad "helm4 upgrade --wait"
"$HELM_LINK_DIR/helm4" --kubeconfig "$KUBECONFIG_PATH" rollback tiny-helm4 1 -n "$NS" --wait --timeout 90s >/dev/null \
  && ok "helm4 rollback --wait" || bad "helm4 rollback --wait"
# a release whose pods crash-loop: --wait must fail
for h in helm3 helm4; do
  if "$HELM_LINK_DIR/$h" --kubeconfig "$KUBECONFIG_PATH" install "crash-$h" "$work/chart" -n "$NS" \
       --set simulate=crashloop --wait --timeout 20s >"$work/$h-crash.log" 2>&1; then
    bad "$h install --wait of a crash-looping release succeeded"
  else
    ok "$h install --wait of a crash-looping release failed: $(tail -n 1 "$work/$h-crash.log")"
  fi
done
k -n "$NS" get deploy,svc,pods

echo
echo "$pass passed, $fail failed"
((fail == 0))
