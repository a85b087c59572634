import { counterRate } from './counter.js';
import type { LabelledSeries, Point } from './points.js';

export interface Bucket {
  /** The bucket's `le`, +Infinity for the last. */
  upperBound: number;
  /** Cumulative: observations ≤ upperBound. */
  count: number;
}

/**
 * The q-quantile of a classic histogram, computed exactly as Prometheus' histogram_quantile does
 * (promql/quantile.go, bucketQuantile): buckets sorted by bound, equal bounds merged, counts made
 * monotonic, the rank found, then linear interpolation inside its bucket (the first bucket starts
 * at 0 unless its bound is ≤ 0). A rank in the +Inf bucket gives the highest finite bound.
 * NaN where Prometheus answers NaN: no +Inf bucket, fewer than two buckets, no observations.
 */
export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (input.length === 0) return NaN;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (sorted[sorted.length - 1]!.upperBound !== Infinity) return NaN;
  const buckets = monotonic(coalesce(sorted));
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // The first bucket (the +Inf one excluded) whose count reaches the rank, as Go's sort.Search.
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++)
    if (buckets[i]!.count >= rank) {
      b = i;
      break;
    }
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** Buckets with the same bound (e.g. `1` and `1.0`) add up, as Prometheus' coalesceBuckets. */
function coalesce(sorted: readonly Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  return out;
}

/** Cumulative counts never fall (precision loss in rates can make them), as Prometheus' ensureMonotonic. */
function monotonic(buckets: Bucket[]): Bucket[] {
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  return buckets;
}

/** An `le` label as Go's strconv.ParseFloat reads it (`+Inf`, `Inf`, `1e-3`); undefined when it is not a number. */
export function parseLe(le: string): number | undefined {
  const s = le.trim();
  if (/^[+]?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  return Number(s);
}

/** One classic histogram: its labels without `le` (the name without `_bucket`) and its bucket series. */
export interface HistogramGroup {
  metric: Record<string, string>;
  buckets: { upperBound: number; points: Point[] }[];
}

/** A raw `_bucket` series with a numeric `le`: one bucket of a classic histogram. */
export function isBucketSeries(metric: Record<string, string>): boolean {
  return (
    (metric.__name__?.endsWith('_bucket') ?? false) &&
    metric.le !== undefined &&
    parseLe(metric.le) !== undefined
  );
}

/** Buckets grouped into histograms by every label except `le`; the other series are left as they are. */
export function groupHistograms<S extends LabelledSeries>(
  series: readonly S[],
): { histograms: HistogramGroup[]; rest: S[] } {
  const groups = new Map<string, HistogramGroup>();
  const rest: S[] = [];
  for (const s of series) {
    if (!isBucketSeries(s.metric)) {
      rest.push(s);
      continue;
    }
    const { le, ...labels } = s.metric;
    labels.__name__ = labels.__name__!.slice(0, -'_bucket'.length);
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { metric: labels, buckets: [] }));
    g.buckets.push({ upperBound: parseLe(le!)!, points: s.points });
  }
  return { histograms: [...groups.values()], rest };
}

/**
 * Each asked quantile of a histogram over time, from the buckets' per-step rates (resets handled
 * as in counterRate). A step where the histogram has no +Inf bucket or saw no observation is a gap.
 */
export function histogramQuantiles(
  h: HistogramGroup,
  quantiles: readonly number[],
): { quantile: number; points: Point[] }[] {
  const rates = h.buckets.map((b) => ({
    upperBound: b.upperBound,
    byTime: new Map(counterRate(b.points).points),
  }));
  const times = [...new Set(h.buckets.flatMap((b) => b.points.map(([t]) => t)))].sort((a, b) => a - b);
  const perTime = times.map((t) => {
    const buckets: Bucket[] = [];
    for (const r of rates) {
      const v = r.byTime.get(t);
      if (v !== undefined) buckets.push({ upperBound: r.upperBound, count: v });
    }
    return [t, buckets] as const;
  });
  return quantiles.map((q) => ({
    quantile: q,
    points: perTime.map(([t, buckets]): Point => {
      const v = bucketQuantile(q, buckets);
      return [t, Number.isFinite(v) ? v : undefined];
    }),
  }));
}
