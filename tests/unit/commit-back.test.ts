import { describe, expect, it } from 'vitest';
import {
  branchFromEnv,
  branchInput,
  classifyPush,
  isBranchName,
  ownedPaths,
  retryDelayMs,
} from '../../src/lib/git/index.js';

const REF = 'refs/heads/main';
// Porcelain output exactly as git 2.39 prints it (captured from real pushes to a bare repository).
const OUT = (flag: string, summary: string, src = 'HEAD') =>
  `To /tmp/o.git\n${flag}\t${src}:${REF}\t${summary}\nDone\n`;

describe('classifyPush', () => {
  it('reads a new branch, a fast-forward and an up-to-date push', () => {
    expect(classifyPush(REF, 0, OUT('*', '[new branch]'), '')).toEqual({
      kind: 'pushed',
      summary: '[new branch]',
    });
    expect(classifyPush(REF, 0, OUT(' ', 'fb7a93a..056055d'), '')).toEqual({
      kind: 'pushed',
      summary: 'fb7a93a..056055d',
    });
    expect(classifyPush(REF, 0, OUT('=', '[up to date]'), '')).toEqual({
      kind: 'up-to-date',
      summary: '[up to date]',
    });
  });

  it('a branch that moved under us is "behind" (fetch, rebase, retry)', () => {
    expect(
      classifyPush(REF, 1, OUT('!', '[rejected] (fetch first)'), 'error: failed to push some refs').kind,
    ).toBe('behind');
    expect(classifyPush(REF, 1, OUT('!', '[rejected] (non-fast-forward)'), '').kind).toBe('behind');
    // Two pushes racing inside the server: the loser's ref update fails after its checks passed.
    expect(
      classifyPush(
        REF,
        1,
        OUT('!', '[remote rejected] (failed to update ref)'),
        "remote: error: cannot lock ref 'refs/heads/main': is at 1111 but expected 2222",
      ).kind,
    ).toBe('behind');
  });

  it('a refusal a retry cannot fix is "refused" and keeps what the server said', () => {
    const r = classifyPush(
      REF,
      1,
      OUT('!', '[remote rejected] (pre-receive hook declined)'),
      'remote: protected branch: pushes need review\nerror: failed to push some refs',
    );
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.reason).toContain('protected branch: pushes need review');
  });

  it('without a porcelain line, network trouble is transient and anything else refused', () => {
    expect(
      classifyPush(
        REF,
        128,
        '',
        "fatal: unable to access 'https://github.com/a/b/': Could not resolve host: github.com",
      ).kind,
    ).toBe('transient');
    expect(classifyPush(REF, 128, '', 'error: RPC failed; HTTP 502 curl 22').kind).toBe('transient');
    expect(
      classifyPush(
        REF,
        128,
        '',
        'remote: Permission to a/b.git denied to github-actions[bot].\nfatal: unable to access: The requested URL returned error: 403',
      ).kind,
    ).toBe('refused');
  });

  it('only the line for our ref counts', () => {
    const stdout = `To o\n!\tHEAD:refs/heads/other\t[rejected] (fetch first)\n \tHEAD:${REF}\t1..2\nDone\n`;
    expect(classifyPush(REF, 1, stdout, '').kind).toBe('pushed');
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially, is capped, and is jittered within [ceiling/2, ceiling]', () => {
    expect(retryDelayMs(2, 250, 4000, () => 0)).toBe(125);
    expect(retryDelayMs(2, 250, 4000, () => 1)).toBe(250);
    expect(retryDelayMs(3, 250, 4000, () => 1)).toBe(500);
    expect(retryDelayMs(4, 250, 4000, () => 0.5)).toBe(750);
    expect(retryDelayMs(20, 250, 4000, () => 1)).toBe(4000);
    expect(retryDelayMs(20, 250, 4000, () => 0)).toBe(2000);
  });
});

describe('branch names', () => {
  it('accepts ordinary names and refuses what git refuses', () => {
    for (const ok of ['main', 'status/integration-day', 'release-1.2', 'a_b'])
      expect(isBranchName(ok)).toBe(true);
    for (const bad of [
      '',
      'a b',
      'a..b',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[',
      'a\\b',
      '/a',
      'a/',
      'a.',
      'a.lock',
      '.a',
      'a/.b',
      '-a',
      '@',
      'a@{1}',
      'a//b',
      'refs/heads/main',
    ]) {
      expect(isBranchName(bad), bad).toBe(false);
    }
    expect(() => branchInput('branch', 'a..b')).toThrow(
      /input 'branch' has value "a\.\.b": expected a git branch name/,
    );
  });

  it("the run's branch comes from GITHUB_REF only when it is a branch", () => {
    expect(branchFromEnv({ GITHUB_REF: 'refs/heads/main' })).toBe('main');
    expect(branchFromEnv({ GITHUB_REF: 'refs/heads/status/day' })).toBe('status/day');
    expect(branchFromEnv({ GITHUB_REF: 'refs/pull/7/merge' })).toBeUndefined();
    expect(branchFromEnv({ GITHUB_REF: 'refs/tags/v1' })).toBeUndefined();
    expect(branchFromEnv({})).toBeUndefined();
  });
});

describe('ownedPaths', () => {
  it('makes paths repository-relative, sorted and unique', () => {
    expect(ownedPaths('/repo', '/repo', ['docs/b.md', 'docs/a', './docs/b.md'])).toEqual([
      'docs/a',
      'docs/b.md',
    ]);
    expect(ownedPaths('/repo', '/repo/sub', ['x.md', '../y.md'])).toEqual(['sub/x.md', 'y.md']);
  });

  it('refuses paths that leave the repository, the root itself and .git', () => {
    expect(() => ownedPaths('/repo', '/repo', ['../elsewhere'])).toThrow(/points outside \/repo/);
    expect(() => ownedPaths('/repo', '/repo', ['/etc/passwd'])).toThrow(/points outside/);
    expect(() => ownedPaths('/repo', '/repo', ['.'])).toThrow(/repository root or inside \.git/);
    expect(() => ownedPaths('/repo', '/repo', ['.git/config'])).toThrow(/inside \.git/);
  });
});
