import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { createForgeRepo, requireForge, type Forge, type ForgeRepo } from '../support/forge.js';
import { needsServers } from '../support/servers.js';

needsServers('forge');

// What the later forge work builds on, proven on the stack's real Gitea through the Octokit of
// @actions/github: pushes over HTTP, labels, issues, comments, commit statuses, branch protection.

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** A push that may be refused: its exit status and what the remote said. */
function tryPush(cwd: string, url: string, ref: string) {
  const r = spawnSync('git', ['push', url, ref], { cwd, env: GIT_ENV, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function commitFile(cwd: string, file: string, text: string, message: string): string {
  writeFileSync(join(cwd, file), text);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

let forge: Forge;
let repo: ForgeRepo;
let octokit: ReturnType<typeof getOctokit>;
let work: string;
let readme: string;
let pushedSha: string;
const suffix = randomBytes(3).toString('hex');

beforeAll(async () => {
  forge = await requireForge();
  repo = await createForgeRepo(forge, 'forge-stack');
  octokit = getOctokit(forge.token, { baseUrl: forge.apiUrl });
  work = mkdtempSync(join(tmpdir(), 'forge-stack-'));
  git(work, 'init', '-q', '-b', 'main');
  readme = `# ${repo.name}\n\npushed over HTTP (${suffix})\n`;
  pushedSha = commitFile(work, 'README.md', readme, 'first commit');
  git(work, 'push', '-q', repo.pushUrl, 'HEAD:refs/heads/main');
  await repo.untilNotEmpty();
});

afterAll(async () => {
  await repo?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the stack's forge (Gitea) through @actions/github", () => {
  it('serves the commit pushed over HTTP with the token', async () => {
    const branch = await octokit.rest.repos.getBranch({ owner: repo.owner, repo: repo.name, branch: 'main' });
    // Gitea names the head commit's SHA `commit.id` (GitHub: `commit.sha`).
    expect((branch.data.commit as unknown as { id: string }).id).toBe(pushedSha);
    const file = await octokit.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.name,
      path: 'README.md',
      ref: 'main',
    });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString('utf8')).toBe(readme);
  });

  it('labels an issue by label id, comments on it and lists it by that label', async () => {
    const where = { owner: repo.owner, repo: repo.name };
    const label = await octokit.rest.issues.createLabel({
      ...where,
      name: `integration-day-${suffix}`,
      color: 'd73a4a',
    });
    // Gitea takes label ids where GitHub takes names.
    const labelIds = [label.data.id] as unknown as string[];
    const issue = await octokit.rest.issues.create({
      ...where,
      title: `smoke failed (${suffix})`,
      body: 'failure',
      labels: labelIds,
    });
    const other = await octokit.rest.issues.create({
      ...where,
      title: `unlabelled (${suffix})`,
      body: 'no label',
    });
    expect(issue.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([label.data.name]);

    const comment = await octokit.rest.issues.createComment({
      ...where,
      issue_number: issue.data.number,
      body: 'failing 2 days in a row',
    });
    const comments = await octokit.rest.issues.listComments({ ...where, issue_number: issue.data.number });
    expect(comments.data.map((c) => [c.id, c.body])).toEqual([[comment.data.id, 'failing 2 days in a row']]);

    const labelled = await octokit.rest.issues.listForRepo({
      ...where,
      labels: label.data.name,
      state: 'open',
    });
    expect(labelled.data.map((i) => i.number)).toEqual([issue.data.number]);
    const open = await octokit.rest.issues.listForRepo({ ...where, state: 'open' });
    expect(open.data.map((i) => i.number).sort()).toEqual([issue.data.number, other.data.number].sort());
  });

  it('keeps commit statuses on the pushed SHA and combines the latest of each context', async () => {
    const where = { owner: repo.owner, repo: repo.name, sha: pushedSha };
    const target = `${forge.url}/${repo.fullName}`;
    await octokit.rest.repos.createCommitStatus({
      ...where,
      state: 'success',
      context: 'smoke',
      target_url: target,
    });
    await octokit.rest.repos.createCommitStatus({
      ...where,
      state: 'failure',
      context: 'design-drift',
      description: 'breaking drift',
    });
    const failing = await octokit.rest.repos.getCombinedStatusForRef({
      owner: repo.owner,
      repo: repo.name,
      ref: pushedSha,
    });
    expect(failing.data.state).toBe('failure');
    // Gitea's status objects carry `status` where GitHub's carry `state`.
    const byContext = (statuses: object[]) =>
      Object.fromEntries(
        statuses.map((s) => {
          const status = s as { context: string; state?: string; status?: string };
          return [status.context, status.state ?? status.status];
        }),
      );
    expect(byContext(failing.data.statuses)).toEqual({ smoke: 'success', 'design-drift': 'failure' });

    await octokit.rest.repos.createCommitStatus({
      ...where,
      state: 'success',
      context: 'design-drift',
      description: 'no drift',
    });
    const passing = await octokit.rest.repos.getCombinedStatusForRef({
      owner: repo.owner,
      repo: repo.name,
      ref: pushedSha,
    });
    expect(passing.data.state).toBe('success');
    expect(byContext(passing.data.statuses)).toEqual({ smoke: 'success', 'design-drift': 'success' });
  });

  it('refuses a direct push to a branch protected with a required status check', async () => {
    const where = { owner: repo.owner, repo: repo.name };
    // Gitea's own branch protection call (GitHub's PUT .../branches/{b}/protection does not exist there).
    await octokit.request('POST /repos/{owner}/{repo}/branch_protections', {
      ...where,
      rule_name: 'main',
      enable_push: false,
      enable_status_check: true,
      status_check_contexts: ['design-drift'],
    });
    const rule = await octokit.request('GET /repos/{owner}/{repo}/branch_protections/{name}', {
      ...where,
      name: 'main',
    });
    expect(rule.data).toMatchObject({
      rule_name: 'main',
      enable_push: false,
      enable_status_check: true,
      status_check_contexts: ['design-drift'],
    });

    const next = commitFile(work, 'CHANGELOG.md', `direct change ${suffix}\n`, 'a direct change');
    const refused = tryPush(work, repo.pushUrl, 'HEAD:refs/heads/main');
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/protected branch/i);
    expect(refused.output).not.toContain(forge.token);
    // The same commit is welcome on an unprotected branch: the refusal is the protection's, not auth's.
    expect(tryPush(work, repo.pushUrl, `HEAD:refs/heads/change-${suffix}`).status).toBe(0);

    const main = await octokit.rest.repos.getBranch({ ...where, branch: 'main' });
    expect((main.data.commit as unknown as { id: string }).id).toBe(pushedSha);
    const side = await octokit.rest.repos.getBranch({ ...where, branch: `change-${suffix}` });
    expect((side.data.commit as unknown as { id: string }).id).toBe(next);
  });
});
