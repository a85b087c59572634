import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LoggedRunSpec {
  /** argv, run without a shell. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whole-run limit; when it passes the process group gets SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs: number;
  killGraceMs?: number;
  /** stdout and stderr both go here, in the order they were written. */
  logPath: string;
  /** Aborting kills the process group the same way a timeout does (used when the job is cancelled). */
  signal?: AbortSignal;
}

export interface LoggedRunOutcome {
  exitCode: number | null;
  /** The signal that ended the command's own process, if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The command could not be started at all (not found, not executable, bad cwd). */
  spawnError?: string;
  /** Processes of the group still alive after the command ended; they were terminated. */
  leftovers: boolean;
  pid?: number;
  startedAt: number;
  durationMs: number;
}

export const DEFAULT_KILL_GRACE_MS = 5_000;

/**
 * Runs a command in its own process group with its output going straight to a log file.
 * The group matters: a test runner that forks workers or servers must not outlive its timeout,
 * and killing only the direct child would leave its children running (and holding ports).
 */
export async function runLogged(spec: LoggedRunSpec): Promise<LoggedRunOutcome> {
  const grace = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  await mkdir(dirname(spec.logPath), { recursive: true });
  const log = await open(spec.logPath, 'w');
  const startedAt = Date.now();
  let child;
  try {
    child = spawn(spec.argv[0]!, spec.argv.slice(1), { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', log.fd, log.fd] });
  } catch (err) {
    await log.close();
    return { exitCode: null, signal: null, timedOut: false, cancelled: false, spawnError: describeSpawnError(err, spec), leftovers: false, startedAt, durationMs: Date.now() - startedAt };
  }

  let timedOut = false;
  let cancelled = false;
  const pid = child.pid;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: unknown }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // The child holds its own copy of the descriptor; ours is not needed once it has started.
  await log.close();

  let escalation: NodeJS.Timeout | undefined;
  const stop = () => {
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    escalation ??= setTimeout(() => signalGroup(pid, 'SIGKILL'), grace);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, spec.timeoutMs);
  const onAbort = () => {
    cancelled = true;
    stop();
  };
  if (spec.signal?.aborted) onAbort();
  else spec.signal?.addEventListener('abort', onAbort, { once: true });

  const result = await ended;
  const durationMs = Date.now() - startedAt;
  clearTimeout(timer);
  spec.signal?.removeEventListener('abort', onAbort);
  if (result.error !== undefined) {
    if (escalation) clearTimeout(escalation);
    return { exitCode: null, signal: null, timedOut: false, cancelled: false, spawnError: describeSpawnError(result.error, spec), leftovers: false, startedAt, durationMs };
  }

  // Whatever the command left behind in its group (workers, servers, the hung child of a killed
  // runner) is ended too: SIGTERM first, SIGKILL for what ignores it.
  let leftovers = false;
  if (pid !== undefined && groupAlive(pid)) {
    leftovers = true;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + (timedOut || cancelled ? Math.min(grace, 1_000) : grace);
    while (groupAlive(pid) && Date.now() < deadline) await sleep(25);
    if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    const killDeadline = Date.now() + 2_000;
    while (groupAlive(pid) && Date.now() < killDeadline) await sleep(25);
  }
  if (escalation) clearTimeout(escalation);
  return {
    exitCode: result.code,
    signal: result.signal,
    timedOut,
    cancelled,
    leftovers,
    ...(pid !== undefined ? { pid } : {}),
    startedAt,
    durationMs,
  };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Whether any process of the group still runs. Zombies (ended, not yet reaped by an init that may
 * never reap them in a container) count as gone.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return groupMembers(pgid).some((pid) => !isZombie(pid));
}

/** Live members of a process group, read from /proc (empty where /proc is not available). */
export function groupMembers(pgid: number): number[] {
  // Without /proc (macOS) kill(0) is all there is to go by.
  if (!existsSync('/proc/self/stat')) return [pgid];
  const members: number[] = [];
  for (const pid of listPids()) {
    const stat = readStat(pid);
    if (stat && stat.pgrp === pgid) members.push(pid);
  }
  return members;
}

/** Whether a process exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  return readStat(pid)?.state === 'Z';
}

function readStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces and parentheses.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function listPids(): number[] {
  try {
    return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function describeSpawnError(err: unknown, spec: LoggedRunSpec): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return `could not start \`${spec.argv[0]}\`: no such command on PATH (or working directory ${spec.cwd} is missing)`;
  if (e?.code === 'EACCES') return `could not start \`${spec.argv[0]}\`: permission denied`;
  return `could not start \`${spec.argv[0]}\`: ${e?.message ?? String(err)}`;
}
