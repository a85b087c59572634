// helm-deploy on the local control plane: a release with 20 Deployments.
// - verification wall time vs the sum of per-workload times (parallel watches, one deadline);
// - detection latency: from the last pod turning Ready (seen by an independent pod watch) to the
//   action's verdict; beside it, when the last Deployment status said complete (what a status-only
//   check such as `kubectl rollout status` can see at best);
// - the action's total time vs a bare `helm upgrade --install --wait` of the same chart, same run.
// Needs the stack's cluster and Helm (npm run stack:up).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

// An even number of runs gives each side the first slot equally often.
const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const env = Object.fromEntries(execFileSync('bash', ['-c', `source ${ROOT}/stack/kube/env.sh && printf 'KUBECONFIG_PATH=%s\\nHELM=%s\\nKUBECTL=%s\\n' "$KUBECONFIG_PATH" "$HELM3_BIN" "$KUBECTL_BIN"`], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('=')));
const tmp = mkdtempSync(join(tmpdir(), 'cc-hbench-'));
const chart = join(tmp, 'chart');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: twenty\nversion: 1.0.0\n');
writeFileSync(join(chart, 'values.yaml'), 'count: 20\nreplicas: 2\n');
writeFileSync(join(chart, 'templates/deployments.yaml'), `{{- range $i := until (int .Values.count) }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $.Release.Name }}-svc-{{ $i }}
spec:
  replicas: {{ $.Values.replicas }}
  selector:
    matchLabels: {app: {{ $.Release.Name }}-svc-{{ $i }}}
  template:
    metadata:
      labels: {app: {{ $.Release.Name }}-svc-{{ $i }}}
    spec:
      containers:
      - name: app
        image: registry.local/bench:{{ $i }}
{{- end }}
`);
const kubectl = (...args) => execFileSync(env.KUBECTL, ['--kubeconfig', env.KUBECONFIG_PATH, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Waits until the cluster has finished with a namespace: every Deployment's status complete. The
 * action returns as soon as the pods are Ready, before the controllers have caught up; without this
 * wait, whichever run goes second would pay for the first one's backlog.
 */
async function settled(ns) {
  const until = Date.now() + 120_000;
  for (;;) {
    const items = JSON.parse(kubectl('get', 'deployments', '-n', ns, '-o', 'json')).items;
    const done = items.every((d) => {
      const s = d.status ?? {};
      const want = d.spec?.replicas ?? 1;
      return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === want && s.availableReplicas === want && (s.replicas ?? 0) === want;
    });
    if (done) return;
    if (Date.now() > until) throw new Error(`the Deployments of ${ns} did not settle within 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function time(fn) {
  const t0 = Date.now();
  const r = fn();
  return { ms: Date.now() - t0, r };
}

/**
 * Runs a command without blocking this process's event loop (the independent pod watch must keep
 * receiving events while the action runs); resolves with its exit status, output and wall time.
 */
function timeAsync(cmd, args, opts) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ ms: Date.now() - t0, r: { status, stdout, stderr } }));
  });
}

/** Watches pods of a namespace and remembers when the last one turned Ready (receive time, ms). */
async function watchPods(ns) {
  const kc = new KubeConfig();
  kc.loadFromFile(env.KUBECONFIG_PATH);
  const ready = new Map();
  const req = await new Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, {}, (_type, pod) => {
    const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (isReady && !ready.has(pod.metadata.name)) ready.set(pod.metadata.name, Date.now());
  }, () => {});
  // The Deployments' own status, as the deployment controller writes it once it has seen the pods: the
  // earliest moment a check that reads only the status could call the release ready.
  const complete = new Map();
  const reqD = await new Watch(kc).watch(`/apis/apps/v1/namespaces/${ns}/deployments`, {}, (_type, d) => {
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    const done = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === want && s.readyReplicas === want && s.availableReplicas === want;
    if (done && !complete.has(d.metadata.name)) complete.set(d.metadata.name, Date.now());
  }, () => {});
  return {
    lastReadyAt: () => Math.max(...ready.values()),
    count: () => ready.size,
    lastCompleteAt: () => Math.max(...complete.values()),
    stop: () => {
      req.abort();
      reqD.abort();
    },
  };
}

const bare = [];
const ours = [];
const details = [];
for (let i = 0; i < RUNS; i++) {
  const nsBare = `bench-bare-${i}-${Date.now().toString(36)}`;
  const nsOurs = `bench-ours-${i}-${Date.now().toString(36)}`;
  kubectl('create', 'namespace', nsBare);
  kubectl('create', 'namespace', nsOurs);
  try {
    const runBare = () => {
      const b = time(() => spawnSync(env.HELM, ['upgrade', '--install', 'twenty', chart, '-n', nsBare, '--wait', '--timeout', '120s'], { env: { ...process.env, KUBECONFIG: env.KUBECONFIG_PATH }, encoding: 'utf8' }));
      if (b.r.status !== 0) throw new Error(`bare helm failed: ${b.r.stderr}`);
      bare.push(b.ms);
    };
    const runOurs = async () => {
      const pods = await watchPods(nsOurs);
      const out = join(tmp, `out-${i}`);
      writeFileSync(out, '');
      const resultPath = join(tmp, `result-${i}.json`);
      const o = await timeAsync(NODE24, [join(ROOT, 'dist/helm-deploy/index.js')], {
        env: { ...process.env, INPUT_MODE: 'deploy', INPUT_RELEASE: 'twenty', INPUT_CHART: chart, INPUT_NAMESPACE: nsOurs, 'INPUT_CREATE-NAMESPACE': 'false', INPUT_KUBECONFIG: env.KUBECONFIG_PATH, INPUT_HELM: env.HELM, INPUT_TIMEOUT: '120s', INPUT_ATOMIC: 'true', INPUT_WAIT: 'true', INPUT_DIFF: 'false', 'INPUT_HISTORY-MAX': '10', 'INPUT_RECOVER-STUCK': 'true', 'INPUT_RESULT-PATH': resultPath, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: out, RUNNER_TEMP: tmp, GITHUB_WORKSPACE: tmp },
      });
      pods.stop();
      if (o.r.status !== 0) throw new Error(`helm-deploy failed: ${o.r.stdout.slice(-3000)}`);
      ours.push(o.ms);
      const result = JSON.parse(readFileSync(resultPath, 'utf8')).result;
      details.push({ wallMs: result.verification.wallMs, sumMs: result.verification.sumMs, pods: pods.count(), lastPodReadyAt: pods.lastReadyAt(), lastCompleteAt: pods.lastCompleteAt(), resultPath });
    };
    // Alternate which goes first, so neither always meets a cluster still busy with the other's pods.
    if (i % 2 === 0) {
      runBare();
      await settled(nsBare);
      await runOurs();
    } else {
      await runOurs();
      await settled(nsOurs);
      runBare();
    }
  } finally {
    // Waits for the pods to be gone, so the next run starts on an idle cluster.
    kubectl('delete', 'namespace', nsBare, nsOurs, '--wait=true', '--timeout=180s');
  }
}

// Detection latency: the action's last "ready" verdict minus the moment the last pod turned Ready.
const latencies = details.map((d) => {
  const r = JSON.parse(readFileSync(d.resultPath, 'utf8')).result;
  const lastReadyAt = Math.max(...r.verification.workloads.map((w) => w.readyAt ?? 0));
  return lastReadyAt ? lastReadyAt - d.lastPodReadyAt : NaN;
});
const controllerLag = details.map((d) => d.lastCompleteAt - d.lastPodReadyAt);
// Deployments the action judged from their pods, before their status said so.
const fromPods = details.map((d) => JSON.parse(readFileSync(d.resultPath, 'utf8')).result.verification.workloads.filter((w) => /read from the pods/.test(w.message)).length);
const overhead = median(ours) / median(bare) - 1;
console.log(`\nrelease with 20 Deployments x 2 replicas on the local control plane (KWOK), ${RUNS} run(s):`);
printTable(['run', 'verify wall ms', 'sum of workloads ms', 'pods ready', 'detection latency ms', 'status lag ms', 'judged from pods', 'bare helm --wait ms', 'helm-deploy ms'],
  details.map((d, i) => [i + 1, d.wallMs, d.sumMs, d.pods, Number.isNaN(latencies[i]) ? 'n/a' : latencies[i], controllerLag[i], `${fromPods[i]}/20`, bare[i], ours[i]]));
const wall = median(details.map((d) => d.wallMs));
const sum = median(details.map((d) => d.sumMs));
console.log(`verification: ${wall} ms wall vs ${sum} ms summed (${(sum / wall).toFixed(1)}x less than one by one)`);
console.log(`detection latency after the last pod turned Ready: median ${median(latencies)} ms (goal <= 1000 ms): ${median(latencies) <= 1000 ? 'met' : 'NOT met'}`);
console.log(`  the Deployments' status said complete ${median(controllerLag)} ms (median) after the last pod turned Ready: a status-only check cannot be faster;`);
console.log(`  helm-deploy judged ${median(fromPods)} of 20 Deployments (median) from their pods, before their status caught up`);
console.log(`total time: helm-deploy ${median(ours)} ms vs bare helm upgrade --install --wait ${median(bare)} ms: overhead ${(overhead * 100).toFixed(1)}% (goal <= 15%): ${overhead <= 0.15 ? 'met' : 'NOT met'}`);
record('helm-deploy', { runs: RUNS, verifyWallMs: wall, verifySumMs: sum, detectionLatencyMs: median(latencies), statusLagMs: median(controllerLag), judgedFromPods: median(fromPods), bareMs: median(bare), oursMs: median(ours), overhead: +overhead.toFixed(3) });
