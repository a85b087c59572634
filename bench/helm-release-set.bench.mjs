// helm-deploy release sets on the local control plane: three independent releases (each a chart of
// 6 Deployments x 2 replicas) deployed by one helm-deploy step with `releases`, against the same three
// deployed by three helm-deploy steps one after the other (the same bundle, single-release inputs),
// installed and then upgraded, measured in the same run. Goal: the set takes <= 0.5x the wall time of
// the three steps. Two workloads:
// - `instant`: pods count as available the moment KWOK marks them Ready. The wait is then the stand-in
//   cluster's own work (its controllers and KWOK share this machine's cores), which three releases at
//   once share. (The stack's controller manager runs with a 200 requests/s client limit, not the
//   default 20: at 20 every rollout in the cluster queues behind one limiter, and three releases side
//   by side take nearly as long as one after the other whatever deploys them.)
// - `warm-up`: each Deployment has `minReadySeconds: 5` (a pod counts as available only after 5 s
//   Ready, as a service that warms up): the wait is time, not work, which is what deploying releases
//   in parallel saves on a real cluster.
// Both sides deploy the same chart with the same values, checked on the cluster after every phase.
// Needs the stack's cluster and Helm (npm run stack:up).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

// An even number of runs gives each side the first slot equally often.
const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const RELEASES = ['alpha', 'beta', 'gamma'];
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
const tmp = mkdtempSync(join(tmpdir(), 'cc-setbench-'));
const chart = join(tmp, 'chart');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: six\nversion: 1.0.0\n');
writeFileSync(join(chart, 'values.yaml'), 'count: 6\nreplicas: 2\ntag: "1"\nminReadySeconds: 0\n');
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
  minReadySeconds: {{ $.Values.minReadySeconds }}
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
const kubectl = (...args) =>
  execFileSync(env.KUBECTL, ['--kubeconfig', env.KUBECONFIG_PATH, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** Until every Deployment of the namespace has a complete status: the next run starts on an idle cluster. */
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

/** Both sides must deploy the same workload: every Deployment of the namespace carries this scenario's minReadySeconds. */
function sameWorkload(ns) {
  const items = JSON.parse(kubectl('get', 'deployments', '-n', ns, '-o', 'json')).items;
  const off = items.filter((d) => (d.spec.minReadySeconds ?? 0) !== minReady);
  if (items.length !== RELEASES.length * 6 || off.length)
    throw new Error(
      `${ns}: ${items.length} Deployment(s), ${off.length} without minReadySeconds ${minReady}`,
    );
}

/** One helm-deploy step, run as the runner runs it; resolves with its wall time and its result. */
function step(inputs, tag) {
  const out = join(tmp, `out-${tag}`);
  writeFileSync(out, '');
  const resultPath = join(tmp, `result-${tag}.json`);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, [join(ROOT, 'dist/helm-deploy/index.js')], {
      env: {
        ...process.env,
        INPUT_MODE: 'deploy',
        INPUT_KUBECONFIG: env.KUBECONFIG_PATH,
        INPUT_HELM: env.HELM,
        INPUT_TIMEOUT: '120s',
        INPUT_ATOMIC: 'true',
        INPUT_WAIT: 'true',
        INPUT_DIFF: 'false',
        'INPUT_CREATE-NAMESPACE': 'false',
        'INPUT_HISTORY-MAX': '10',
        'INPUT_RECOVER-STUCK': 'true',
        'INPUT_MAX-PARALLEL': '4',
        'INPUT_RESULT-PATH': resultPath,
        ...inputs,
        GITHUB_OUTPUT: out,
        GITHUB_STEP_SUMMARY: out,
        RUNNER_TEMP: tmp,
        GITHUB_WORKSPACE: tmp,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = Date.now() - t0;
      if (status !== 0) return reject(new Error(`helm-deploy failed (${tag}): ${stdout.slice(-3000)}`));
      resolve({ ms, result: JSON.parse(readFileSync(resultPath, 'utf8')).result });
    });
  });
}

const phases = { install: '1', upgrade: '2' };
// BENCH_SCENARIOS=instant (or warm-up) runs one of them.
const SCENARIOS = Object.fromEntries(
  Object.entries({ instant: 0, 'warm-up': 5 }).filter(
    ([name]) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(',').includes(name),
  ),
);
let setMs, seqMs, overlap, minReady;

async function runSet(ns, phase, i) {
  const releases = RELEASES.map(
    (name) => `- {name: ${name}, chart: ${chart}, set: [tag=${phases[phase]}, minReadySeconds=${minReady}]}`,
  ).join('\n');
  const { ms, result } = await step({ INPUT_RELEASES: releases, INPUT_NAMESPACE: ns }, `set-${phase}-${i}`);
  if (result.status !== 'deployed' || result.releases.some((r) => r.status !== 'deployed'))
    throw new Error(
      `the release set did not deploy: ${JSON.stringify(result.releases.map((r) => r.status))}`,
    );
  setMs[phase].push(ms);
  // How much of the set's time all three were deploying at once (from the result's own timestamps).
  const start = Math.max(...result.releases.map((r) => r.startedAt));
  const end = Math.min(...result.releases.map((r) => r.endedAt));
  overlap[phase].push(Math.max(0, end - start));
}

async function runSequential(ns, phase, i) {
  let total = 0;
  for (const name of RELEASES) {
    const { ms, result } = await step(
      {
        INPUT_RELEASE: name,
        INPUT_CHART: chart,
        INPUT_NAMESPACE: ns,
        INPUT_SET: `tag=${phases[phase]}\nminReadySeconds=${minReady}`,
      },
      `seq-${phase}-${i}-${name}`,
    );
    if (result.status !== 'deployed') throw new Error(`${name} did not deploy: ${result.status}`);
    total += ms;
  }
  seqMs[phase].push(total);
}

const figures = {};
for (const [scenario, seconds] of Object.entries(SCENARIOS)) {
  minReady = seconds;
  setMs = { install: [], upgrade: [] };
  seqMs = { install: [], upgrade: [] };
  overlap = { install: [], upgrade: [] };
  figures[scenario] = { minReadySeconds: seconds };
  for (let i = 0; i < RUNS; i++) {
    const nsSet = `bench-set-${scenario}-${i}-${Date.now().toString(36)}`;
    const nsSeq = `bench-seq-${scenario}-${i}-${Date.now().toString(36)}`;
    kubectl('create', 'namespace', nsSet);
    kubectl('create', 'namespace', nsSeq);
    try {
      for (const phase of ['install', 'upgrade']) {
        // Alternate which goes first, so neither always meets a cluster still busy with the other's pods.
        const order =
          i % 2 === 0
            ? [
                () => runSet(nsSet, phase, i),
                () => settled(nsSet),
                () => runSequential(nsSeq, phase, i),
                () => settled(nsSeq),
              ]
            : [
                () => runSequential(nsSeq, phase, i),
                () => settled(nsSeq),
                () => runSet(nsSet, phase, i),
                () => settled(nsSet),
              ];
        for (const f of order) await f();
        sameWorkload(nsSet);
        sameWorkload(nsSeq);
      }
    } finally {
      kubectl('delete', 'namespace', nsSet, nsSeq, '--wait=true', '--timeout=180s');
    }
  }

  for (const phase of ['install', 'upgrade']) {
    console.log(
      `\n${scenario}, ${phase}: 3 independent releases (6 Deployments x 2 replicas each), local control plane (KWOK), helm ${env.HELM}, ${RUNS} run(s):`,
    );
    printTable(
      ['run', 'release set (1 step) ms', '3 sequential steps ms', 'ratio', 'all three deploying at once ms'],
      setMs[phase].map((ms, i) => [
        i + 1,
        ms,
        seqMs[phase][i],
        (ms / seqMs[phase][i]).toFixed(2),
        overlap[phase][i],
      ]),
    );
    const ratio = median(setMs[phase]) / median(seqMs[phase]);
    console.log(
      `release set ${median(setMs[phase])} ms vs 3 sequential helm-deploy steps ${median(seqMs[phase])} ms (medians): ratio ${ratio.toFixed(2)}x (goal <= 0.5x): ${ratio <= 0.5 ? 'met' : 'NOT met'}`,
    );
    figures[scenario][phase] = {
      setMs: median(setMs[phase]),
      sequentialMs: median(seqMs[phase]),
      ratio: +ratio.toFixed(3),
      overlapMs: median(overlap[phase]),
    };
  }
}
record('helm-release-set', { runs: RUNS, releases: 3, chart: '6 Deployments x 2 replicas each', ...figures });
