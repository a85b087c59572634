/**
 * One smoke-suite result from the results of a sharded smoke job. Pure.
 *
 * Every shard planned the same split (smoke-suite's `shard: k/n`) and wrote its own result with the
 * whole plan in it, so the merge knows which suites each shard owed. Suites are counted once each,
 * exactly as one runner would count them; a shard that reported nothing (cancelled, killed, never
 * started) has its suites listed as not run, never as passed, and fails the merged result.
 */
import { selectAnnotations, type Annotation, type AnnotationLevel } from '../annotations.js';
import type { AnyEnvelope } from './results.js';
import { emptyCounts, type JUnitCounts } from '../junit/types.js';

/** One shard's result as collected. */
export interface ShardRun {
  envelope: AnyEnvelope;
  /** How reports name the file it came from. */
  source: string;
}

/** One shard of the day as the report shows it. */
export interface ShardSpreadRow {
  index: number;
  suites: string[];
  plannedMs: number;
  /** The shard's own wall time; absent when it reported nothing. */
  wallMs?: number;
  status: 'success' | 'failure' | 'missing' | 'empty';
  source?: string;
}

/** How the day was spread over the shards: the plan beside what each shard took. */
export interface ShardSpread {
  count: number;
  shards: ShardSpreadRow[];
  plannedMakespanMs: number;
  lowerBoundMs: number;
  /** The slowest shard that reported. */
  makespanMs: number;
  /** The slowest reported shard against the mean of the reported ones (1 = perfectly even). */
  imbalance: number;
  /** The real makespan against the planned one (above 1: slower than planned). */
  againstPlan: number;
  missing: number[];
}

export interface MergedSmoke {
  envelope: AnyEnvelope;
  spread: ShardSpread;
  /** What a reader must know: shards that disagree about the plan, a count unlike the workflow's. */
  problems: string[];
}

interface PlannedShardDoc {
  index: number;
  suites: string[];
  plannedMs: number;
}
interface RosterEntry {
  name: string;
  squad?: string | null;
  owner?: string | null;
  runbook?: string | null;
  required?: boolean;
}
interface ShardDoc {
  index: number;
  count: number;
  /** The suites this shard ran. */
  suites: string[];
  wallMs: number;
  makespanMs: number;
  lowerBoundMs: number;
  plan: PlannedShardDoc[];
  roster?: RosterEntry[];
}
type SuiteDoc = Record<string, unknown> & { name: string; status?: string; required?: boolean };

const COUNT_KEYS: readonly (keyof JUnitCounts)[] = [
  'tests',
  'passed',
  'failed',
  'errored',
  'skipped',
  'flaky',
  'time',
];
const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The shard a smoke-suite result says it ran, when it ran one. */
export function shardOf(envelope: AnyEnvelope): ShardDoc | undefined {
  if (envelope.action !== 'smoke-suite') return undefined;
  const s = rec(rec(envelope.result).shard);
  if (!Number.isInteger(s.index) || !Number.isInteger(s.count) || !Array.isArray(s.plan)) return undefined;
  return s as unknown as ShardDoc;
}

/**
 * Merges the shards' results. `expectedCount` is the number of shards the workflow planned (its
 * matrix); without it the shards' own plan says how many there were.
 */
export function mergeShards(runs: readonly ShardRun[], expectedCount?: number): MergedSmoke {
  if (runs.length === 0) throw new RangeError('mergeShards needs at least one shard result');
  const problems: string[] = [];
  const byIndex = new Map<number, ShardRun & { shard: ShardDoc }>();
  for (const run of [...runs].sort((a, b) => a.source.localeCompare(b.source))) {
    const shard = shardOf(run.envelope);
    if (!shard) throw new RangeError(`${run.source} is not the result of one shard of smoke-suite`);
    if (byIndex.has(shard.index)) {
      problems.push(
        `two results for shard ${shard.index}/${shard.count} (${byIndex.get(shard.index)!.source}, ${run.source}): the first is counted`,
      );
      continue;
    }
    byIndex.set(shard.index, { ...run, shard });
  }
  const reported = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const reference = reported[0]!.shard;
  for (const r of reported.slice(1))
    if (planKey(r.shard) !== planKey(reference))
      problems.push(
        `shard ${r.shard.index}/${r.shard.count} planned a different split than shard ${reference.index}/${reference.count} (different suites or timings in their checkouts?): each shard's suites are counted as it ran them`,
      );
  const count = expectedCount ?? reference.count;
  if (expectedCount !== undefined && expectedCount !== reference.count)
    problems.push(
      `the workflow planned ${expectedCount} shard(s), but the shards' results say ${reference.count}`,
    );

  const planned = new Map(reference.plan.map((p) => [p.index, p]));
  const roster = new Map((reference.roster ?? []).map((r) => [r.name, r]));
  const suites = new Map<string, SuiteDoc>();
  const annotations: Annotation[] = [];
  let maxAnnotations = 0;
  for (const r of reported) {
    const doc = rec(r.envelope.result);
    for (const raw of Array.isArray(doc.suites) ? doc.suites : []) {
      const s = rec(raw);
      if (typeof s.name !== 'string' || suites.has(s.name)) continue;
      suites.set(s.name, { ...s, name: s.name, shard: r.shard.index });
    }
    if (Array.isArray(doc.annotations)) annotations.push(...(doc.annotations as Annotation[]));
    maxAnnotations = Math.max(maxAnnotations, num(doc.maxAnnotations));
  }
  const missing: number[] = [];
  for (let index = 1; index <= count; index++) {
    // A shard planned with no suites gets no job in the matrix: nothing is owed by it.
    const owed = planned.get(index)?.suites ?? [];
    if (byIndex.has(index) || owed.length === 0) continue;
    missing.push(index);
    for (const name of owed) {
      if (suites.has(name)) continue;
      suites.set(name, missingSuite(name, index, count, roster.get(name)));
    }
  }
  // In the order of the configuration (the plan's estimates keep it), as one runner lists them.
  const order = configOrder(reported[0]!.envelope, [...suites.keys()]);
  const merged = order.map((name) => suites.get(name)!);
  const spread = spreadOf(reported, planned, count, reference, missing);
  const totals = totalsOf(merged);
  const missingNote = missing.length
    ? `shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} reported nothing`
    : '';
  const status = totals.requiredFailed > 0 || missing.length > 0 ? 'failure' : 'success';
  const base = rec(reported[0]!.envelope.result);
  const shown = selectAnnotations(dedupe(annotations), maxAnnotations || undefined);
  const result = {
    headline: headlineOf(merged, totals, missingNote),
    totals,
    failedSuites: merged.filter(failed).map((s) => s.name),
    wallMs: spread.makespanMs,
    concurrency: base.concurrency,
    failFast: base.failFast,
    reportDir: base.reportDir,
    suites: merged,
    annotations: shown.shown,
    annotationsOmitted: shown.omitted,
    spread,
  };
  const times = reported.map((r) => ({ s: r.envelope.startedAt, f: r.envelope.finishedAt }));
  const envelope: AnyEnvelope = {
    ...reported[0]!.envelope,
    status,
    startedAt: earliest(times.map((t) => t.s)),
    finishedAt: latest(times.map((t) => t.f)),
    result,
  };
  return { envelope, spread, problems };
}

function planKey(s: ShardDoc): string {
  return JSON.stringify(s.plan.map((p) => [p.index, p.suites]));
}

function missingSuite(name: string, index: number, count: number, who: RosterEntry | undefined): SuiteDoc {
  return {
    name,
    squad: who?.squad ?? null,
    owner: who?.owner ?? null,
    runbook: who?.runbook ?? null,
    // A suite nobody ran is not known to be optional: it counts against the day.
    required: who?.required ?? true,
    status: 'not-run',
    reason: `shard ${index}/${count} reported nothing (cancelled, killed or never started)`,
    summary: 'not run',
    counts: emptyCounts(),
    startedAt: null,
    finishedAt: null,
    attempts: [],
    failures: [],
    failuresOmitted: 0,
    flakyTests: [],
    skipReasons: null,
    shard: index,
    missing: true,
  };
}

function configOrder(envelope: AnyEnvelope, names: string[]): string[] {
  const estimates = rec(rec(envelope.result).shard).estimates;
  const known = Array.isArray(estimates) ? estimates.map((e) => String(rec(e).name)) : [];
  const position = new Map(known.map((n, i) => [n, i]));
  return [...names].sort(
    (a, b) =>
      (position.get(a) ?? Number.MAX_SAFE_INTEGER) - (position.get(b) ?? Number.MAX_SAFE_INTEGER) ||
      (a < b ? -1 : a > b ? 1 : 0),
  );
}

const failed = (s: SuiteDoc) => s.status === 'failed' || s.status === 'not-run';

/** Recounted from the suites, as smoke-suite counts one runner's. */
function totalsOf(suites: readonly SuiteDoc[]) {
  const counts = emptyCounts();
  let failedSuites = 0;
  let requiredFailed = 0;
  let flakyTests = 0;
  let allSkippedSuites = 0;
  for (const s of suites) {
    const c = rec(s.counts);
    for (const k of COUNT_KEYS) counts[k] += num(c[k]);
    flakyTests += Array.isArray(s.flakyTests) ? s.flakyTests.length : 0;
    if (s.status === 'skipped') allSkippedSuites++;
    if (failed(s)) {
      failedSuites++;
      if (s.required !== false) requiredFailed++;
    }
  }
  return { ...counts, suites: suites.length, failedSuites, requiredFailed, flakyTests, allSkippedSuites };
}

function headlineOf(
  suites: readonly SuiteDoc[],
  t: ReturnType<typeof totalsOf>,
  missingNote: string,
): string {
  const required = suites.filter((s) => s.required !== false).length;
  const optionalFailed = t.failedSuites - t.requiredFailed;
  const notes = [
    ...(optionalFailed > 0 ? [`${optionalFailed} optional suite(s) failed`] : []),
    ...(t.allSkippedSuites > 0 ? [`${t.allSkippedSuites} suite(s) skipped every test`] : []),
  ];
  const verdict =
    t.requiredFailed > 0
      ? `${t.requiredFailed} of ${required} required suite(s) failed`
      : notes.length > 0
        ? `${t.allSkippedSuites > 0 ? 'no required suite failed' : 'all required suites passed'}; ${notes.join('; ')}`
        : `all ${suites.length} suite(s) passed`;
  return missingNote ? `${verdict}; ${missingNote}` : verdict;
}

function spreadOf(
  reported: readonly (ShardRun & { shard: ShardDoc })[],
  planned: ReadonlyMap<number, PlannedShardDoc>,
  count: number,
  reference: ShardDoc,
  missing: readonly number[],
): ShardSpread {
  const shards: ShardSpreadRow[] = [];
  for (let index = 1; index <= count; index++) {
    const run = reported.find((r) => r.shard.index === index);
    const plan = planned.get(index);
    shards.push({
      index,
      suites: run ? suiteNames(run.envelope) : (plan?.suites ?? []),
      plannedMs: plan?.plannedMs ?? 0,
      ...(run ? { wallMs: run.shard.wallMs, source: run.source } : {}),
      status: run
        ? run.envelope.status === 'success'
          ? 'success'
          : 'failure'
        : missing.includes(index)
          ? 'missing'
          : 'empty',
    });
  }
  const walls = reported.map((r) => r.shard.wallMs);
  const makespanMs = Math.max(0, ...walls);
  const mean = walls.reduce((a, b) => a + b, 0) / Math.max(1, walls.length);
  return {
    count,
    shards,
    plannedMakespanMs: reference.makespanMs,
    lowerBoundMs: reference.lowerBoundMs,
    makespanMs,
    imbalance: mean > 0 ? makespanMs / mean : 1,
    againstPlan: reference.makespanMs > 0 ? makespanMs / reference.makespanMs : 1,
    missing: [...missing],
  };
}

function suiteNames(envelope: AnyEnvelope): string[] {
  const suites = rec(envelope.result).suites;
  return Array.isArray(suites) ? suites.map((s) => String(rec(s).name)) : [];
}

/** The same problem reported by two shards (a shared helper's line, say) is shown once. */
function dedupe(all: readonly Annotation[]): Annotation[] {
  const seen = new Set<string>();
  const out: Annotation[] = [];
  for (const a of all) {
    if (!isLevel(a?.level) || typeof a.message !== 'string') continue;
    const key = JSON.stringify([a.level, a.title ?? '', a.message, a.file ?? '', a.line ?? 0]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

function isLevel(v: unknown): v is AnnotationLevel {
  return v === 'error' || v === 'warning' || v === 'notice';
}

function earliest(times: readonly string[]): string {
  return [...times].filter(Boolean).sort()[0] ?? times[0]!;
}
function latest(times: readonly string[]): string {
  return [...times].filter(Boolean).sort().reverse()[0] ?? times[0]!;
}
