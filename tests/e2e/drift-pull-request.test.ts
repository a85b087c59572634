// design-drift on a real pull request of the stack's Gitea, end to end: `main` protected with the
// required status check `design-drift`; the check (mode: check) runs on the pull request's checkout
// and hands over its result; the report (mode: report) runs in a workspace without the pull request's
// code and posts the commit status and the sticky comment. Breaking drift: the forge refuses the
// merge. The contract fixed and pushed: the status turns to success, the comment says "resolved",
// and the merge goes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Forge } from '../../src/lib/forge/index.js';
import { DRIFT_COMMENT_MARKER } from '../../src/actions/design-drift/pull-request.js';
import { ensureBuilt } from '../support/build.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { needsServers } from '../support/servers.js';
import { sh as git } from '../support/git.js';
import { recording, usersApi } from '../security/drift-repo.js';

needsServers('forge');

let stack: StackForge;
let repo: ForgeRepo;
let forge: Forge;
let root: string;
/** The pull request's checkout: where the check runs. */
let checkout: string;

const write = (path: string, content: unknown) => {
  mkdirSync(dirname(join(checkout, path)), { recursive: true });
  writeFileSync(join(checkout, path), `${JSON.stringify(content, null, 2)}\n`);
};

/** Gitea answers the forge's own REST API; branch protection is test setup, so it is set here. */
async function protectMain(): Promise<void> {
  const res = await fetch(`${stack.apiUrl}/repos/${repo.fullName}/branch_protections`, {
    method: 'POST',
    headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      rule_name: 'main',
      branch_name: 'main',
      enable_status_check: true,
      status_check_contexts: ['design-drift'],
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** The check as design-drift.yml runs it on a pull request: the PR's checkout, the event the runner writes. */
async function check(pr: { number: number; headSha: string }): Promise<{ run: ActionRun; handoff: string }> {
  const event = join(root, `event-${pr.headSha}.json`);
  writeFileSync(
    event,
    JSON.stringify({ pull_request: { number: pr.number, head: { sha: pr.headSha }, labels: [] } }),
  );
  const handoff = join(root, `design-drift-${pr.headSha}.json`);
  const run = await runAction('design-drift', {
    workspace: checkout,
    inputs: { declared: 'specs/*.json', 'base-ref': 'origin/main', 'result-path': handoff },
    env: { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: repo.fullName },
  });
  return { run, handoff };
}

/**
 * The companion's step: a fresh workspace holding only the downloaded artifact (no checkout of the
 * pull request), the head commit from the workflow_run event, the forge's API and a token.
 */
async function report(handoff: string, headSha: string, token = stack.token): Promise<ActionRun> {
  return runAction('design-drift', {
    workspaceSetup: (ws) => {
      mkdirSync(join(ws, 'handoff'));
      if (existsSync(handoff)) copyFileSync(handoff, join(ws, 'handoff', 'design-drift.json'));
    },
    inputs: {
      mode: 'report',
      handoff: 'handoff/design-drift.json',
      'head-sha': headSha,
      'details-url': `${repo.htmlUrl}/actions/runs/7`,
      token,
      'api-url': stack.apiUrl,
    },
    env: { GITHUB_REPOSITORY: repo.fullName, GITHUB_EVENT_NAME: 'workflow_run' },
  });
}

async function pushHead(message: string): Promise<string> {
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-q', '-m', message);
  git(checkout, 'push', '-q', 'origin', 'pull-request');
  return git(checkout, 'rev-parse', 'HEAD');
}

/** A commit status as Gitea lists it (`status` is GitHub's `state`). */
interface StatusRow {
  context: string;
  status: string;
  target_url: string;
  description: string;
  creator: { login: string };
}

async function statusesOf(sha: string): Promise<StatusRow[]> {
  const res = await fetch(`${stack.apiUrl}/repos/${repo.fullName}/statuses/${sha}`, {
    headers: { authorization: `token ${stack.token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as StatusRow[];
}

const driftComments = async (number: number) =>
  (await forge.listComments(number)).filter((c) => c.body.includes(DRIFT_COMMENT_MARKER));

/** Gitea works out mergeability in the background: a refusal for that reason is asked again. */
async function merge(number: number): Promise<{ merged: boolean; refused?: string }> {
  let last: { merged: boolean; refused?: string } = { merged: false };
  for (let i = 0; i < 20; i++) {
    last = await forge.mergePull(number);
    if (last.merged || /status/i.test(last.refused ?? '')) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

/** A real user of the forge with a token of the given scopes (the admin creates it; its password makes the token). */
async function forgeUser(
  prefix: string,
  scopes: string[],
): Promise<{ login: string; token: string; remove: () => Promise<void> }> {
  const login = `${prefix}-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const admin = { authorization: `token ${stack.token}`, 'content-type': 'application/json' };
  const made = await fetch(`${stack.apiUrl}/admin/users`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({
      username: login,
      email: `${login}@example.com`,
      password,
      must_change_password: false,
    }),
  });
  expect(made.status, await made.clone().text()).toBe(201);
  const basic = Buffer.from(`${login}:${password}`).toString('base64');
  const res = await fetch(`${stack.apiUrl}/users/${login}/tokens`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'drift', scopes }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return {
    login,
    token: ((await res.json()) as { sha1: string }).sha1,
    remove: async () => {
      await fetch(`${stack.apiUrl}/admin/users/${login}?purge=true`, { method: 'DELETE', headers: admin });
    },
  };
}

beforeAll(async () => {
  await ensureBuilt();
  stack = await requireForge();
  repo = await createForgeRepo(stack, 'drift-pr');
  forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: repo.fullName, retries: 0 });
  root = mkdtempSync(join(tmpdir(), 'cc-drift-pr-'));
  checkout = join(root, 'work');
  mkdirSync(checkout);
  git(checkout, 'init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(recording('2026-11-20', { 'users.json': usersApi() }))) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    writeFileSync(join(checkout, path), text);
  }
  write('specs/users.json', usersApi());
  git(checkout, 'add', '-A');
  git(checkout, 'commit', '-q', '-m', 'recorded contracts and the declared copy');
  git(checkout, 'remote', 'add', 'origin', repo.pushUrl);
  git(checkout, 'push', '-q', 'origin', 'main');
  await repo.untilNotEmpty();
  await protectMain();
  git(checkout, 'checkout', '-q', '-b', 'pull-request');
}, 180_000);

afterAll(async () => {
  await repo?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('design-drift on a pull request of a protected branch (Gitea)', () => {
  it('breaking drift: failure status and a comment, the merge refused; fixed: success, resolved, merged', async () => {
    // 1. The pull request removes User.nickname from a response: breaking.
    const api = usersApi();
    delete api.components.schemas.User.properties.nickname;
    write('specs/users.json', api);
    const sha1 = await pushHead('users: drop the nickname');
    const pull = await forge.createPull({
      title: 'Drop the nickname',
      body: 'x',
      head: 'pull-request',
      base: 'main',
    });
    expect(pull.headSha).toBe(sha1);

    const first = await check({ number: pull.number, headSha: sha1 });
    expect(first.run.exitCode, first.run.stdout).not.toBe(0);
    const handed = JSON.parse(readFileSync(first.handoff, 'utf8')) as { result: Record<string, unknown> };
    expect(handed.result.pullRequest).toEqual({ number: pull.number, headSha: sha1 });

    const posted = await report(first.handoff, sha1);
    expect(posted.exitCode, posted.stdout + posted.stderr).toBe(0);
    expect(posted.outputs).toMatchObject({ status: 'failure', comment: 'created' });
    const [status1] = (await statusesOf(sha1)).filter((s) => s.context === 'design-drift');
    expect(status1).toMatchObject({
      status: 'failure',
      target_url: `${repo.htmlUrl}/actions/runs/7`,
      // Against the recording and against the base branch: the same removal, found twice.
      description: '2 breaking change(s)',
    });
    const [comment] = await driftComments(pull.number);
    expect(comment!.body).toContain('Design drift: ❌ drift fails the check');
    expect(comment!.body).toContain('nickname');
    expect(comment!.body).not.toContain('Resolved');

    const refused = await merge(pull.number);
    expect(refused.merged).toBe(false);
    expect(refused.refused).toMatch(/status/i);
    expect((await forge.getPull(pull.number)).merged).toBe(false);

    // 2. A second push, still breaking (Team.motto goes too): the same comment, updated.
    const api2 = usersApi();
    delete api2.components.schemas.User.properties.nickname;
    delete api2.components.schemas.Team.properties.motto;
    write('specs/users.json', api2);
    const sha2 = await pushHead('teams: drop the motto');
    // The first run's result, reported late: its status stays on its commit, no comment for a stale head.
    const late = await report(first.handoff, sha1);
    expect(late.outputs).toMatchObject({ status: 'failure', comment: 'skipped' });

    const second = await check({ number: pull.number, headSha: sha2 });
    expect(second.run.exitCode).not.toBe(0);
    const updated = await report(second.handoff, sha2);
    expect(updated.outputs).toMatchObject({ status: 'failure', comment: 'updated' });
    const afterUpdate = await driftComments(pull.number);
    expect(afterUpdate.map((c) => c.id)).toEqual([comment!.id]);
    expect(afterUpdate[0]!.body).toContain('motto');
    expect(afterUpdate[0]!.body).toContain(sha2.slice(0, 12));
    expect((await merge(pull.number)).merged).toBe(false);

    // 3. The contract fixed: no drift. Success on the new head, the comment resolved, the merge allowed.
    write('specs/users.json', usersApi());
    const sha3 = await pushHead('users and teams: keep the recorded contract');
    const third = await check({ number: pull.number, headSha: sha3 });
    expect(third.run.exitCode, third.run.stdout).toBe(0);
    const resolved = await report(third.handoff, sha3);
    expect(resolved.outputs).toMatchObject({ status: 'success', comment: 'resolved' });
    const afterFix = await driftComments(pull.number);
    expect(afterFix.map((c) => c.id)).toEqual([comment!.id]);
    expect(afterFix[0]!.body).toContain('Resolved: the drift reported on this pull request is gone');
    expect((await forge.combinedStatus(sha3)).statuses).toContainEqual({
      context: 'design-drift',
      state: 'success',
    });
    expect((await statusesOf(sha1)).filter((s) => s.context === 'design-drift').map((s) => s.status)).toEqual(
      ['failure', 'failure'],
    );

    const merged = await merge(pull.number);
    expect(merged).toEqual({ merged: true });
    expect((await forge.getPull(pull.number)).merged).toBe(true);
  });

  it('a look-alike comment saying "no drift" does not stand: the report writes the true verdict into it', async () => {
    // The report runs with the token of a collaborator who may write (as the job's token may); another
    // user, who may only comment, first posts a comment that starts with the marker and claims no drift.
    // A writer may edit others' comments (on GitHub and Gitea alike), so the look-alike is the sticky
    // comment from then on, with the true table in it.
    const bot = await forgeUser('drift-bot', ['write:repository', 'write:issue']);
    const stranger = await forgeUser('stranger', ['write:issue', 'read:repository']);
    try {
      const added = await fetch(`${stack.apiUrl}/repos/${repo.fullName}/collaborators/${bot.login}`, {
        method: 'PUT',
        headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ permission: 'write' }),
      });
      expect(added.status).toBe(204);
      git(checkout, 'fetch', '-q', 'origin');
      git(checkout, 'checkout', '-q', '-B', 'pull-request-3', 'origin/main');
      const api = usersApi();
      delete api.components.schemas.Team.properties.motto;
      write('specs/users.json', api);
      git(checkout, 'add', '-A');
      git(checkout, 'commit', '-q', '-m', 'teams: drop the motto');
      git(checkout, 'push', '-q', 'origin', 'pull-request-3');
      const headSha = git(checkout, 'rev-parse', 'HEAD');
      const pull = await forge.createPull({
        title: 'Motto',
        body: 'x',
        head: 'pull-request-3',
        base: 'main',
      });
      const spoof = `${DRIFT_COMMENT_MARKER}\n## Design drift: ✅ no drift`;
      const posted = await fetch(`${stack.apiUrl}/repos/${repo.fullName}/issues/${pull.number}/comments`, {
        method: 'POST',
        headers: { authorization: `token ${stranger.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: spoof }),
      });
      expect(posted.status).toBe(201);

      const { handoff } = await check({ number: pull.number, headSha });
      const first = await report(handoff, headSha, bot.token);
      expect(first.exitCode, first.stdout).toBe(0);
      expect(first.outputs).toMatchObject({ status: 'failure', comment: 'updated' });
      const comments = await driftComments(pull.number);
      expect(comments.map((c) => c.author)).toEqual([stranger.login]);
      expect(comments[0]!.body).not.toContain('✅ no drift');
      expect(comments[0]!.body).toContain('Design drift: ❌ drift fails the check');
      expect(comments[0]!.body).toContain('motto');
      const [status] = (await statusesOf(headSha)).filter((st) => st.context === 'design-drift');
      expect(status).toMatchObject({ status: 'failure', creator: { login: bot.login } });
    } finally {
      await bot.remove();
      await stranger.remove();
    }
  });

  it('a token that may not set statuses fails the step, saying which permissions the job needs', async () => {
    const reader = await forgeUser('drift-reader', ['read:repository', 'read:issue']);
    try {
      git(checkout, 'fetch', '-q', 'origin');
      git(checkout, 'checkout', '-q', '-B', 'pull-request-4', 'origin/main');
      const api = usersApi();
      delete api.components.schemas.User.properties.nickname;
      write('specs/users.json', api);
      git(checkout, 'add', '-A');
      git(checkout, 'commit', '-q', '-m', 'users: drop the nickname once more');
      git(checkout, 'push', '-q', 'origin', 'pull-request-4');
      const headSha = git(checkout, 'rev-parse', 'HEAD');
      const pull = await forge.createPull({
        title: 'Read-only',
        body: 'x',
        head: 'pull-request-4',
        base: 'main',
      });
      const { handoff } = await check({ number: pull.number, headSha });
      const run = await report(handoff, headSha, reader.token);
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toMatch(/the token may not set commit statuses in \S+ \(HTTP 403: /);
      expect(run.stdout).toContain(
        'the job running mode: report needs the permissions statuses: write and pull-requests: write',
      );
      expect(await statusesOf(headSha)).toEqual([]);
      expect(await driftComments(pull.number)).toEqual([]);
    } finally {
      await reader.remove();
    }
  });

  it('a check that handed over no result: the status says error, linking the run', async () => {
    // The repository's first commit: no other test sets a status on it.
    const headSha = git(checkout, 'rev-list', '--max-parents=0', 'origin/main');
    const run = await report(join(root, 'no-such-result.json'), headSha);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('the check run handed over no result');
    const statuses = (await statusesOf(headSha)).filter((st) => st.context === 'design-drift');
    expect(statuses.map((st) => [st.status, st.target_url])).toEqual([
      ['error', `${repo.htmlUrl}/actions/runs/7`],
    ]);
  });

  it('refuses a handed-over result of another commit than the run names, and posts nothing', async () => {
    git(checkout, 'checkout', '-q', '-B', 'pull-request-2', 'origin/main');
    git(checkout, 'fetch', '-q', 'origin');
    git(checkout, 'reset', '-q', '--hard', 'origin/main');
    const api = usersApi();
    delete api.components.schemas.User.properties.nickname;
    write('specs/users.json', api);
    git(checkout, 'add', '-A');
    git(checkout, 'commit', '-q', '-m', 'users: drop the nickname again');
    git(checkout, 'push', '-q', 'origin', 'pull-request-2');
    const headSha = git(checkout, 'rev-parse', 'HEAD');
    const pull = await forge.createPull({ title: 'Again', body: 'x', head: 'pull-request-2', base: 'main' });
    const { handoff } = await check({ number: pull.number, headSha });
    const other = git(checkout, 'rev-parse', 'origin/main');

    const run = await report(handoff, other);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain(`is the result for commit "${headSha}", not for the run's head "${other}"`);
    expect(run.stdout).toContain('refused, nothing was posted');
    expect(await driftComments(pull.number)).toEqual([]);
    expect(await statusesOf(other)).toEqual([]);
    expect(await statusesOf(headSha)).toEqual([]);
  });
});
