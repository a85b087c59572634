import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forge } from '../../src/lib/forge/index.js';
import { ROOT } from '../support/paths.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { requireKube } from '../support/kube.js';
import { KafkaFixture } from '../support/kafka.js';
import { needsServers, requireServer, STACK } from '../support/servers.js';
import { parse, stringify } from 'yaml';
import { requireStaging } from '../fixtures/contracts/staging.js';

needsServers('kafka', 'prometheus', 'staging', 'kube', 'forge');

// The README's main command, as a person runs it: `npm run integration-day` (scripts/integration-day.sh),
// here pointed at a forge repository of its own so the test sees exactly what the runs committed and
// which issues they filed. After each run the repository is fetched into a local bare mirror, without
// `+`: a run that rewrote the branch instead of adding to it fails the fetch.

const GOOD_DAY = '2026-12-16';
const BAD_DAY = '2026-12-23';
const STALLED_DAY = '2026-12-30';
const QUIET_DAY = '2027-01-06';
let base: string;
/** A local mirror of the forge repository, fetched after each run. */
let origin: string;
let stack: StackForge;
let forgeRepo: ForgeRepo;

const show = (path: string) =>
  execFileSync('git', ['--git-dir', origin, 'show', `main:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
const ls = (dir: string) =>
  execFileSync('git', ['--git-dir', origin, 'ls-tree', '-r', '--name-only', 'main', '--', dir], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
const commits = (prefix: string) =>
  execFileSync('git', ['--git-dir', origin, 'log', '--format=%H %s', 'main'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((l) => l.slice(41).startsWith(prefix))
    .map((l) => l.slice(0, 40));
const subjects = () =>
  execFileSync('git', ['--git-dir', origin, 'log', '--format=%s', 'main'], { encoding: 'utf8' })
    .trim()
    .split('\n');

function mainCommand(...args: string[]) {
  const r = spawnSync('npm', ['run', '-s', 'integration-day', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, FORGE_REPOSITORY: forgeRepo.fullName, INTEGRATION_DAY_DIR: join(base, 'day') },
    encoding: 'utf8',
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('git', ['--git-dir', origin, 'fetch', '-q', forgeRepo.cloneUrl, 'refs/heads/*:refs/heads/*']);
  return { code: r.status, out: r.stdout, all: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  requireKube();
  await requireServer('kafka');
  await requireServer('prometheus');
  await requireStaging();
  stack = await requireForge();
  forgeRepo = await createForgeRepo(stack, 'main-command');
  base = mkdtempSync(join(tmpdir(), 'cc-main-command-'));
  origin = join(base, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', origin]);
});

afterAll(async () => {
  await forgeRepo?.remove();
});

describe('npm run integration-day', () => {
  it('runs the day through act and commits the status report and the evidence to the origin', () => {
    const r = mainCommand('--date', GOOD_DAY);
    expect(r.code, r.all.slice(-6000)).toBe(0);
    // Progress while it ran, then where things are and the day at a glance.
    expect(r.out).toMatch(/Deploy \(helm-deploy\) ▸ Deploy/);
    expect(r.out).toMatch(/✅ Evidence and status report \(evidence-archive\): success/);
    expect(r.out).toContain('== Integration Day passed');
    expect(r.out).toContain(`status report: ${join(base, 'day/repo/docs/sprints/status', `${GOOD_DAY}.md`)}`);
    expect(r.out).toMatch(/\| smoke-suite \| ✅ success \| 3 suite\(s\), 0 failed/);
    expect(r.out).toContain('follow-up issues: none touched by this run');
    expect(r.out).toContain(`forge:         ${stack.url}/${forgeRepo.fullName} (log in as ${stack.admin}`);
    // The job's token reached the actions (act masks it), never the output.
    expect(r.all).not.toContain(stack.token);

    // The origin got the project (one commit) and the day's records on top (one more).
    expect(subjects().slice(0, 2)).toEqual([
      `chore: Integration Day evidence for ${GOOD_DAY} [skip ci]`,
      expect.stringMatching(/^Command Center as of /),
    ]);
    expect(show('.github/workflows/integration-day.yml')).toContain('name: Integration Day');
    const report = show(`docs/sprints/status/${GOOD_DAY}.md`);
    expect(report).toContain(`# Integration Day ${GOOD_DAY}`);
    // The stand-in is healthy: the headline is earned green, with nothing for an owner to look at.
    // The day starts with its pulse: four steps, the stack's Kafka, Redis and PostgreSQL all up.
    expect(report).toContain('✅ **All 4 step(s) succeeded.**');
    expect(report).toMatch(/\| infra-pulse \| ✅ success \| OK: All \d+ check\(s\) OK \|/);
    expect(report).not.toMatch(/need an owner's attention|⚠️/u);
    expect(report).toMatch(/\| helm-deploy \| ✅ success \| `staging` in `staging`, revision \d+, deployed/);
    const evidence = `docs/sprints/status/${GOOD_DAY}/evidence`;
    const manifest = JSON.parse(show(`${evidence}/manifest.json`)) as {
      files: { path: string; sha256: string }[];
    };
    expect(ls(evidence).length).toBe(manifest.files.length + 2); // + manifest.json and the README index
    for (const f of manifest.files) {
      const blob = execFileSync('git', ['--git-dir', origin, 'show', `main:${evidence}/${f.path}`], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(createHash('sha256').update(blob).digest('hex'), f.path).toBe(f.sha256);
    }
  }, 900_000);

  it('a failing day exits non-zero, is still committed next to the earlier day, files its follow-up issues and rolls back', async () => {
    const r = mainCommand('--date', BAD_DAY, '--smoke-fail');
    expect(r.code, r.all.slice(-6000)).toBe(1);
    expect(r.out).toContain('== Integration Day FAILED');
    expect(r.out).toMatch(/❌ Smoke suites \(smoke-suite\): failure/);
    expect(r.out).toMatch(/✅ Roll back \(helm-deploy\): success/);
    expect(r.out).toMatch(/\| smoke-suite \| ❌ failure \| 3 suite\(s\), 1 failed/);
    // The day's records, then the rollback job's section of the same report on top.
    expect(subjects().slice(0, 2)).toEqual([
      `chore: Integration Day rollback for ${BAD_DAY} [skip ci]`,
      `chore: Integration Day evidence for ${BAD_DAY} [skip ci]`,
    ]);
    // Bringing the origin up to date with the project never makes an empty commit and never touches
    // the days' records (a second one appears only when the project's files changed in between).
    for (const sha of commits('Command Center as of ')) {
      const changed = execFileSync(
        'git',
        ['--git-dir', origin, 'diff-tree', '--root', '--no-commit-id', '--name-only', '-r', sha],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.filter((f) => f.startsWith('docs/sprints/status/'))).toEqual([]);
    }
    const badReport = show(`docs/sprints/status/${BAD_DAY}.md`);
    expect(badReport).toContain('test_benign_prompt_is_allowed');
    // The rollback says from which revision to which: back to the good day's, one before the deploy.
    const rolled =
      /✅ \*\*Rolled back\*\* release `staging` in namespace `staging`: from revision \*\*(\d+)\*\* to revision \*\*(\d+)\*\*/.exec(
        badReport,
      );
    expect(rolled, badReport).not.toBeNull();
    expect(Number(rolled![2])).toBe(Number(rolled![1]) - 1);
    expect(badReport).toContain('- Why: the smoke suites failed after the deploy: `policy`');
    // Against the good day before it: the test that broke is a new failure, with its owner.
    expect(badReport).toContain(
      `Compared with [Integration Day ${GOOD_DAY}](${GOOD_DAY}.md) ([its evidence](${GOOD_DAY}/evidence/README.md))`,
    );
    expect(badReport).toMatch(
      /\| new failures \| 1 \|\n\| still failing \| 0 \|\n\| fixed since last week \| 0 \|/,
    );
    expect(badReport).toContain(
      '**New failures**\n\n- `policy · tests.integration.policy.test_evaluate::test_benign_prompt_is_allowed` — assert',
    );
    expect(badReport).toMatch(
      /\| Policy decision latency \(p95\) \| Governance Core \|  \| [\d.]+ ms \| [\d.]+ ms \| ([+−][\d.<]+|0) % \|/,
    );
    expect(show(`docs/sprints/status/${GOOD_DAY}.md`)).toContain(`# Integration Day ${GOOD_DAY}`);

    // The failed suite has an issue on the forge: its squad's label, its owner from the configuration,
    // linked from the day's report and printed with its link by the command.
    const forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: forgeRepo.fullName });
    const open = await forge.listIssues({ state: 'open', labels: ['integration-day'] });
    const policy = open.find((i) => i.title === 'Integration Day: suite policy failed');
    expect(policy, JSON.stringify(open.map((i) => i.title))).toBeDefined();
    expect(policy!.labels).toEqual(expect.arrayContaining(['integration-day', 'Governance Core']));
    expect(policy!.assignees).toEqual(['ada']);
    const link = `${stack.url}/${forgeRepo.fullName}/issues/${policy!.number}`;
    expect(badReport).toContain(link);
    expect(r.out).toContain(`🔴 open   #${policy!.number} Integration Day: suite policy failed (@ada)`);
    expect(r.out).toContain(link);
    expect(r.out).toMatch(/follow-up issues: \d+ touched by this run/);
    expect(r.all).not.toContain(stack.token);
  }, 900_000);

  it('a stalled consumer group turns the day red, owned by its squad; the test that failed last week is named as fixed', async () => {
    // A member of a group of this test's own joins conversation.events (live: the stand-in's traffic),
    // commits the end of its partitions once and never again: its lag grows while it stays connected.
    const group = `cc-stalled-${randomUUID().slice(0, 8)}`;
    const config = withConfig((c) => {
      c['kafka-topic-check']['consumer-groups'].push({
        name: group,
        'max-lag': 1000,
        'commit-interval': '5s',
        owner: 'Runtime & Training',
        runbook: 'docs/runbooks/integration-day.md#a-consumer-group-lags-or-is-stalled',
      });
    });
    const stalled = await stallGroup(group);
    let r: ReturnType<typeof mainCommand>;
    try {
      r = mainCommand('--date', STALLED_DAY, '--skip-deploy', '--config', config);
    } finally {
      stalled.kill('SIGTERM');
    }
    expect(r.code, r.all.slice(-6000)).toBe(1);
    expect(r.out).toMatch(/❌ Kafka topics \(kafka-topic-check\): failure/);
    const report = show(`docs/sprints/status/${STALLED_DAY}.md`);
    expect(report).toMatch(/^❌ \*\*1 of 3 step\(s\) failed;/mu);
    expect(report).toMatch(
      new RegExp(
        `\\| consumer group ${group} \\(STALLED\\) \\| kafka-topic-check \\| Runtime & Training \\| \\[runbook\\]`,
      ),
    );
    // The smoke suites pass again: last week's failure is named as fixed.
    expect(report).toContain(`Compared with [Integration Day ${BAD_DAY}](${BAD_DAY}.md)`);
    expect(report).toContain(
      '**Fixed since last week**\n\n- `policy · tests.integration.policy.test_evaluate::test_benign_prompt_is_allowed`',
    );
  }, 900_000);

  it('a required topic that had traffic earlier and none in the window turns the day red, owned by its squad', async () => {
    const kafka = await new KafkaFixture(STACK.kafka).connect();
    try {
      const topic = await kafka.topic('cc-quiet', 1);
      await kafka.send(topic, [{ value: { event_id: randomUUID(), timestamp: new Date().toISOString() } }]);
      const config = withConfig((c) => {
        c['kafka-topic-check'].topics.push({
          name: topic,
          'min-messages': 1,
          // Fresh enough: the one finding is that nothing arrived in the window.
          'max-age': '1h',
          owner: 'Experience & Ecosystem',
          runbook: 'docs/runbooks/integration-day.md#a-kafka-topic-is-quiet-or-stale',
        });
      });
      const r = mainCommand('--date', QUIET_DAY, '--skip-deploy', '--config', config);
      expect(r.code, r.all.slice(-6000)).toBe(1);
      const report = show(`docs/sprints/status/${QUIET_DAY}.md`);
      expect(report).toMatch(/^❌ \*\*1 of 3 step\(s\) failed;/mu);
      expect(report).toMatch(
        new RegExp(
          `\\| topic ${topic} \\(error\\) \\| kafka-topic-check \\| Experience & Ecosystem \\| \\[runbook\\][^|]*\\| topic ${topic} received 0 committed records in the 15.0s window; at least 1 expected`,
        ),
      );
      // Nothing else failed: the project's own topics and groups are healthy.
      expect(report.match(/^\| (topic|consumer group) .* \| kafka-topic-check \|/gmu)).toHaveLength(1);
    } finally {
      await kafka.close();
    }
  }, 900_000);
});

/** The project's configuration, changed by `edit`, in a file of this test's own. */
type DayConfig = {
  'kafka-topic-check': { topics: Record<string, unknown>[]; 'consumer-groups': Record<string, unknown>[] };
};
function withConfig(edit: (c: DayConfig) => void): string {
  const config = parse(readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8')) as DayConfig;
  edit(config);
  const file = join(base, `config-${randomUUID().slice(0, 8)}.yml`);
  writeFileSync(file, stringify(config));
  return file;
}

/** The stand-in's traffic tool holding `group` stalled on conversation.events, once it has committed. */
async function stallGroup(group: string) {
  const logFile = join(base, `stall-${group}.log`);
  const child = spawn(
    join(ROOT, 'node_modules/node/bin/node'),
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      'examples/staging/traffic/main.ts',
      '--rate',
      '0',
      '--duration',
      '1200',
      '--stall-group',
      group,
    ],
    { cwd: ROOT, stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')] },
  );
  for (let i = 0; i < 120; i++) {
    if (readFileSync(logFile, 'utf8').includes('is now stalled')) return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  throw new Error(
    `the stalled consumer group ${group} did not start: ${readFileSync(logFile, 'utf8').slice(-2000)}`,
  );
}
