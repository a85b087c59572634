// commit-mode against a protected branch on the stack's real Gitea: the real bundles of evidence-archive
// and contract-record, run as the runner runs them. A direct push to the protected `main` is refused
// (the step fails and says why, nothing lands); `commit-mode: pull-request` pushes the step's own
// branch and opens the pull request, a second run updates the same one, and auto-merge is tried
// where the forge allows it and left open, with a warning, where it does not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forge } from '../../src/lib/forge/index.js';
import { ensureBuilt } from '../support/build.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { TEST_IDENTITY } from '../support/git.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { needsServers } from '../support/servers.js';
import { STAGING, requireStaging } from '../fixtures/contracts/staging.js';

needsServers('forge', 'staging');

const DATE = '2026-12-02';
const HEAD = `command-center/evidence-${DATE}`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...TEST_IDENTITY, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

let stack: StackForge;
let repo: ForgeRepo;
let forge: Forge;
let scratch: string;
let mainTip: string;

/** Gitea's own branch protection call (GitHub's does not exist there): `main` takes no direct push. */
async function protectMain(o: { requiredCheck?: string }, update = false): Promise<void> {
  const res = await fetch(
    `${stack.apiUrl}/repos/${repo.fullName}/branch_protections${update ? '/main' : ''}`,
    {
      method: update ? 'PATCH' : 'POST',
      headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...(update ? {} : { rule_name: 'main' }),
        enable_push: false,
        enable_status_check: Boolean(o.requiredCheck),
        status_check_contexts: o.requiredCheck ? [o.requiredCheck] : [],
      }),
    },
  );
  expect(res.status, await res.text()).toBe(update ? 200 : 201);
}

/** A checkout the way actions/checkout makes one for a scheduled run: detached at main, able to push. */
function checkout(): string {
  const ws = mkdtempSync(join(scratch, 'ws-'));
  git(ws, 'clone', '-q', repo.pushUrl, '.');
  git(ws, 'checkout', '-q', '--detach', 'origin/main');
  return ws;
}

const remoteHeads = () =>
  git(scratch, 'ls-remote', '--heads', repo.pushUrl)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[1]!.replace('refs/heads/', ''))
    .sort();

const runnerEnv = () => ({
  GITHUB_REPOSITORY: repo.fullName,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SERVER_URL: stack.url,
  GITHUB_API_URL: stack.apiUrl,
});

function archiveRun(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('evidence-archive', {
    workspace: checkout(),
    env: runnerEnv(),
    inputs: { date: DATE, artifact: 'false', ...inputs },
    timeoutMs: 180_000,
  });
}

const resultOf = (run: ActionRun) =>
  JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as {
    status: string;
    result: {
      commit: { commitSha?: string; files?: string[]; error?: string } | null;
      pullRequest: {
        number: number;
        url: string;
        action: string;
        merged: boolean;
        mergeRefused?: string;
      } | null;
    };
  };

beforeAll(async () => {
  ensureBuilt();
  stack = await requireForge();
  repo = await createForgeRepo(stack, 'commit-mode', true);
  await repo.untilNotEmpty();
  forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: repo.fullName, retries: 0 });
  scratch = mkdtempSync(join(tmpdir(), 'commit-mode-'));
  await protectMain({});
  mainTip = git(scratch, 'ls-remote', repo.pushUrl, 'refs/heads/main').split('\t')[0]!;
}, 120_000);

const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await repo?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('commit-mode on a protected main (the real bundles against Gitea)', () => {
  let firstPull: number;
  let firstHeadTip: string;

  it('push mode: the forge refuses the direct push, the step fails saying so, and nothing lands', async () => {
    const run = await archiveRun({});
    expect(run.exitCode, run.stdout).toBe(1);
    const error = run.annotations.find((a) => a.level === 'error' && /commit-back/.test(a.message));
    expect(error?.message).toMatch(
      /refused the push to main: .*Not allowed to push to protected branch main/,
    );
    expect(error?.message).toContain('Nothing was forced; the commit was not pushed.');
    expect(resultOf(run).status).toBe('failure');
    // Nothing half-written: main did not move and no other branch appeared.
    expect(git(scratch, 'ls-remote', repo.pushUrl, 'refs/heads/main').split('\t')[0]).toBe(mainTip);
    expect(remoteHeads()).toEqual(['main']);
  }, 240_000);

  it('pull-request mode: pushes command-center/evidence-<date> and opens the pull request into main', async () => {
    const run = await archiveRun({ 'commit-mode': 'pull-request', token: stack.token });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    // The token is a secret: masked, and in no output.
    expect(run.masks).toContain(stack.token);
    const number = Number(run.outputs['pull-request-number']);
    expect(number).toBeGreaterThan(0);
    const pull = await forge.getPull(number);
    expect(pull).toMatchObject({ state: 'open', merged: false, head: HEAD, base: 'main' });
    expect(run.outputs['pull-request-url']).toBe(pull.htmlUrl);
    expect(run.outputs.pushed).toBe('true');
    // One commit on main's tip, holding only the step's own paths; main itself untouched.
    firstHeadTip = git(scratch, 'ls-remote', repo.pushUrl, `refs/heads/${HEAD}`).split('\t')[0]!;
    expect(firstHeadTip).toBe(run.outputs['commit-sha']);
    expect(pull.headSha).toBe(firstHeadTip);
    const ws = checkout();
    git(ws, 'fetch', '-q', 'origin', `${HEAD}:refs/remotes/origin/head`);
    expect(git(ws, 'rev-parse', 'origin/head^')).toBe(mainTip);
    const files = git(ws, 'show', '--name-only', '--format=', 'origin/head').split('\n');
    expect(files).toContain(`docs/sprints/status/${DATE}.md`);
    expect(
      files.every(
        (f) =>
          f === `docs/sprints/status/${DATE}.md` || f.startsWith(`docs/sprints/status/${DATE}/evidence/`),
      ),
    ).toBe(true);
    // Without [skip ci], so the pull request's required checks run.
    expect(git(ws, 'log', '-1', '--format=%s', 'origin/head')).toBe(
      `chore: Integration Day evidence for ${DATE}`,
    );
    expect(remoteHeads()).toEqual([HEAD, 'main'].sort());
    expect(git(scratch, 'ls-remote', repo.pushUrl, 'refs/heads/main').split('\t')[0]).toBe(mainTip);
    // The summary and the result file name the pull request.
    expect(run.summary).toContain(
      `Pull request [#${number}](${pull.htmlUrl}) opened from \`${HEAD}\` into \`main\``,
    );
    expect(resultOf(run).result.pullRequest).toMatchObject({
      number,
      url: pull.htmlUrl,
      action: 'opened',
      merged: false,
    });
    firstPull = number;
  }, 240_000);

  it('a second run replaces the branch and updates the same pull request instead of opening another', async () => {
    const run = await archiveRun({
      'commit-mode': 'pull-request',
      token: stack.token,
      'api-url': stack.apiUrl,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(Number(run.outputs['pull-request-number'])).toBe(firstPull);
    expect(resultOf(run).result.pullRequest).toMatchObject({ number: firstPull, action: 'updated' });
    const open = await forge.listPulls({ state: 'all' });
    expect(open.map((p) => p.number)).toEqual([firstPull]);
    // Still one commit on main's tip: the branch was replaced (with a lease), not stacked on.
    const tip = git(scratch, 'ls-remote', repo.pushUrl, `refs/heads/${HEAD}`).split('\t')[0]!;
    expect(tip).not.toBe(firstHeadTip);
    const ws = checkout();
    git(ws, 'fetch', '-q', 'origin', `${HEAD}:refs/remotes/origin/head`);
    expect(git(ws, 'rev-parse', 'origin/head^')).toBe(mainTip);
    expect(run.summary).toContain(`Pull request [#${firstPull}](`);
    expect(run.summary).toContain(') updated from');
  }, 240_000);

  it('auto-merge refused by a required check: the pull request stays open, a warning links it, the step passes', async () => {
    await protectMain({ requiredCheck: 'integration/required' }, true);
    const run = await archiveRun({ 'commit-mode': 'pull-request', token: stack.token, 'auto-merge': 'true' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const pull = await forge.getPull(firstPull);
    expect(pull).toMatchObject({ state: 'open', merged: false });
    const warning = run.annotations.find((a) => a.level === 'warning' && /auto-merge/.test(a.message));
    expect(warning?.message).toContain(`did not merge pull request #${firstPull} into main`);
    expect(warning?.message).toContain(pull.htmlUrl);
    expect(resultOf(run).result.pullRequest?.mergeRefused).toMatch(/^HTTP 405: .*status check/i);
    expect(resultOf(run).status).toBe('success');
    expect(git(scratch, 'ls-remote', repo.pushUrl, 'refs/heads/main').split('\t')[0]).toBe(mainTip);
  }, 240_000);

  it('contract-record in pull-request mode with auto-merge where the forge allows it: the recording reaches main', async () => {
    await requireStaging();
    await protectMain({}, true);
    const ws = checkout();
    const run = await runAction('contract-record', {
      workspace: ws,
      env: runnerEnv(),
      inputs: {
        date: DATE,
        endpoints: `services:\n  - name: policy-engine\n    url: ${STAGING.policy}\n    documents: [/openapi.json]\n`,
        commit: 'true',
        'commit-mode': 'pull-request',
        'auto-merge': 'true',
        token: stack.token,
      },
      timeoutMs: 180_000,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const number = Number(run.outputs['pull-request-number']);
    expect(number).toBeGreaterThan(0);
    expect(number).not.toBe(firstPull);
    const pull = await forge.getPull(number);
    expect(pull).toMatchObject({ merged: true, head: `command-center/contracts-${DATE}`, base: 'main' });
    expect(resultOf(run).result.pullRequest).toMatchObject({ number, action: 'opened', merged: true });
    expect(run.summary).toContain(`into \`main\`, and merged.`);
    // The recording is on main now, through the pull request; the evidence pull request is untouched.
    const check = checkout();
    expect(git(check, 'ls-tree', '-r', '--name-only', 'origin/main')).toContain(
      `docs/design/contracts/${DATE}/index.json`,
    );
    expect((await forge.getPull(firstPull)).state).toBe('open');
  }, 240_000);
  it("a fork's pull request from a branch of the same name is never updated or merged: the step opens its own", async () => {
    const date = '2026-12-09';
    const head = `command-center/evidence-${date}`;
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    // Someone else's fork, with a branch named like the step's, and a pull request from it into main.
    const org = `cc-fork-${Date.now().toString(36)}`;
    expect((await api('POST', '/orgs', { username: org, visibility: 'public' })).status).toBe(201);
    cleanups.push(() => api('DELETE', `/orgs/${org}`));
    const fork = await api('POST', `/repos/${repo.fullName}/forks`, { organization: org });
    expect(fork.status, await fork.clone().text()).toBe(202);
    const forkName = ((await fork.json()) as { full_name: string }).full_name;
    cleanups.push(() => api('DELETE', `/repos/${forkName}`));
    const forkUrl = new URL(repo.pushUrl);
    forkUrl.pathname = `/${forkName}.git`;
    const theirs = checkout();
    git(theirs, 'checkout', '-q', '-b', head);
    git(theirs, 'commit', '-q', '--allow-empty', '-m', "someone else's change");
    git(theirs, 'push', '-q', forkUrl.toString(), `HEAD:refs/heads/${head}`);
    const opened = await api('POST', `/repos/${repo.fullName}/pulls`, {
      title: 'from a fork',
      body: 'their words',
      head: `${org}:${head}`,
      base: 'main',
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const forkPull = ((await opened.json()) as { number: number }).number;

    const run = await runAction('evidence-archive', {
      workspace: checkout(),
      env: runnerEnv(),
      inputs: {
        date,
        artifact: 'false',
        'commit-mode': 'pull-request',
        token: stack.token,
        'auto-merge': 'true',
      },
      timeoutMs: 180_000,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const ours = Number(run.outputs['pull-request-number']);
    expect(ours).not.toBe(forkPull);
    expect(resultOf(run).result.pullRequest).toMatchObject({ number: ours, action: 'opened' });
    const theirPull = await forge.getPull(forkPull);
    expect(theirPull).toMatchObject({
      title: 'from a fork',
      state: 'open',
      merged: false,
      headRepo: `${org}/${repo.name}`,
    });
    expect((await forge.getPull(ours)).headRepo).toBe(repo.fullName);
  }, 240_000);
});
