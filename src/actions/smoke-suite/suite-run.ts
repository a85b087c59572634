import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { parseJUnitFile, JUnitParseError, JUnitRefusedError, locateFailure, emptyCounts, addCounts, type JUnitCase } from '../../lib/junit/index.js';
import { runLogged } from '../../lib/process/run.js';
import { suiteEnvironment, type SuitePlan } from './inputs.js';
import { caseId, judgeAttempt, type AttemptRecord, type FailureRecord, type ReportRecord, type SuiteOutcome } from './verdict.js';

export interface SuiteRunContext {
  workspace: string;
  /** Absolute report directory; each suite logs under <reportDir>/<slug>/. */
  reportDir: string;
  killGraceMs: number;
  baseEnv: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onAttemptStart?: (plan: SuitePlan, attempt: number) => void;
  onAttemptEnd?: (plan: SuitePlan, attempt: AttemptRecord) => void;
}

/** Failure records kept per suite (all are counted). */
const MAX_FAILURES_PER_SUITE = 200;
/** Failure text kept per failure record (the engine already caps what it reads). */
const MAX_FAILURE_TEXT = 8_000;
/** Failing test ids remembered per attempt to recognise flaky tests on the next. */
const MAX_TRACKED_FAILURES = 50_000;

/** Runs one suite: its attempts (first run plus retries), reports read after each. */
export async function runSuite(plan: SuitePlan, ctx: SuiteRunContext): Promise<SuiteOutcome> {
  const attempts: AttemptRecord[] = [];
  const failedBefore = new Set<string>();
  let final: AttemptResult | undefined;
  const startedAt = Date.now();
  for (let n = 1; n <= plan.retries + 1; n++) {
    if (ctx.signal?.aborted && n > 1) break;
    ctx.onAttemptStart?.(plan, n);
    final = await runAttempt(plan, n, ctx, failedBefore);
    attempts.push(final.record);
    ctx.onAttemptEnd?.(plan, final.record);
    // A command that cannot start will not start on a second try either.
    if (final.record.ok || final.record.spawnError) break;
    for (const id of final.failingIds) failedBefore.add(id);
  }
  const last = final!;
  const status = last.record.ok ? (attempts.length > 1 ? 'flaky' : 'passed') : 'failed';
  return {
    plan,
    status,
    ...(last.record.reason !== undefined ? { reason: last.record.reason } : {}),
    attempts,
    counts: last.record.counts,
    failures: last.failures,
    failuresOmitted: last.failuresOmitted,
    flakyTests: last.passedAfterFailing,
    startedAt,
    finishedAt: Date.now(),
  };
}

interface AttemptResult {
  record: AttemptRecord;
  failures: FailureRecord[];
  failuresOmitted: number;
  failingIds: string[];
  passedAfterFailing: string[];
}

async function runAttempt(plan: SuitePlan, attempt: number, ctx: SuiteRunContext, failedBefore: ReadonlySet<string>): Promise<AttemptResult> {
  const logPath = join(ctx.reportDir, plan.slug, `attempt-${attempt}.log`);
  // Reports already on disk (an earlier run's, or this suite's previous attempt's) are remembered,
  // so only files this attempt wrote or rewrote are counted.
  const before = await snapshot(plan);
  const outcome = await runLogged({
    argv: plan.argv,
    cwd: plan.cwd,
    env: suiteEnvironment(ctx.baseEnv, plan, attempt),
    timeoutMs: plan.timeoutMs,
    killGraceMs: ctx.killGraceMs,
    logPath,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });

  const reports: ReportRecord[] = [];
  const staleReports: string[] = [];
  const counts = emptyCounts();
  const failures: FailureRecord[] = [];
  let failuresOmitted = 0;
  const failingIds: string[] = [];
  const passedAfterFailing: string[] = [];

  for (const file of await findReports(plan)) {
    const rel = toWorkspacePath(file, ctx.workspace);
    const st = await stat(file);
    if (before.get(file) === fingerprint(st)) {
      staleReports.push(rel);
      continue;
    }
    const locateCtx = { workingDirectory: plan.cwd, reportDirectory: dirname(file), workspace: ctx.workspace, exists: isFile };
    try {
      // Plain options, no per-case callback, so a large report can be read on several threads: the
      // engine keeps the first failed cases (the suite's budget left, across its reports), the ids of
      // the first failing tests, and which tests that failed on an earlier attempt passed this time.
      const summary = await parseJUnitFile(file, {
        maxFailures: MAX_FAILURES_PER_SUITE - failures.length,
        caseIds: { failed: MAX_TRACKED_FAILURES - failingIds.length, passed: failedBefore },
      });
      for (const c of summary.failures) failures.push(toFailure(c, caseId(c.classname, c.name), rel, locateCtx));
      failuresOmitted += summary.failuresOmitted;
      for (const id of summary.caseIds?.failed ?? []) failingIds.push(id);
      for (const id of summary.caseIds?.passed ?? []) passedAfterFailing.push(id);
      addCounts(counts, summary);
      reports.push({ file: rel, counts: { tests: summary.tests, passed: summary.passed, failed: summary.failed, errored: summary.errored, skipped: summary.skipped, flaky: summary.flaky, time: summary.time } });
    } catch (err) {
      if (!(err instanceof JUnitParseError)) throw err;
      const where = err.line !== undefined ? `${rel}:${err.line}:${err.column ?? 0}` : rel;
      reports.push({ file: rel, error: `${where}: ${err.reason}`, ...(err.line !== undefined ? { errorLine: err.line } : {}), ...(err instanceof JUnitRefusedError ? { refused: true } : {}) });
    }
  }

  const partial: Omit<AttemptRecord, 'ok' | 'reason'> = {
    attempt,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    cancelled: outcome.cancelled,
    ...(outcome.spawnError ? { spawnError: outcome.spawnError } : {}),
    leftovers: outcome.leftovers,
    startedAt: outcome.startedAt,
    durationMs: outcome.durationMs,
    log: toWorkspacePath(logPath, ctx.workspace),
    reports,
    staleReports,
    counts,
  };
  const verdict = judgeAttempt(partial, plan);
  return {
    record: { ...partial, ...verdict },
    failures,
    failuresOmitted,
    failingIds,
    passedAfterFailing,
  };
}

function toFailure(c: JUnitCase, id: string, report: string, locateCtx: Parameters<typeof locateFailure>[1]): FailureRecord {
  const location = locateFailure(c, locateCtx);
  const text = c.text.length > MAX_FAILURE_TEXT ? c.text.slice(0, MAX_FAILURE_TEXT) : c.text;
  return {
    id,
    classname: c.classname,
    name: c.name,
    status: c.status === 'errored' ? 'errored' : 'failed',
    ...(c.message !== undefined ? { message: c.message } : {}),
    ...(c.type !== undefined ? { type: c.type } : {}),
    text,
    textTruncated: c.textTruncated || text.length < c.text.length,
    ...(location ? { location } : {}),
    report,
  };
}

async function findReports(plan: SuitePlan): Promise<string[]> {
  const files = await glob(plan.junit, { cwd: plan.cwd, absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: false });
  return [...new Set(files)].sort();
}

async function snapshot(plan: SuitePlan): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await findReports(plan)) {
    try {
      out.set(file, fingerprint(await stat(file)));
    } catch {
      // Removed between listing and stat: nothing to remember.
    }
  }
  return out;
}

/** Identity of a file's content version: rewriting it (same inode or a new one) changes this. */
function fingerprint(st: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

function toWorkspacePath(abs: string, workspace: string): string {
  const rel = relative(workspace, abs);
  return rel.startsWith('..') ? abs : rel.split(sep).join('/');
}
