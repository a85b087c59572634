import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actBinary, projectRepo, runAct, type ActRun, type TestRepo } from '../support/act.js';
import { ensureBuilt } from '../support/build.js';
import { requireStaging } from '../fixtures/contracts/staging.js';
import {
  POSTGRES_ROLES,
  REDIS_USERS,
  postgresPassword,
  redisPassword,
  withComponentDown,
} from '../support/infra.js';
import { STACK, needsServers, requireGitOrigin } from '../support/servers.js';
import { PULSE_SECTION, WRAP_SECTION, readPulseMarker } from '../../src/lib/evidence/pulse.js';
import { sectionsOf } from '../../src/lib/evidence/sections.js';

needsServers(
  'kafka',
  'prometheus',
  'staging',
  'git',
  'redis',
  'redis-replica',
  'postgres',
  'postgres-standby',
  'alertmanager',
);

// The daily rhythm run end to end by act on this host: infra-pulse.yml against the stack's Kafka,
// Redis, PostgreSQL and Alertmanager, record-contracts.yml against the staging stand-in, and
// daily-wrap.yml reading them back, each committing to the stack's bare origin.

const id = randomUUID().slice(0, 8);
const branch = `test/pulse-flows/${id}`;
const GOOD_MORNING = '2026-11-30';
const REDIS_DOWN = '2026-12-01';
const FIRST_WRAP = '2026-11-23';
const RECORDED = '2026-11-27';

let repo: TestRepo;
let base: string;
let secrets: Record<string, string>;

const status = (date: string) => `docs/sprints/status/${date}.md`;
const onOrigin = (path: string) =>
  execFileSync('git', ['--git-dir', STACK.gitOrigin, 'show', `${branch}:${path}`], { encoding: 'utf8' });
const originHead = () =>
  execFileSync('git', ['--git-dir', STACK.gitOrigin, 'log', '-1', '--format=%s', branch], {
    encoding: 'utf8',
  }).trim();
const jobResults = (run: ActRun) => Object.fromEntries([...run.jobs.values()].map((j) => [j.id, j.result]));
const explain = (run: ActRun) =>
  `act exited ${run.exitCode}; jobs ${JSON.stringify(jobResults(run))}\n${run.log.split('\n').slice(-60).join('\n')}`;

/** One workflow, dispatched by hand on the test branch; the checkout first takes what the origin has. */
function dispatch(workflow: string, inputs: Record<string, string>): Promise<ActRun> {
  repo.git('pull', '-q', '--ff-only', 'origin', branch);
  return runAct({
    repo,
    workflow,
    event: 'workflow_dispatch',
    inputs,
    secrets,
    artifactDir: join(base, 'artifacts'),
    timeoutMs: 240_000,
  });
}

beforeAll(async () => {
  ensureBuilt();
  await requireStaging();
  requireGitOrigin();
  actBinary();
  secrets = {
    REDIS_PASSWORD: redisPassword(REDIS_USERS.monitor),
    POSTGRES_PASSWORD: postgresPassword(POSTGRES_ROLES.monitor),
  };
  base = mkdtempSync(join(tmpdir(), 'cc-pulse-flows-'));
  repo = projectRepo({ origin: STACK.gitOrigin, branch, parent: base });
}, 1_200_000);

describe('infra-pulse.yml, run by act against the stack', () => {
  it("a good morning: every required dependency is up; the Infra Pulse section is committed to the day's status file", async () => {
    const run = await dispatch('infra-pulse.yml', { date: GOOD_MORNING });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(jobResults(run)).toEqual({ pulse: 'success' });
    expect(originHead()).toBe(`chore: infra pulse for ${GOOD_MORNING} [skip ci]`);
    const sections = sectionsOf(onOrigin(status(GOOD_MORNING)));
    expect(Object.keys(sections)).toEqual([PULSE_SECTION]);
    const facts = readPulseMarker(sections[PULSE_SECTION]);
    expect(facts).toMatchObject({ ready: true, blocking: [] });
    expect(sections[PULSE_SECTION]).toContain('every required dependency is up');
  }, 300_000);

  it('a morning with Redis down fails, with the runbook link committed into the status report', async () => {
    const run = await withComponentDown('redis', () => dispatch('infra-pulse.yml', { date: REDIS_DOWN }));
    expect(run.exitCode, explain(run)).not.toBe(0);
    expect(jobResults(run)).toEqual({ pulse: 'failure' });
    expect(run.log).toContain('required dependency down');
    expect(originHead()).toBe(`chore: infra pulse for ${REDIS_DOWN} [skip ci]`);
    const section = sectionsOf(onOrigin(status(REDIS_DOWN)))[PULSE_SECTION]!;
    const facts = readPulseMarker(section);
    expect(facts?.ready).toBe(false);
    expect(facts?.blocking).toContain('redis:sessions-primary');
    expect(section).toContain('**required dependency down**: `redis:sessions-primary`');
    // The link works from the status file's folder on the forge.
    expect(section).toContain('(../../runbooks/kill-switch.md#redis)');
  }, 400_000);
});

describe('daily-wrap.yml, run by act after a recording', () => {
  it('a wrap lists the contract recording made since the previous wrap, the morning verdict and the missed minimum', async () => {
    const first = await dispatch('daily-wrap.yml', { date: FIRST_WRAP });
    expect(first.exitCode, explain(first)).toBe(0);
    expect(originHead()).toBe(`chore: daily wrap for ${FIRST_WRAP} [skip ci]`);

    const record = await dispatch('record-contracts.yml', { date: RECORDED });
    expect(record.exitCode, explain(record)).toBe(0);

    const wrap = await dispatch('daily-wrap.yml', { date: GOOD_MORNING });
    expect(wrap.exitCode, explain(wrap)).toBe(0);
    expect(jobResults(wrap)).toEqual({ wrap: 'success' });
    expect(originHead()).toBe(`chore: daily wrap for ${GOOD_MORNING} [skip ci]`);
    const sections = sectionsOf(onOrigin(status(GOOD_MORNING)));
    // The morning's section is still there, untouched, before the wrap's.
    expect(Object.keys(sections)).toEqual([PULSE_SECTION, WRAP_SECTION]);
    const text = sections[WRAP_SECTION]!;
    expect(text).toContain(`Contract updates since the wrap of ${FIRST_WRAP}`);
    expect(text).toMatch(
      new RegExp(
        `- \`docs/design/contracts/${RECORDED}\`: \`constitution\`, \`orchestrator\`, \`policy-engine\`, \`topics\` \\(\\d+ file\\(s\\)\\)`,
      ),
    );
    expect(text).toMatch(
      /### Morning pulse\n\n(✅ OK|⚠️ WARN) at \d\d:\d\d — every required dependency was up\./,
    );
    expect(text).toContain(
      `**The twice-a-week minimum was missed**: the previous wrap was on ${FIRST_WRAP}, 7 days before this one (more than 4).`,
    );
    expect(text).toContain('| Policy decision latency (p95) | Governance Core |');
  }, 900_000);
});
