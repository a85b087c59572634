/** What happened to one test case, as its report says. */
export type CaseStatus = 'passed' | 'failed' | 'errored' | 'skipped';

export interface CaseProperty {
  name: string;
  value: string;
}

/** One `<testcase>`, with its failure text and output kept up to the engine's caps. */
export interface JUnitCase {
  /** Name of the innermost `<testsuite>` around the case ('' when it has none). */
  suite: string;
  classname: string;
  name: string;
  /** `file` attribute (vitest, jest-junit with addFileAttribute, pytest xunit1), else the suite's. */
  file?: string;
  /** `line` attribute as written (pytest xunit1 writes it 0-based). */
  line?: number;
  /** Seconds; 0 when the report does not say. */
  time: number;
  status: CaseStatus;
  /**
   * Failed, then passed on the runner's own rerun: Surefire's `<flakyFailure>`/`<flakyError>`, or a
   * test written again after a failed run (pytest-rerunfailures, gotestsum --rerun-fails).
   */
  flaky: boolean;
  /** How many times the report holds this test, when more than once (its runs; this is the last). */
  runs?: number;
  /** `message` attribute of the first failure/error/skipped element. */
  message?: string;
  /** `type` attribute of the first failure/error element. */
  type?: string;
  /** Body of the failure/error (or skipped) elements: the traceback or stack. */
  text: string;
  textTruncated: boolean;
  systemOut: string;
  systemErr: string;
  outputTruncated: boolean;
  properties?: CaseProperty[];
}

export interface JUnitCounts {
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  /** Cases the test runner itself reran and saw pass (Surefire's flakyFailure). */
  flaky: number;
  /** Sum of the cases' times, in seconds. */
  time: number;
}

export interface JUnitFileSummary extends JUnitCounts {
  file: string;
  /** How many `<testsuite>` elements were read (nested ones included). */
  suites: number;
  /** Failed and errored cases, in report order, up to the engine's `maxFailures`. */
  failures: JUnitCase[];
  /** Failed or errored cases beyond `maxFailures` (counted, not kept). */
  failuresOmitted: number;
  /** Present when the `caseIds` option asked for it. */
  caseIds?: JUnitCaseIds;
  /** `<testcase>` elements that a later one of the same test replaced (a runner's reruns). */
  reruns: number;
  /** jest-junit `test.todo` entries, counted as skipped (it writes them as plain test cases). */
  todo: number;
  /** Characters XML 1.0 forbids (raw colour codes, say) that were replaced so the report could be read. */
  forbiddenCharacters?: { count: number; line: number; column: number };
}

/**
 * Ids (see `caseId`) of individual cases, asked for with the `caseIds` option. Unlike an `onCase`
 * callback this is plain data, so it also comes back from a report parsed in worker threads.
 */
export interface JUnitCaseIds {
  /** The first `caseIds.failed` failed or errored cases, in report order. */
  failed: string[];
  /** Passed cases whose id is in `caseIds.passed`, in report order. */
  passed: string[];
  /** The first `caseIds.flaky` tests that failed and then passed on the runner's own rerun. */
  flaky: string[];
}

/** A test's name across attempts and reports: `classname::name`, or the name alone. */
export function caseId(classname: string, name: string): string {
  return classname === '' ? name : `${classname}::${name}`;
}

export function emptyCounts(): JUnitCounts {
  return { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, time: 0 };
}

export function addCounts(into: JUnitCounts, more: JUnitCounts): JUnitCounts {
  into.tests += more.tests;
  into.passed += more.passed;
  into.failed += more.failed;
  into.errored += more.errored;
  into.skipped += more.skipped;
  into.flaky += more.flaky;
  into.time += more.time;
  return into;
}
