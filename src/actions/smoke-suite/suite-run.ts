import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { findGoModules } from '../../lib/junit/go-modules.js';
import {
  parseJUnitFile,
  JUnitParseError,
  JUnitRefusedError,
  locateFailure,
  emptyCounts,
  addCounts,
  type JUnitCase,
  type LocateContext,
} from '../../lib/junit/index.js';
import { runLogged } from '../../lib/process/run.js';
import { suiteEnvironment, type SuitePlan } from './inputs.js';
import {
  caseId,
  judgeAttempt,
  type AttemptRecord,
  type FailureRecord,
  type ReportRecord,
  type SuiteOutcome,
} from './verdict.js';

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
/** Ids of tests the runner itself reran until they passed, per attempt. */
const MAX_TRACKED_FLAKY = 50_000;
/** Skip reasons listed for a suite whose every test was skipped. */
const MAX_SKIP_REASONS = 10;
const MAX_SKIP_REASON_CHARS = 300;
/**
 * Every process of an attempt carries this variable (a value of its own per attempt), so the ones
 * that moved to a session or process group of their own are found and ended when the attempt ends.
 * The runner's own RUNNER_TRACKING_ID is passed on untouched: its clean-up at the end of the job keeps
 * working too.
 */
export const SUITE_MARKER_VARIABLE = 'COMMAND_CENTER_SUITE_MARKER';

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
    // Failed on this attempt: its last run, or a run the runner repeated (passing in the end).
    for (const id of final.failingIds) failedBefore.add(id);
    for (const id of final.rerunUntilPassed) failedBefore.add(id);
  }
  const last = final!;
  // A test that failed and then passed is flaky once, whether the runner reran it, the suite was
  // retried, or both. Failed in the final run: never flaky (the engine counts the last run only).
  const flakyTests = [...new Set([...last.passedAfterFailing, ...last.rerunUntilPassed])];
  const counts = { ...last.record.counts, flaky: Math.max(flakyTests.length, last.record.counts.flaky) };
  const allSkipped = last.record.ok && counts.tests > 0 && counts.skipped === counts.tests;
  let status: SuiteOutcome['status'] = 'failed';
  let reason = last.record.reason;
  if (last.record.ok) {
    if (allSkipped && !plan.allowAllSkipped) {
      status = 'skipped';
      reason = `every test was skipped (${counts.skipped}): no evidence that it works`;
    } else {
      status = attempts.length > 1 || flakyTests.length > 0 ? 'flaky' : 'passed';
    }
  }
  const skipReasons = allSkipped ? await readSkipReasons(last.readReports) : undefined;
  return {
    plan,
    status,
    ...(reason !== undefined ? { reason } : {}),
    attempts,
    counts,
    failures: last.failures,
    failuresOmitted: last.failuresOmitted,
    flakyTests,
    ...(skipReasons ? { skipReasons } : {}),
    startedAt,
    finishedAt: Date.now(),
  };
}

/** Why the tests of these reports were skipped, most frequent first (a second, plain read of each). */
async function readSkipReasons(files: readonly string[]): Promise<{ reason: string; count: number }[]> {
  const counts = new Map<string, number>();
  for (const file of files) {
    try {
      await parseJUnitFile(file, {
        parallel: false,
        onCase: (c) => {
          if (c.status !== 'skipped') return;
          let reason = (c.message?.trim() || c.text.trim().split('\n')[0] || '(no reason given)').replace(
            /\s+/g,
            ' ',
          );
          if (reason.length > MAX_SKIP_REASON_CHARS) reason = `${reason.slice(0, MAX_SKIP_REASON_CHARS)}…`;
          if (counts.has(reason) || counts.size < 1_000) counts.set(reason, (counts.get(reason) ?? 0) + 1);
        },
      });
    } catch {
      // It was read a moment ago; if it cannot be now, its reasons are simply not listed.
    }
  }
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_SKIP_REASONS);
}

interface AttemptResult {
  record: AttemptRecord;
  failures: FailureRecord[];
  failuresOmitted: number;
  failingIds: string[];
  passedAfterFailing: string[];
  /** Tests the runner reran within this attempt until they passed. */
  rerunUntilPassed: string[];
  /** Absolute paths of the reports this attempt wrote and that were read. */
  readReports: string[];
}

async function runAttempt(
  plan: SuitePlan,
  attempt: number,
  ctx: SuiteRunContext,
  failedBefore: ReadonlySet<string>,
): Promise<AttemptResult> {
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
    markerVariable: SUITE_MARKER_VARIABLE,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });

  const reports: ReportRecord[] = [];
  const staleReports: string[] = [];
  const counts = emptyCounts();
  const failures: FailureRecord[] = [];
  let failuresOmitted = 0;
  const failingIds: string[] = [];
  const passedAfterFailing: string[] = [];
  const rerunUntilPassed: string[] = [];
  const readReports: string[] = [];
  const goModules = findGoModules(plan.cwd, ctx.workspace);

  for (const file of await findReports(plan)) {
    const rel = toWorkspacePath(file, ctx.workspace);
    const st = await stat(file);
    if (before.get(file) === fingerprint(st)) {
      staleReports.push(rel);
      continue;
    }
    const locateCtx: LocateContext = {
      workingDirectory: plan.cwd,
      reportDirectory: dirname(file),
      workspace: ctx.workspace,
      exists: isFile,
      goModules,
      listDirectory: listNames,
      readText: readTextFile,
    };
    try {
      // Plain options, no per-case callback, so a large report can be read on several threads: the
      // engine keeps the first failed cases (the suite's budget left, across its reports), the ids of
      // the first failing tests, and which tests that failed on an earlier attempt passed this time.
      const summary = await parseJUnitFile(file, {
        maxFailures: MAX_FAILURES_PER_SUITE - failures.length,
        caseIds: {
          failed: MAX_TRACKED_FAILURES - failingIds.length,
          passed: failedBefore,
          flaky: MAX_TRACKED_FLAKY - rerunUntilPassed.length,
        },
      });
      readReports.push(file);
      for (const c of summary.failures)
        failures.push(toFailure(c, caseId(c.classname, c.name), rel, locateCtx));
      failuresOmitted += summary.failuresOmitted;
      for (const id of summary.caseIds?.failed ?? []) failingIds.push(id);
      for (const id of summary.caseIds?.passed ?? []) passedAfterFailing.push(id);
      for (const id of summary.caseIds?.flaky ?? []) rerunUntilPassed.push(id);
      addCounts(counts, summary);
      reports.push({
        file: rel,
        counts: {
          tests: summary.tests,
          passed: summary.passed,
          failed: summary.failed,
          errored: summary.errored,
          skipped: summary.skipped,
          flaky: summary.flaky,
          time: summary.time,
        },
        ...(summary.reruns > 0 ? { reruns: summary.reruns } : {}),
        ...(summary.todo > 0 ? { todo: summary.todo } : {}),
        ...(summary.forbiddenCharacters ? { forbiddenCharacters: summary.forbiddenCharacters } : {}),
      });
    } catch (err) {
      if (!(err instanceof JUnitParseError)) throw err;
      const where = err.line !== undefined ? `${rel}:${err.line}:${err.column ?? 0}` : rel;
      reports.push({
        file: rel,
        error: `${where}: ${err.reason}`,
        ...(err.line !== undefined ? { errorLine: err.line } : {}),
        ...(err instanceof JUnitRefusedError ? { refused: true } : {}),
      });
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
    endedProcesses: outcome.ended,
    endedCount: outcome.endedCount,
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
    rerunUntilPassed,
    readReports,
  };
}

function toFailure(
  c: JUnitCase,
  id: string,
  report: string,
  locateCtx: Parameters<typeof locateFailure>[1],
): FailureRecord {
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
    ...(c.runs !== undefined ? { runs: c.runs } : {}),
  };
}

async function findReports(plan: SuitePlan): Promise<string[]> {
  const files = await glob(plan.junit, {
    cwd: plan.cwd,
    absolute: true,
    onlyFiles: true,
    dot: true,
    followSymbolicLinks: false,
  });
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

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readTextFile(path: string): string | undefined {
  try {
    return statSync(path).size <= 4 * 1024 * 1024 ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
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
