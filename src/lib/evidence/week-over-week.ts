// This Integration Day against the one before it: each panel's figure and its change, and the smoke
// tests that started failing, kept failing or were fixed. Pure: the caller reads both days' evidence.
import type { SeriesStats } from './metrics.js';

/** One panel's snapshot as both days keep it (the report's metric, or last week's metrics/<name>.json). */
export interface PanelSnapshot {
  name: string;
  panel?: string;
  squad?: string;
  unit?: string;
  stats: SeriesStats[];
  error?: string;
}

/**
 * How a figure moved. A percentage exists only against a non-zero figure last week: from zero any
 * change is infinitely large, so it is said in words instead of a made-up number.
 */
export type Change =
  | { kind: 'percent'; percent: number }
  | { kind: 'unchanged-zero' }
  | { kind: 'from-zero' }
  | { kind: 'new' }
  | { kind: 'gone' }
  | { kind: 'no-data' };

export interface SeriesComparison {
  label: string;
  lastWeek?: number;
  thisWeek?: number;
  change: Change;
}

export interface PanelComparison {
  name: string;
  title: string;
  squad?: string;
  unit?: string;
  /** This week's snapshot failed: nothing to compare. */
  error?: string;
  series: SeriesComparison[];
}

/** `(now − last) / |last| × 100`, exactly; zero and absent figures are named, never divided by. */
export function percentChange(last: number | undefined, now: number | undefined): Change {
  if (last === undefined && now === undefined) return { kind: 'no-data' };
  if (last === undefined) return { kind: 'new' };
  if (now === undefined) return { kind: 'gone' };
  if (last === 0) return now === 0 ? { kind: 'unchanged-zero' } : { kind: 'from-zero' };
  return { kind: 'percent', percent: ((now - last) / Math.abs(last)) * 100 };
}

/** A series' figure for the week: its mean over the snapshot's window (none without samples). */
export function weekFigure(s: SeriesStats | undefined): number | undefined {
  return s && s.samples > 0 ? s.mean : undefined;
}

/**
 * Every panel of this day against the same panel (by query name) last week, series matched by their
 * labels. A series only one week has is shown as new or gone.
 */
export function comparePanels(
  thisWeek: readonly PanelSnapshot[],
  lastWeek: readonly PanelSnapshot[],
): PanelComparison[] {
  const before = new Map(lastWeek.map((p) => [p.name, p]));
  return thisWeek.map((p) => {
    const prev = before.get(p.name);
    const prevStats = prev && !prev.error ? prev.stats : [];
    const labels = [...new Set([...p.stats.map((s) => s.label), ...prevStats.map((s) => s.label)])];
    const series = p.error
      ? []
      : labels.map((label) => {
          const lastWeekFigure = weekFigure(prevStats.find((s) => s.label === label));
          const thisWeekFigure = weekFigure(p.stats.find((s) => s.label === label));
          return {
            label,
            ...(lastWeekFigure !== undefined ? { lastWeek: lastWeekFigure } : {}),
            ...(thisWeekFigure !== undefined ? { thisWeek: thisWeekFigure } : {}),
            change: percentChange(lastWeekFigure, thisWeekFigure),
          };
        });
    return {
      name: p.name,
      title: p.panel ?? p.name,
      ...(p.squad ? { squad: p.squad } : {}),
      ...(p.unit ? { unit: p.unit } : {}),
      ...(p.error ? { error: p.error } : {}),
      series,
    };
  });
}

/** A smoke test by its identity: suite + classname + name. A suite that failed without a test has empty ones. */
export interface SmokeTestRef {
  suite: string;
  classname: string;
  name: string;
  squad?: string;
  owner?: string;
  message?: string;
}

/** What one day's smoke-suite result says about failing tests, and which suites it knows in full. */
export interface SmokeDay {
  failing: SmokeTestRef[];
  /** Suites that ran to a verdict with every failing test listed: absence from `failing` means it did not fail. */
  complete: Set<string>;
}

export interface SmokeComparison {
  newFailures: SmokeTestRef[];
  stillFailing: SmokeTestRef[];
  /** Failed last week; this week its suite ran, listed every failure, and this test is not among them. */
  fixed: SmokeTestRef[];
  /** Failed last week; this week its suite did not run, or listed only part of its failures. */
  unknown: SmokeTestRef[];
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Suite statuses after which the suite's failure list says what failed (a suite that did not run says nothing). */
const RAN = new Set(['passed', 'failed', 'flaky', 'skipped']);

/** A smoke-suite result (its `result` field) as a set of failing tests; tolerant of missing fields. */
export function smokeDay(result: unknown): SmokeDay {
  const failing: SmokeTestRef[] = [];
  const complete = new Set<string>();
  for (const raw of arr(rec(result)?.suites)) {
    const s = rec(raw);
    if (!s) continue;
    const plan = rec(s.plan) ?? {};
    const suite = str(s.name) ?? str(plan.name) ?? 'unnamed suite';
    const squad = str(s.squad) ?? str(plan.squad);
    const owner = str(s.owner) ?? str(plan.owner);
    const status = str(s.status) ?? '';
    const who = { ...(squad ? { squad } : {}), ...(owner ? { owner } : {}) };
    const tests = arr(s.failures)
      .map(rec)
      .filter((f): f is Record<string, unknown> => !!f);
    for (const f of tests) {
      const classname = str(f.classname) ?? '';
      const name = str(f.name) ?? str(f.id) ?? 'unnamed test';
      const message = str(f.message);
      failing.push({ suite, classname, name, ...who, ...(message ? { message } : {}) });
    }
    if ((status === 'failed' || status === 'not-run') && tests.length === 0) {
      const reason = str(s.reason);
      failing.push({ suite, classname: '', name: '', ...who, ...(reason ? { message: reason } : {}) });
    }
    const omitted = typeof s.failuresOmitted === 'number' && s.failuresOmitted > 0;
    if (RAN.has(status) && !omitted) complete.add(suite);
  }
  return { failing, complete };
}

/** Several smoke-suite results of one day as one. */
export function mergeSmokeDays(days: readonly SmokeDay[]): SmokeDay {
  return {
    failing: days.flatMap((d) => d.failing),
    complete: new Set(days.flatMap((d) => [...d.complete])),
  };
}

/** The identity of a test, the same string from one week to the next. */
export function testKey(t: Pick<SmokeTestRef, 'suite' | 'classname' | 'name'>): string {
  return JSON.stringify([t.suite, t.classname, t.name]);
}

/** This week's failing tests against last week's, by identity. */
export function compareSmoke(thisWeek: SmokeDay, lastWeek: SmokeDay): SmokeComparison {
  const before = new Set(lastWeek.failing.map(testKey));
  const now = new Set(thisWeek.failing.map(testKey));
  const out: SmokeComparison = { newFailures: [], stillFailing: [], fixed: [], unknown: [] };
  for (const t of thisWeek.failing) (before.has(testKey(t)) ? out.stillFailing : out.newFailures).push(t);
  for (const t of lastWeek.failing) {
    if (now.has(testKey(t))) continue;
    (thisWeek.complete.has(t.suite) ? out.fixed : out.unknown).push(t);
  }
  return out;
}

/** How a test is named in the report: `suite · classname::name`, or the suite alone when it failed as a whole. */
export function testTitle(t: SmokeTestRef): string {
  if (!t.classname && !t.name) return `${t.suite} (the suite as a whole)`;
  return `${t.suite} · ${t.classname ? `${t.classname}::` : ''}${t.name}`;
}

/** What the status report's "Since last week" shows. */
export interface SinceLastWeek {
  /** The day compared with; absent when the checkout holds no earlier day. */
  previous?: { date: string; statusFileRel: string; evidenceDirRel: string };
  panels: PanelComparison[];
  /** Absent when there is no earlier day or it has no smoke-suite result. */
  smoke?: SmokeComparison;
  /** Panel (query name) → its limits as written, shown next to it. */
  limits: Record<string, { threshold?: string; regressionLimit?: number; severity: string }>;
}
