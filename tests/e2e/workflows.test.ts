import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { helmOnPath, projectRepo, runAct, type ActRun, type TestRepo } from '../support/act.js';
import { actBinary } from '../support/act.js';
import { ensureBuilt } from '../support/build.js';
import { kubectl, requireHelm, requireKube, type KubeStack } from '../support/kube.js';
import { STACK, needsServers, requireGitOrigin, requireServer } from '../support/servers.js';
import { requireStaging } from '../fixtures/contracts/staging.js';
import { dateInZone } from '../../src/lib/dates.js';
import {
  POSTGRES_ROLES,
  REDIS_USERS,
  postgresPassword,
  redisPassword,
  withComponentDown,
} from '../support/infra.js';
import { sectionsOf } from '../../src/lib/evidence/sections.js';

needsServers(
  'kafka',
  'prometheus',
  'staging',
  'kube',
  'git',
  'redis',
  'redis-replica',
  'postgres',
  'postgres-standby',
);

// The three workflows run end to end by act on this host, against the local stack and the staging
// stand-in: real Helm on the real control plane, real suites, real Kafka, real Prometheus, commits
// pushed to the stack's bare origin, artifacts uploaded to act's artifact server.

const id = randomUUID().slice(0, 8);
const branch = `test/workflows/${id}`;
const namespace = `wf-${id}`;
const GOOD_DAY = '2026-11-25';
const RECORDED = '2026-11-26';
const PULSE_DOWN_DAY = '2026-11-24';
const SET_DAY = '2026-11-23';

let k: KubeStack;
let helm: string;
let repo: TestRepo;
let base: string;
let kubeconfig: string;
const progress: string[] = [];

/** A file as committed on the origin's test branch (what a person pulling the branch would see). */
const onOrigin = (path: string, ref = branch) =>
  execFileSync('git', ['--git-dir', STACK.gitOrigin, 'show', `${ref}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
const originLs = (dir: string, ref = branch) =>
  execFileSync('git', ['--git-dir', STACK.gitOrigin, 'ls-tree', '-r', '--name-only', ref, '--', dir], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
const originLog = (ref = branch) =>
  execFileSync('git', ['--git-dir', STACK.gitOrigin, 'log', '--format=%H %s', ref], { encoding: 'utf8' })
    .trim()
    .split('\n');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const explain = (run: ActRun) =>
  `act exited ${run.exitCode}; jobs ${JSON.stringify([...run.jobs.values()].map((j) => [j.id, j.result]))}\n${run.log.split('\n').slice(-80).join('\n')}`;
const jobResults = (run: ActRun) => Object.fromEntries([...run.jobs.values()].map((j) => [j.id, j.result]));

/** A day run by hand for `date`, or (date undefined) the weekly scheduled run, which has no inputs. */
function day(
  date: string | undefined,
  env: Record<string, string> = {},
  inputs: Record<string, string> = {},
): Promise<ActRun> {
  return runAct({
    repo,
    workflow: 'integration-day.yml',
    event: date ? 'workflow_dispatch' : 'schedule',
    inputs: date ? { date, ...inputs } : {},
    // playwright-core from the project's node_modules instead of an npm install into act's tool cache.
    env: { PLAYWRIGHT_CORE_PATH: join(process.cwd(), 'node_modules/playwright-core'), ...env },
    // The day starts with a pulse, which logs in to Redis and PostgreSQL as the monitoring users.
    secrets: {
      KUBECONFIG: kubeconfig,
      REDIS_PASSWORD: redisPassword(REDIS_USERS.monitor),
      POSTGRES_PASSWORD: postgresPassword(POSTGRES_ROLES.monitor),
    },
    artifactDir: join(base, 'artifacts'),
    path: [helm],
    timeoutMs: 420_000,
    onLine: (l) => progress.push(l),
  });
}

function helmHistory(release = 'staging'): { revision: number; status: string; description: string }[] {
  return JSON.parse(
    execFileSync(k.helm4, ['history', release, '-n', namespace, '-o', 'json'], {
      env: { ...process.env, KUBECONFIG: k.kubeconfig },
      encoding: 'utf8',
    }),
  );
}

/** The files of a zip archive, from its central directory (python3's zipfile, as a second reader). */
function zipEntries(zip: string): string[] {
  return execFileSync(
    'python3',
    ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n');
}

/** One file of a zip archive, as text. */
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

function artifactZip(run: ActRun, name: string): string {
  const dir = join(run.artifactDir, run.runId, name);
  if (!existsSync(dir))
    throw new Error(
      `artifact ${name} is not on act's artifact server (${join(run.artifactDir, run.runId)} holds ${existsSync(join(run.artifactDir, run.runId)) ? readdirSync(join(run.artifactDir, run.runId)).join(', ') : 'nothing'})`,
    );
  return join(dir, `${name}.zip`);
}

beforeAll(async () => {
  ensureBuilt();
  k = requireKube();
  helm = helmOnPath(requireHelm(k, 'helm4'));
  kubeconfig = readFileSync(k.kubeconfig, 'utf8');
  await requireServer('kafka');
  await requireServer('prometheus');
  await requireStaging();
  requireGitOrigin();
  actBinary();
  base = mkdtempSync(join(tmpdir(), 'cc-workflows-'));
  repo = projectRepo({ origin: STACK.gitOrigin, branch, parent: base });
  // The repository's own configuration, with this run's namespace and a shorter Kafka window.
  const file = join(repo.dir, 'integration-day.config.yml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['helm-deploy', 'namespace'], namespace);
  doc.setIn(['kafka-topic-check', 'window'], '10s');
  // This origin is a bare repository with no forge behind it: no follow-up issues to file.
  doc.setIn(['evidence-archive', 'follow-up-issues'], false);
  writeFileSync(file, doc.toString());
  repo.commitAndPush(`e2e: namespace ${namespace}`);
}, 1_200_000);

afterAll(() => {
  try {
    if (k) kubectl(k, 'delete', 'namespace', namespace, '--wait=false');
  } catch {
    /* never created */
  }
});

describe('integration-day.yml, run by act against the local stack and the staging stand-in', () => {
  let good: ActRun;
  let bad: ActRun;

  it('a good day: deploy, suites and topics pass; the status report and evidence are committed; the artifact is uploaded', async () => {
    good = await day(GOOD_DAY);
    expect(good.exitCode, explain(good)).toBe(0);
    expect(jobResults(good)).toEqual({
      pulse: 'success',
      config: 'success',
      deploy: 'success',
      smoke: 'success',
      kafka: 'success',
      evidence: 'success',
    });

    // One commit on top of the branch, of exactly the report and the evidence folder.
    const [head] = originLog();
    expect(head).toMatch(
      new RegExp(`^[0-9a-f]{40} chore: Integration Day evidence for ${GOOD_DAY} \\[skip ci\\]$`),
    );
    const changed = execFileSync(
      'git',
      ['--git-dir', STACK.gitOrigin, 'diff-tree', '--no-commit-id', '--name-only', '-r', head!.slice(0, 40)],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(changed).toContain(`docs/sprints/status/${GOOD_DAY}.md`);
    expect(
      changed.every(
        (f) =>
          f === `docs/sprints/status/${GOOD_DAY}.md` ||
          f.startsWith(`docs/sprints/status/${GOOD_DAY}/evidence/`),
      ),
    ).toBe(true);

    const report = onOrigin(`docs/sprints/status/${GOOD_DAY}.md`);
    expect(report).toContain(`# Integration Day ${GOOD_DAY}`);
    expect(report).toMatch(
      new RegExp(`\\| helm-deploy \\| ✅ success \\| \`staging\` in \`${namespace}\`, revision 1, deployed`),
    );
    expect(report).toMatch(
      /\| smoke-suite \| ✅ success \| 3 suite\(s\), 0 failed; tests: \d+ passed, 0 failed/,
    );
    expect(report).toMatch(/\| kafka-topic-check \| ✅ success \| 4 topic\(s\)/);
    // The chart as the configuration names it, and no folder of act's or the runner's anywhere.
    expect(report).toContain('(chart `examples/staging/chart`)');
    expect(report).not.toMatch(/\.cache\/act|hostexecutor|runner-temp|command-center-files/);

    // Every file of the evidence is listed in the manifest with the SHA-256 of what was committed.
    const evidence = `docs/sprints/status/${GOOD_DAY}/evidence`;
    const files = originLs(evidence);
    for (const r of ['helm-deploy', 'smoke-suite', 'kafka-topic-check'])
      expect(files).toContain(`${evidence}/results/${r}.json`);
    expect(files).toContain(`${evidence}/dashboards/policy-decisions.png`);
    // Each suite's log, which the smoke annotations point to, is archived too, by suite and attempt,
    // and linked from the report; the rest of the smoke job's report folder under reports/smoke/.
    for (const suite of ['policy', 'orchestrator', 'admin-console']) {
      expect(files, suite).toContain(`${evidence}/logs/smoke/${suite}/attempt-1.log`);
      expect(report, suite).toContain(
        `\`${suite}\` [attempt 1](${GOOD_DAY}/evidence/logs/smoke/${suite}/attempt-1.log)`,
      );
    }
    expect(files).toContain(`${evidence}/reports/smoke/summary.md`);
    expect(files.filter((f) => /runner-temp|command-center/.test(f.slice(evidence.length)))).toEqual([]);
    const manifest = JSON.parse(onOrigin(`${evidence}/manifest.json`)) as {
      files: { path: string; sha256: string }[];
    };
    expect(manifest.files.length).toBeGreaterThan(10);
    for (const f of manifest.files) {
      const blob = execFileSync(
        'git',
        ['--git-dir', STACK.gitOrigin, 'show', `${branch}:${evidence}/${f.path}`],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      expect(sha256(blob), f.path).toBe(f.sha256);
    }
    const smoke = JSON.parse(onOrigin(`${evidence}/results/smoke-suite.json`)) as {
      status: string;
      run: { runId: string };
    };
    expect(smoke).toMatchObject({ status: 'success', run: { runId: good.runId } });

    // The bundle reached act's artifact server, next to each job's hand-off.
    const zip = artifactZip(good, `integration-day-${GOOD_DAY}-${good.runId}-1`);
    expect(zipEntries(zip)).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'results/helm-deploy.json',
        'results/smoke-suite.json',
        'results/kafka-topic-check.json',
      ]),
    );
    for (const job of ['deploy', 'smoke', 'kafka'])
      expect(zipEntries(artifactZip(good, `command-center-handoff-${job}-1`))).toContain('handoff.json');

    // And the release really is deployed.
    expect(helmHistory().map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
  }, 480_000);

  it('a scheduled day with one failing smoke test fails, is still archived and committed, and rolls the deploy back', async () => {
    bad = await day(undefined, { SMOKE_FAIL: '1' });
    expect(bad.exitCode, explain(bad)).not.toBe(0);
    expect(jobResults(bad)).toEqual({
      pulse: 'success',
      config: 'success',
      deploy: 'success',
      smoke: 'failure',
      kafka: 'success',
      evidence: 'success',
      rollback: 'success',
    });

    // A scheduled run is filed under today in the configuration's time zone (read back from the commit,
    // so a run that crosses midnight there cannot confuse the test).
    // The newest commit is the rollback's, on top of the day's evidence commit.
    const [head, evidenceCommit] = originLog();
    const BAD_DAY = /chore: Integration Day evidence for (\d{4}-\d{2}-\d{2}) \[skip ci\]$/.exec(
      evidenceCommit!,
    )?.[1];
    expect(BAD_DAY, evidenceCommit).toBeDefined();
    expect(head).toMatch(new RegExp(`chore: Integration Day rollback for ${BAD_DAY} \\[skip ci\\]$`));
    expect([
      dateInZone(new Date(Date.now() - bad.durationMs), 'America/Los_Angeles'),
      dateInZone(new Date(), 'America/Los_Angeles'),
    ]).toContain(BAD_DAY);
    const report = onOrigin(`docs/sprints/status/${BAD_DAY}.md`);
    expect(report).toMatch(
      /\| smoke-suite \| ❌ failure \| 3 suite\(s\), 1 failed; tests: \d+ passed, 1 failed/,
    );
    expect(report).toContain('test_benign_prompt_is_allowed');
    expect(report).toContain('Governance Core');
    // The good day's evidence is still there: each day has its own folder.
    expect(originLs(`docs/sprints/status/${GOOD_DAY}/evidence`).length).toBeGreaterThan(10);
    expect(zipEntries(artifactZip(bad, `integration-day-${BAD_DAY}-${bad.runId}-1`))).toContain(
      'results/smoke-suite.json',
    );

    // The deploy made revision 2; the rollback job returned to revision 1 (as revision 3).
    const history = helmHistory();
    expect(history.map((h) => h.revision)).toEqual([1, 2, 3]);
    expect(history[2]).toMatchObject({ status: 'deployed', description: 'Rollback to 1' });

    // The committed report says so: from which revision to which, and the failing suite that caused it,
    // in a section of its own after the day's report, which the rollback left as it was.
    const sections = sectionsOf(onOrigin(`docs/sprints/status/${BAD_DAY}.md`));
    const asArchived = onOrigin(`docs/sprints/status/${BAD_DAY}.md`, evidenceCommit!.slice(0, 40));
    expect(sectionsOf(asArchived).rollback).toBeUndefined();
    expect(sections['integration-day']).toBe(sectionsOf(asArchived)['integration-day']);
    expect(sections.rollback).toContain(
      `✅ **Rolled back** release \`staging\` in namespace \`${namespace}\`: from revision **2** to revision **1** (now revision 3, rolled-back).`,
    );
    expect(sections.rollback).toContain('- Why: the smoke suites failed after the deploy: `policy`');
  }, 480_000);

  it('a release set whose smoke fails: the rollback job undoes the set, dependents first, each to its revision', async () => {
    // Before the day that stops Redis: its RedisDown alert may still be firing for a while after, and
    // the pulse would rightly hold a day back for it. On top of the days the evidence jobs committed:
    // staging's chart and a small one that needs it, deployed as a set in one step.
    repo.git('pull', '-q', '--rebase');
    const chart = join(repo.dir, 'charts/sidecar');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: sidecar\nversion: 1.0.0\n');
    writeFileSync(join(chart, 'values.yaml'), 'tag: "1"\n');
    writeFileSync(
      join(chart, 'templates/config.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  tag: "{{ .Values.tag }}"\n',
    );
    const file = join(repo.dir, 'integration-day.config.yml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    for (const key of ['release', 'chart', 'set']) doc.deleteIn(['helm-deploy', key]);
    doc.setIn(
      ['helm-deploy', 'releases'],
      doc.createNode([
        { name: 'staging', chart: 'examples/staging/chart', set: ['kafka.brokers=127.0.0.1:19092'] },
        { name: 'sidecar', chart: 'charts/sidecar', needs: ['staging'], set: ['tag=2'] },
      ]),
    );
    writeFileSync(file, doc.toString());
    repo.commitAndPush('e2e: staging and its sidecar as a release set');
    const stagingBefore = helmHistory().at(-1)!.revision;

    const run = await day(SET_DAY, { SMOKE_FAIL: '1' }, { 'rollback-on-smoke-failure': 'true' });
    expect(run.exitCode, explain(run)).not.toBe(0);
    expect(jobResults(run)).toMatchObject({ deploy: 'success', smoke: 'failure', rollback: 'success' });

    // The deploy made staging stagingBefore + 1; the rollback returned it to stagingBefore, and
    // uninstalled the sidecar this day installed first.
    const staging = helmHistory();
    expect(staging.at(-1)).toMatchObject({
      revision: stagingBefore + 2,
      status: 'deployed',
      description: `Rollback to ${stagingBefore}`,
    });
    expect(() => helmHistory('sidecar')).toThrow(/not found/);
    const rollback = sectionsOf(onOrigin(`docs/sprints/status/${SET_DAY}.md`)).rollback;
    expect(rollback).toContain('✅ **Rolled back** the release set: 2 of 2 release(s), dependents first.');
    expect(rollback).toContain(
      `- ✅ **Rolled back** release \`staging\` in namespace \`${namespace}\`: from revision **${stagingBefore + 1}** to revision **${stagingBefore}**`,
    );
    expect(rollback).toContain(
      `- ✅ **Rolled back** release \`sidecar\` in namespace \`${namespace}\`: from revision **1** to nothing (the first install was uninstalled).`,
    );
  }, 480_000);

  it('a day that starts with Redis down deploys nothing, runs no suite, fails, and its report says why', async () => {
    // Run alone (vitest -t), the release may not exist yet: then nothing must be deployed either.
    const revisions = () => {
      try {
        return helmHistory().length;
      } catch (err) {
        if (/release: not found/.test(String((err as { stderr?: string }).stderr))) return 0;
        throw err;
      }
    };
    const before = revisions();
    const down = await withComponentDown('redis', () => day(PULSE_DOWN_DAY));
    expect(down.exitCode, explain(down)).not.toBe(0);
    // act reports the jobs that ran: deploy, smoke and the topic checks did not.
    expect(jobResults(down)).toEqual({ pulse: 'failure', config: 'success', evidence: 'success' });
    const report = onOrigin(`docs/sprints/status/${PULSE_DOWN_DAY}.md`);
    expect(report).toMatch(/\| infra-pulse \| ❌ failure \|/);
    expect(report).toMatch(
      /\| helm-deploy \| ⏭️ skipped \| skipped: the morning's Infra Pulse found a required dependency down \([^)]*redis:sessions-primary[^)]*\), so the day did not deploy into an outage \|/,
    );
    for (const step of ['smoke-suite', 'kafka-topic-check'])
      expect(report).toMatch(
        new RegExp(
          `\\| ${step} \\| ⏭️ skipped \\| skipped: the morning's Infra Pulse found a required dependency down \\([^)]*redis:sessions-primary[^)]*\\), so the day did not judge staging during an outage \\|`,
        ),
      );
    expect(report).toContain('kill-switch.md#redis');
    // Nothing was deployed.
    expect(revisions()).toBe(before);
  }, 480_000);
});

describe('record-contracts.yml and design-drift.yml, run by act against the staging stand-in', () => {
  it('records the staging contracts into a dated folder and commits them', async () => {
    const run = await runAct({
      repo,
      workflow: 'record-contracts.yml',
      event: 'workflow_dispatch',
      inputs: { date: RECORDED },
      artifactDir: join(base, 'artifacts'),
      timeoutMs: 240_000,
      onLine: (l) => progress.push(l),
    });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(jobResults(run)).toEqual({ record: 'success' });
    const [head] = originLog();
    expect(head).toMatch(new RegExp(`chore: contract recording for ${RECORDED} \\[skip ci\\]$`));
    const dir = `docs/design/contracts/${RECORDED}`;
    const files = originLs(dir);
    for (const svc of ['policy-engine', 'constitution', 'orchestrator'])
      for (const d of ['openapi.json', 'asyncapi.json']) expect(files).toContain(`${dir}/${svc}/${d}`);
    expect(files).toContain(`${dir}/README.md`);
    const index = JSON.parse(onOrigin(`${dir}/index.json`)) as { files: { path: string; sha256: string }[] };
    expect(index.files.length).toBeGreaterThan(10);
    for (const f of index.files) expect(sha256(onOrigin(`${dir}/${f.path}`)), f.path).toBe(f.sha256);
    // What was recorded is what the service serves.
    const served = await (
      await fetch(`http://127.0.0.1:${process.env.POLICY_ENGINE_PORT ?? '18081'}/openapi.json`)
    ).json();
    expect(JSON.parse(onOrigin(`${dir}/policy-engine/openapi.json`))).toEqual(served);
  }, 300_000);

  /** A pull request from `head` into the test branch, as GitHub describes it in the event payload. */
  async function pullRequest(
    name: string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    change: (openapi: Record<string, any>) => void,
  ): Promise<ActRun & { headSha: string }> {
    repo.git('fetch', '-q', 'origin');
    repo.git('checkout', '-q', '-B', `${branch}-${name}`, `origin/${branch}`);
    const file = join(repo.dir, 'docs/design/declared/policy-engine/openapi.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    change(doc);
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    const sha = repo.commitAndPush(`declared contract: ${name}`);
    try {
      const run = await runAct({
        repo,
        workflow: 'design-drift.yml',
        event: 'pull_request',
        payload: {
          number: 7,
          pull_request: {
            number: 7,
            head: { ref: `${branch}-${name}`, sha },
            base: { ref: branch },
            labels: [],
          },
        },
        artifactDir: join(base, 'artifacts'),
        timeoutMs: 180_000,
        onLine: (l) => progress.push(l),
      });
      return { ...run, headSha: sha };
    } finally {
      repo.git('checkout', '-q', branch);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const evaluate200 = (doc: Record<string, any>) =>
    doc.paths['/v1/evaluate'].post.responses['200'].content['application/json'].schema;

  it('fails a pull request whose declared contract breaks the recorded one', async () => {
    const run = await pullRequest('breaking', (doc) => {
      const schema = evaluate200(doc);
      // Renaming a response field every client reads: removed `allowed`, added `permitted`.
      const props = schema.properties ?? schema;
      props.permitted = props.allowed;
      delete props.allowed;
      if (Array.isArray(schema.required))
        schema.required = schema.required.map((r: string) => (r === 'allowed' ? 'permitted' : r));
    });
    expect(run.exitCode, explain(run)).not.toBe(0);
    expect(jobResults(run)).toEqual({ drift: 'failure' });
    expect(run.log).toMatch(/breaking/i);
    expect(run.log).toContain('allowed');
    // The gate's configuration is the base branch's, not the pull request's copy.
    expect(run.log).toContain(`integration-day.config.yml (as on origin/${branch})`);
    // The verdict is handed over for design-drift-report.yml, naming the pull request and its head.
    const zip = artifactZip(run, 'command-center-handoff-drift-1');
    expect(zipEntries(zip)).toContain('results/design-drift.json');
    const handed = JSON.parse(zipFile(zip, 'results/design-drift.json')) as {
      status: string;
      result: { pullRequest: unknown; counts: { breaking: number } };
    };
    expect(handed.status).toBe('failure');
    expect(handed.result.pullRequest).toEqual({ number: 7, headSha: run.headSha });
    expect(handed.result.counts.breaking).toBeGreaterThan(0);
  }, 240_000);

  it('passes a pull request whose declared contract only adds to the recorded one', async () => {
    const run = await pullRequest('additive', (doc) => {
      const schema = evaluate200(doc);
      (schema.properties ?? schema).explanation = {
        type: 'string',
        description: 'Why the policy decided so, for people.',
      };
    });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(jobResults(run)).toEqual({ drift: 'success' });
    expect(run.log).toMatch(/non-breaking|additive|1 change/i);
  }, 240_000);
});
