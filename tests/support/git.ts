import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fixed identity so commits made by tests never depend on the machine's git configuration. */
export const TEST_IDENTITY = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    // Never a credential prompt: a push the forge refuses fails at once.
    env: { ...process.env, ...TEST_IDENTITY, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function write(dir: string, rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** A real bare repository configured like a protected origin (no force pushes, no deletions). */
export function bareOrigin(scratch: string): string {
  const dir = join(mkdtempSync(join(scratch, 'origin-')), 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  sh(dir, 'config', 'receive.denyNonFastForwards', 'true');
  sh(dir, 'config', 'receive.denyDeletes', 'true');
  return dir;
}

/** Seeds `branch` on `origin` with one commit of `files` (plus a README) and returns its SHA. */
export function seed(
  scratch: string,
  origin: string,
  branch: string,
  files: Record<string, string> = {},
  setup?: (dir: string) => void,
): string {
  const dir = mkdtempSync(join(scratch, 'seed-'));
  sh(dir, 'init', '-q', '-b', branch);
  write(dir, 'README.md', '# repo\n');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  setup?.(dir);
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-q', '-m', 'seed');
  sh(dir, 'push', '-q', origin, `HEAD:refs/heads/${branch}`);
  return sh(dir, 'rev-parse', 'HEAD');
}

/** A checkout the way actions/checkout makes one: shallow, on a detached HEAD at the branch tip. */
export function checkout(scratch: string, origin: string, branch: string, into?: string): string {
  const dir = into ?? mkdtempSync(join(scratch, 'checkout-'));
  mkdirSync(dir, { recursive: true });
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

/** Another writer pushing one commit to `branch` from a clone of its own. */
export function pushOther(
  scratch: string,
  origin: string,
  branch: string,
  files: Record<string, string>,
  message = 'other writer',
): string {
  const dir = mkdtempSync(join(scratch, 'other-'));
  sh(dir, 'clone', '-q', '--branch', branch, origin, '.');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-q', '-m', message);
  sh(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
  return sh(dir, 'rev-parse', 'HEAD');
}

export const remoteTip = (origin: string, branch: string) => sh(origin, 'rev-parse', `refs/heads/${branch}`);
