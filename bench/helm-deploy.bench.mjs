// helm-deploy on the local control plane: a release with 20 Deployments and a migration Job named
// after the revision (`<release>-migrate-<revision>`), installed and then upgraded (which replaces
// every pod and the Job: the case where a `helm template` rendering would name the wrong Job).
// - verification wall time vs the sum of per-workload times (parallel watches, one deadline);
// - detection latency: from the moment the rollout was complete in the cluster (the last new pod
//   Ready and, in an upgrade, the last old pod on its way out; seen by an independent pod watch) to
//   the action's verdict; beside it, when the last Deployment status said complete (what a status-only
//   check such as `kubectl rollout status` can see at best); and from the Job's own Complete
//   condition (seen by an independent watch) to the action's verdict on it;
// - the action's total time vs a bare `helm upgrade --install --wait --wait-for-jobs` of the same
//   chart (bare `--wait` alone would not wait for the Job the action waits for), same run.
// Needs the stack's cluster and Helm (npm run stack:up).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

// An even number of runs gives each side the first slot equally often.
const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const env = Object.fromEntries(
  execFileSync(
    'bash',
    [
      '-c',
      `source ${ROOT}/stack/kube/env.sh && printf 'KUBECONFIG_PATH=%s\\nHELM=%s\\nKUBECTL=%s\\n' "$KUBECONFIG_PATH" "$HELM3_BIN" "$KUBECTL_BIN"`,
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .map((l) => l.split('=')),
);
const tmp = mkdtempSync(join(tmpdir(), 'cc-hbench-'));
const chart = join(tmp, 'chart');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: twenty\nversion: 1.0.0\n');
writeFileSync(join(chart, 'values.yaml'), 'count: 20\nreplicas: 2\ntag: "1"\n');
writeFileSync(
  join(chart, 'templates/deployments.yaml'),
  `{{- range $i := until (int .Values.count) }}
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
        image: registry.local/bench:{{ $.Values.tag }}-{{ $i }}
{{- end }}
`,
);
writeFileSync(
  join(chart, 'templates/migrate.yaml'),
  `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate-{{ .Release.Revision }}
spec:
  backoffLimit: 0
  template:
    metadata:
      labels: {app: {{ .Release.Name }}-migrate}
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: registry.local/bench-migrate:{{ .Values.tag }}
`,
);
const kubectl = (...args) =>
  execFileSync(env.KUBECTL, ['--kubeconfig', env.KUBECONFIG_PATH, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

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
      return (
        (s.observedGeneration ?? 0) >= d.metadata.generation &&
        s.updatedReplicas === want &&
        s.availableReplicas === want &&
        (s.replicas ?? 0) === want
      );
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

/**
 * Watches a namespace during one deploy: when the rollout was complete in the cluster (the last new
 * Deployment pod turned Ready and the last old one was on its way out: an upgrade is not complete
 * while old pods run), when each Deployment's status said complete for its new spec, and when each
 * Job's Complete condition appeared (receive times, ms).
 */
async function watchNamespace(ns) {
  const kc = new KubeConfig();
  kc.loadFromFile(env.KUBECONFIG_PATH);
  const oldPods = new Set(
    JSON.parse(kubectl('get', 'pods', '-n', ns, '-o', 'json')).items.map((p) => p.metadata.name),
  );
  const oldGeneration = new Map(
    JSON.parse(kubectl('get', 'deployments', '-n', ns, '-o', 'json')).items.map((d) => [
      d.metadata.name,
      d.metadata.generation,
    ]),
  );
  const ready = new Map();
  const leaving = new Map();
  const isJobPod = (pod) => pod.metadata.ownerReferences?.some((o) => o.kind === 'Job');
  const req = await new Watch(kc).watch(
    `/api/v1/namespaces/${ns}/pods`,
    {},
    (type, pod) => {
      const name = pod.metadata.name;
      if (isJobPod(pod)) return;
      if (oldPods.has(name)) {
        if ((type === 'DELETED' || pod.metadata.deletionTimestamp) && !leaving.has(name))
          leaving.set(name, Date.now());
        return;
      }
      const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (isReady && !ready.has(name)) ready.set(name, Date.now());
    },
    () => {},
  );
  // The Deployments' own status, as the deployment controller writes it once it has seen the pods: the
  // earliest moment a check that reads only the status could call the release ready.
  const complete = new Map();
  const reqD = await new Watch(kc).watch(
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    {},
    (_type, d) => {
      const want = d.spec?.replicas ?? 1;
      const s = d.status ?? {};
      const newSpec = (d.metadata.generation ?? 0) > (oldGeneration.get(d.metadata.name) ?? 0);
      const done =
        (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        s.updatedReplicas === want &&
        s.readyReplicas === want &&
        s.availableReplicas === want &&
        (s.replicas ?? 0) === want;
      if (newSpec && done && !complete.has(d.metadata.name)) complete.set(d.metadata.name, Date.now());
    },
    () => {},
  );
  const jobs = new Map();
  const reqJ = await new Watch(kc).watch(
    `/apis/batch/v1/namespaces/${ns}/jobs`,
    {},
    (_type, j) => {
      if (
        j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') &&
        !jobs.has(j.metadata.name)
      )
        jobs.set(j.metadata.name, Date.now());
    },
    () => {},
  );
  return {
    lastReadyAt: () => Math.max(...ready.values(), ...leaving.values()),
    count: () => ready.size,
    lastCompleteAt: () => Math.max(...complete.values()),
    jobCompleteAt: (name) => jobs.get(name),
    stop: () => {
      req.abort();
      reqD.abort();
      reqJ.abort();
    },
  };
}

const HELM_ENV = { ...process.env, KUBECONFIG: env.KUBECONFIG_PATH };
const phases = { install: { tag: '1', revision: 1 }, upgrade: { tag: '2', revision: 2 } };
const bare = { install: [], upgrade: [] };
const ours = { install: [], upgrade: [] };
const details = { install: [], upgrade: [] };

function runBare(ns, phase) {
  const b = time(() =>
    spawnSync(
      env.HELM,
      [
        'upgrade',
        '--install',
        'twenty',
        chart,
        '-n',
        ns,
        '--set',
        `tag=${phases[phase].tag}`,
        '--wait',
        '--wait-for-jobs',
        '--timeout',
        '120s',
      ],
      { env: HELM_ENV, encoding: 'utf8' },
    ),
  );
  if (b.r.status !== 0) throw new Error(`bare helm failed: ${b.r.stderr}`);
  bare[phase].push(b.ms);
}

async function runOurs(ns, phase, i) {
  const watched = await watchNamespace(ns);
  const out = join(tmp, `out-${phase}-${i}`);
  writeFileSync(out, '');
  const resultPath = join(tmp, `result-${phase}-${i}.json`);
  const o = await timeAsync(NODE24, [join(ROOT, 'dist/helm-deploy/index.js')], {
    env: {
      ...process.env,
      INPUT_MODE: 'deploy',
      INPUT_RELEASE: 'twenty',
      INPUT_CHART: chart,
      INPUT_NAMESPACE: ns,
      'INPUT_CREATE-NAMESPACE': 'false',
      INPUT_SET: `tag=${phases[phase].tag}`,
      INPUT_KUBECONFIG: env.KUBECONFIG_PATH,
      INPUT_HELM: env.HELM,
      INPUT_TIMEOUT: '120s',
      INPUT_ATOMIC: 'true',
      INPUT_WAIT: 'true',
      INPUT_DIFF: 'false',
      'INPUT_HISTORY-MAX': '10',
      'INPUT_RECOVER-STUCK': 'true',
      'INPUT_RESULT-PATH': resultPath,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: out,
      RUNNER_TEMP: tmp,
      GITHUB_WORKSPACE: tmp,
    },
  });
  watched.stop();
  if (o.r.status !== 0) throw new Error(`helm-deploy failed: ${o.r.stdout.slice(-3000)}`);
  ours[phase].push(o.ms);
  const result = JSON.parse(readFileSync(resultPath, 'utf8')).result;
  const job = `twenty-migrate-${phases[phase].revision}`;
  const verdicts = result.verification.workloads;
  if (!verdicts.some((w) => w.kind === 'Job' && w.name === job && w.state === 'ready'))
    throw new Error(`helm-deploy did not verify Job/${job}: ${JSON.stringify(verdicts)}`);
  details[phase].push({
    wallMs: result.verification.wallMs,
    sumMs: result.verification.sumMs,
    pods: watched.count(),
    // Detection latency: the action's last Deployment verdict minus the moment the rollout was complete.
    latency:
      Math.max(...verdicts.filter((w) => w.kind === 'Deployment').map((w) => w.readyAt ?? NaN)) -
      watched.lastReadyAt(),
    statusLag: watched.lastCompleteAt() - watched.lastReadyAt(),
    jobLatency: (verdicts.find((w) => w.name === job).readyAt ?? NaN) - (watched.jobCompleteAt(job) ?? NaN),
    // Deployments the action judged from their pods, before their status said so.
    fromPods: verdicts.filter((w) => /read from the pods/.test(w.message)).length,
  });
}

for (let i = 0; i < RUNS; i++) {
  const nsBare = `bench-bare-${i}-${Date.now().toString(36)}`;
  const nsOurs = `bench-ours-${i}-${Date.now().toString(36)}`;
  kubectl('create', 'namespace', nsBare);
  kubectl('create', 'namespace', nsOurs);
  try {
    for (const phase of ['install', 'upgrade']) {
      // Alternate which goes first, so neither always meets a cluster still busy with the other's pods.
      if (i % 2 === 0) {
        runBare(nsBare, phase);
        await settled(nsBare);
        await runOurs(nsOurs, phase, i);
        await settled(nsOurs);
      } else {
        await runOurs(nsOurs, phase, i);
        await settled(nsOurs);
        runBare(nsBare, phase);
        await settled(nsBare);
      }
    }
  } finally {
    // Waits for the pods to be gone, so the next run starts on an idle cluster.
    kubectl('delete', 'namespace', nsBare, nsOurs, '--wait=true', '--timeout=180s');
  }
}

const figures = {};
for (const phase of ['install', 'upgrade']) {
  const d = details[phase];
  const overhead = median(ours[phase]) / median(bare[phase]) - 1;
  console.log(
    `\n${phase} (revision ${phases[phase].revision}) of a release with 20 Deployments x 2 replicas and Job twenty-migrate-${phases[phase].revision}, local control plane (KWOK), ${RUNS} run(s):`,
  );
  printTable(
    [
      'run',
      'verify wall ms',
      'sum of workloads ms',
      'new pods ready',
      'detection latency ms',
      'status lag ms',
      'Job latency ms',
      'judged from pods',
      'bare helm ms',
      'helm-deploy ms',
    ],
    d.map((x, i) => [
      i + 1,
      x.wallMs,
      x.sumMs,
      x.pods,
      Number.isNaN(x.latency) ? 'n/a' : x.latency,
      x.statusLag,
      Number.isNaN(x.jobLatency) ? 'n/a' : x.jobLatency,
      `${x.fromPods}/20`,
      bare[phase][i],
      ours[phase][i],
    ]),
  );
  const wall = median(d.map((x) => x.wallMs));
  const sum = median(d.map((x) => x.sumMs));
  const latency = median(d.map((x) => x.latency));
  console.log(
    `verification: ${wall} ms wall vs ${sum} ms summed (${(sum / wall).toFixed(1)}x less than one by one)`,
  );
  console.log(
    `detection latency after the rollout was complete (last new pod Ready, last old pod leaving): median ${latency} ms (goal <= 1000 ms): ${latency <= 1000 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  the Deployments' status said complete ${median(d.map((x) => x.statusLag))} ms (median) after that: a status-only check cannot be faster;`,
  );
  console.log(
    `  helm-deploy judged ${median(d.map((x) => x.fromPods))} of 20 Deployments (median) from their pods, before their status caught up;`,
  );
  console.log(
    `  the Job's verdict came ${median(d.map((x) => x.jobLatency))} ms (median) after its Complete condition`,
  );
  console.log(
    `total time: helm-deploy ${median(ours[phase])} ms vs bare helm upgrade --install --wait --wait-for-jobs ${median(bare[phase])} ms: overhead ${(overhead * 100).toFixed(1)}% (goal <= 15%): ${overhead <= 0.15 ? 'met' : 'NOT met'}`,
  );
  figures[phase] = {
    verifyWallMs: wall,
    verifySumMs: sum,
    detectionLatencyMs: latency,
    statusLagMs: median(d.map((x) => x.statusLag)),
    jobLatencyMs: median(d.map((x) => x.jobLatency)),
    judgedFromPods: median(d.map((x) => x.fromPods)),
    bareMs: median(bare[phase]),
    oursMs: median(ours[phase]),
    overhead: +overhead.toFixed(3),
  };
}
record('helm-deploy', { runs: RUNS, chart: '20 Deployments + revision-named Job', ...figures });
