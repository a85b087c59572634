// evidence-archive's follow-up issues, run as the runner runs the bundle, against the stack's real
// Gitea: the repository is a Gitea repository, the evidence is committed to it, and the issues are
// opened, commented on and closed there over three Integration Days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forge, type ForgeIssue } from '../../src/lib/forge/index.js';
import { parseMarker } from '../../src/actions/evidence-archive/follow-up.js';
import { ensureBuilt } from '../support/build.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { STATE_DIR } from '../support/paths.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { needsServers } from '../support/servers.js';

needsServers('forge');

let stack: StackForge;
let repo: ForgeRepo;
let forge: Forge;
let scratch: string;
/** A real user of the forge, collaborator of the repository: the Governance Core squad's owner. */
let owner: string;

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  ensureBuilt();
  stack = await requireForge();
  repo = await createForgeRepo(stack, 'follow-up', true);
  await repo.untilNotEmpty();
  forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: repo.fullName, retries: 0 });
  scratch = mkdtempSync(join(tmpdir(), 'cc-follow-up-'));
  owner = `gov-${randomBytes(4).toString('hex')}`;
  const created = await admin('POST', '/admin/users', {
    username: owner,
    email: `${owner}@example.com`,
    password: `pw-${randomBytes(8).toString('hex')}`,
    must_change_password: false,
  });
  expect(created.status, await created.text()).toBe(201);
  const collaborator = await admin('PUT', `/repos/${repo.fullName}/collaborators/${owner}`, {
    permission: 'write',
  });
  expect(collaborator.status).toBe(204);
}, 180_000);

afterAll(async () => {
  await repo?.remove();
  if (owner) await admin('DELETE', `/admin/users/${owner}`);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function envelope(action: string, status: 'success' | 'failure', result: unknown) {
  return {
    action,
    schemaVersion: 1,
    status,
    startedAt: '2026-11-25T17:00:00.000Z',
    finishedAt: '2026-11-25T17:04:30.000Z',
    run: { repository: 'acme/platform', runId: '1', runAttempt: '1', job: 'integration-day' },
    result,
  };
}

const helm = (ok: boolean) =>
  envelope('helm-deploy', ok ? 'success' : 'failure', {
    release: 'staging',
    namespace: 'staging',
    revision: ok ? 8 : 7,
    status: ok ? 'deployed' : 'failed',
    ...(ok ? {} : { failure: 'deployment/policy-engine did not become ready: CrashLoopBackOff' }),
  });

const smoke = (policyPasses: boolean) =>
  envelope('smoke-suite', policyPasses ? 'success' : 'failure', {
    suites: [
      {
        name: 'policy',
        squad: 'Governance Core',
        runbook: 'docs/runbooks/integration-day.md#a-smoke-suite-failed',
        required: true,
        status: policyPasses ? 'passed' : 'failed',
        counts: { tests: 12, passed: policyPasses ? 12 : 11, failed: policyPasses ? 0 : 1 },
        failures: policyPasses
          ? []
          : [
              {
                id: 'tests/test_policy.py::test_deny_header',
                message: "assert 'allow' == 'deny'",
                location: { file: 'tests/test_policy.py', line: 42 },
              },
            ],
      },
      {
        name: 'admin-console',
        squad: 'Experience & Ecosystem',
        required: true,
        status: 'passed',
        counts: { tests: 30, passed: 30 },
        failures: [],
      },
    ],
  });

const kafkaHealthy = envelope('kafka-topic-check', 'success', {
  healthy: true,
  failOn: 'error',
  topics: [{ name: 'policy.decisions', status: 'ok', owner: 'Governance Core', findings: [], traceIds: [] }],
  groups: [],
});

/** kafka-topic-check's own result of an outage: the real action, run against a port nobody listens on. */
async function kafkaOutageResult(): Promise<string> {
  const run = await runAction('kafka-topic-check', {
    inputs: { brokers: '127.0.0.1:1', topics: '- name: policy.decisions', timeout: '20s', window: '1s' },
  });
  expect(run.exitCode).toBe(1);
  return run.outputs['result-path']!;
}

/** One Integration Day: a fresh clone of the Gitea repository, the steps' results, evidence-archive. */
async function day(
  date: string,
  results: { helm: object; smoke: object; kafka: object | string },
  extra: { inputs?: Record<string, string>; token?: string; commit?: boolean } = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(scratch, `${date}-`));
  const ws = join(dir, 'ws');
  execFileSync('git', ['clone', '-q', repo.pushUrl, ws], { stdio: 'ignore' });
  const rt = join(dir, 'rt');
  mkdirSync(join(rt, 'command-center'), { recursive: true });
  writeFileSync(join(rt, 'command-center', 'helm-deploy-1.json'), JSON.stringify(results.helm));
  writeFileSync(join(rt, 'command-center', 'smoke-suite-1.json'), JSON.stringify(results.smoke));
  const kafka = join(rt, 'command-center', 'kafka-topic-check-1.json');
  if (typeof results.kafka === 'string') copyFileSync(results.kafka, kafka);
  else writeFileSync(kafka, JSON.stringify(results.kafka));
  const run = await runAction('evidence-archive', {
    workspace: ws,
    env: {
      RUNNER_TEMP: rt,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SERVER_URL: stack.url,
      GITHUB_REPOSITORY: repo.fullName,
      GITHUB_RUN_ID: String(Number(date.replaceAll('-', '')) % 100000),
    },
    inputs: {
      date,
      'follow-up-issues': 'true',
      token: extra.token ?? stack.token,
      'api-url': stack.apiUrl,
      assignees: `Governance Core: [${owner}]`,
      artifact: 'false',
      commit: extra.commit === false ? 'false' : 'true',
      ...extra.inputs,
    },
    timeoutMs: 180_000,
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  return run;
}

const followUps = (run: ActionRun) =>
  JSON.parse(run.outputs['follow-up-issues']!) as {
    item: string;
    number: number;
    url: string;
    action: string;
    streak?: number;
  }[];

/** A real token of the admin with only these scopes (Gitea makes tokens for a user who signs in with the password). */
async function tokenWith(scopes: string[]): Promise<string> {
  const password = readFileSync(join(STATE_DIR, 'forge', 'admin-password'), 'utf8').trim();
  const res = await fetch(`${stack.apiUrl}/users/${stack.admin}/tokens`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${stack.admin}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: `limited-${randomBytes(4).toString('hex')}`, scopes }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { sha1: string }).sha1;
}

async function allIssues(): Promise<ForgeIssue[]> {
  return forge.listIssues({ state: 'all' });
}

describe('follow-up issues on the real forge, over three Integration Days', () => {
  let byItem: Record<string, ForgeIssue>;

  it('a failing day opens one issue per failed item, with labels, assignees and a body that says it all; the report links each', async () => {
    const run = await day('2026-11-18', {
      helm: helm(false),
      smoke: smoke(false),
      kafka: await kafkaOutageResult(),
    });
    expect(run.outputs.pushed).toBe('true');
    const touched = followUps(run);
    expect(touched.map((t) => [t.item, t.action]).sort()).toEqual([
      ['deploy:staging/staging', 'opened'],
      ['incident:kafka-unreachable', 'opened'],
      ['suite:policy', 'opened'],
    ]);
    const issues = await allIssues();
    expect(issues).toHaveLength(3);
    byItem = Object.fromEntries(issues.map((i) => [parseMarker(i.body)!.item, i]));

    const policy = byItem['suite:policy']!;
    expect(policy.state).toBe('open');
    expect(policy.labels.sort()).toEqual(['Governance Core', 'integration-day']);
    expect(policy.assignees).toEqual([owner]);
    const reportUrl = `${stack.url}/${repo.fullName}/src/branch/main/docs/sprints/status/2026-11-18.md`;
    expect(policy.body).toContain("assert 'allow' == 'deny'");
    expect(policy.body).toContain(`[status report](${reportUrl})`);
    expect(policy.body).toContain(
      `[evidence](${stack.url}/${repo.fullName}/src/branch/main/docs/sprints/status/2026-11-18/evidence/README.md)`,
    );
    expect(policy.body).toContain(`/${repo.fullName}/actions/runs/`);
    expect(policy.body).toContain(
      `(${stack.url}/${repo.fullName}/src/branch/main/docs/runbooks/integration-day.md#a-smoke-suite-failed)`,
    );
    // The links are real pages of the forge: the report was committed there.
    const page = await fetch(reportUrl);
    expect(page.status).toBe(200);

    // The deploy blocks every squad of the day: cross-squad, assigned through the Governance Core mapping.
    const deploy = byItem['deploy:staging/staging']!;
    expect(deploy.labels.sort()).toEqual(
      ['Experience & Ecosystem', 'Governance Core', 'cross-squad', 'integration-day'].sort(),
    );
    expect(deploy.assignees).toEqual([owner]);
    expect(deploy.body).toContain('CrashLoopBackOff');

    // Kafka unreachable (kafka-topic-check's real outage result): one incident, with both runbooks.
    const incident = byItem['incident:kafka-unreachable']!;
    expect(incident.labels.sort()).toEqual(['incident', 'integration-day']);
    expect(incident.body).toMatch(/cannot reach Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(incident.body).toContain(`/src/branch/main/docs/runbooks/kill-switch.md)`);
    expect(incident.body).toContain(`/src/branch/main/docs/runbooks/disaster-recovery.md)`);

    // The committed status report links each issue next to its failed item.
    const report = await (
      await fetch(`${stack.url}/${repo.fullName}/raw/branch/main/docs/sprints/status/2026-11-18.md`)
    ).text();
    const failed = report.slice(report.indexOf('## What failed'));
    const row = (what: string) =>
      failed
        .slice(0, failed.indexOf('\n## ', 3))
        .split('\n')
        .find((l) => l.startsWith(`| ${what} `)) ?? '';
    expect(row('policy: tests/test_policy.py::test_deny_header')).toContain(
      `[#${policy.number}](${policy.htmlUrl})`,
    );
    expect(row('helm-deploy')).toContain(`[#${deploy.number}](${deploy.htmlUrl})`);
    expect(row('kafka-topic-check')).toContain(`[#${incident.number}](${incident.htmlUrl})`);
  }, 300_000);

  it('a second failing day comments the streak on the same issue; items that pass are closed with a link to that day', async () => {
    const run = await day('2026-11-25', { helm: helm(true), smoke: smoke(false), kafka: kafkaHealthy });
    expect(
      followUps(run)
        .map((t) => [t.item, t.action, t.streak])
        .sort(),
    ).toEqual([
      ['deploy:staging/staging', 'closed', undefined],
      ['incident:kafka-unreachable', 'closed', undefined],
      ['suite:policy', 'commented', 2],
    ]);
    const issues = await allIssues();
    expect(issues).toHaveLength(3);
    const policy = await forge.getIssue(byItem['suite:policy']!.number);
    expect(policy.state).toBe('open');
    expect(parseMarker(policy.body)!.days).toEqual(['2026-11-18', '2026-11-25']);
    const comments = await forge.listComments(policy.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('failing 2 Integration Days in a row');
    const reportUrl = `${stack.url}/${repo.fullName}/src/branch/main/docs/sprints/status/2026-11-25.md`;
    for (const item of ['deploy:staging/staging', 'incident:kafka-unreachable']) {
      const closed = await forge.getIssue(byItem[item]!.number);
      expect(closed.state).toBe('closed');
      const [comment] = await forge.listComments(closed.number);
      expect(comment!.body).toContain('passed on Integration Day **2026-11-25**');
      expect(comment!.body).toContain(`[status report](${reportUrl})`);
    }
    // The same day archived again (a re-run) adds no second comment.
    const again = await day('2026-11-25', { helm: helm(true), smoke: smoke(false), kafka: kafkaHealthy });
    expect(followUps(again).find((t) => t.item === 'suite:policy')!.action).toBe('unchanged');
    expect(await forge.listComments(policy.number)).toHaveLength(1);
  }, 300_000);

  it('a passing day closes the last issue with a comment linking the passing day', async () => {
    const run = await day('2026-12-02', { helm: helm(true), smoke: smoke(true), kafka: kafkaHealthy });
    expect(followUps(run).map((t) => [t.item, t.action])).toEqual([['suite:policy', 'closed']]);
    const policy = await forge.getIssue(byItem['suite:policy']!.number);
    expect(policy.state).toBe('closed');
    const comments = await forge.listComments(policy.number);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toContain('passed on Integration Day **2026-12-02**');
    expect(comments[1]!.body).toContain(
      `[status report](${stack.url}/${repo.fullName}/src/branch/main/docs/sprints/status/2026-12-02.md)`,
    );
    expect(await allIssues()).toHaveLength(3);
  }, 300_000);

  it("a token that may not write issues: a clear warning, the step and the day's verdict unchanged", async () => {
    const readOnly = await tokenWith(['read:repository', 'read:issue']);
    const before = await allIssues();
    const results = { helm: helm(true), smoke: smoke(false), kafka: kafkaHealthy };
    const run = await day('2026-12-09', results, { token: readOnly, commit: false });
    const withoutFollowUp = await day('2026-12-09', results, {
      commit: false,
      inputs: { 'follow-up-issues': 'false' },
    });

    const warning = run.annotations.find(
      (a) => a.level === 'warning' && a.message.includes('follow-up issues'),
    );
    expect(warning?.message).toMatch(
      /^follow-up issues were not updated: the token may not .* \(HTTP 403: .*\)\. Give the evidence job `permissions: issues: write`/,
    );
    const envelope = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { status: string };
    expect(envelope.status).toBe('success');
    expect(run.outputs['follow-up-issues']).toBe('[]');
    const verdict = (r: ActionRun) =>
      readFileSync(join(r.dirs.workspace, 'docs/sprints/status/2026-12-09.md'), 'utf8')
        .split('\n')
        .find((l) => /^(✅|⚠️|❌|❔) \*\*/.test(l));
    expect(verdict(run)).toMatch(/^❌ \*\*1 of 3 step\(s\) failed/);
    expect(verdict(run)).toBe(verdict(withoutFollowUp));

    // A token that may not even read the issues (as GitHub's job token without `issues` on a private
    // repository): the same warning, the same verdict.
    const noIssues = await day('2026-12-09', results, {
      token: await tokenWith(['read:repository']),
      commit: false,
    });
    const refused = noIssues.annotations.find(
      (a) => a.level === 'warning' && a.message.includes('follow-up issues'),
    );
    expect(refused?.message).toMatch(
      /^follow-up issues were not updated: the forge refused to list the issues \(HTTP 403: .*\)\. Give the evidence job `permissions: issues: write`/,
    );
    expect(verdict(noIssues)).toBe(verdict(withoutFollowUp));

    // Nothing was written on the forge.
    expect((await allIssues()).map((i) => [i.number, i.state])).toEqual(
      before.map((i) => [i.number, i.state]),
    );
  }, 300_000);
});
