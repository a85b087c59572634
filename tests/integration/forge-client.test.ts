// The forge client (src/lib/forge) against the stack's real Gitea: every call Command Center makes,
// with the places where Gitea differs from GitHub handled by the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forge, ForgePermissionError, forgeKindOf } from '../../src/lib/forge/index.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { STATE_DIR } from '../support/paths.js';
import { needsServers } from '../support/servers.js';
import { sh as git } from '../support/git.js';

needsServers('forge');

let stack: StackForge;
let repo: ForgeRepo;
let forge: Forge;
let work: string;

beforeAll(async () => {
  stack = await requireForge();
  repo = await createForgeRepo(stack, 'forge-client', true);
  await repo.untilNotEmpty();
  forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: repo.fullName, retries: 0 });
  work = mkdtempSync(join(tmpdir(), 'forge-client-'));
  git(work, 'clone', '-q', repo.pushUrl, '.');
}, 120_000);

afterAll(async () => {
  await repo?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the forge client on Gitea', () => {
  it('knows the platform from the API root', () => {
    expect(forge.kind).toBe('gitea');
    expect(forgeKindOf('https://api.github.com')).toBe('github');
    expect(forgeKindOf('https://ghe.example/api/v3')).toBe('github');
    expect(forgeKindOf('https://codeberg.org/api/v1')).toBe('gitea');
  });

  it('opens an issue with labels by name, finds it again by its hidden marker, comments and closes it', async () => {
    await forge.ensureLabels([{ name: 'integration-day', color: '#0e8a16' }, { name: 'Governance Core' }]);
    const marker = `<!-- command-center:test:${Date.now()} -->`;
    const issue = await forge.createIssue({
      title: 'policy suite failed',
      body: `${marker}\nThe policy suite failed.`,
      labels: ['integration-day', 'Governance Core'],
      assignees: [stack.admin],
    });
    expect(issue.labels.sort()).toEqual(['Governance Core', 'integration-day']);
    expect(issue.assignees).toEqual([stack.admin]);
    expect((await forge.findIssueByMarker(marker, ['integration-day']))?.number).toBe(issue.number);
    // A label that does not exist matches nothing (Gitea alone would answer with every issue).
    expect(await forge.listIssues({ labels: ['no-such-label'], state: 'all' })).toEqual([]);
    await forge.comment(issue.number, 'failing 2 Integration Days in a row');
    await forge.addLabels(issue.number, ['cross-squad']);
    expect((await forge.getIssue(issue.number)).labels).toContain('cross-squad');
    const closed = await forge.updateIssue(issue.number, { state: 'closed' });
    expect(closed.state).toBe('closed');
    expect((await forge.listComments(issue.number)).map((c) => c.body)).toEqual([
      'failing 2 Integration Days in a row',
    ]);
    expect(await forge.listIssues({ labels: ['integration-day'] })).toEqual([]);
  });

  it('keeps one sticky comment per marker', async () => {
    const issue = await forge.createIssue({ title: 'sticky', body: 'x' });
    const first = await forge.upsertComment(issue.number, '<!-- sticky -->', '<!-- sticky -->\none');
    const second = await forge.upsertComment(issue.number, '<!-- sticky -->', '<!-- sticky -->\ntwo');
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.comment.id).toBe(first.comment.id);
    expect((await forge.listComments(issue.number)).map((c) => c.body)).toEqual(['<!-- sticky -->\ntwo']);
  });

  it('sets a commit status and reads the combination back', async () => {
    const sha = git(work, 'rev-parse', 'HEAD');
    await forge.setStatus(sha, { context: 'design-drift', state: 'failure', description: 'breaking drift' });
    await forge.setStatus(sha, { context: 'design-drift', state: 'success', description: 'no drift' });
    const combined = await forge.combinedStatus(sha);
    expect(combined.statuses.filter((s) => s.context === 'design-drift').map((s) => s.state)).toContain(
      'success',
    );
    expect(combined.state).toBe('success');
  });

  it('opens, finds and merges a pull request', async () => {
    git(work, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(work, 'feature.md'), 'a feature\n');
    git(work, 'add', 'feature.md');
    git(work, 'commit', '-q', '-m', 'feature');
    git(work, 'push', '-q', 'origin', 'feature');
    const pr = await forge.createPull({
      title: 'feature',
      body: 'adds a feature',
      head: 'feature',
      base: 'main',
    });
    expect((await forge.listPulls({ head: 'feature' })).map((p) => p.number)).toEqual([pr.number]);
    let merged = { merged: false } as { merged: boolean; refused?: string };
    // Gitea computes mergeability in the background: a merge right after opening may be refused once.
    for (let i = 0; i < 20 && !merged.merged; i++) {
      merged = await forge.mergePull(pr.number);
      if (!merged.merged) await new Promise((r) => setTimeout(r, 500));
    }
    expect(merged).toEqual({ merged: true });
    expect((await forge.getPull(pr.number)).merged).toBe(true);
  });

  it('a token that may only read is a permission error that says what was refused', async () => {
    // A real read-only token of the same user, as a fork's pull request gets (Gitea makes tokens for
    // a user who signs in with the password).
    const password = readFileSync(join(STATE_DIR, 'forge', 'admin-password'), 'utf8').trim();
    const basic = Buffer.from(`${stack.admin}:${password}`).toString('base64');
    const res = await fetch(`${stack.apiUrl}/users/${stack.admin}/tokens`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `read-only-${Date.now()}`, scopes: ['read:repository', 'read:issue'] }),
    });
    expect(res.status).toBe(201);
    const readOnly = ((await res.json()) as { sha1: string }).sha1;
    const reader = new Forge({
      token: readOnly,
      apiUrl: stack.apiUrl,
      repository: repo.fullName,
      retries: 0,
    });
    expect((await reader.listIssues({ state: 'all' })).length).toBeGreaterThan(0);
    const err = await reader.createIssue({ title: 'x', body: 'y' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgePermissionError);
    expect((err as Error).message).toMatch(/^the token may not open issues in [^ ]+ \(HTTP 403: /);
    const bad = new Forge({
      token: 'not-a-token',
      apiUrl: stack.apiUrl,
      repository: repo.fullName,
      retries: 0,
    });
    await expect(bad.comment(1, 'x')).rejects.toThrow(/does not accept the token \(HTTP 401/);
  });

  it('lists issues with their milestone, due date, opening and closing times, and only those updated since', async () => {
    const res = await fetch(`${stack.apiUrl}/repos/${repo.fullName}/milestones`, {
      method: 'POST',
      headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Sprint 48', due_on: '2026-11-20T00:00:00Z' }),
    });
    expect(res.status).toBe(201);
    const milestone = ((await res.json()) as { id: number }).id;
    const planned = await forge.createIssue({ title: 'planned', body: 'x', labels: ['planning'] });
    const patched = await fetch(`${stack.apiUrl}/repos/${repo.fullName}/issues/${planned.number}`, {
      method: 'PATCH',
      headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ milestone }),
    });
    expect(patched.status).toBe(201);
    const unplanned = await forge.createIssue({ title: 'unplanned', body: 'y', labels: ['planning'] });
    await forge.updateIssue(unplanned.number, { state: 'closed' });

    const all = await forge.listPlannedIssues({ labels: ['planning'], state: 'all' });
    const byNumber = new Map(all.map((i) => [i.number, i]));
    expect(byNumber.get(planned.number)?.milestone).toEqual({
      title: 'Sprint 48',
      dueOn: '2026-11-20T00:00:00Z',
      state: 'open',
    });
    expect(byNumber.get(planned.number)?.closedAt).toBeUndefined();
    expect(Date.parse(byNumber.get(planned.number)!.createdAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(byNumber.get(unplanned.number)?.milestone).toBeUndefined();
    expect(byNumber.get(unplanned.number)?.state).toBe('closed');
    expect(Date.parse(byNumber.get(unplanned.number)!.closedAt!)).toBeGreaterThan(Date.now() - 600_000);
    expect((await forge.listPlannedIssues({ labels: ['planning'] })).map((i) => i.number)).toEqual([
      planned.number,
    ]);
    // Nothing was updated in the future; everything was updated in the last ten minutes.
    expect(await forge.listPlannedIssues({ state: 'all', since: new Date(Date.now() + 3_600_000) })).toEqual(
      [],
    );
    expect(
      (
        await forge.listPlannedIssues({
          labels: ['planning'],
          state: 'all',
          since: new Date(Date.now() - 600_000),
        })
      ).length,
    ).toBe(2);
  });
});
