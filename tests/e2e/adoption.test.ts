import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  actBinary,
  helmOnPath,
  newRepo,
  projectRepo,
  runAct,
  type ActOptions,
  type ActRun,
  type TestRepo,
} from '../support/act.js';
import { ensureBuilt } from '../support/build.js';
import { kubectl, requireHelm, requireKube, type KubeStack } from '../support/kube.js';
import { STACK, needsServers, requireServer } from '../support/servers.js';
import { requireStaging } from '../fixtures/contracts/staging.js';
import { ROOT } from '../support/paths.js';

needsServers('kafka', 'prometheus', 'staging', 'kube');

// How a team adopts Command Center, the way the README's "Use it in your repository" says: a
// repository of its own, with its own origin and its own integration-day.config.yml, whose workflows
// `uses:` the project's reusable integration-day.yml, record-contracts.yml and design-drift.yml.
// act resolves `command-center/command-center/.github/workflows/<file>@v1` (and the actions those
// call) to a copy of this project, as GitHub would resolve them to the release.

const id = randomUUID().slice(0, 8);
const namespace = `adopt-${id}`;
const RUNNER_LABEL = `cc-adoption-${id}`;
const DAY = '2026-11-18';
const RECORDED = '2026-11-17';
const POLICY_ENGINE = `http://127.0.0.1:${process.env.POLICY_ENGINE_PORT ?? '18081'}`;

let k: KubeStack;
let helm: string;
let kubeconfig: string;
let base: string;
let project: TestRepo;
let caller: TestRepo;
const progress: string[] = [];

const callerWorkflows = {
  '.github/workflows/integration-day.yml': `name: Integration Day

on:
  workflow_dispatch:
    inputs:
      date:
        description: Date to file the day under, YYYY-MM-DD (default today)
        type: string
        required: false

permissions: {}

jobs:
  integration-day:
    uses: command-center/command-center/.github/workflows/integration-day.yml@v1
    permissions:
      contents: write
      issues: write
      pull-requests: write
    with:
      date: \${{ inputs.date || '' }}
      environment: staging
      # A JSON list of labels: the caller's own runners.
      runs-on: '["${RUNNER_LABEL}"]'
    secrets:
      KUBECONFIG: \${{ secrets.STAGING_KUBECONFIG }}
`,
  '.github/workflows/record-contracts.yml': `name: Record contracts

on:
  workflow_dispatch:
    inputs:
      date:
        description: Date of the recording, YYYY-MM-DD (default today)
        type: string
        required: false

permissions: {}

jobs:
  record:
    uses: command-center/command-center/.github/workflows/record-contracts.yml@v1
    permissions:
      contents: write
    with:
      date: \${{ inputs.date || '' }}
`,
  '.github/workflows/design-drift.yml': `name: Design drift

on:
  pull_request:
    types: [opened, synchronize, reopened, labeled, unlabeled]

permissions: {}

jobs:
  drift:
    uses: command-center/command-center/.github/workflows/design-drift.yml@v1
    permissions:
      contents: read
`,
};

/** The team's own configuration: its chart, one suite of its own, one topic, one service to record. */
const callerConfig = `timezone: America/Los_Angeles

# Each job its own commands: the suite checks that setup.smoke ran before it.
setup:
  smoke:
    - name: reports folder
      run: mkdir -p reports && echo "prepared by setup.smoke" > reports/setup.txt
      working-directory: smoke
  record:
    - run: echo "adoption setup.record ran in $PWD"

helm-deploy:
  release: adopt
  chart: deploy/chart
  namespace: ${namespace}
  create-namespace: true
  set:
    kafka.brokers: ${STACK.kafka}
  timeout: 2m

smoke-suite:
  report-dir: smoke-reports
  suites:
    - name: policy-smoke
      squad: Governance Core
      run: python3 -m pytest test_policy.py -p no:cacheprovider --junitxml=reports/policy.xml
      working-directory: smoke
      junit: reports/policy.xml
      timeout: 2m

kafka-topic-check:
  brokers: ${STACK.kafka}
  window: 10s
  timeout: 60s
  topics:
    - name: policy.decisions
      min-messages: 1
      max-age: 2m
      owner: Governance Core

evidence-archive:
  prometheus-url: ${STACK.prometheus}
  metrics-range: 5m
  follow-up-issues: false

contract-record:
  endpoints:
    services:
      - name: policy-engine
        url: ${POLICY_ENGINE}
        squad: Governance Core
        documents: [/openapi.json]

design-drift:
  declared:
    - docs/design/declared/**/*.json
  owner: Experience & Ecosystem
`;

const callerSuite = `import json
import os
import urllib.request


def test_setup_ran_first():
    with open(os.path.join("reports", "setup.txt")) as f:
        assert f.read().strip() == "prepared by setup.smoke"


def test_benign_prompt_is_allowed():
    body = json.dumps({"session_id": "adoption", "tenant": "acme", "user": "ada",
                       "prompt": "What are the opening hours?", "role": "user"}).encode()
    req = urllib.request.Request("${POLICY_ENGINE}/v1/evaluate", data=body,
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert json.load(r)["allowed"] is True
`;

/** Every file under a folder of the project, by its path inside that folder. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const prefixed = (prefix: string, files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([p, t]) => [`${prefix}/${p}`, t]));

const onCaller = (path: string, ref = 'main') =>
  execFileSync('git', ['--git-dir', caller.origin, 'show', `${ref}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
const callerLs = (dir: string, ref = 'main') =>
  execFileSync('git', ['--git-dir', caller.origin, 'ls-tree', '-r', '--name-only', ref, '--', dir], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
const logOf = (gitDir: string, ref = 'main') =>
  execFileSync('git', ['--git-dir', gitDir, 'log', '--format=%s', ref], { encoding: 'utf8' })
    .trim()
    .split('\n');
const explain = (run: ActRun) =>
  `act exited ${run.exitCode}; jobs ${JSON.stringify([...run.jobs.values()].map((j) => [j.id, j.result]))}\n${run.log.split('\n').slice(-80).join('\n')}`;
const jobResults = (run: ActRun) => Object.fromEntries([...run.jobs.values()].map((j) => [j.name, j.result]));

/** One of the caller's workflows, run by act in the caller's checkout, the project serving `@v1`. */
function callerRun(opts: Omit<ActOptions, 'repo' | 'artifactDir'>): Promise<ActRun> {
  return runAct({
    repo: caller,
    actionsRepoDir: project.dir,
    repository: 'acme/platform',
    artifactDir: join(base, 'artifacts'),
    onLine: (l) => progress.push(l),
    ...opts,
  });
}

function zipFile(zip: string, entry: string): string {
  return execFileSync(
    'python3',
    [
      '-c',
      'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())',
      zip,
      entry,
    ],
    { encoding: 'utf8' },
  );
}

beforeAll(async () => {
  ensureBuilt();
  k = requireKube();
  helm = helmOnPath(requireHelm(k, 'helm4'));
  kubeconfig = readFileSync(k.kubeconfig, 'utf8');
  await requireServer('kafka');
  await requireServer('prometheus');
  await requireStaging();
  actBinary();
  base = mkdtempSync(join(tmpdir(), 'cc-adoption-'));
  // The project as a release: its own origin, which nothing of the caller's may touch.
  const projectOrigin = join(base, 'project.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', projectOrigin]);
  project = projectRepo({ origin: projectOrigin, branch: 'main', parent: join(base, 'project') });
  const callerOrigin = join(base, 'caller.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', callerOrigin]);
  caller = newRepo({
    dir: join(base, 'caller'),
    origin: callerOrigin,
    branch: 'main',
    files: {
      ...callerWorkflows,
      'integration-day.config.yml': callerConfig,
      'smoke/test_policy.py': callerSuite,
      '.gitignore': 'smoke/reports/\nsmoke-reports/\n',
      ...prefixed('deploy/chart', filesOf(join(ROOT, 'examples/staging/chart'))),
      'docs/design/declared/policy-engine/openapi.json': readFileSync(
        join(ROOT, 'docs/design/declared/policy-engine/openapi.json'),
        'utf8',
      ),
    },
  });
}, 1_200_000);

afterAll(() => {
  try {
    if (k) kubectl(k, 'delete', 'namespace', namespace, '--wait=false');
  } catch {
    /* never created */
  }
});

describe("a team's repository calling the reusable workflows, run by act", () => {
  it('record-contracts.yml records staging into the caller and commits it to the caller', async () => {
    const run = await callerRun({
      workflow: 'record-contracts.yml',
      event: 'workflow_dispatch',
      inputs: { date: RECORDED },
      timeoutMs: 240_000,
    });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.log).toMatch(/adoption setup\.record ran in \//);
    const [head] = logOf(caller.origin);
    expect(head).toBe(`chore: contract recording for ${RECORDED} [skip ci]`);
    const dir = `docs/design/contracts/${RECORDED}`;
    expect(callerLs(dir)).toEqual(
      expect.arrayContaining([`${dir}/policy-engine/openapi.json`, `${dir}/README.md`, `${dir}/index.json`]),
    );
    const served = await (await fetch(`${POLICY_ENGINE}/openapi.json`)).json();
    expect(JSON.parse(onCaller(`${dir}/policy-engine/openapi.json`))).toEqual(served);
    // The project's own origin got nothing: the caller's run commits to the caller.
    expect(logOf(project.origin)).toEqual(['Command Center as of the test run']);
  }, 300_000);

  it("design-drift.yml fails the caller's pull request that breaks the recorded contract", async () => {
    caller.git('fetch', '-q', 'origin');
    caller.git('checkout', '-q', '-B', 'rename-allowed', 'origin/main');
    const file = join(caller.dir, 'docs/design/declared/policy-engine/openapi.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const schema = doc.paths['/v1/evaluate'].post.responses['200'].content['application/json'].schema;
    const props = schema.properties ?? schema;
    props.permitted = props.allowed;
    delete props.allowed;
    if (Array.isArray(schema.required))
      schema.required = schema.required.map((r: string) => (r === 'allowed' ? 'permitted' : r));
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    const sha = caller.commitAndPush('declared contract: rename allowed');
    let run: ActRun;
    try {
      run = await callerRun({
        workflow: 'design-drift.yml',
        event: 'pull_request',
        payload: {
          number: 3,
          pull_request: {
            number: 3,
            head: { ref: 'rename-allowed', sha },
            base: { ref: 'main' },
            labels: [],
          },
        },
        timeoutMs: 180_000,
      });
    } finally {
      caller.git('checkout', '-q', 'main');
      caller.git('reset', '-q', '--hard', 'origin/main');
    }
    expect(run.exitCode, explain(run)).not.toBe(0);
    expect(Object.values(jobResults(run))).toContain('failure');
    // Compared with the recording the caller committed, on its base branch.
    expect(run.log).toContain(`docs/design/contracts/${RECORDED}`);
    expect(run.log).toContain('integration-day.config.yml (as on origin/main)');
    const zip = join(
      run.artifactDir,
      run.runId,
      'command-center-handoff-drift-1',
      'command-center-handoff-drift-1.zip',
    );
    const handed = JSON.parse(zipFile(zip, 'results/design-drift.json')) as {
      status: string;
      result: { pullRequest: unknown; counts: { breaking: number } };
    };
    expect(handed.status).toBe('failure');
    expect(handed.result.pullRequest).toEqual({ number: 3, headSha: sha });
    expect(handed.result.counts.breaking).toBeGreaterThan(0);
  }, 240_000);

  it('integration-day.yml deploys, tests and archives the day into the caller, on the runners it names', async () => {
    const run = await callerRun({
      workflow: 'integration-day.yml',
      event: 'workflow_dispatch',
      inputs: { date: DAY },
      secrets: { STAGING_KUBECONFIG: kubeconfig },
      path: [helm],
      labels: [RUNNER_LABEL],
      timeoutMs: 480_000,
    });
    expect(run.exitCode, explain(run)).toBe(0);
    // Every job of the called workflow ran on the caller's runner label, the only one act runs here
    // (a job that asked for ubuntu-latest would have been skipped), and succeeded; no rollback.
    const results = Object.values(jobResults(run));
    expect(results.filter((r) => r === 'success').length, explain(run)).toBeGreaterThanOrEqual(5);
    expect(results).not.toContain('failure');
    expect(run.log).not.toContain('Skipping unsupported platform');

    const [head] = logOf(caller.origin);
    expect(head).toBe(`chore: Integration Day evidence for ${DAY} [skip ci]`);
    const report = onCaller(`docs/sprints/status/${DAY}.md`);
    expect(report).toContain(`# Integration Day ${DAY}`);
    expect(report).toMatch(
      new RegExp(`\\| helm-deploy \\| ✅ success \\| \`adopt\` in \`${namespace}\`, revision 1, deployed`),
    );
    expect(report).toContain('(chart `deploy/chart`)');
    expect(report).toMatch(
      /\| smoke-suite \| ✅ success \| 1 suite\(s\), 0 failed; tests: 2 passed, 0 failed/,
    );
    expect(report).toMatch(/\| kafka-topic-check \| ✅ success \| 1 topic\(s\)/);
    const evidence = `docs/sprints/status/${DAY}/evidence`;
    const files = callerLs(evidence);
    for (const r of ['helm-deploy', 'smoke-suite', 'kafka-topic-check'])
      expect(files).toContain(`${evidence}/results/${r}.json`);
    expect(files).toContain(`${evidence}/manifest.json`);
    expect(files).toContain(`${evidence}/logs/smoke/policy-smoke/attempt-1.log`);
    // The project's origin is still untouched.
    expect(logOf(project.origin)).toEqual(['Command Center as of the test run']);
    // And the caller's release is deployed in the caller's namespace.
    const history = JSON.parse(
      execFileSync(k.helm4, ['history', 'adopt', '-n', namespace, '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: k.kubeconfig },
        encoding: 'utf8',
      }),
    ) as { revision: number; status: string }[];
    expect(history.map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
  }, 540_000);
});
