// What commit-back may publish, retry or replace on real repositories: every test pushes to a real
// bare origin with the hooks and branches a real forge has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitBack, CommitBackOwnershipError, CommitBackPushError } from '../../src/lib/git/index.js';
import { bareOrigin, checkout, pushOther, remoteTip, seed, sh, write } from '../support/git.js';
import { needsServers } from '../support/servers.js';

needsServers();

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cc-security-commit-back-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hook = (origin: string, script: string) => {
  const path = join(origin, 'hooks', 'pre-receive');
  writeFileSync(path, `#!/bin/sh\ncat >/dev/null\n${script}\n`);
  chmodSync(path, 0o755);
};

describe('a new branch never publishes unreviewed commits', () => {
  it("a local commit that no branch of the origin has is not pushed: the branch starts at the origin's default branch", async () => {
    const origin = bareOrigin(scratch);
    const main = seed(scratch, origin, 'main');
    const repo = checkout(scratch, origin, 'main');
    write(repo, 'secret-plan.md', 'not reviewed\n');
    sh(repo, 'add', 'secret-plan.md');
    sh(repo, 'commit', '-q', '-m', 'local, never pushed');
    const local = sh(repo, 'rev-parse', 'HEAD');
    write(repo, 'docs/sprints/status/2026-12-02.md', 'day\n');
    const logs: string[] = [];
    const r = await commitBack({
      repoDir: repo,
      branch: 'status/2026-12',
      message: 'm',
      paths: ['docs/sprints/status/2026-12-02.md'],
      log: (l) => logs.push(l),
    });
    expect(r.pushed).toBe(true);
    expect(sh(origin, 'rev-parse', `${r.commitSha}^`)).toBe(main);
    expect(() => sh(origin, 'cat-file', '-e', local)).toThrow();
    expect(() => sh(origin, 'show', 'status/2026-12:secret-plan.md')).toThrow();
    expect(logs.join('\n')).toMatch(/HEAD [0-9a-f]{12} is on no branch of origin .* starts at origin\/main/);
  });

  it("a pull request's merge commit is not pushed into a new branch either", async () => {
    const origin = bareOrigin(scratch);
    const main = seed(scratch, origin, 'main');
    // The forge's merge ref: on the origin, but on no branch.
    const pr = mkdtempSync(join(scratch, 'pr-'));
    sh(pr, 'clone', '-q', origin, '.');
    write(pr, 'feature.md', 'proposed\n');
    sh(pr, 'add', '.');
    sh(pr, 'commit', '-q', '-m', 'PR merge commit');
    sh(pr, 'push', '-q', 'origin', 'HEAD:refs/pull/7/merge');
    const merge = sh(pr, 'rev-parse', 'HEAD');
    const repo = mkdtempSync(join(scratch, 'checkout-'));
    sh(repo, 'init', '-q');
    sh(repo, 'remote', 'add', 'origin', origin);
    sh(repo, 'fetch', '-q', '--depth=1', 'origin', '+refs/pull/7/merge:refs/remotes/pull/7/merge');
    sh(repo, 'checkout', '-q', '--detach', merge);
    write(repo, 'docs/contracts/2026-12-02/index.json', '{}\n');
    const r = await commitBack({
      repoDir: repo,
      branch: 'contracts/pr-7',
      message: 'm',
      paths: ['docs/contracts/2026-12-02'],
    });
    expect(sh(origin, 'rev-parse', `${r.commitSha}^`)).toBe(main);
    expect(() => sh(origin, 'show', 'contracts/pr-7:feature.md')).toThrow();
  });
});

describe('a refusal is not a race', () => {
  it('a hook message that mentions 500 is a refusal: one attempt, and the server is quoted', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main');
    hook(origin, 'echo "File docs/big.png is 500 KB; this exceeds the 100 KB limit" >&2\nexit 1');
    const repo = checkout(scratch, origin, 'main');
    write(repo, 'docs/big.png', 'x'.repeat(1000));
    const err = await commitBack({
      repoDir: repo,
      branch: 'main',
      message: 'm',
      paths: ['docs/big.png'],
      backoff: { baseMs: 10, maxMs: 20 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitBackPushError);
    expect((err as CommitBackPushError).attempts).toBe(1);
    expect((err as Error).message).toContain(
      'server said: File docs/big.png is 500 KB; this exceeds the 100 KB limit',
    );
    expect((err as Error).message).not.toContain('Other runs kept pushing first');
  });

  it('a branch that cannot be created because of a folder clash is refused at once', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main');
    seed(scratch, origin, 'release');
    const repo = checkout(scratch, origin, 'main');
    write(repo, 'docs/x.md', 'x\n');
    const err = await commitBack({
      repoDir: repo,
      branch: 'release/2026.12',
      message: 'm',
      paths: ['docs/x.md'],
      backoff: { baseMs: 10, maxMs: 20 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitBackPushError);
    expect((err as CommitBackPushError).attempts).toBe(1);
    expect((err as Error).message).toMatch(
      /refused the push to release\/2026\.12: .*'refs\/heads\/release' exists; cannot create 'refs\/heads\/release\/2026\.12'/,
    );
  });
});

describe('only owned paths, only through real folders, only its own files', () => {
  it('an owned path that is a tracked symbolic link on the branch is refused; the link stays', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main', { 'documentation/status/README.md': 'x\n' });
    const repo = checkout(scratch, origin, 'main');
    // The branch moves on: someone made docs a link to documentation.
    const linked = mkdtempSync(join(scratch, 'link-'));
    sh(linked, 'clone', '-q', origin, '.');
    symlinkSync('documentation', join(linked, 'docs'));
    sh(linked, 'add', 'docs');
    sh(linked, 'commit', '-q', '-m', 'docs is documentation');
    sh(linked, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
    const tip = remoteTip(origin, 'main');
    write(repo, 'docs/status/2026-12-02.md', 'day\n');
    await expect(
      commitBack({ repoDir: repo, branch: 'main', message: 'm', paths: ['docs/status/2026-12-02.md'] }),
    ).rejects.toThrow(/"docs" is a symbolic link on the branch/);
    expect(remoteTip(origin, 'main')).toBe(tip);
    expect(sh(origin, 'cat-file', '-p', 'main^{tree}')).toMatch(/^120000 blob [0-9a-f]+\tdocs$/m);
  });

  it("a folder on the branch without this run's marker is not replaced", async () => {
    const origin = bareOrigin(scratch);
    const seeded = seed(scratch, origin, 'main', {
      'docs/sprints/status/2026-12-02/evidence/notes.md': 'by hand\n',
    });
    const repo = checkout(scratch, origin, 'main');
    rmSync(join(repo, 'docs/sprints/status/2026-12-02/evidence'), { recursive: true });
    write(repo, 'docs/sprints/status/2026-12-02/evidence/manifest.json', '{"algorithm": "sha256"}\n');
    const evidence = 'docs/sprints/status/2026-12-02/evidence';
    const err = await commitBack({
      repoDir: repo,
      branch: 'main',
      message: 'm',
      paths: [evidence],
      claims: [{ path: evidence, markerFile: 'manifest.json', marker: '"algorithm": "sha256"' }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitBackOwnershipError);
    expect((err as Error).message).toContain(
      `${evidence} on main was not written by this step (no manifest.json of ours in it)`,
    );
    expect(remoteTip(origin, 'main')).toBe(seeded);
  });

  it('two writers of one shared file both land: each section is rendered from the branch at push time', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main');
    const repo = checkout(scratch, origin, 'main');
    // Another writer lands its own section first.
    pushOther(scratch, origin, 'main', {
      'status.md':
        '<!-- command-center:begin infra-pulse -->\npulse: ok\n<!-- command-center:end infra-pulse -->\n',
    });
    const render = (onBranch: string | undefined) =>
      `${onBranch ?? ''}<!-- command-center:begin integration-day -->\nday: ok\n<!-- command-center:end integration-day -->\n`;
    const r = await commitBack({
      repoDir: repo,
      branch: 'main',
      message: 'm',
      paths: [],
      renders: [{ path: 'status.md', render }],
      backoff: { baseMs: 10, maxMs: 20 },
    });
    expect(r.pushed).toBe(true);
    expect(sh(origin, 'show', 'main:status.md')).toBe(
      '<!-- command-center:begin infra-pulse -->\npulse: ok\n<!-- command-center:end infra-pulse -->\n<!-- command-center:begin integration-day -->\nday: ok\n<!-- command-center:end integration-day -->',
    );
  });
});

describe('filters without a driver', () => {
  it('an owned path under filter=lfs with no git-lfs configured is committed with a warning that says so', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main', {
      '.gitattributes': 'docs/**/*.png filter=lfs diff=lfs merge=lfs -text\n',
    });
    const repo = checkout(scratch, origin, 'main');
    write(repo, 'docs/shots/2026-12-02/dash.png', 'raw png bytes');
    const logs: string[] = [];
    const r = await commitBack({
      repoDir: repo,
      branch: 'main',
      message: 'm',
      paths: ['docs/shots/2026-12-02'],
      log: (l) => logs.push(l),
    });
    expect(r.pushed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(
      /^docs\/shots\/2026-12-02\/dash\.png goes through the \.gitattributes filter 'lfs', whose driver is not configured on this runner \(install git-lfs/,
    );
    expect(logs.some((l) => l.includes("filter 'lfs'"))).toBe(true);
  });
});

describe('pull-request mode replaces only its own head branch', () => {
  const HEAD = 'command-center/evidence-2026-12-02';
  const DAY = 'docs/sprints/status/2026-12-02.md';

  /** An origin whose main is seeded, then takes no push (as a protected branch); other branches may be replaced. */
  const protectedOrigin = () => {
    const origin = bareOrigin(scratch);
    sh(origin, 'config', 'receive.denyNonFastForwards', 'false');
    seed(scratch, origin, 'main');
    protectMain(origin, true);
    return origin;
  };
  const protectMain = (origin: string, on: boolean) => {
    const path = join(origin, 'hooks', 'update');
    if (!on) return rmSync(path);
    writeFileSync(
      path,
      '#!/bin/sh\nif [ "$1" = refs/heads/main ]; then echo "main is protected"; exit 1; fi\n',
    );
    chmodSync(path, 0o755);
  };

  it('the head is one commit on the base tip, replaced with a lease on each run; the base is never pushed', async () => {
    const origin = protectedOrigin();
    const repo = checkout(scratch, origin, 'main');
    write(repo, DAY, 'first run\n');
    const first = await commitBack({ repoDir: repo, branch: HEAD, onto: 'main', message: 'm', paths: [DAY] });
    expect(first).toMatchObject({ pushed: true, replaced: false, files: [DAY] });
    // Work merged into main meanwhile: the next run's commit sits on the new tip, not on top of the old one.
    protectMain(origin, false);
    const main = pushOther(scratch, origin, 'main', { 'other.md': 'merged work\n' });
    protectMain(origin, true);
    write(repo, DAY, 'second run\n');
    const second = await commitBack({
      repoDir: repo,
      branch: HEAD,
      onto: 'main',
      message: 'm',
      paths: [DAY],
    });
    expect(second).toMatchObject({ pushed: true, replaced: true, files: [DAY] });
    expect(remoteTip(origin, HEAD)).toBe(second.commitSha);
    expect(sh(origin, 'rev-parse', `${second.commitSha}^`)).toBe(main);
    expect(sh(origin, 'show', `${HEAD}:${DAY}`)).toBe('second run');
    expect(remoteTip(origin, 'main')).toBe(main);
    // The same contents again: nothing is pushed, the branch stays as it is.
    const third = await commitBack({ repoDir: repo, branch: HEAD, onto: 'main', message: 'm', paths: [DAY] });
    expect(third).toMatchObject({ pushed: false, upToDate: true, commitSha: second.commitSha });
    expect(remoteTip(origin, HEAD)).toBe(second.commitSha);
  });

  it('a commit someone else pushed onto the head branch is never thrown away', async () => {
    const origin = protectedOrigin();
    const repo = checkout(scratch, origin, 'main');
    write(repo, DAY, 'the run\n');
    await commitBack({ repoDir: repo, branch: HEAD, onto: 'main', message: 'm', paths: [DAY] });
    const fix = pushOther(scratch, origin, HEAD, { [DAY]: 'a person fixed a line\n' }, 'fix a line');
    write(repo, DAY, 'the next run\n');
    const err = await commitBack({
      repoDir: repo,
      branch: HEAD,
      onto: 'main',
      message: 'm',
      paths: [DAY],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitBackPushError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `'${HEAD}' has commits this step did not make \\(${fix.slice(0, 7)}[0-9a-f]* by test@example\\.com\\)`,
      ),
    );
    expect(remoteTip(origin, HEAD)).toBe(fix);
  });

  it('the base must exist and differ from the head', async () => {
    const origin = protectedOrigin();
    const repo = checkout(scratch, origin, 'main');
    write(repo, DAY, 'x\n');
    await expect(
      commitBack({ repoDir: repo, branch: HEAD, onto: 'release', message: 'm', paths: [DAY] }),
    ).rejects.toThrow(/base branch 'release' does not exist on origin/);
    await expect(
      commitBack({ repoDir: repo, branch: 'main', onto: 'main', message: 'm', paths: [DAY] }),
    ).rejects.toThrow(/other than its head 'main'/);
    expect(() => sh(origin, 'rev-parse', '--verify', `refs/heads/${HEAD}`)).toThrow();
  });
});
