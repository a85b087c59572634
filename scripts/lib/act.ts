import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The project root (scripts/lib/ is two levels down). */
const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
/** Node 24, which the `node24` actions run on; installed by `npm ci` (the `node` package). */
const NODE24 = join(ROOT, 'node_modules/node/bin/node');

/** The repository the workflows call their actions from (`<owner>/<repo>/actions/<name>@<ref>`). */
export const ACTIONS_REPO = 'command-center/command-center';
export const ACTIONS_REF = 'v1';

let actPath: string | undefined;

/** act v0.2.87, built once by tools/act/build.sh (cached); fails with the reason when it cannot be built. */
export function actBinary(): string {
  if (actPath) return actPath;
  try {
    actPath = execFileSync('bash', [join(ROOT, 'tools/act/build.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 1_200_000,
    })
      .trim()
      .split('\n')
      .pop()!;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `act could not be built by tools/act/build.sh (needs Go and the Go module proxy): ${(e.stderr ?? e.message).trim()}`,
    );
  }
  return actPath;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    [
      '-c',
      'user.name=Command Center Tests',
      '-c',
      'user.email=tests@command-center.invalid',
      '-c',
      'commit.gpgSign=false',
      ...args,
    ],
    // Never wait for a password on a terminal: a push the origin refuses fails at once.
    {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    },
  ).trim();

export interface TestRepo {
  /** The work tree act runs in; its `origin` is `origin`. */
  dir: string;
  branch: string;
  origin: string;
  git: (...args: string[]) => string;
  /** Commits everything in the work tree (tests change files the way a person would) and pushes the branch. */
  commitAndPush: (message: string) => string;
}

/**
 * A repository made from the project's current files (tracked and new, as `git ls-files` sees them;
 * ignored ones such as node_modules and .stack are left out), on a branch of its own whose `origin`
 * is a real bare repository, so commit-back pushes somewhere real. The same folder serves as
 * `command-center/command-center@v1` for act, so the workflows run this tree's actions and bundles.
 */
export function projectRepo(opts: { origin: string; branch: string; parent?: string }): TestRepo {
  const base = opts.parent ?? mkdtempSync(join(tmpdir(), 'cc-act-'));
  const dir = join(base, 'repo');
  mkdirSync(dir, { recursive: true });
  copyProjectInto(dir);
  git(dir, 'init', '-q', '-b', opts.branch);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Command Center as of the test run');
  git(dir, 'remote', 'add', 'origin', opts.origin);
  git(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${opts.branch}`);
  git(dir, 'fetch', '-q', 'origin');
  git(dir, 'branch', '-q', '--set-upstream-to', `origin/${opts.branch}`);
  return testRepo(dir, opts.branch, opts.origin);
}

/**
 * A repository of exactly `files` (path → content), committed on `branch` and pushed to `origin`, a
 * real bare repository: e.g. a team's own repository that calls the project's reusable workflows.
 */
export function newRepo(opts: {
  dir: string;
  origin: string;
  branch: string;
  files: Record<string, string>;
}): TestRepo {
  mkdirSync(opts.dir, { recursive: true });
  for (const [path, text] of Object.entries(opts.files)) {
    mkdirSync(dirname(join(opts.dir, path)), { recursive: true });
    writeFileSync(join(opts.dir, path), text);
  }
  git(opts.dir, 'init', '-q', '-b', opts.branch);
  git(opts.dir, 'add', '-A');
  git(opts.dir, 'commit', '-q', '-m', 'First commit');
  git(opts.dir, 'remote', 'add', 'origin', opts.origin);
  git(opts.dir, 'push', '-q', 'origin', `HEAD:refs/heads/${opts.branch}`);
  git(opts.dir, 'fetch', '-q', 'origin');
  git(opts.dir, 'branch', '-q', '--set-upstream-to', `origin/${opts.branch}`);
  return testRepo(opts.dir, opts.branch, opts.origin);
}

/**
 * The repository the local Integration Day runs in: `branch` of `origin` (cloned anew into `dir`), brought
 * up to date with the project's current files in one commit, pushed. What earlier days committed there
 * (`keep`: status reports, evidence, recorded contracts) stays, so the origin keeps the team's history.
 */
export function dayRepo(opts: {
  origin: string;
  branch: string;
  dir: string;
  keep: readonly string[];
  /** git configuration the checkout keeps (e.g. a credential helper for the origin). */
  config?: Record<string, string>;
}): TestRepo & { synced: string | undefined } {
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(dirname(opts.dir), { recursive: true });
  const config = Object.entries(opts.config ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  // A path or a URL alike; an empty origin (a new forge repository) has no branch yet.
  const exists =
    execFileSync('git', [...config, 'ls-remote', '--heads', opts.origin, `refs/heads/${opts.branch}`], {
      encoding: 'utf8',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    }).trim() !== '';
  if (exists)
    // clone -c keeps the configuration in the new checkout, before anything is fetched.
    execFileSync('git', ['clone', '-q', ...config, '--branch', opts.branch, opts.origin, opts.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
  else {
    mkdirSync(opts.dir);
    git(opts.dir, 'init', '-q', '-b', opts.branch);
    for (const [k, v] of Object.entries(opts.config ?? {})) git(opts.dir, 'config', k, v);
    git(opts.dir, 'remote', 'add', 'origin', opts.origin);
  }
  const kept = (f: string) => opts.keep.some((k) => f === k || f.startsWith(`${k}/`));
  const wanted = new Set(copyProjectInto(opts.dir, kept));
  // Files the project no longer has go too, except the days' own records.
  const tracked = exists ? git(opts.dir, 'ls-files', '-z').split('\0').filter(Boolean) : [];
  for (const f of tracked) if (!wanted.has(f) && !kept(f)) rmSync(join(opts.dir, f), { force: true });
  git(opts.dir, 'add', '-A');
  let synced: string | undefined;
  if (git(opts.dir, 'status', '--porcelain') !== '') {
    let head = 'the working tree';
    try {
      head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      /* not a git checkout */
    }
    git(opts.dir, 'commit', '-q', '-m', `Command Center as of ${head}`);
    synced = git(opts.dir, 'rev-parse', 'HEAD');
  }
  git(opts.dir, 'push', '-q', 'origin', `HEAD:refs/heads/${opts.branch}`);
  git(opts.dir, 'fetch', '-q', 'origin');
  git(opts.dir, 'branch', '-q', '--set-upstream-to', `origin/${opts.branch}`);
  return { ...testRepo(opts.dir, opts.branch, opts.origin), synced };
}

/**
 * Copies the project's files (tracked and new, as `git ls-files` sees them; ignored ones such as
 * node_modules and .stack are left out) into `dir`, except those `skip` names. Returns their paths.
 */
function copyProjectInto(dir: string, skip: (f: string) => boolean = () => false): string[] {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter(Boolean);
  const copied: string[] = [];
  for (const f of files) {
    const from = join(ROOT, f);
    if (!existsSync(from) || skip(f)) continue; // deleted in the work tree, not yet committed
    const to = join(dir, f);
    mkdirSync(dirname(to), { recursive: true });
    const st = lstatSync(from);
    rmSync(to, { force: true });
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (st.isFile()) {
      copyFileSync(from, to);
      chmodSync(to, st.mode & 0o777);
    } else continue;
    copied.push(f);
  }
  return copied;
}

function testRepo(dir: string, branch: string, origin: string): TestRepo {
  return {
    dir,
    branch,
    origin,
    git: (...args) => git(dir, ...args),
    commitAndPush: (message) => {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', message);
      git(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')}`);
      return git(dir, 'rev-parse', 'HEAD');
    },
  };
}

export interface ActJob {
  id: string;
  name: string;
  result?: 'success' | 'failure' | 'skipped' | 'cancelled';
}

export interface ActRun {
  exitCode: number | null;
  /** Every line act printed (its JSON log records' messages), for assertions and failure messages. */
  log: string;
  /** Jobs by id, with act's final result for the ones that ran (a matrix job's worst). */
  jobs: Map<string, ActJob>;
  /** Every run of a job by its name: each entry of a matrix job on its own. */
  runs: Map<string, ActJob>;
  runId: string;
  artifactDir: string;
  durationMs: number;
}

export interface ActOptions {
  repo: TestRepo;
  workflow: string;
  event: 'workflow_dispatch' | 'pull_request' | 'schedule' | 'push' | 'workflow_run';
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  secrets?: Record<string, string>;
  /** The event payload (act writes it to GITHUB_EVENT_PATH). */
  payload?: unknown;
  /** Folder act's artifact server stores uploads in. */
  artifactDir: string;
  /** Extra directories put first on PATH (e.g. one holding `helm`). */
  path?: string[];
  timeoutMs?: number;
  /** Called with each log line as it arrives (progress in the test output). */
  onLine?: (line: string) => void;
  /** Called with each of act's JSON log records as it arrives. */
  onRecord?: (record: ActRecord) => void;
  /**
   * The checkout that serves as `command-center/command-center@v1` (its actions and reusable
   * workflows); default `repo` itself. A caller repository of its own names the project's here.
   */
  actionsRepoDir?: string;
  /** `GITHUB_REPOSITORY` of the run (default: command-center/command-center). */
  repository?: string;
  /**
   * The runner labels run on this host (default: ubuntu-latest only). A job whose `runs-on` names
   * none of them is skipped by act, so a test can tell which runner a job asked for.
   */
  labels?: string[];
}

/** The fields of act's `--json` log records that we read. */
export interface ActRecord {
  msg?: string;
  job?: string;
  jobID?: string;
  jobResult?: ActJob['result'];
  stage?: string;
  step?: string;
  stepID?: string[];
  stepResult?: string;
  raw_output?: boolean;
  level?: string;
}

const RESULT_WEIGHT: Record<NonNullable<ActJob['result']>, number> = {
  skipped: 0,
  success: 1,
  cancelled: 2,
  failure: 3,
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let runCounter = 0;

/**
 * Runs one workflow with act on this host (`-P ubuntu-latest=-self-hosted`), its actions taken from
 * the test repository itself (`--local-repository` + `--action-offline-mode`: nothing is fetched from
 * GitHub), with act's artifact server on a free port and Node 24 first on PATH for `node24` actions.
 */
export async function runAct(opts: ActOptions): Promise<ActRun> {
  const act = actBinary();
  const work = mkdtempSync(join(tmpdir(), 'cc-act-run-'));
  const runId = `${Date.now() % 1_000_000_000}${++runCounter}`;
  const port = await freePort();
  mkdirSync(opts.artifactDir, { recursive: true });
  const args = [
    opts.event,
    '-W',
    join('.github/workflows', opts.workflow),
    ...(opts.labels ?? ['ubuntu-latest']).flatMap((l) => ['-P', `${l}=-self-hosted`]),
    '--local-repository',
    `${ACTIONS_REPO}@${ACTIONS_REF}=${opts.actionsRepoDir ?? opts.repo.dir}`,
    '--action-offline-mode',
    '--no-cache-server',
    '--artifact-server-path',
    opts.artifactDir,
    '--artifact-server-addr',
    '127.0.0.1',
    '--artifact-server-port',
    String(port),
    '--json',
    '--env',
    `GITHUB_RUN_ID=${runId}`,
    '--env',
    `GITHUB_REPOSITORY=${opts.repository ?? ACTIONS_REPO}`,
    '--env',
    'GITHUB_SERVER_URL=https://github.com',
  ];
  for (const [k, v] of Object.entries(opts.inputs ?? {})) args.push('--input', `${k}=${v}`);
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('--env', `${k}=${v}`);
  if (opts.secrets && Object.keys(opts.secrets).length) {
    // A file, not argv: secrets stay out of the process list. Values are JSON-quoted (dotenv reads \n).
    const file = join(work, 'secrets.env');
    writeFileSync(
      file,
      Object.entries(opts.secrets)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n') + '\n',
      { mode: 0o600 },
    );
    args.push('--secret-file', file);
  }
  if (opts.payload !== undefined) {
    const file = join(work, 'event.json');
    writeFileSync(file, JSON.stringify(opts.payload));
    args.push('--eventpath', file);
  }
  const PATH = [
    ...(opts.path ?? []),
    join(ROOT, 'node_modules/.bin'),
    dirname(NODE24),
    process.env.PATH ?? '/usr/bin:/bin',
  ].join(':');
  const started = Date.now();
  const child = spawn(act, args, {
    cwd: opts.repo.dir,
    env: { ...process.env, PATH, ACT_DISABLE_VERSION_CHECK: '1', GITHUB_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const jobs = new Map<string, ActJob>();
  const runs = new Map<string, ActJob>();
  const lines: string[] = [];
  const take = (raw: string) => {
    let msg = raw;
    try {
      const rec = JSON.parse(raw) as ActRecord;
      opts.onRecord?.(rec);
      msg = `${rec.job ? `[${rec.job}] ` : ''}${rec.msg ?? ''}`.trimEnd();
      if (rec.jobID) {
        const id = rec.jobID;
        const name = rec.job ?? id;
        const run = runs.get(name) ?? { id, name };
        if (rec.jobResult) run.result = rec.jobResult;
        runs.set(name, run);
        // A matrix job's runs share its id; like `needs.<job>.result`, one that failed fails the job.
        const j = jobs.get(id) ?? { id, name };
        if (rec.jobResult && RESULT_WEIGHT[rec.jobResult] >= RESULT_WEIGHT[j.result ?? 'skipped'])
          j.result = rec.jobResult;
        jobs.set(id, j);
      }
    } catch {
      /* a plain line (act's own start-up messages) */
    }
    lines.push(msg);
    opts.onLine?.(msg);
  };
  let buf = { out: '', err: '' };
  const feed = (which: 'out' | 'err') => (d: Buffer) => {
    buf[which] += d.toString();
    const parts = buf[which].split('\n');
    buf[which] = parts.pop()!;
    for (const p of parts) if (p.trim()) take(p);
  };
  child.stdout.on('data', feed('out'));
  child.stderr.on('data', feed('err'));
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      lines.push(`act did not finish within ${timeoutMs} ms; killed`);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  for (const rest of [buf.out, buf.err]) if (rest.trim()) take(rest);
  buf = { out: '', err: '' };
  return {
    exitCode,
    log: lines.join('\n'),
    jobs,
    runs,
    runId,
    artifactDir: opts.artifactDir,
    durationMs: Date.now() - started,
  };
}

/** A folder holding `helm` (the stack's Helm of the given major), to put first on PATH. */
export function helmOnPath(helmBinary: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-helm-'));
  symlinkSync(helmBinary, join(dir, 'helm'));
  return dir;
}
