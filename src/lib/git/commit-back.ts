import { cp, mkdtemp, realpath, rm, stat, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError } from '../errors.js';
import { resolveInside } from '../files.js';
import { refuseSymlinks } from '../owned-paths.js';
import { isBranchName } from './branch.js';
import { classifyPush, retryDelayMs, type PushOutcome } from './push.js';
import { git, gitOut, type GitOptions } from './run.js';
import { missingFilterDrivers, refuseTrackedLinks, showAt } from './tree.js';

export interface CommitAuthor {
  name: string;
  email: string;
}

/** The identity GitHub shows as "github-actions[bot]". */
export const BOT_AUTHOR: CommitAuthor = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/**
 * A file several writers share (the day's status report): rendered from the branch's own version
 * at the moment of each commit, so a writer that lands first keeps what it wrote. `render` throws
 * when the branch's version is not one this run may change (a file a person wrote).
 */
export interface RenderedFile {
  path: string;
  render: (onBranch: string | undefined) => string;
}

/**
 * A path this run replaces only when the branch's copy carries its marker: for a folder, the
 * marker is looked for in `markerFile` inside it. Anything else there was not written by this run.
 */
export interface Claim {
  path: string;
  markerFile?: string;
  marker: string;
}

export interface CommitBackOptions {
  /** A git work tree (the job's checkout). The owned paths are read from it; it is otherwise left as it was. */
  repoDir: string;
  /** The paths this commit owns, relative to repoDir (files or folders), copied from the checkout. */
  paths: readonly string[];
  /** Owned files rendered against the branch's version instead of copied (see RenderedFile). */
  renders?: readonly RenderedFile[];
  /** Owned paths that must carry this run's marker on the branch before they are replaced. */
  claims?: readonly Claim[];
  /**
   * The remote branch to commit onto. When it does not exist yet it starts at the checkout's HEAD if
   * the remote already has that commit on a branch, otherwise at the remote's default branch.
   */
  branch: string;
  /**
   * Pull-request mode: the commit is built on this remote branch's tip (the pull request's base) and
   * `branch` (the pull request's head, which this step owns) is replaced by it, with a lease on the
   * tip this run saw: a push never overwrites a commit the run has not looked at, and a head that
   * carries a commit by anyone but `author` is left alone.
   */
  onto?: string;
  message: string;
  /** Push attempts; a rejected push is fetched, rebuilt on the new tip and retried (default 5). */
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
  /** Times the commit was rebuilt onto a newer remote tip. */
  rebases: number;
  branch: string;
  /** Files the commit changed, relative to the repository root. */
  files: string[];
  /**
   * True when nothing was pushed because the remote already had exactly these contents: on `branch`,
   * or (with `onto`) on `onto` itself (then `files` is empty) or on `branch` built on `onto`'s tip
   * (then `commitSha` is that branch's tip and `files` what it changes).
   */
  upToDate: boolean;
  /** With `onto`: true when the head branch existed and was replaced (forced with a lease). */
  replaced?: boolean;
  /** Things a person should know (a filter without its driver). */
  warnings: string[];
}

/** Another commit changed the same owned file; nothing was pushed and the other commit is untouched. */
export class CommitBackConflictError extends Error {
  override readonly name = 'CommitBackConflictError';
  constructor(
    readonly branch: string,
    readonly remoteTip: string,
    readonly conflicts: readonly string[],
  ) {
    super(
      `commit-back: the remote branch '${branch}' (now at ${remoteTip.slice(0, 12)}) changed the same owned file(s) ` +
        `as this run: ${conflicts.join(', ')}. Nothing was pushed and the other commit was kept. ` +
        "Two runs wrote the same date: compare the version on the branch with this run's result before " +
        'running again, because a new run replaces what it owns.',
    );
  }
}

/** A path on the branch that this run did not write (no marker): it is left alone. */
export class CommitBackOwnershipError extends ConfigurationError {}

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
 * Commits exactly the owned paths onto the remote `branch` and pushes without ever forcing.
 *
 * The commit is built in a temporary sparse work tree checked out at the remote tip, so it works the
 * same from a detached HEAD (schedule and workflow_dispatch runs), from another branch, or from the
 * branch itself, never pushes the checkout's other local commits, and never touches the checkout.
 * A rejected push (someone pushed first) is fetched and the commit is built again on the new tip,
 * with a jittered backoff, up to `pushAttempts`. If the other commit changed a file this run copies,
 * it stops with CommitBackConflictError: the other commit always survives. Rendered files are
 * rendered again from the new tip, so both writers' parts are kept.
 *
 * With `onto` (pull-request mode) the commit is built on `onto`'s tip and replaces `branch`, the
 * step's own head branch, with `--force-with-lease` on the tip it saw; `onto` is never pushed to.
 */
export async function commitBack(opts: CommitBackOptions): Promise<CommitBackResult> {
  const remote = opts.remote ?? 'origin';
  const attempts = opts.pushAttempts ?? 5;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const author = opts.author ?? BOT_AUTHOR;
  const log = opts.log ?? (() => {});
  const renders = opts.renders ?? [];
  const onto = opts.onto;
  if (!isBranchName(opts.branch))
    throw new ConfigurationError(`commit-back: ${JSON.stringify(opts.branch)} is not a valid branch name`);
  if (onto !== undefined && (!isBranchName(onto) || onto === opts.branch)) {
    throw new ConfigurationError(
      `commit-back: the pull request's base ${JSON.stringify(onto)} must be a valid branch name other than its head '${opts.branch}'`,
    );
  }
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new ConfigurationError(
      `commit-back: push attempts must be a whole number of at least 1, got ${attempts}`,
    );
  }
  if (opts.paths.length + renders.length === 0)
    throw new ConfigurationError('commit-back: no paths to commit');
  if (!opts.message.trim()) throw new ConfigurationError('commit-back: the commit message is empty');

  const top = await gitOut(['rev-parse', '--show-toplevel'], {
    cwd: opts.repoDir,
    allowFailure: false,
  }).catch(() => {
    throw new ConfigurationError(
      `commit-back: ${opts.repoDir} is not inside a git work tree (check out the repository first)`,
    );
  });
  const repoDir = await realpath(opts.repoDir);
  const copied = ownedPaths(top, repoDir, opts.paths);
  const rendered = renders.map((r) => ({ ...r, path: ownedPaths(top, repoDir, [r.path])[0]! }));
  const owned = [...new Set([...copied, ...rendered.map((r) => r.path)])].sort();
  // What is copied must really be in the checkout: a linked folder would copy files from elsewhere.
  for (const p of copied) await refuseSymlinks(top, p, 'commit-back path');
  const remoteUrl = await git(['remote', 'get-url', remote], { cwd: top, allowFailure: true });
  if (remoteUrl.code !== 0)
    throw new ConfigurationError(`commit-back: the checkout has no remote named '${remote}'`);

  const ref = `refs/heads/${opts.branch}`;
  const tracking = `refs/remotes/${remote}/${opts.branch}`;
  const shallow = (await gitOut(['rev-parse', '--is-shallow-repository'], { cwd: top })) === 'true';
  // A shallow checkout (actions/checkout's default) stays shallow: fetch only the tip.
  const depth = shallow ? ['--depth=1'] : [];
  const fetchTipOf = async (branch: string): Promise<string | undefined> => {
    const into = `refs/remotes/${remote}/${branch}`;
    const fetchArgs = ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', ...depth, remote];
    const r = await git([...fetchArgs, `+refs/heads/${branch}:${into}`], { cwd: top, allowFailure: true });
    if (r.code === 0) return gitOut(['rev-parse', '--verify', `${into}^{commit}`], { cwd: top });
    if (/couldn't find remote ref|no such ref/i.test(r.stderr)) return undefined;
    throw new Error(`commit-back: fetching ${branch} from ${remote} failed: ${r.stderr.trim()}`);
  };
  /** The tip the commit is built on: `onto`'s in pull-request mode, the branch's own otherwise. */
  const fetchTip = () => fetchTipOf(onto ?? opts.branch);

  let base = await fetchTip();
  if (!base && onto !== undefined) {
    throw new ConfigurationError(
      `commit-back: the pull request's base branch '${onto}' does not exist on ${remote}; name an existing branch`,
    );
  }
  base ??= await newBranchBase({ top, remote, shallow, branch: opts.branch, log });
  /** Pull-request mode: the head branch's tip as this run last saw it (the push's lease). */
  let lease = onto !== undefined ? await fetchTipOf(opts.branch) : undefined;
  if (lease) await refuseForeignCommits(lease, base, opts.branch, author, top);

  const scratch = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'cc-commit-back-'));
  const wt = join(scratch, 'tree');
  const identity = { 'user.name': author.name, 'user.email': author.email };
  // Hooks belong to the developer's checkout, not to an automated commit; sparse settings are passed
  // per command so the repository's own configuration is never changed.
  const wtOpts: GitOptions = {
    cwd: wt,
    config: {
      'core.hooksPath': '/dev/null',
      'core.sparseCheckout': 'true',
      'core.sparseCheckoutCone': 'false',
      'commit.gpgSign': 'false',
      'advice.detachedHead': 'false',
      ...identity,
    },
    env: {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    },
  };
  const upToDate = (
    files: string[],
    tries: number,
    rebases: number,
    warnings: string[],
  ): CommitBackResult => ({
    commitSha: '',
    pushed: false,
    attempts: tries,
    rebases,
    branch: opts.branch,
    files,
    upToDate: true,
    warnings,
  });

  let worktreeAdded = false;
  try {
    await git(['worktree', 'add', '--quiet', '--detach', '--no-checkout', wt, base], {
      cwd: top,
      config: { 'core.hooksPath': '/dev/null' },
    });
    worktreeAdded = true;
    const sparseFile = await gitOut(['rev-parse', '--git-path', 'info/sparse-checkout'], wtOpts);
    const sparsePath = sparseFile.startsWith('/') ? sparseFile : join(wt, sparseFile);
    await mkdir(dirname(sparsePath), { recursive: true });
    await writeFile(sparsePath, owned.map((p) => `/${escapePattern(p)}\n`).join(''));
    await git(['read-tree', '-mu', 'HEAD'], wtOpts);

    /** Builds this run's commit on `tip` (checked out in the work tree); the files it changes. */
    const buildOn = async (tip: string): Promise<string[]> => {
      await refuseTrackedLinks(tip, owned, wtOpts);
      for (const c of opts.claims ?? []) await checkClaim(tip, c, wtOpts, opts.branch);
      for (const p of copied) await mirror(join(top, p), join(wt, p));
      for (const r of rendered) {
        const text = r.render(await showAt(tip, r.path, wtOpts));
        await mkdir(dirname(join(wt, r.path)), { recursive: true });
        await writeFile(join(wt, r.path), text);
      }
      // --force: these paths are the action's own output, all of it recorded in its manifest; a
      // .gitignore pattern of the repository (such as *.log) must not silently drop part of it.
      await git(['add', '--all', '--force', '--', ...owned], wtOpts);
      const files = (await gitOut(['diff', '--cached', '--name-only', '-z'], wtOpts))
        .split('\0')
        .filter(Boolean);
      const stray = files.filter((f) => !owned.some((p) => f === p || f.startsWith(`${p}/`)));
      if (stray.length > 0) {
        throw new ConfigurationError(
          `commit-back: the commit would also change ${stray.join(', ')}, which this run does not own; nothing was committed`,
        );
      }
      if (files.length > 0) await git(['commit', '--quiet', '--no-verify', '-m', opts.message], wtOpts);
      return files;
    };

    let files = await buildOn(base);
    const warnings = await missingFilterDrivers(files, wtOpts);
    for (const w of warnings) log(`commit-back: warning: ${w}`);
    if (files.length === 0) {
      log(`commit-back: ${remote}/${onto ?? opts.branch} already has these contents; nothing to commit`);
      return upToDate([], 0, 0, warnings);
    }
    let sha = await gitOut(['rev-parse', 'HEAD'], wtOpts);
    log(`commit-back: committed ${sha.slice(0, 12)} (${files.length} file(s)) on ${base.slice(0, 12)}`);
    if (lease && (await sameCommitOn(lease, sha, base, wtOpts))) {
      log(
        `commit-back: ${remote}/${opts.branch} already is these contents on ${remote}/${onto} (${base.slice(0, 12)}); nothing to push`,
      );
      return { ...upToDate(files, 0, 0, warnings), commitSha: lease };
    }

    let rebases = 0;
    let last: PushOutcome | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        const delay = retryDelayMs(attempt, backoff.baseMs, backoff.maxMs);
        await sleep(delay);
        const tip = await fetchTip();
        if (onto !== undefined) {
          // The lease failed: another run replaced the head branch. Look at what it pushed, then
          // replace it (the later run's evidence for the date wins), unless a person committed there.
          const head = await fetchTipOf(opts.branch);
          if (last?.kind === 'behind' && head === lease && (!tip || tip === base)) {
            throw new CommitBackPushError(
              `commit-back: ${remote} refused the push to ${opts.branch} although neither it nor ${onto} moved ` +
                `(${last.reason}). The commit was not pushed.`,
              attempt - 1,
              sha,
            );
          }
          if (!tip) {
            throw new ConfigurationError(
              `commit-back: the pull request's base branch '${onto}' was deleted from ${remote} during the run`,
            );
          }
          if (head && head !== lease) await refuseForeignCommits(head, tip, opts.branch, author, top);
          lease = head;
        } else if (last?.kind === 'behind' && (!tip || tip === base)) {
          // Rejected as "behind", yet the branch has not moved: not a race, and retrying cannot help.
          throw new CommitBackPushError(
            `commit-back: ${remote} refused the push to ${opts.branch} although the branch did not move ` +
              `(${last.reason}). Nothing was forced; the commit was not pushed.`,
            attempt - 1,
            sha,
          );
        }
        if (tip && tip !== base) {
          const theirs = await changedBetween(base, tip, copied, wtOpts);
          await git(['reset', '--quiet', '--hard', tip], wtOpts);
          rebases++;
          const previous = base;
          base = tip;
          files = await buildOn(tip);
          const clash = files.filter((f) => theirs.includes(f));
          if (clash.length > 0) {
            await git(['reset', '--quiet', '--hard', tip], wtOpts);
            throw new CommitBackConflictError(onto ?? opts.branch, tip, clash);
          }
          if (files.length === 0) {
            log(
              `commit-back: ${remote}/${onto ?? opts.branch} at ${tip.slice(0, 12)} already contains these changes; nothing to push`,
            );
            return upToDate(files, attempt - 1, rebases, warnings);
          }
          sha = await gitOut(['rev-parse', 'HEAD'], wtOpts);
          log(
            `commit-back: rebuilt on ${tip.slice(0, 12)} (was ${previous.slice(0, 12)}) as ${sha.slice(0, 12)} after ${delay} ms`,
          );
        }
      }
      // Pull-request mode replaces its own head branch, but only from the tip it saw (empty: the
      // branch must not exist yet); the base branch is never pushed to.
      const lease_ = onto !== undefined ? [`--force-with-lease=${ref}:${lease ?? ''}`] : [];
      const push = await git(['push', '--porcelain', '--no-verify', ...lease_, remote, `HEAD:${ref}`], {
        ...wtOpts,
        allowFailure: true,
      });
      last = classifyPush(ref, push.code, push.stdout, push.stderr, { leased: onto !== undefined });
      if (last.kind === 'pushed' || last.kind === 'up-to-date') {
        // Keep the checkout's view of the remote current without touching its branches or files.
        await git(['update-ref', tracking, sha], { cwd: top, allowFailure: true });
        log(
          `commit-back: pushed ${sha.slice(0, 12)} to ${remote}/${opts.branch} (attempt ${attempt} of ${attempts})`,
        );
        return {
          commitSha: sha,
          pushed: true,
          attempts: attempt,
          rebases,
          branch: opts.branch,
          files,
          upToDate: false,
          warnings,
          ...(onto !== undefined ? { replaced: lease !== undefined } : {}),
        };
      }
      if (last.kind === 'refused') {
        throw new CommitBackPushError(
          `commit-back: ${remote} refused the push to ${opts.branch}: ${last.reason}.${hungUpHint(push.stderr, warnings)} ` +
            (onto !== undefined
              ? 'The commit was not pushed.'
              : 'Nothing was forced; the commit was not pushed.'),
          attempt,
          sha,
        );
      }
      log(
        `commit-back: push attempt ${attempt} of ${attempts} was rejected (${last.reason || last.kind})${attempt < attempts ? '; fetching and rebuilding' : ''}`,
      );
    }
    const why = last && 'reason' in last ? last.reason : 'unknown';
    throw new CommitBackPushError(
      last?.kind === 'transient'
        ? `commit-back: every push attempt to ${remote}/${opts.branch} failed on the way to the server (${attempts} attempt(s); last: ${why}).${hungUpHint(why, warnings)}`
        : `commit-back: every push attempt to ${remote}/${opts.branch} was rejected (${attempts} attempt(s); last: ${why}). ` +
            'Other runs kept pushing first; raise push-attempts, or run fewer writers at once.',
      attempts,
      sha,
    );
  } finally {
    if (worktreeAdded) await git(['worktree', 'remove', '--force', wt], { cwd: top, allowFailure: true });
    await rm(scratch, { recursive: true, force: true });
    await git(['worktree', 'prune'], { cwd: top, allowFailure: true });
  }
}

/**
 * Where a branch that does not exist yet starts: the checkout's HEAD when the remote already has it
 * on a branch, otherwise the remote's default branch. A commit made only in this checkout (or a
 * pull request's merge commit) is never published by creating a branch.
 */
async function newBranchBase(o: {
  top: string;
  remote: string;
  shallow: boolean;
  branch: string;
  log: (l: string) => void;
}): Promise<string> {
  const cwd = o.top;
  const head = (
    await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd, allowFailure: true })
  ).stdout.trim();
  const listed = await git(['ls-remote', '--heads', '--symref', o.remote, 'HEAD', 'refs/heads/*'], {
    cwd,
    allowFailure: true,
  });
  if (listed.code !== 0)
    throw new Error(`commit-back: could not list the branches of ${o.remote}: ${listed.stderr.trim()}`);
  const tips = new Map<string, string>();
  let defaultBranch: string | undefined;
  for (const line of listed.stdout.split('\n')) {
    const sym = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
    if (sym) defaultBranch = sym[1];
    const m = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
    if (m) tips.set(m[2]!, m[1]!);
  }
  if (tips.size === 0) {
    throw new ConfigurationError(
      `commit-back: branch '${o.branch}' does not exist on ${o.remote}, and ${o.remote} has no branch to start it from`,
    );
  }
  if (head && [...tips.values()].includes(head)) {
    o.log(`commit-back: ${o.remote}/${o.branch} does not exist yet; it will start at ${head.slice(0, 12)}`);
    return head;
  }
  if (head && !o.shallow) {
    const refs = (await gitOut(['for-each-ref', '--format=%(refname)', `refs/remotes/${o.remote}/`], { cwd }))
      .split('\n')
      .filter(Boolean);
    for (const r of refs) {
      const onBranch = await git(['merge-base', '--is-ancestor', head, r], { cwd, allowFailure: true });
      if (onBranch.code === 0) {
        o.log(
          `commit-back: ${o.remote}/${o.branch} does not exist yet; it will start at ${head.slice(0, 12)} (on ${r})`,
        );
        return head;
      }
    }
  }
  const from = defaultBranch && tips.has(defaultBranch) ? defaultBranch : [...tips.keys()].sort()[0]!;
  const fetched = await git(
    [
      'fetch',
      '--quiet',
      '--no-tags',
      ...(o.shallow ? ['--depth=1'] : []),
      o.remote,
      `+refs/heads/${from}:refs/remotes/${o.remote}/${from}`,
    ],
    { cwd, allowFailure: true },
  );
  if (fetched.code !== 0)
    throw new Error(`commit-back: fetching ${from} from ${o.remote} failed: ${fetched.stderr.trim()}`);
  const start = await gitOut(['rev-parse', '--verify', `refs/remotes/${o.remote}/${from}^{commit}`], { cwd });
  o.log(
    `commit-back: ${o.remote}/${o.branch} does not exist yet; the checkout's HEAD ${head ? head.slice(0, 12) : ''} is on no branch of ` +
      `${o.remote} (a local or merge commit), so the new branch starts at ${o.remote}/${from} (${start.slice(0, 12)}) and publishes nothing unreviewed`,
  );
  return start;
}

/**
 * The head branch of a pull request is this step's own: a commit on it that `author` did not make
 * (a person's fix, an "update branch" merge) is never thrown away by replacing the branch.
 */
async function refuseForeignCommits(
  head: string,
  base: string,
  branch: string,
  author: CommitAuthor,
  cwd: string,
): Promise<void> {
  const log = await gitOut(['log', '--format=%h %ae %ce', head, '--not', base], { cwd });
  const foreign = log
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .filter(([, a, c]) => a !== author.email || c !== author.email);
  if (foreign.length > 0) {
    throw new CommitBackPushError(
      `commit-back: the branch '${branch}' has commits this step did not make (${foreign
        .slice(0, 5)
        .map(([h, a]) => `${h} by ${a}`)
        .join(', ')}), so it was left alone and nothing was pushed. ` +
        'Merge or close its pull request and delete the branch, or move those commits to a branch of your own.',
      0,
      '',
    );
  }
}

/** True when `existing` is one commit on `base` with the same tree as `built` (nothing new to push). */
async function sameCommitOn(
  existing: string,
  built: string,
  base: string,
  opts: GitOptions,
): Promise<boolean> {
  const raw = await git(['cat-file', 'commit', existing], { ...opts, allowFailure: true });
  if (raw.code !== 0) return false;
  const header = raw.stdout.split('\n\n')[0]!.split('\n');
  const parents = header.filter((l) => l.startsWith('parent ')).map((l) => l.slice(7));
  const tree = header.find((l) => l.startsWith('tree '))?.slice(5);
  return (
    parents.length === 1 &&
    parents[0] === base &&
    tree === (await gitOut(['rev-parse', `${built}^{tree}`], opts))
  );
}

/** Owned files the other commits changed between two tips. */
async function changedBetween(
  from: string,
  to: string,
  paths: readonly string[],
  opts: GitOptions,
): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await gitOut(['diff', '--name-only', '-z', from, to, '--', ...paths], opts);
  return out.split('\0').filter(Boolean);
}

async function checkClaim(tip: string, c: Claim, opts: GitOptions, branch: string): Promise<void> {
  const type = (
    await git(['cat-file', '-t', `${tip}:${c.path}`], { ...opts, allowFailure: true })
  ).stdout.trim();
  if (!type) return; // nothing there yet
  const markerPath = c.markerFile ? `${c.path}/${c.markerFile}` : c.path;
  const text = await showAt(tip, markerPath, opts);
  if (text === undefined || !text.includes(c.marker)) {
    throw new CommitBackOwnershipError(
      `commit-back: ${c.path} on ${branch} was not written by this step (${c.markerFile ? `no ${c.markerFile} of ours in it` : 'it has no generated marker'}), ` +
        "so it was left alone and nothing was committed. Move or rename it, or choose another path for this step's output.",
    );
  }
}

/** The server hanging up, explained when the pushed files need a filter this runner lacks. */
function hungUpHint(stderr: string, warnings: readonly string[]): string {
  if (!/remote end hung up/i.test(stderr) || warnings.length === 0) return '';
  return ` The server hung up, which is what a server expecting Git LFS pointers does with raw files: ${warnings.join('; ')}.`;
}

/** Repository-relative POSIX paths; anything outside the repository, inside .git or .github is refused. */
export function ownedPaths(top: string, repoDir: string, paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const full = resolveInside(top, resolve(repoDir, p), 'commit-back path');
    const rel = relative(top, full).split(sep).join('/');
    const first = rel.split('/')[0];
    if (rel === '' || rel.split('/').includes('.git') || first === '.github') {
      throw new ConfigurationError(
        `commit-back path ${JSON.stringify(p)} is the repository root or inside .git or .github; name the files or folders this run owns`,
      );
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
