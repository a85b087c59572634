import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { actBinary, projectRepo, runAct, type ActRun, type TestRepo } from '../support/act.js';
import { ensureBuilt } from '../support/build.js';
import { STACK, needsServers, requireGitOrigin, requireServer } from '../support/servers.js';
import { requireStaging } from '../fixtures/contracts/staging.js';
import { POSTGRES_ROLES, REDIS_USERS, postgresPassword, redisPassword } from '../support/infra.js';
import { KafkaFixture } from '../support/kafka.js';

needsServers(
  'kafka',
  'kafka39',
  'prometheus',
  'staging',
  'git',
  'redis',
  'redis-replica',
  'postgres',
  'postgres-standby',
);

// integration-day.yml with the smoke job fanned out over a job matrix, run by act on this host
// against the stack and the staging stand-in: each shard a job of its own, their results handed over
// apart and merged by the evidence job into the one smoke result a single runner writes.

const id = randomUUID().slice(0, 8);
const branch = `test/workflow-shards/${id}`;
const ONE_RUNNER = '2026-11-18';
const SHARDED = '2026-11-19';
const KILLED = '2026-11-20';
const TWO_CLUSTERS = '2026-11-21';

let repo: TestRepo;
let originalSuites: unknown;
let base: string;
const progress: string[] = [];

const onOrigin = (path: string) =>
  execFileSync('git', ['--git-dir', STACK.gitOrigin, 'show', `${branch}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
/** What went wrong, with the whole log kept in a file beside the test's repository. */
const explain = (run: ActRun) => {
  const log = join(base, `act-${run.runId}.log`);
  writeFileSync(log, run.log);
  return `act exited ${run.exitCode}; jobs ${JSON.stringify([...run.runs.values()].map((j) => [j.name, j.result]))}; whole log: ${log}\n${run.log.split('\n').slice(-80).join('\n')}`;
};

/** A section of the configuration changed by `edit`, committed and pushed. */
function configure(
  edit: (section: Record<string, unknown>) => void,
  message: string,
  name = 'smoke-suite',
): void {
  // On top of the days the evidence jobs committed.
  repo.git('pull', '-q', '--rebase');
  const file = join(repo.dir, 'integration-day.config.yml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const node = doc.getIn([name]) as { toJSON(): Record<string, unknown> };
  const section = node.toJSON();
  edit(section);
  doc.setIn([name], doc.createNode(section));
  writeFileSync(file, doc.toString());
  repo.commitAndPush(message);
}

/** A day by hand that tests what staging runs now (no deploy). */
function day(date: string, secrets: Record<string, string> = {}): Promise<ActRun> {
  return runAct({
    repo,
    workflow: 'integration-day.yml',
    event: 'workflow_dispatch',
    inputs: { date, 'skip-deploy': 'true' },
    env: { PLAYWRIGHT_CORE_PATH: join(process.cwd(), 'node_modules/playwright-core') },
    secrets: {
      REDIS_PASSWORD: redisPassword(REDIS_USERS.monitor),
      POSTGRES_PASSWORD: postgresPassword(POSTGRES_ROLES.monitor),
      ...secrets,
    },
    artifactDir: join(base, 'artifacts'),
    timeoutMs: 480_000,
    onLine: (l) => progress.push(l),
  });
}

interface Committed {
  status: string;
  result: {
    headline: string;
    totals: Record<string, number>;
    suites: {
      name: string;
      squad: string | null;
      status: string;
      reason: string | null;
      counts: Record<string, number>;
      attempts?: { reports?: { file: string }[] }[];
    }[];
    spread?: { count: number; missing: number[]; shards: { index: number; status: string }[] };
  };
}
const committedSmoke = (date: string) =>
  JSON.parse(onOrigin(`docs/sprints/status/${date}/evidence/results/smoke-suite.json`)) as Committed;
/** The suites' JUnit reports the day's evidence holds (`junit/<suite>.xml`), and the ones its result names. */
const junitFiles = (date: string, c: Committed) => ({
  archived: execFileSync(
    'git',
    [
      '--git-dir',
      STACK.gitOrigin,
      'ls-tree',
      '--name-only',
      `${branch}:docs/sprints/status/${date}/evidence/junit`,
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .sort(),
  named: c.result.suites
    .filter((s) => s.attempts?.some((a) => a.reports?.length))
    .map((s) => `${s.name}.xml`)
    .sort(),
});
const perSuite = (c: Committed) =>
  c.result.suites.map((s) => ({
    name: s.name,
    squad: s.squad,
    status: s.status,
    tests: s.counts.tests,
    passed: s.counts.passed,
    failed: s.counts.failed,
    errored: s.counts.errored,
    skipped: s.counts.skipped,
  }));

beforeAll(async () => {
  ensureBuilt();
  await requireServer('prometheus');
  await requireStaging();
  requireGitOrigin();
  actBinary();
  base = mkdtempSync(join(tmpdir(), 'cc-workflow-shards-'));
  repo = projectRepo({ origin: STACK.gitOrigin, branch, parent: base });
  const file = join(repo.dir, 'integration-day.config.yml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['kafka-topic-check', 'window'], '10s');
  originalSuites = (doc.getIn(['smoke-suite', 'suites']) as { toJSON(): unknown }).toJSON();
  doc.setIn(['evidence-archive', 'follow-up-issues'], false);
  writeFileSync(file, doc.toString());
  repo.commitAndPush('e2e: a shorter Kafka window, no forge for follow-up issues');
}, 600_000);

/** A kafka-topic-check result as committed for one cluster of the day. */
interface CommittedKafka {
  status: string;
  result: { cluster?: string; topics: { name: string; status: string }[] };
}

describe('integration-day.yml with the smoke job as a matrix of shards, run by act', () => {
  let one: Committed;

  it('one runner first: the day as it was, one smoke job', async () => {
    const run = await day(ONE_RUNNER);
    expect(run.exitCode, explain(run)).toBe(0);
    expect([...run.runs.values()].filter((j) => j.id === 'smoke')).toHaveLength(1);
    one = committedSmoke(ONE_RUNNER);
    expect(one.status).toBe('success');
    expect(one.result.spread).toBeUndefined();
    expect(one.result.suites.length).toBeGreaterThanOrEqual(3);
    // Every suite's JUnit report reaches the evidence, wherever the suite wrote it.
    const junit = junitFiles(ONE_RUNNER, one);
    expect(junit.named.length).toBeGreaterThanOrEqual(3);
    expect(junit.archived).toEqual(junit.named);
  }, 540_000);

  it('three shards: one job each, merged into the same counts, suite for suite, and the spread reported', async () => {
    configure((s) => {
      s.shards = 3;
      s['max-parallel'] = 2;
    }, 'e2e: three smoke shards');
    const run = await day(SHARDED);
    expect(run.exitCode, explain(run)).toBe(0);
    const shards = [...run.runs.values()].filter((j) => j.id === 'smoke');
    // act names each run of the matrix by the job's name (with its shard) and a counter.
    expect(shards.map((j) => /Smoke suites \(smoke-suite\) shard (\d\/\d)/.exec(j.name)?.[1]).sort()).toEqual(
      ['1/3', '2/3', '3/3'],
    );
    expect(shards.every((j) => j.result === 'success')).toBe(true);
    expect(run.log.match(/✅ {2}Success - Main Run the smoke suites/g)).toHaveLength(3);
    const merged = committedSmoke(SHARDED);
    expect(merged.status).toBe('success');
    expect(perSuite(merged)).toEqual(perSuite(one));
    for (const k of ['suites', 'tests', 'passed', 'failed', 'errored', 'skipped'])
      expect(merged.result.totals[k], k).toBe(one.result.totals[k]);
    expect(merged.result.spread).toMatchObject({ count: 3, missing: [] });
    // Each shard hands over its suites' JUnit reports: the evidence holds the same as one runner's.
    expect(junitFiles(SHARDED, merged)).toEqual(junitFiles(ONE_RUNNER, one));
    // Each shard's own result is kept beside the merge.
    const report = onOrigin(`docs/sprints/status/${SHARDED}.md`);
    expect(report).toContain('### Spread over 3 shard(s)');
    expect(report).toMatch(/\| smoke-suite \| ✅ success \|/);
    for (const k of [1, 2, 3])
      expect(
        JSON.parse(
          onOrigin(`docs/sprints/status/${SHARDED}/evidence/results/shards/smoke-suite-${k}-of-3.json`),
        ),
      ).toMatchObject({ action: 'smoke-suite', result: { shard: { index: k, count: 3 } } });
  }, 540_000);

  it('a shard killed mid-run is missing, never passed, and fails the day', async () => {
    // The policy suite's command kills its own smoke-suite process (SIGKILL: it can write nothing).
    configure((s) => {
      const suites = s.suites as { name: string; run: string }[];
      suites.find((x) => x.name === 'policy')!.run = `bash -c 'kill -9 $PPID'`;
    }, 'e2e: a shard whose process is killed');
    const run = await day(KILLED);
    expect(run.exitCode, explain(run)).not.toBe(0);
    // act gives every later run of a matrix the result of one that failed, so each shard's own
    // outcome is read from its smoke step: one was killed, the others ran their suites.
    const step = (outcome: string) =>
      run.log
        .split('\n')
        .filter((l) => l.includes(`${outcome} - Main Run the smoke suites`))
        .map((l) => /shard (\d\/3)/.exec(l)?.[1]);
    expect(step('❌  Failure'), explain(run)).toHaveLength(1);
    expect(step('✅  Success')).toHaveLength(2);
    expect(run.log).toMatch(/shard \d\/3-\d\] signal: killed/);
    expect(run.jobs.get('smoke')?.result).toBe('failure');
    expect(run.jobs.get('evidence')?.result).toBe('success');
    const merged = committedSmoke(KILLED);
    expect(merged.status).toBe('failure');
    expect(merged.result.spread?.missing).toHaveLength(1);
    const policy = merged.result.suites.find((s) => s.name === 'policy')!;
    expect(policy.status).toBe('not-run');
    expect(policy.reason).toMatch(/^shard \d\/3 reported nothing \(cancelled, killed or never started\)$/);
    expect(policy.squad).toBe('Governance Core');
    // The other suites ran on their shards and count as they did on one runner.
    expect(perSuite(merged).filter((s) => s.name !== 'policy')).toEqual(
      perSuite(one).filter((s) => s.name !== 'policy'),
    );
    const report = onOrigin(`docs/sprints/status/${KILLED}.md`);
    expect(report).toMatch(/\| smoke-suite \| ❌ failure \|/);
    expect(report).toContain('❌ missing: reported nothing (cancelled, killed or never started)');
  }, 540_000);
});

describe('integration-day.yml with a Kafka check job per cluster, run by act', () => {
  it('two clusters (Kafka 4.3.1 over SASL with its own credentials, and 3.9.1) in one day: each checked by its own job, each shown apart', async () => {
    // The 3.9.1 cluster carries a topic of its own, written to while the day runs.
    const legacy = await new KafkaFixture(STACK.kafka39).connect();
    try {
      const topic = await legacy.topic('cc-legacy-events', 2);
      legacy.traffic(topic, 2, 200);
      configure(
        (k) => {
          k.clusters = [
            // Its own credentials come from KAFKA_CLUSTER_CREDENTIALS.
            { name: 'main', brokers: STACK.kafkaSasl, 'sasl-mechanism': 'scram-sha-512' },
            {
              name: 'legacy',
              brokers: STACK.kafka39,
              topics: [{ name: topic, 'min-messages': 1, owner: 'Runtime & Training' }],
              'consumer-groups': [],
            },
          ];
          delete k.brokers;
        },
        'e2e: two Kafka clusters',
        'kafka-topic-check',
      );
      // The smoke suites as the repository has them (one runner, nothing killed) for this day.
      configure((smoke) => {
        delete smoke.shards;
        delete smoke['max-parallel'];
        smoke.suites = originalSuites;
      }, 'e2e: the smoke suites as they were');
      // No KAFKA_PASSWORD: main's check authenticates with its entry or not at all.
      const run = await day(TWO_CLUSTERS, {
        KAFKA_CLUSTER_CREDENTIALS: JSON.stringify({
          main: { username: STACK.scramUser, password: STACK.scramPassword },
        }),
      });
      expect(run.exitCode, explain(run)).toBe(0);
      const jobs = [...run.runs.values()].filter((j) => j.id === 'kafka').map((j) => j.name);
      expect(jobs.some((n) => n.includes('Kafka topics (kafka-topic-check) main'))).toBe(true);
      expect(jobs.some((n) => n.includes('Kafka topics (kafka-topic-check) legacy'))).toBe(true);
      const committed = (c: string) =>
        JSON.parse(
          onOrigin(`docs/sprints/status/${TWO_CLUSTERS}/evidence/results/kafka-topic-check-${c}.json`),
        ) as CommittedKafka;
      const main = committed('main');
      const old = committed('legacy');
      expect(main).toMatchObject({ status: 'success', result: { cluster: 'main' } });
      expect(main.result.topics.map((t) => t.name)).toContain('policy.decisions');
      expect(old).toMatchObject({ status: 'success', result: { cluster: 'legacy' } });
      expect(old.result.topics).toEqual([expect.objectContaining({ name: topic, status: 'ok' })]);
      const report = onOrigin(`docs/sprints/status/${TWO_CLUSTERS}.md`);
      expect(report).toContain('## Kafka topic health: cluster main');
      expect(report).toContain('## Kafka topic health: cluster legacy');
      expect(report).toMatch(/\| kafka-topic-check \| ✅ success \| cluster legacy: 1 topic\(s\): 1 healthy/);
      expect(run.log).toContain(
        `SASL scram-sha-512 as ${STACK.scramUser} (cluster main), from cluster-credentials`,
      );
      expect(run.log).not.toContain(STACK.scramPassword);
    } finally {
      legacy.stopTraffic();
      await legacy.close();
    }
  }, 540_000);
});
