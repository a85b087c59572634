// escalate and backlog-grid, the bundles run as the runner runs them, against the stack's real Gitea:
// real issues, labels, assignees, comments and milestones; the backlog committed back to the forge.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ESCALATION_MARKER } from '../../src/actions/escalate/decide.js';
import { BACKLOG_MARKER } from '../../src/actions/backlog-grid/grid.js';
import { Forge } from '../../src/lib/forge/index.js';
import { actBinary, projectRepo, runAct } from '../support/act.js';
import { ensureBuilt } from '../support/build.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { STATE_DIR } from '../support/paths.js';
import { runAction } from '../support/run-action.js';
import { STACK, needsServers, requireGitOrigin } from '../support/servers.js';
import { sh as git } from '../support/git.js';

needsServers('forge', 'git');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stack: StackForge;
const repos: ForgeRepo[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  stack = await requireForge();
}, 300_000);

afterAll(async () => {
  for (const r of repos) await r.remove();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('escalate on the real forge', () => {
  it('escalates a stale blocker once, leaves a fresh one and other issues alone, and does not repeat inside the window', async () => {
    const repo = await createForgeRepo(stack, 'escalate');
    repos.push(repo);
    const forge = new Forge({
      token: stack.token,
      apiUrl: stack.apiUrl,
      repository: repo.fullName,
      retries: 0,
    });
    const owned = await forge.createIssue({
      title: 'policy engine rejects every tenant',
      body: '<!-- command-center:follow-up -->\nThe policy engine answers 500 for every tenant.\n\nDetails below.',
      labels: ['blocker'],
      assignees: [stack.admin],
    });
    const unowned = await forge.createIssue({
      title: 'topic training.audit is silent',
      body: 'No messages.',
      labels: ['blocker'],
    });
    const fresh = await forge.createIssue({
      title: 'fresh blocker',
      body: 'just filed',
      labels: ['blocker'],
    });
    const other = await forge.createIssue({ title: 'not a blocker', body: 'x', labels: ['status:todo'] });
    // 'stale-after: 30s' stands for the handbook's 4h: the first two wait past it, the third is
    // updated by a person (a comment) just before the run, which restarts its clock.
    await sleep(31_000);
    await forge.comment(fresh.number, 'Investigating, update in an hour.');
    const inputs = {
      token: stack.token,
      'api-url': stack.apiUrl,
      repository: repo.fullName,
      'stale-after': '30s',
      'repeat-after': '1h',
      team: '@cc/tiger-crew',
    };

    const first = await runAction('escalate', { inputs, timeoutMs: 120_000 });
    expect(first.exitCode, first.stderr + first.stdout).toBe(0);
    expect(first.masks).toContain(stack.token);
    expect(first.outputs.blockers).toBe('3');
    expect(first.outputs.escalated).toBe('2');
    expect((JSON.parse(first.outputs.issues!) as { number: number }[]).map((i) => i.number).sort()).toEqual(
      [owned.number, unowned.number].sort(),
    );

    const ownedComments = (await forge.listComments(owned.number)).filter((c) =>
      c.body.includes(ESCALATION_MARKER),
    );
    expect(ownedComments).toHaveLength(1);
    expect(ownedComments[0]!.body).toContain(`**#${owned.number} policy engine rejects every tenant**`);
    expect(ownedComments[0]!.body).toContain('> The policy engine answers 500 for every tenant.');
    expect(ownedComments[0]!.body).toContain(`**Owner:** @${stack.admin}`);
    expect(ownedComments[0]!.body).toContain(
      `@${stack.admin}: please reply here with the ETA of the next update.`,
    );
    expect(ownedComments[0]!.body).toContain('cc @cc/tiger-crew');
    const unownedComments = await forge.listComments(unowned.number);
    expect(unownedComments).toHaveLength(1);
    expect(unownedComments[0]!.body).toContain('**Owner:** no owner');
    expect(unownedComments[0]!.body).toContain('@cc/tiger-crew, please find an owner');
    expect((await forge.getIssue(owned.number)).labels.sort()).toEqual(['blocker', 'tiger-crew']);
    expect((await forge.getIssue(unowned.number)).labels.sort()).toEqual(['blocker', 'tiger-crew']);
    // The fresh blocker and the other issue are untouched.
    expect((await forge.listComments(fresh.number)).map((c) => c.body)).toEqual([
      'Investigating, update in an hour.',
    ]);
    expect((await forge.getIssue(fresh.number)).labels).toEqual(['blocker']);
    expect(await forge.listComments(other.number)).toEqual([]);
    expect(first.summary).toContain('## Escalation: 2 of 3 open blocker(s)');

    // A second run inside the window, once the escalation's own update (its label and comment moved
    // updated_at) is older than stale-after: a check of updated_at alone would escalate again.
    await sleep(31_000);
    const second = await runAction('escalate', { inputs, timeoutMs: 120_000 });
    expect(second.exitCode, second.stderr + second.stdout).toBe(0);
    for (const n of [owned.number, unowned.number]) {
      expect(
        (await forge.listComments(n)).filter((c) => c.body.includes(ESCALATION_MARKER)),
        `#${n}`,
      ).toHaveLength(1);
    }
    const numbers = (JSON.parse(second.outputs.issues!) as { number: number }[]).map((i) => i.number);
    expect(numbers).not.toContain(owned.number);
    expect(numbers).not.toContain(unowned.number);
    // The fresh blocker's update is now older than 30s: it is escalated in its turn, once.
    expect(numbers).toEqual([fresh.number]);
    expect(second.stdout).toMatch(
      new RegExp(`#${owned.number} leave: escalated [0-9hms.]+ ago; not again within 1h00m`),
    );
  }, 240_000);

  it('a token that may only read fails the step saying which permission it needs, and writes nothing', async () => {
    const repo = await createForgeRepo(stack, 'escalate-ro');
    repos.push(repo);
    const forge = new Forge({
      token: stack.token,
      apiUrl: stack.apiUrl,
      repository: repo.fullName,
      retries: 0,
    });
    const blocker = await forge.createIssue({ title: 'stale blocker', body: 'waiting', labels: ['blocker'] });
    // A real read-only token of the same user, as a workflow with `issues: read` gets.
    const password = readFileSync(join(STATE_DIR, 'forge', 'admin-password'), 'utf8').trim();
    const res = await fetch(`${stack.apiUrl}/users/${stack.admin}/tokens`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${stack.admin}:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: `read-only-${repo.name}`, scopes: ['read:repository', 'read:issue'] }),
    });
    expect(res.status).toBe(201);
    const readOnly = ((await res.json()) as { sha1: string }).sha1;
    await sleep(2_000);
    const run = await runAction('escalate', {
      inputs: { token: readOnly, 'api-url': stack.apiUrl, repository: repo.fullName, 'stale-after': '1s' },
      timeoutMs: 120_000,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.masks).toContain(readOnly);
    expect(
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(readOnly);
    const refused = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(refused.join('\n')).toMatch(
      new RegExp(
        `the token may not (create labels|label issues) in ${repo.fullName} \\(HTTP 403: .*\\); escalation needs a token with \`issues: write\``,
      ),
    );
    expect(run.outputs.escalated).toBe('0');
    expect(await forge.listComments(blocker.number)).toEqual([]);
    expect((await forge.getIssue(blocker.number)).labels).toEqual(['blocker']);
    await fetch(`${stack.apiUrl}/users/${stack.admin}/tokens/read-only-${repo.name}`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${stack.admin}:${password}`).toString('base64')}` },
    });
  }, 240_000);
});

describe('backlog-grid on the real forge', () => {
  it('writes Parallel_Backlog.md from real issues with labels, assignees and a milestone past due, and commits it back', async () => {
    const repo = await createForgeRepo(stack, 'backlog', true);
    repos.push(repo);
    await repo.untilNotEmpty();
    const forge = new Forge({
      token: stack.token,
      apiUrl: stack.apiUrl,
      repository: repo.fullName,
      retries: 0,
    });
    const api = (method: string, path: string, body: unknown) =>
      fetch(`${stack.apiUrl}/repos/${repo.fullName}${path}`, {
        method,
        headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const milestone = await api('POST', '/milestones', {
      title: 'Sprint 48',
      due_on: '2026-11-20T00:00:00Z',
    });
    expect(milestone.status).toBe(201);
    const working = await forge.createIssue({
      title: 'constitution sync',
      body: 'x',
      labels: ['Governance Core', 'status:in-progress'],
      assignees: [stack.admin],
    });
    const crossBlocker = await forge.createIssue({
      title: 'schema registry down',
      body: 'x',
      labels: ['Governance Core', 'Runtime & Training', 'blocker', 'status:blocked'],
    });
    const late = await forge.createIssue({
      title: 'admin console latency',
      body: 'x',
      labels: ['Experience & Ecosystem', 'status:todo'],
      assignees: [stack.admin],
    });
    const setMilestone = await api('PATCH', `/issues/${late.number}`, {
      milestone: ((await milestone.json()) as { id: number }).id,
    });
    expect(setMilestone.status).toBe(201);
    const done = await forge.createIssue({
      title: 'consumer lag alert',
      body: 'x',
      labels: ['Runtime & Training'],
    });
    await forge.updateIssue(done.number, { state: 'closed' });

    const work = mkdtempSync(join(tmpdir(), 'backlog-grid-'));
    dirs.push(work);
    git(work, 'clone', '-q', repo.pushUrl, '.');
    const run = await runAction('backlog-grid', {
      workspace: work,
      inputs: {
        token: stack.token,
        'api-url': stack.apiUrl,
        repository: repo.fullName,
        squads: 'Governance Core\nRuntime & Training\nExperience & Ecosystem',
        timezone: 'UTC',
        commit: 'true',
        branch: 'main',
      },
      timeoutMs: 120_000,
    });
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      path: 'Parallel_Backlog.md',
      items: '4',
      'no-owner': '1',
      'cross-squad-blockers': '1',
      'rolled-forward': '1',
      idle: '0',
    });
    expect(run.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/);

    // What reached the forge's main is the file the action wrote.
    const written = readFileSync(join(work, 'Parallel_Backlog.md'), 'utf8');
    const onForge = await fetch(`${stack.url}/${repo.fullName}/raw/branch/main/Parallel_Backlog.md`, {
      headers: { authorization: `token ${stack.token}` },
    });
    expect(onForge.status).toBe(200);
    expect(await onForge.text()).toBe(written);
    expect(written.split('\n')[0]).toBe(BACKLOG_MARKER);

    const url = (n: number) => `${stack.url}/${repo.fullName}/issues/${n}`;
    const sections = written.split(/^## /m);
    expect(sections[1]!.startsWith('Cross-squad blockers')).toBe(true);
    expect(sections[1]).toContain(
      `| [#${crossBlocker.number}](${url(crossBlocker.number)}) schema registry down | Governance Core, Runtime & Training | blocked | 🔴 **no owner** |`,
    );
    const row = (squad: string) => sections[2]!.split('\n').find((l) => l.startsWith(`| **${squad}** |`))!;
    expect(row('Governance Core')).toBe(
      `| **Governance Core** |  | [#${working.number}](${url(working.number)}) constitution sync · @${stack.admin} | ⛔ [#${crossBlocker.number}](${url(crossBlocker.number)}) schema registry down · 🔴 **no owner** |  |`,
    );
    expect(row('Runtime & Training')).toBe(
      `| **Runtime & Training** |  |  | ⛔ [#${crossBlocker.number}](${url(crossBlocker.number)}) schema registry down · 🔴 **no owner** | [#${done.number}](${url(done.number)}) consumer lag alert · 🔴 **no owner** |`,
    );
    expect(sections[4]!.startsWith('Rolled forward')).toBe(true);
    expect(sections[4]).toMatch(
      new RegExp(
        `\\| \\[#${late.number}\\]\\([^)]+\\) admin console latency \\| Sprint 48 \\| 2026-11-20 \\| \\d+ \\| Experience & Ecosystem \\| @${stack.admin} \\|`,
      ),
    );

    // The same issues on the same day: nothing new to commit.
    const again = await runAction('backlog-grid', {
      workspace: work,
      inputs: {
        token: stack.token,
        'api-url': stack.apiUrl,
        repository: repo.fullName,
        squads: 'Governance Core\nRuntime & Training\nExperience & Ecosystem',
        timezone: 'UTC',
        commit: 'true',
        branch: 'main',
      },
      timeoutMs: 120_000,
    });
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain('main already has this grid');
  }, 240_000);

  it('never replaces a Parallel_Backlog.md on the branch that it did not write', async () => {
    const repo = await createForgeRepo(stack, 'backlog-own', true);
    repos.push(repo);
    await repo.untilNotEmpty();
    const work = mkdtempSync(join(tmpdir(), 'backlog-grid-own-'));
    dirs.push(work);
    git(work, 'clone', '-q', repo.pushUrl, '.');
    writeFileSync(join(work, 'Parallel_Backlog.md'), '# Our backlog, kept by hand\n');
    git(work, 'add', 'Parallel_Backlog.md');
    git(work, 'commit', '-q', '-m', 'a backlog kept by hand');
    git(work, 'push', '-q', 'origin', 'main');
    const handWritten = git(work, 'rev-parse', 'HEAD');
    const run = await runAction('backlog-grid', {
      workspace: work,
      inputs: {
        token: stack.token,
        'api-url': stack.apiUrl,
        repository: repo.fullName,
        squads: 'Governance Core',
        commit: 'true',
        branch: 'main',
      },
      timeoutMs: 120_000,
    });
    expect(run.exitCode).not.toBe(0);
    expect(
      run.annotations
        .filter((a) => a.level === 'error')
        .map((a) => a.message)
        .join('\n'),
    ).toMatch(/Parallel_Backlog\.md on main was not written by this step \(it has no generated marker\)/);
    git(work, 'fetch', '-q', 'origin');
    expect(git(work, 'rev-parse', 'origin/main')).toBe(handWritten);
  }, 240_000);
});

describe('escalate.yml and backlog.yml, run by act against the real forge', () => {
  let repo: ForgeRepo;
  let forge: Forge;
  let project: ReturnType<typeof projectRepo>;
  let base: string;
  const branch = () => `test/forge-triage/${repo.name}`;
  const act = (workflow: string) =>
    runAct({
      repo: project,
      workflow,
      event: 'workflow_dispatch',
      // The run's repository is the forge's; the job's token is the forge's token.
      env: { GITHUB_REPOSITORY: repo.fullName },
      secrets: { GITHUB_TOKEN: stack.token },
      artifactDir: join(base, 'artifacts'),
      timeoutMs: 240_000,
    });
  const explain = (run: Awaited<ReturnType<typeof runAct>>) => run.log.split('\n').slice(-60).join('\n');

  beforeAll(async () => {
    actBinary();
    requireGitOrigin();
    repo = await createForgeRepo(stack, 'forge-triage-wf');
    repos.push(repo);
    forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: repo.fullName, retries: 0 });
    base = mkdtempSync(join(tmpdir(), 'cc-forge-triage-wf-'));
    dirs.push(base);
    project = projectRepo({ origin: STACK.gitOrigin, branch: branch(), parent: base });
    // The repository's own configuration, pointed at the stack's forge, with a short rule.
    const file = join(project.dir, 'integration-day.config.yml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.setIn(['escalate', 'api-url'], stack.apiUrl);
    doc.setIn(['escalate', 'stale-after'], '2s');
    doc.setIn(['escalate', 'team'], '@cc/tiger-crew');
    doc.setIn(['backlog-grid', 'api-url'], stack.apiUrl);
    writeFileSync(file, doc.toString());
    project.commitAndPush('e2e: escalation and the backlog on the stack forge');
  }, 300_000);

  it("escalate.yml escalates the run's repository's stale blocker with the job's token and the configuration's section", async () => {
    const stale = await forge.createIssue({
      title: 'stale blocker',
      body: 'waiting',
      labels: ['blocker', 'Governance Core', 'Runtime & Training'],
    });
    await sleep(3_000);
    const run = await act('escalate.yml');
    expect(run.exitCode, explain(run)).toBe(0);
    expect([...run.jobs.values()].map((j) => [j.id, j.result])).toEqual([['escalate', 'success']]);
    const comments = await forge.listComments(stale.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(ESCALATION_MARKER);
    expect(comments[0]!.body).toContain('cc @cc/tiger-crew');
    expect((await forge.getIssue(stale.number)).labels).toContain('tiger-crew');
  }, 300_000);

  it('backlog.yml writes Parallel_Backlog.md from the forge and commits it to the branch of the run', async () => {
    const item = await forge.createIssue({
      title: 'consumer lag dashboard',
      body: 'x',
      labels: ['Experience & Ecosystem', 'status:todo'],
      assignees: [stack.admin],
    });
    const run = await act('backlog.yml');
    expect(run.exitCode, explain(run)).toBe(0);
    expect([...run.jobs.values()].map((j) => [j.id, j.result])).toEqual([['backlog', 'success']]);
    const committed = execFileSync(
      'git',
      ['--git-dir', STACK.gitOrigin, 'show', `${branch()}:Parallel_Backlog.md`],
      {
        encoding: 'utf8',
      },
    );
    expect(committed.split('\n')[0]).toBe(BACKLOG_MARKER);
    expect(committed).toContain(
      `[#${item.number}](${stack.url}/${repo.fullName}/issues/${item.number}) consumer lag dashboard · @${stack.admin}`,
    );
    const subject = execFileSync(
      'git',
      ['--git-dir', STACK.gitOrigin, 'log', '-1', '--format=%s', branch()],
      {
        encoding: 'utf8',
      },
    ).trim();
    expect(subject).toMatch(/^chore: backlog grid for \d{4}-\d{2}-\d{2} \[skip ci\]$/);
  }, 300_000);
});
