import { cp, mkdtemp, realpath, rm, stat, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError } from '../errors.js';
import { resolveInside } from '../files.js';
import { isBranchName } from './branch.js';
import { classifyPush, retryDelayMs, type PushOutcome } from './push.js';
import { git, gitOut, type GitOptions } from './run.js';

export interface CommitAuthor {
  name: string;
  email: string;
}

/** The identity GitHub shows as "github-actions[bot]". */
export const BOT_AUTHOR: CommitAuthor = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

export interface CommitBackOptions {
  /** A git work tree (the job's checkout). The owned paths are read from it; it is otherwise left as it was. */
  repoDir: string;
  /** The paths this commit owns, relative to repoDir (files or folders). Only these are ever committed. */
  paths: readonly string[];
  /** The remote branch to commit onto; created from the checkout's HEAD when it does not exist yet. */
  branch: string;
  message: string;
  /** Push attempts; a rejected push is fetched, rebased and retried (default 5). */
  pushAttempts?: number;
  remote?: string;
  author?: CommitAuthor;
  /** Backoff between attempts: exponential from baseMs up to maxMs, fully jittered (default 250 ms … 4 s). */
  backoff?: { baseMs: number; maxMs: number };
  /** Where the temporary work tree goes (default: the OS temp dir). */
  tempDir?: string;
  log?: (line: string) => void;
}

export interface CommitBackResult {
  /** The commit that reached the remote; empty when there was nothing to commit. */
  commitSha: string;
  pushed: boolean;
  /** Push attempts made (0 when there was nothing to commit). */
  attempts: number;
  /** Times the commit was rebased onto a newer remote tip. */
  rebases: number;
  branch: string;
  /** Files the commit changed, relative to the repository root. */
  files: string[];
  /** True when the remote already had exactly these contents (nothing pushed). */
  upToDate: boolean;
}

/** Another commit changed the same owned lines; nothing was pushed and the other commit is untouched. */
export class CommitBackConflictError extends Error {
  override readonly name = 'CommitBackConflictError';
  constructor(
    readonly branch: string,
    readonly remoteTip: string,
    readonly conflicts: readonly string[],
  ) {
    super(`commit-back: the remote branch '${branch}' (now at ${remoteTip.slice(0, 12)}) changed the same owned file(s) as this run: ${conflicts.join(', ')}. ` +
      'Nothing was pushed and the other commit was kept. This happens when two runs write the same date; re-run one of them after the other has landed.');
  }
}

/** The push was refused for a reason a retry cannot fix, or every attempt was rejected. */
export class CommitBackPushError extends Error {
  override readonly name = 'CommitBackPushError';
  constructor(
    message: string,
    readonly attempts: number,
    readonly commitSha: string,
  ) {
    super(message);
  }
}

const DEFAULT_BACKOFF = { baseMs: 250, maxMs: 4_000 };

/**
 * Commits exactly `paths` onto the remote `branch` and pushes without ever forcing.
 *
 * The commit is built in a temporary sparse work tree checked out at the remote tip, so it works the
 * same from a detached HEAD (schedule and workflow_dispatch runs), from another branch, or from the
 * branch itself, never pushes the checkout's other local commits, and never touches the checkout.
 * A rejected push (someone pushed first) is fetched, rebased onto the new tip and retried with a
 * jittered backoff, up to `pushAttempts`. A rebase conflict on an owned file stops with
 * CommitBackConflictError after aborting the rebase: the other commit always survives.
 */
export async function commitBack(opts: CommitBackOptions): Promise<CommitBackResult> {
  const remote = opts.remote ?? 'origin';
  const attempts = opts.pushAttempts ?? 5;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const author = opts.author ?? BOT_AUTHOR;
  const log = opts.log ?? (() => {});
  if (!isBranchName(opts.branch)) throw new ConfigurationError(`commit-back: ${JSON.stringify(opts.branch)} is not a valid branch name`);
  if (!Number.isInteger(attempts) || attempts < 1) throw new ConfigurationError(`commit-back: push attempts must be a whole number of at least 1, got ${attempts}`);
  if (opts.paths.length === 0) throw new ConfigurationError('commit-back: no paths to commit');
  if (!opts.message.trim()) throw new ConfigurationError('commit-back: the commit message is empty');

  const top = await gitOut(['rev-parse', '--show-toplevel'], { cwd: opts.repoDir, allowFailure: false }).catch(() => {
    throw new ConfigurationError(`commit-back: ${opts.repoDir} is not inside a git work tree (check out the repository first)`);
  });
  const paths = ownedPaths(top, await realpath(opts.repoDir), opts.paths);
  const remoteUrl = await git(['remote', 'get-url', remote], { cwd: top, allowFailure: true });
  if (remoteUrl.code !== 0) throw new ConfigurationError(`commit-back: the checkout has no remote named '${remote}'`);

  const ref = `refs/heads/${opts.branch}`;
  const tracking = `refs/remotes/${remote}/${opts.branch}`;
  const shallow = (await gitOut(['rev-parse', '--is-shallow-repository'], { cwd: top })) === 'true';
  // A shallow checkout (actions/checkout's default) stays shallow: fetch only the tip.
  const fetchArgs = ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', ...(shallow ? ['--depth=1'] : []), remote, `+${ref}:${tracking}`];
  const fetchTip = async (): Promise<string | undefined> => {
    const r = await git(fetchArgs, { cwd: top, allowFailure: true });
    if (r.code === 0) return gitOut(['rev-parse', '--verify', `${tracking}^{commit}`], { cwd: top });
    if (/couldn't find remote ref|no such ref/i.test(r.stderr)) return undefined;
    throw new Error(`commit-back: fetching ${opts.branch} from ${remote} failed: ${r.stderr.trim()}`);
  };

  let base = await fetchTip();
  if (!base) {
    const head = await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: top, allowFailure: true });
    if (head.code !== 0) throw new ConfigurationError(`commit-back: branch '${opts.branch}' does not exist on ${remote} and the checkout has no commit to start it from`);
    base = head.stdout.trim();
    log(`commit-back: ${remote}/${opts.branch} does not exist yet; it will start at ${base.slice(0, 12)}`);
  }

  const scratch = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'cc-commit-back-'));
  const wt = join(scratch, 'tree');
  const identity = { 'user.name': author.name, 'user.email': author.email };
  // Hooks belong to the developer's checkout, not to an automated commit; sparse settings are passed
  // per command so the repository's own configuration is never changed.
  const wtOpts: GitOptions = {
    cwd: wt,
    config: { 'core.hooksPath': '/dev/null', 'core.sparseCheckout': 'true', 'core.sparseCheckoutCone': 'false', 'commit.gpgSign': 'false', 'advice.detachedHead': 'false', ...identity },
    env: { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email },
  };
  let worktreeAdded = false;
  try {
    await git(['worktree', 'add', '--quiet', '--detach', '--no-checkout', wt, base], { cwd: top, config: { 'core.hooksPath': '/dev/null' } });
    worktreeAdded = true;
    const sparseFile = await gitOut(['rev-parse', '--git-path', 'info/sparse-checkout'], wtOpts);
    const sparsePath = sparseFile.startsWith('/') ? sparseFile : join(wt, sparseFile);
    await mkdir(dirname(sparsePath), { recursive: true });
    await writeFile(sparsePath, paths.map((p) => `/${escapePattern(p)}\n`).join(''));
    await git(['read-tree', '-mu', 'HEAD'], wtOpts);

    for (const p of paths) await mirror(join(top, p), join(wt, p));
    // --force: these paths are the action's own output, all of it recorded in its manifest; a
    // .gitignore pattern of the repository (such as *.log) must not silently drop part of it.
    await git(['add', '--all', '--force', '--', ...paths], wtOpts);
    const files = (await gitOut(['diff', '--cached', '--name-only', '-z'], wtOpts)).split('\0').filter(Boolean);
    if (files.length === 0) {
      log(`commit-back: ${remote}/${opts.branch} already has these contents; nothing to commit`);
      return { commitSha: '', pushed: false, attempts: 0, rebases: 0, branch: opts.branch, files: [], upToDate: true };
    }
    await git(['commit', '--quiet', '--no-verify', '-m', opts.message], wtOpts);
    let sha = await gitOut(['rev-parse', 'HEAD'], wtOpts);
    log(`commit-back: committed ${sha.slice(0, 12)} (${files.length} file(s)) on ${base.slice(0, 12)}`);

    let rebases = 0;
    let last: PushOutcome | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        const delay = retryDelayMs(attempt, backoff.baseMs, backoff.maxMs);
        await sleep(delay);
        const tip = await fetchTip();
        if (tip && tip !== base) {
          const rebased = await rebaseOnto(tip, wtOpts, opts.branch);
          rebases++;
          base = tip;
          if (rebased === 'empty') {
            log(`commit-back: ${remote}/${opts.branch} at ${tip.slice(0, 12)} already contains these changes; nothing to push`);
            return { commitSha: '', pushed: false, attempts: attempt - 1, rebases, branch: opts.branch, files, upToDate: true };
          }
          sha = await gitOut(['rev-parse', 'HEAD'], wtOpts);
          log(`commit-back: rebased onto ${tip.slice(0, 12)} as ${sha.slice(0, 12)} after ${delay} ms`);
        }
      }
      const push = await git(['push', '--porcelain', '--no-verify', remote, `HEAD:${ref}`], { ...wtOpts, allowFailure: true });
      last = classifyPush(ref, push.code, push.stdout, push.stderr);
      if (last.kind === 'pushed' || last.kind === 'up-to-date') {
        // Keep the checkout's view of the remote current without touching its branches or files.
        await git(['update-ref', tracking, sha], { cwd: top, allowFailure: true });
        log(`commit-back: pushed ${sha.slice(0, 12)} to ${remote}/${opts.branch} (attempt ${attempt} of ${attempts})`);
        return { commitSha: sha, pushed: true, attempts: attempt, rebases, branch: opts.branch, files, upToDate: false };
      }
      if (last.kind === 'refused') {
        throw new CommitBackPushError(`commit-back: ${remote} refused the push to ${opts.branch}: ${last.reason}. Nothing was forced; the commit was not pushed.`, attempt, sha);
      }
      log(`commit-back: push attempt ${attempt} of ${attempts} was rejected (${last.reason || last.kind})${attempt < attempts ? '; fetching and rebasing' : ''}`);
    }
    throw new CommitBackPushError(
      `commit-back: every push attempt to ${remote}/${opts.branch} was rejected (${attempts} attempt(s); last: ${last && 'reason' in last ? last.reason : 'unknown'}). ` +
      'Other runs kept pushing first; raise push-attempts, or run fewer writers at once.',
      attempts, sha);
  } finally {
    if (worktreeAdded) await git(['worktree', 'remove', '--force', wt], { cwd: top, allowFailure: true });
    await rm(scratch, { recursive: true, force: true });
    await git(['worktree', 'prune'], { cwd: top, allowFailure: true });
  }
}

/** Replays our one commit onto `tip`. A conflict aborts the rebase and stops; nothing is lost. */
async function rebaseOnto(tip: string, wtOpts: GitOptions, branch: string): Promise<'rebased' | 'empty'> {
  const r = await git(['rebase', '--quiet', '--no-autostash', '--onto', tip, 'HEAD~1'], { ...wtOpts, allowFailure: true });
  if (r.code !== 0) {
    const conflicts = (await git(['diff', '--name-only', '--diff-filter=U', '-z'], { ...wtOpts, allowFailure: true })).stdout.split('\0').filter(Boolean);
    await git(['rebase', '--abort'], { ...wtOpts, allowFailure: true });
    if (conflicts.length > 0) throw new CommitBackConflictError(branch, tip, conflicts);
    throw new Error(`commit-back: rebasing onto ${tip.slice(0, 12)} failed: ${(r.stderr || r.stdout).trim()}`);
  }
  // An empty replay (the same change is already upstream) is dropped by git, leaving HEAD at the tip.
  const head = await gitOut(['rev-parse', 'HEAD'], wtOpts);
  return head === tip ? 'empty' : 'rebased';
}

/** Repository-relative POSIX paths; anything outside the repository or inside .git is refused. */
export function ownedPaths(top: string, repoDir: string, paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const full = resolveInside(top, resolve(repoDir, p), 'commit-back path');
    const rel = relative(top, full).split(sep).join('/');
    if (rel === '' || rel === '.git' || rel.startsWith('.git/')) {
      throw new ConfigurationError(`commit-back path ${JSON.stringify(p)} is the repository root or inside .git; name the files or folders this run owns`);
    }
    out.add(rel);
  }
  return [...out].sort();
}

/** Makes `dst` an exact copy of `src` (a file, a folder, or absent: then dst is removed too). */
async function mirror(src: string, dst: string): Promise<void> {
  await rm(dst, { recursive: true, force: true });
  const s = await stat(src).catch(() => undefined);
  if (!s) return;
  await mkdir(dirname(dst), { recursive: true });
  await cp(src, dst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: false });
}

/** Sparse-checkout patterns use gitignore syntax; escape its special characters so a path matches only itself. */
function escapePattern(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ +$/, (s) => s.replace(/ /g, '\\ '));
}
