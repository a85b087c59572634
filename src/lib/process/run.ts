import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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
  /**
   * The environment variable that marks this run's processes: it is set to a value of its own for the
   * run, every process started from it inherits it, and when the run ends (or times out) every
   * process still carrying it is ended too, whatever session or process group it moved to (Linux:
   * read from /proc/<pid>/environ; elsewhere only the process group is ended).
   */
  markerVariable?: string;
}

/** A process the run left behind, and how it was ended. */
export interface EndedProcess {
  pid: number;
  /** Its command line, cut to a readable length. */
  command: string;
  /** Found in the run's process group, or (moved to another session or group) by the run's marker. */
  foundBy: 'group' | 'marker';
  /** The signal that ended it (SIGKILL when SIGTERM did not within the grace period). */
  endedBy: 'SIGTERM' | 'SIGKILL';
}

export interface LoggedRunOutcome {
  exitCode: number | null;
  /** The signal that ended the command's own process, if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The command could not be started at all (not found, not executable, bad cwd). */
  spawnError?: string;
  /** Processes of the group or carrying the marker still alive after the command ended; they were ended. */
  leftovers: boolean;
  /** Those processes (at most MAX_ENDED_LISTED of them; `endedCount` counts all). */
  ended: EndedProcess[];
  endedCount: number;
  pid?: number;
  startedAt: number;
  durationMs: number;
}

export const DEFAULT_KILL_GRACE_MS = 5_000;
const MAX_ENDED_LISTED = 50;
const MAX_COMMAND_CHARS = 200;

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
  const marker = spec.markerVariable === undefined ? undefined : `${spec.markerVariable}=${randomUUID()}`;
  const env =
    marker === undefined
      ? spec.env
      : { ...spec.env, [spec.markerVariable!]: marker.slice(spec.markerVariable!.length + 1) };
  let child;
  try {
    child = spawn(spec.argv[0]!, spec.argv.slice(1), {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
  } catch (err) {
    await log.close();
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      cancelled: false,
      spawnError: describeSpawnError(err, spec),
      leftovers: false,
      ended: [],
      endedCount: 0,
      startedAt,
      durationMs: Date.now() - startedAt,
    };
  }

  let timedOut = false;
  let cancelled = false;
  const pid = child.pid;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: unknown }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  // The child holds its own copy of the descriptor; ours is not needed once it has started.
  await log.close();

  let escalation: NodeJS.Timeout | undefined;
  const stop = () => {
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const marked = marker === undefined ? [] : markedProcesses(marker);
    for (const p of marked) signalProcess(p, 'SIGTERM');
    escalation ??= setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      for (const p of marker === undefined ? [] : markedProcesses(marker)) signalProcess(p, 'SIGKILL');
    }, grace);
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
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      cancelled: false,
      spawnError: describeSpawnError(result.error, spec),
      leftovers: false,
      ended: [],
      endedCount: 0,
      startedAt,
      durationMs,
    };
  }

  // Whatever the command left behind (workers, servers, the hung child of a killed runner, a daemon
  // that started a session of its own) is ended too: SIGTERM first, SIGKILL for what ignores it.
  const groupWasAlive = pid !== undefined && groupAlive(pid);
  const endedProcesses =
    pid === undefined
      ? []
      : await endLeftovers(pid, marker, timedOut || cancelled ? Math.min(grace, 1_000) : grace);
  if (escalation) clearTimeout(escalation);
  return {
    exitCode: result.code,
    signal: result.signal,
    timedOut,
    cancelled,
    leftovers: endedProcesses.length > 0 || groupWasAlive,
    ended: endedProcesses.slice(0, MAX_ENDED_LISTED),
    endedCount: endedProcesses.length,
    ...(pid !== undefined ? { pid } : {}),
    startedAt,
    durationMs,
  };
}

/** Ends the group's live members and the processes carrying the marker; says which, and how. */
async function endLeftovers(
  pgid: number,
  marker: string | undefined,
  graceMs: number,
): Promise<EndedProcess[]> {
  const found = new Map<number, EndedProcess>();
  const look = () => {
    for (const p of groupAlive(pgid) ? groupMembers(pgid) : [])
      if (p !== process.pid && !isZombie(p) && !found.has(p)) found.set(p, describe(p, 'group'));
    for (const p of marker === undefined ? [] : markedProcesses(marker))
      if (!found.has(p)) found.set(p, describe(p, 'marker'));
  };
  look();
  if (found.size === 0 && !groupAlive(pgid)) return [];
  signalGroup(pgid, 'SIGTERM');
  for (const p of found.keys()) signalProcess(p, 'SIGTERM');
  const alive = () => groupAlive(pgid) || [...found.keys()].some(processAlive);
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) {
    await sleep(25);
    // A process may have forked once more while being told to stop: it carries the marker too.
    const before = found.size;
    look();
    for (const p of [...found.keys()].slice(before)) signalProcess(p, 'SIGTERM');
  }
  if (alive()) {
    look();
    signalGroup(pgid, 'SIGKILL');
    for (const [p, e] of found) {
      if (!processAlive(p)) continue;
      // Only a process that is still ours: its pid may have been reused since it was found.
      if (
        e.foundBy === 'marker' ? marker !== undefined && carriesMarker(p, marker) : readStat(p)?.pgrp === pgid
      ) {
        signalProcess(p, 'SIGKILL');
        e.endedBy = 'SIGKILL';
      }
    }
    const killDeadline = Date.now() + 2_000;
    while (alive() && Date.now() < killDeadline) await sleep(25);
  }
  return [...found.values()];
}

function describe(pid: number, foundBy: EndedProcess['foundBy']): EndedProcess {
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .replace(/\0+$/, '')
      .replace(/[\0\s]+/g, ' ');
  } catch {
    // Gone, or no /proc: the pid alone says which.
  }
  if (command.length > MAX_COMMAND_CHARS) command = `${command.slice(0, MAX_COMMAND_CHARS)}…`;
  return { pid, command, foundBy, endedBy: 'SIGTERM' };
}

/**
 * Live processes whose environment holds `marker` (NAME=value) as an entry of its own. The kernel
 * keeps a process's initial environment in /proc/<pid>/environ; another user's processes cannot be
 * read, and were not started by us anyway. Without /proc (macOS) nothing is found.
 */
export function markedProcesses(marker: string): number[] {
  const out: number[] = [];
  for (const pid of listPids())
    if (pid !== process.pid && carriesMarker(pid, marker) && !isZombie(pid)) out.push(pid);
  return out;
}

function carriesMarker(pid: number, marker: string): boolean {
  let env: Buffer;
  try {
    env = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return false;
  }
  // Entries are NUL-separated; only a whole entry counts (not FOO_NAME=..., nor a value that contains it).
  return env.indexOf(marker) >= 0 && env.toString('latin1').split('\0').includes(marker);
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone.
  }
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
    return readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function describeSpawnError(err: unknown, spec: LoggedRunSpec): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT')
    return `could not start \`${spec.argv[0]}\`: no such command on PATH (or working directory ${spec.cwd} is missing)`;
  if (e?.code === 'EACCES') return `could not start \`${spec.argv[0]}\`: permission denied`;
  return `could not start \`${spec.argv[0]}\`: ${e?.message ?? String(err)}`;
}
