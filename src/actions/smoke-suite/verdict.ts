import { formatDuration } from '../../lib/duration.js';
import type { CaseStatus, JUnitCounts } from '../../lib/junit/types.js';
import type { SourceLocation } from '../../lib/junit/locate.js';
import type { EndedProcess } from '../../lib/process/run.js';
import type { SuitePlan } from './inputs.js';

export interface ReportRecord {
  /** Workspace-relative path. */
  file: string;
  counts?: JUnitCounts;
  /** Test cases a later run of the same test replaced (the runner's reruns), not counted as tests. */
  reruns?: number;
  /** jest-junit `test.todo` entries, counted as skipped. */
  todo?: number;
  /** Characters XML 1.0 forbids that were replaced so the report could be read. */
  forbiddenCharacters?: { count: number; line: number; column: number };
  /** Why the report could not be read (not well-formed, refused DTD, not JUnit). */
  error?: string;
  errorLine?: number;
  refused?: boolean;
}

export interface AttemptRecord {
  attempt: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  spawnError?: string;
  leftovers: boolean;
  /** What the attempt left running and was ended (its process group, or carrying its marker). */
  endedProcesses: EndedProcess[];
  endedCount: number;
  startedAt: number;
  durationMs: number;
  /** Workspace-relative log path. */
  log: string;
  reports: ReportRecord[];
  /** Reports that match the glob but were there before the attempt and not rewritten by it. */
  staleReports: string[];
  counts: JUnitCounts;
  ok: boolean;
  reason?: string;
}

export interface FailureRecord {
  /** classname::name, the key used to tell flaky tests from broken ones across attempts. */
  id: string;
  classname: string;
  name: string;
  status: Extract<CaseStatus, 'failed' | 'errored'>;
  message?: string;
  type?: string;
  /** The failure text, cut to a size fit for a summary. */
  text: string;
  textTruncated: boolean;
  location?: SourceLocation;
  /** Workspace-relative report the case came from. */
  report: string;
  /** How often the report holds this test (its runs), when the runner reran it. */
  runs?: number;
}

/** `skipped`: every test was skipped, a warning unless the suite allows it (no evidence either way). */
export type SuiteStatus = 'passed' | 'flaky' | 'failed' | 'not-run' | 'skipped';

export interface SuiteOutcome {
  plan: SuitePlan;
  status: SuiteStatus;
  reason?: string;
  attempts: AttemptRecord[];
  /** Counts of the final attempt. */
  counts: JUnitCounts;
  failures: FailureRecord[];
  failuresOmitted: number;
  /**
   * Tests that failed and then passed: on an earlier attempt of the suite, or on the test runner's
   * own rerun within the final attempt (each test once).
   */
  flakyTests: string[];
  /** When every test was skipped: why, the most frequent reasons first. */
  skipReasons?: { reason: string; count: number }[];
  startedAt?: number;
  finishedAt?: number;
}

// The id lives with the JUnit engine, which computes it (also in worker threads) for `caseIds`.
export { caseId } from '../../lib/junit/types.js';

/**
 * Decides whether one attempt passed. A suite is never green on absence of evidence: no report,
 * zero tests, an unreadable report, a timeout or a non-zero exit each fail it with that reason.
 */
export function judgeAttempt(
  a: Omit<AttemptRecord, 'ok' | 'reason'>,
  plan: Pick<SuitePlan, 'junit' | 'timeoutMs'>,
): { ok: boolean; reason?: string } {
  const exit = a.signal ? `was killed by ${a.signal}` : `exited with code ${a.exitCode}`;
  const c = a.counts;
  const tally = c.tests > 0 ? ` (${describeCounts(c)})` : '';
  if (a.spawnError) return { ok: false, reason: a.spawnError };
  if (a.cancelled) return { ok: false, reason: `cancelled; its process group was stopped${tally}` };
  if (a.timedOut)
    return {
      ok: false,
      reason: `timed out after ${formatDuration(plan.timeoutMs)}; its whole process group was killed${tally}`,
    };
  const broken = a.reports.filter((r) => r.error !== undefined);
  if (broken.length > 0) {
    const more = broken.length > 1 ? ` (and ${broken.length - 1} more unreadable report(s))` : '';
    return { ok: false, reason: `report ${broken[0]!.error}${more}` };
  }
  const stale =
    a.staleReports.length > 0
      ? `; ${a.staleReports.length} older report(s) from an earlier run were ignored`
      : '';
  if (a.reports.length === 0) {
    const globs = plan.junit.map((g) => `\`${g}\``).join(', ');
    if (a.exitCode !== 0)
      return { ok: false, reason: `${exit} and wrote no JUnit report matching ${globs}${stale}` };
    return { ok: false, reason: `wrote no JUnit report matching ${globs}${stale}` };
  }
  if (c.tests === 0)
    return {
      ok: false,
      reason: `its reports contain zero tests${a.exitCode !== 0 ? ` and it ${exit}` : ''}`,
    };
  if (c.failed + c.errored > 0) return { ok: false, reason: describeBad(c) };
  if (a.exitCode !== 0)
    return { ok: false, reason: `${exit} although its reports show no failing test (${describeCounts(c)})` };
  return { ok: true };
}

function describeBad(c: JUnitCounts): string {
  const parts = [];
  if (c.failed > 0) parts.push(`${c.failed} test${c.failed === 1 ? '' : 's'} failed`);
  if (c.errored > 0) parts.push(`${c.errored} errored`);
  return `${parts.join(', ')} of ${c.tests}`;
}

export function describeCounts(c: JUnitCounts): string {
  const parts = [`${c.passed} passed`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.errored) parts.push(`${c.errored} errored`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

/** Whether this suite's outcome fails the step (optional suites are reported, never fatal). */
export function failsStep(o: SuiteOutcome): boolean {
  return o.plan.required && (o.status === 'failed' || o.status === 'not-run');
}
