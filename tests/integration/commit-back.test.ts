import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { commitBack, CommitBackConflictError, type CommitBackResult } from '../../src/lib/git/index.js';
import { needsServers, requireGitOrigin } from '../support/servers.js';
import { NODE24, ROOT } from '../support/paths.js';

needsServers('git');

const ID = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};
const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...ID, LC_ALL: 'C' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

let scratch: string;

function write(dir: string, rel: string, text: string) {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** Seeds `branch` on `origin` with a first commit (and any `extra` files) and returns its SHA. */
function seed(origin: string, branch: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(scratch, 'seed-'));
  sh(dir, 'init', '-q', '-b', branch);
  write(dir, 'README.md', '# repo\n');
  write(dir, 'docs/sprints/status/README.md', 'status reports\n');
  for (const [rel, text] of Object.entries(extra)) write(dir, rel, text);
  sh(dir, 'add', '.');
  sh(dir, 'commit', '-q', '-m', 'seed');
  sh(dir, 'push', '-q', origin, `HEAD:refs/heads/${branch}`);
  return sh(dir, 'rev-parse', 'HEAD');
}

/** A checkout the way actions/checkout makes one: shallow, credentials-free, on a detached HEAD here. */
function checkout(origin: string, branch: string): string {
  const dir = mkdtempSync(join(scratch, 'checkout-'));
  sh(dir, 'init', '-q');
  sh(dir, 'remote', 'add', 'origin', origin);
  sh(
    dir,
    'fetch',
    '-q',
    '--no-tags',
    '--depth=1',
    'origin',
    `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
  );
  sh(dir, 'checkout', '-q', '--detach', `origin/${branch}`);
  return dir;
}

/** Another writer pushing one commit to `branch` (a clone of its own). */
function pushOther(
  origin: string,
  branch: string,
  files: Record<string, string>,
  message = 'other writer',
): string {
  const dir = mkdtempSync(join(scratch, 'other-'));
  sh(dir, 'clone', '-q', '--branch', branch, origin, '.');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  sh(dir, 'add', '.');
  sh(dir, 'commit', '-q', '-m', message);
  sh(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
  return sh(dir, 'rev-parse', 'HEAD');
}

/** A bare repository configured like the stack's origin (no force pushes, no deletions). */
function bareOrigin(): string {
  const dir = join(mkdtempSync(join(scratch, 'origin-')), 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', dir]);
  sh(dir, 'config', 'receive.denyNonFastForwards', 'true');
  sh(dir, 'config', 'receive.denyDeletes', 'true');
  return dir;
}

/**
 * A real server-side race: when armed, the next push waits in the origin's pre-receive hook until
 * released, so another writer can land first and the held push's ref update is rejected.
 */
function gate(origin: string) {
  const dir = mkdtempSync(join(scratch, 'gate-'));
  const hook = join(origin, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh
cat >/dev/null
mv "${dir}/armed" "${dir}/taken" 2>/dev/null || exit 0
touch "${dir}/waiting"
i=0
while [ ! -e "${dir}/go" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
exit 0
`,
  );
  chmodSync(hook, 0o755);
  return {
    arm: () => writeFileSync(join(dir, 'armed'), ''),
    waitUntilHeld: async () => {
      for (let i = 0; i < 600 && !existsSync(join(dir, 'waiting')); i++)
        await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(join(dir, 'waiting')))
        throw new Error('the push never reached the gated pre-receive hook');
    },
    release: () => writeFileSync(join(dir, 'go'), ''),
  };
}

const remoteTip = (origin: string, branch: string) => sh(origin, 'rev-parse', `refs/heads/${branch}`);

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cc-commit-back-it-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("commitBack against the stack's bare origin", () => {
  it('from a detached shallow checkout, commits only the owned paths onto the remote tip', async () => {
    const origin = requireGitOrigin();
    const branch = `test/commit-back/${randomUUID()}`;
    const seeded = seed(origin, branch);
    const repo = checkout(origin, branch);
    // The branch moves on after the checkout was made: the commit must go on top of the new tip.
    const other = pushOther(origin, branch, { 'docs/other.md': 'from another run\n' });

    write(repo, 'docs/sprints/status/2026-11-25.md', '# Integration Day 2026-11-25\n');
    write(repo, 'docs/sprints/status/2026-11-25/evidence/manifest.json', '{"files":[]}\n');
    write(repo, 'README.md', '# repo, edited by an earlier step\n');
    write(repo, 'notes.txt', 'untracked and not ours\n');
    const headBefore = sh(repo, 'rev-parse', 'HEAD');
    const logs: string[] = [];

    const r = await commitBack({
      repoDir: repo,
      branch,
      message: 'chore: evidence for 2026-11-25 [skip ci]',
      paths: ['docs/sprints/status/2026-11-25.md', 'docs/sprints/status/2026-11-25/evidence'],
      log: (l) => logs.push(l),
    });

    expect(r.pushed).toBe(true);
    expect(r.attempts).toBe(1);
    expect(r.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(remoteTip(origin, branch)).toBe(r.commitSha);
    expect(sh(origin, 'rev-parse', `${r.commitSha}^`)).toBe(other);
    expect(sh(origin, 'rev-parse', `${other}^`)).toBe(seeded);
    expect(sh(origin, 'show', '--name-only', '--format=', r.commitSha).split('\n').sort()).toEqual([
      'docs/sprints/status/2026-11-25.md',
      'docs/sprints/status/2026-11-25/evidence/manifest.json',
    ]);
    expect(r.files.sort()).toEqual([
      'docs/sprints/status/2026-11-25.md',
      'docs/sprints/status/2026-11-25/evidence/manifest.json',
    ]);
    expect(sh(origin, 'log', '-1', '--format=%an <%ae>|%cn|%s', r.commitSha)).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|github-actions[bot]|chore: evidence for 2026-11-25 [skip ci]',
    );
    // The remote keeps the other run's file; the checkout is untouched and nothing is left behind.
    expect(sh(origin, 'show', `${r.commitSha}:docs/other.md`)).toBe('from another run');
    expect(sh(repo, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(() => sh(repo, 'symbolic-ref', '-q', 'HEAD')).toThrow(); // still detached
  }, 60_000);

  it("commits every file of the owned paths, also those the repository's .gitignore matches (the manifest lists them)", async () => {
    const origin = requireGitOrigin();
    const branch = `test/commit-back/${randomUUID()}`;
    seed(origin, branch, { '.gitignore': '*.log\nreports/\n' });
    const repo = checkout(origin, branch);
    const evidence = 'docs/sprints/status/2026-12-09/evidence';
    write(repo, `${evidence}/manifest.json`, '{}\n');
    write(repo, `${evidence}/files/smoke/policy/attempt-1.log`, 'collected 21 items\n');
    write(repo, `${evidence}/files/reports/junit.xml`, '<testsuites/>\n');
    const r = await commitBack({ repoDir: repo, branch, message: 'm', paths: [evidence] });
    expect(r.pushed).toBe(true);
    expect(sh(origin, 'show', '--name-only', '--format=', r.commitSha).split('\n').sort()).toEqual([
      `${evidence}/files/reports/junit.xml`,
      `${evidence}/files/smoke/policy/attempt-1.log`,
      `${evidence}/manifest.json`,
    ]);
    expect(sh(origin, 'show', `${r.commitSha}:${evidence}/files/smoke/policy/attempt-1.log`)).toBe(
      'collected 21 items',
    );
  }, 60_000);

  it('after committing, the checkout keeps its own edits and has no extra work trees', async () => {
    const origin = requireGitOrigin();
    const branch = `test/commit-back/${randomUUID()}`;
    seed(origin, branch);
    const repo = checkout(origin, branch);
    write(repo, 'docs/sprints/status/2026-12-02.md', 'day\n');
    write(repo, 'README.md', 'local edit\n');
    const r = await commitBack({
      repoDir: repo,
      branch,
      message: 'm',
      paths: ['docs/sprints/status/2026-12-02.md'],
    });
    expect(r.pushed).toBe(true);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('local edit\n');
    expect(
      sh(repo, 'status', '--porcelain')
        .split('\n')
        .map((l) => l.trim())
        .sort(),
    ).toEqual(['?? docs/sprints/status/2026-12-02.md', 'M README.md']);
    expect(sh(repo, 'worktree', 'list').split('\n')).toHaveLength(1);
    // The checkout's view of the remote is current.
    expect(sh(repo, 'rev-parse', `refs/remotes/origin/${branch}`)).toBe(r.commitSha);
  }, 60_000);

  it('nothing to commit: no commit, no push', async () => {
    const origin = requireGitOrigin();
    const branch = `test/commit-back/${randomUUID()}`;
    const seeded = seed(origin, branch);
    const repo = checkout(origin, branch);
    const r = await commitBack({
      repoDir: repo,
      branch,
      message: 'm',
      paths: ['docs/sprints/status/README.md'],
    });
    expect(r).toMatchObject({ commitSha: '', pushed: false, attempts: 0, upToDate: true, files: [] });
    expect(remoteTip(origin, branch)).toBe(seeded);
  }, 60_000);

  it("a branch that does not exist yet starts at the checkout's HEAD", async () => {
    const origin = requireGitOrigin();
    const base = `test/commit-back/${randomUUID()}`;
    const seeded = seed(origin, base);
    const repo = checkout(origin, base);
    const branch = `${base}-new`;
    write(repo, 'docs/sprints/status/2026-12-09.md', 'x\n');
    const r = await commitBack({
      repoDir: repo,
      branch,
      message: 'm',
      paths: ['docs/sprints/status/2026-12-09.md'],
    });
    expect(r.pushed).toBe(true);
    expect(sh(origin, 'rev-parse', `${remoteTip(origin, branch)}^`)).toBe(seeded);
  }, 60_000);
});

describe('commitBack when another push lands first', () => {
  it('a rejected push is fetched, rebased and retried; history stays linear', async () => {
    const origin = bareOrigin();
    const branch = 'main';
    seed(origin, branch);
    const g = gate(origin);
    const repo = checkout(origin, branch);
    write(repo, 'docs/sprints/status/2026-11-25.md', 'ours\n');
    g.arm();
    const pending = commitBack({
      repoDir: repo,
      branch,
      message: 'ours',
      paths: ['docs/sprints/status/2026-11-25.md'],
      backoff: { baseMs: 50, maxMs: 200 },
    });
    await g.waitUntilHeld();
    const other = pushOther(origin, branch, { 'docs/sprints/status/2026-11-18.md': 'theirs\n' });
    g.release();
    const r = await pending;

    expect(r.pushed).toBe(true);
    expect(r.attempts).toBe(2);
    expect(r.rebases).toBe(1);
    expect(remoteTip(origin, branch)).toBe(r.commitSha);
    expect(sh(origin, 'rev-parse', `${r.commitSha}^`)).toBe(other);
    expect(sh(origin, 'rev-list', '--merges', branch)).toBe('');
    expect(sh(origin, 'show', `${branch}:docs/sprints/status/2026-11-18.md`)).toBe('theirs');
    expect(sh(origin, 'show', `${branch}:docs/sprints/status/2026-11-25.md`)).toBe('ours');
  }, 60_000);

  it('a conflict on an owned file stops clearly and keeps the other commit', async () => {
    const origin = bareOrigin();
    const branch = 'main';
    seed(origin, branch);
    const g = gate(origin);
    const repo = checkout(origin, branch);
    write(repo, 'docs/sprints/status/2026-11-25.md', 'ours\n');
    g.arm();
    const pending = commitBack({
      repoDir: repo,
      branch,
      message: 'ours',
      paths: ['docs/sprints/status/2026-11-25.md'],
      backoff: { baseMs: 50, maxMs: 200 },
    });
    const settled = pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    await g.waitUntilHeld();
    const other = pushOther(origin, branch, { 'docs/sprints/status/2026-11-25.md': 'theirs\n' });
    g.release();
    const err = await settled;

    expect(err).toBeInstanceOf(CommitBackConflictError);
    expect((err as CommitBackConflictError).conflicts).toEqual(['docs/sprints/status/2026-11-25.md']);
    expect((err as Error).message).toMatch(
      /changed the same owned file\(s\).*2026-11-25\.md.*Nothing was pushed and the other commit was kept/,
    );
    expect(remoteTip(origin, branch)).toBe(other);
    expect(sh(origin, 'show', `${branch}:docs/sprints/status/2026-11-25.md`)).toBe('theirs');
    expect(sh(repo, 'worktree', 'list').split('\n')).toHaveLength(1);
  }, 60_000);

  it('a push refused by the server for another reason is not retried', async () => {
    const origin = bareOrigin();
    seed(origin, 'main');
    const hook = join(origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected branch: changes need a review" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const repo = checkout(origin, 'main');
    write(repo, 'x.md', 'x\n');
    await expect(
      commitBack({ repoDir: repo, branch: 'main', message: 'm', paths: ['x.md'] }),
    ).rejects.toThrow(
      /refused the push to main: \[remote rejected\] \(pre-receive hook declined\).*protected branch: changes need a review.*Nothing was forced/,
    );
  }, 60_000);
});

describe('16 concurrent runs for different dates pushing to one branch', () => {
  let worker: string;

  beforeAll(async () => {
    // Each run is its own Node process running the real commit-back code, as 16 jobs on 16 runners would.
    worker = join(scratch, 'commit-back-worker.mjs');
    await build({
      stdin: {
        contents: `
          import { commitBack } from './src/lib/git/index.ts';
          const args = JSON.parse(process.argv[2]);
          const wait = args.startAt - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const result = await commitBack(args.options);
          process.stdout.write(JSON.stringify(result));
        `,
        resolveDir: ROOT,
        sourcefile: 'worker.ts',
        loader: 'ts',
      },
      outfile: worker,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      logLevel: 'warning',
    });
  });

  it('all 16 commits land, none forced, history linear', async () => {
    const origin = requireGitOrigin();
    const branch = `test/commit-back-16/${randomUUID()}`;
    const seeded = seed(origin, branch);
    const dates = Array.from({ length: 16 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
    const repos = dates.map(() => checkout(origin, branch));
    dates.forEach((d, i) => {
      write(repos[i]!, `docs/sprints/status/${d}.md`, `# ${d}\n`);
      write(repos[i]!, `docs/sprints/status/${d}/evidence/manifest.json`, `{"date":"${d}"}\n`);
    });
    // A start barrier so the 16 pushes really contend instead of trickling in as processes start.
    const startAt = Date.now() + 3_000;
    const runs = await Promise.all(
      dates.map(
        (d, i) =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const options = {
              repoDir: repos[i],
              branch,
              message: `chore: evidence for ${d} [skip ci]`,
              paths: [`docs/sprints/status/${d}.md`, `docs/sprints/status/${d}/evidence`],
              pushAttempts: 20,
            };
            const child = spawn(NODE24, [worker, JSON.stringify({ startAt, options })], {
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            let out = '';
            let err = '';
            child.stdout.on('data', (b: Buffer) => (out += b.toString()));
            child.stderr.on('data', (b: Buffer) => (err += b.toString()));
            child.on('close', (code) => resolve({ code, out, err }));
          }),
      ),
    );

    for (const r of runs) expect(r.code, r.err).toBe(0);
    const results = runs.map((r) => JSON.parse(r.out) as CommitBackResult);
    const tip = remoteTip(origin, branch);
    expect(results.every((r) => r.pushed)).toBe(true);
    // Every run's commit is in the final history: nothing was overwritten by a forced push.
    for (const r of results)
      execFileSync('git', ['merge-base', '--is-ancestor', r.commitSha, tip], { cwd: origin });
    expect(new Set(results.map((r) => r.commitSha)).size).toBe(16);
    expect(sh(origin, 'rev-list', '--merges', `${seeded}..${tip}`)).toBe('');
    expect(sh(origin, 'rev-list', '--count', `${seeded}..${tip}`)).toBe('16');
    expect(sh(origin, 'rev-list', '--first-parent', '--count', `${seeded}..${tip}`)).toBe('16');
    for (const d of dates) expect(sh(origin, 'show', `${tip}:docs/sprints/status/${d}.md`)).toBe(`# ${d}`);
    // They did contend: at least one run had to fetch, rebase and retry.
    console.log(
      `16 concurrent commit-backs: push attempts per run ${results
        .map((r) => r.attempts)
        .sort((a, b) => a - b)
        .join(',')}`,
    );
    expect(results.reduce((n, r) => n + r.attempts, 0)).toBeGreaterThan(16);
  }, 180_000);
});
