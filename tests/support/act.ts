import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NODE24, ROOT } from './paths.js';

/** The repository the workflows call their actions from (`<owner>/<repo>/actions/<name>@<ref>`). */
export const ACTIONS_REPO = 'command-center/command-center';
export const ACTIONS_REF = 'v1';

let actPath: string | undefined;

/** act v0.2.87, built once by tools/act/build.sh (cached); fails with the reason when it cannot be built. */
export function actBinary(): string {
  if (actPath) return actPath;
  try {
    actPath = execFileSync('bash', [join(ROOT, 'tools/act/build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 1_200_000 }).trim().split('\n').pop()!;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`act could not be built by tools/act/build.sh (needs Go and the Go module proxy): ${(e.stderr ?? e.message).trim()}`);
  }
  return actPath;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Command Center Tests', '-c', 'user.email=tests@command-center.invalid', '-c', 'commit.gpgSign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

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
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    const from = join(ROOT, f);
    if (!existsSync(from)) continue; // deleted in the work tree, not yet committed
    const to = join(dir, f);
    mkdirSync(dirname(to), { recursive: true });
    const st = lstatSync(from);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (st.isFile()) {
      copyFileSync(from, to);
      chmodSync(to, st.mode & 0o777);
    }
  }
  git(dir, 'init', '-q', '-b', opts.branch);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Command Center as of the test run');
  git(dir, 'remote', 'add', 'origin', opts.origin);
  git(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${opts.branch}`);
  git(dir, 'fetch', '-q', 'origin');
  git(dir, 'branch', '-q', '--set-upstream-to', `origin/${opts.branch}`);
  return {
    dir,
    branch: opts.branch,
    origin: opts.origin,
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
  /** Jobs by id, with act's final result for the ones that ran. */
  jobs: Map<string, ActJob>;
  runId: string;
  artifactDir: string;
  durationMs: number;
}

export interface ActOptions {
  repo: TestRepo;
  workflow: string;
  event: 'workflow_dispatch' | 'pull_request' | 'schedule' | 'push';
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
}

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
    '-W', join('.github/workflows', opts.workflow),
    '-P', 'ubuntu-latest=-self-hosted',
    '--local-repository', `${ACTIONS_REPO}@${ACTIONS_REF}=${opts.repo.dir}`,
    '--action-offline-mode',
    '--no-cache-server',
    '--artifact-server-path', opts.artifactDir,
    '--artifact-server-addr', '127.0.0.1',
    '--artifact-server-port', String(port),
    '--json',
    '--env', `GITHUB_RUN_ID=${runId}`,
    '--env', `GITHUB_REPOSITORY=${ACTIONS_REPO}`,
    '--env', 'GITHUB_SERVER_URL=https://github.com',
  ];
  for (const [k, v] of Object.entries(opts.inputs ?? {})) args.push('--input', `${k}=${v}`);
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('--env', `${k}=${v}`);
  if (opts.secrets && Object.keys(opts.secrets).length) {
    // A file, not argv: secrets stay out of the process list. Values are JSON-quoted (dotenv reads \n).
    const file = join(work, 'secrets.env');
    writeFileSync(file, Object.entries(opts.secrets).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
    args.push('--secret-file', file);
  }
  if (opts.payload !== undefined) {
    const file = join(work, 'event.json');
    writeFileSync(file, JSON.stringify(opts.payload));
    args.push('--eventpath', file);
  }
  const PATH = [...(opts.path ?? []), join(ROOT, 'node_modules/.bin'), dirname(NODE24), process.env.PATH ?? '/usr/bin:/bin'].join(':');
  const started = Date.now();
  const child = spawn(act, args, {
    cwd: opts.repo.dir,
    env: { ...process.env, PATH, ACT_DISABLE_VERSION_CHECK: '1', GITHUB_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const jobs = new Map<string, ActJob>();
  const lines: string[] = [];
  const take = (raw: string) => {
    let msg = raw;
    try {
      const rec = JSON.parse(raw) as { msg?: string; jobID?: string; job?: string; jobResult?: ActJob['result']; raw_output?: boolean };
      msg = `${rec.job ? `[${rec.job}] ` : ''}${rec.msg ?? ''}`.trimEnd();
      if (rec.jobID) {
        const id = rec.jobID;
        const j = jobs.get(id) ?? { id, name: rec.job ?? id };
        if (rec.jobResult) j.result = rec.jobResult;
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
  return { exitCode, log: lines.join('\n'), jobs, runId, artifactDir: opts.artifactDir, durationMs: Date.now() - started };
}

/** A folder holding `helm` (the stack's Helm of the given major), to put first on PATH. */
export function helmOnPath(helmBinary: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-helm-'));
  symlinkSync(helmBinary, join(dir, 'helm'));
  return dir;
}
