import { describe, expect, it } from 'vitest';
import {
  counterEvidence,
  counterRate,
  isMonotonicWithResets,
} from '../../src/lib/evidence/chart-rules/counter.js';
import {
  bucketQuantile,
  groupHistograms,
  histogramQuantiles,
  parseLe,
} from '../../src/lib/evidence/chart-rules/histogram.js';
import { legendEntry, legendLabels } from '../../src/lib/evidence/chart-rules/legend.js';
import type { Point } from '../../src/lib/evidence/chart-rules/points.js';
import { chooseScale } from '../../src/lib/evidence/chart-rules/scale.js';
import { selectSeries } from '../../src/lib/evidence/chart-rules/select.js';
import { DEFAULT_CHART_OPTIONS } from '../../src/lib/evidence/chart-rules/summary.js';
import { planChart, quantileName } from '../../src/lib/evidence/chart-plan.js';
import { logTicks, wrap } from '../../src/lib/evidence/chart.js';
import type { RangeSeries } from '../../src/lib/prometheus/client.js';

const pts = (...values: (number | undefined)[]): Point[] => values.map((v, i) => [1000 + i * 15, v]);

describe('counters', () => {
  it('are known by their name when the series still carries it, else by their shape', () => {
    for (const name of ['http_requests_total', 'x_count', 'x_sum', 'x_bucket'])
      expect(counterEvidence({ __name__: name }, pts(1, 0.5))).toBe('name');
    expect(counterEvidence({ __name__: 'process_uptime' }, pts(1, 2, 3, 0.1, 1))).toBe('shape');
    expect(counterEvidence({ __name__: 'temperature' }, pts(1, 2, 1.5, 3))).toBeUndefined();
    // No name: Prometheus computed these values (a rate, a sum), so they are never a counter's raw samples.
    expect(counterEvidence({ job: 'a' }, pts(1, 2, 3, 4))).toBeUndefined();
  });

  it('a shape is a counter only when it rises, never goes negative, and falls only by resetting', () => {
    expect(isMonotonicWithResets(pts(5, 5, 7, 9))).toBe(true);
    expect(isMonotonicWithResets(pts(5, 5, 5, 5))).toBe(false); // never rises: a constant
    expect(isMonotonicWithResets(pts(1, 2))).toBe(false); // too few samples to say
    expect(isMonotonicWithResets(pts(-3, -2, -1))).toBe(false);
    expect(isMonotonicWithResets(pts(100, 120, 80, 90))).toBe(false); // 80 is more than half of 120
    expect(isMonotonicWithResets(pts(100, 120, 61, 90))).toBe(false); // half of 120 is 60
    expect(isMonotonicWithResets(pts(100, 120, 59, 90))).toBe(true);
    // Two resets in five steps: a sawtooth gauge, not a counter.
    expect(isMonotonicWithResets(pts(10, 20, 1, 20, 1, 5))).toBe(false);
    expect(isMonotonicWithResets(pts(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1))).toBe(
      true,
    );
    expect(isMonotonicWithResets(pts(1, undefined, 2, undefined, 3))).toBe(true);
  });

  it('a rate is the increase over each step per second; a reset counts from zero; gaps stay gaps', () => {
    const r = counterRate(pts(10, 40, 40, 5, undefined, 35));
    expect(r.points).toEqual([
      [1000, undefined],
      [1015, 2],
      [1030, 0],
      [1045, 5 / 15],
      [1060, undefined],
      // Across the gap: the increase since the last sample over the 30 s between them.
      [1075, 1],
    ]);
    expect(r.resets).toBe(1);
    expect(counterRate([]).points).toEqual([]);
  });
});

describe('classic histograms', () => {
  const inf = Infinity;
  const b = (...pairs: [number, number][]) => pairs.map(([upperBound, count]) => ({ upperBound, count }));

  it('interpolate linearly within the bucket holding the rank, as histogram_quantile does', () => {
    const h = b([0.1, 10], [0.5, 30], [1, 40], [inf, 40]);
    // rank 20 is in (0.1, 0.5]: 10 of its 20 observations → halfway.
    expect(bucketQuantile(0.5, h)).toBeCloseTo(0.3, 12);
    // rank 38 is in (0.5, 1]: 8 of 10.
    expect(bucketQuantile(0.95, h)).toBeCloseTo(0.9, 12);
    // The first bucket starts at zero.
    expect(bucketQuantile(0.1, h)).toBeCloseTo(0.04, 12);
    expect(bucketQuantile(0, h)).toBe(0);
    // Order of the buckets does not matter.
    expect(bucketQuantile(0.5, [...h].reverse())).toBeCloseTo(0.3, 12);
  });

  it('a rank in the +Inf bucket gives the highest finite bound; a first bound ≤ 0 is returned as is', () => {
    expect(bucketQuantile(0.99, b([0.1, 10], [1, 40], [inf, 50]))).toBe(1);
    expect(bucketQuantile(1, b([0.1, 10], [1, 40], [inf, 50]))).toBe(1);
    expect(bucketQuantile(0.25, b([-1, 5], [0, 5], [1, 20], [inf, 20]))).toBe(-1);
    expect(bucketQuantile(0.1, b([0, 5], [1, 20], [inf, 20]))).toBe(0);
  });

  it('is NaN where Prometheus says NaN, and ±Inf for a quantile outside [0, 1]', () => {
    expect(bucketQuantile(0.5, b([0.1, 10], [1, 40]))).toBeNaN(); // no +Inf bucket
    expect(bucketQuantile(0.5, b([inf, 40]))).toBeNaN(); // fewer than two buckets
    expect(bucketQuantile(0.5, b([0.1, 0], [inf, 0]))).toBeNaN(); // no observations
    expect(bucketQuantile(0.5, [])).toBeNaN();
    expect(bucketQuantile(NaN, b([0.1, 1], [inf, 1]))).toBeNaN();
    expect(bucketQuantile(-0.1, b([0.1, 1], [inf, 1]))).toBe(-Infinity);
    expect(bucketQuantile(1.1, b([0.1, 1], [inf, 1]))).toBe(Infinity);
  });

  it('merges equal bounds and makes counts monotonic before ranking', () => {
    // 0.5 appears twice (le="0.5" and le="0.50"): 10 + 5 observations.
    expect(bucketQuantile(0.5, b([0.5, 10], [0.5, 5], [inf, 20]))).toBeCloseTo(0.5 * (10 / 15), 12);
    // 8 below 10 is rate noise: it becomes 10, so rank 20 lands in (0.5, 1] with 10 of 30.
    expect(bucketQuantile(0.5, b([0.1, 10], [0.5, 8], [1, 40], [inf, 40]))).toBeCloseTo(
      0.5 + 0.5 * (10 / 30),
      12,
    );
  });

  it('reads le as Go does', () => {
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('Inf')).toBe(Infinity);
    expect(parseLe('0.005')).toBe(0.005);
    expect(parseLe('1e-3')).toBe(0.001);
    expect(parseLe('10')).toBe(10);
    expect(parseLe('')).toBeUndefined();
    expect(parseLe('fast')).toBeUndefined();
    expect(parseLe('0x10')).toBeUndefined();
  });

  it('groups buckets by every label but le, and leaves other series alone', () => {
    const series: { metric: Record<string, string>; points: Point[] }[] = [
      { metric: { __name__: 'd_bucket', le: '0.1', route: '/a' }, points: pts(1) },
      { metric: { __name__: 'd_bucket', le: '+Inf', route: '/a' }, points: pts(2) },
      { metric: { __name__: 'd_bucket', le: '0.1', route: '/b' }, points: pts(3) },
      { metric: { __name__: 'd_bucket', route: '/c' }, points: pts(4) }, // no le: not a bucket
      { metric: { __name__: 'd_count', route: '/a' }, points: pts(5) },
    ];
    const { histograms, rest } = groupHistograms(series);
    expect(histograms.map((h) => [h.metric, h.buckets.map((x) => x.upperBound)])).toEqual([
      [{ __name__: 'd', route: '/a' }, [0.1, Infinity]],
      [{ __name__: 'd', route: '/b' }, [0.1]],
    ]);
    expect(rest.map((s) => s.metric.route)).toEqual(['/c', '/a']);
  });

  it('quantiles over time come from the per-step bucket rates, resets handled, gaps where nothing was observed', () => {
    const h = {
      metric: { __name__: 'd' },
      buckets: [
        { upperBound: 0.1, points: pts(0, 10, 10, 2) }, // restarts at the last step
        { upperBound: 1, points: pts(0, 30, 30, 6) },
        { upperBound: Infinity, points: pts(0, 30, 30, 6) },
      ],
    };
    const [p50] = histogramQuantiles(h, [0.5]);
    // Step 1: increases 10, 30, 30 → rank 15 in (0.1, 1]: 5 of 20. Step 2: nothing observed.
    // Step 3 after the reset: 2, 6, 6 → rank 3 in (0.1, 1]: 1 of 4.
    expect(p50!.points.map(([, v]) => v)).toEqual([
      undefined,
      expect.closeTo(0.1 + 0.9 * (5 / 20), 12),
      undefined,
      expect.closeTo(0.1 + 0.9 * (1 / 4), 12),
    ]);
  });
});

describe('series selection', () => {
  const s = (name: string, ...values: (number | undefined)[]) => ({ name, points: pts(...values) });
  const key = (x: { name: string }) => x.name;

  it('keeps the top N by peak or by last value and summarizes the rest', () => {
    const all = [s('a', 1, 9, 2), s('b', 5, 5, 5), s('c', 3, 4, 8), s('d', 0, 1, 1), s('e'), s('f', 2, 2, 3)];
    const byPeak = selectSeries(all, 2, 'peak', key);
    expect(byPeak.drawn.map(key)).toEqual(['a', 'c']);
    // Peaks of b, f, d: 5, 3, 1.
    expect(byPeak.others).toEqual({ count: 3, by: 'peak', min: 1, median: 3, max: 5 });
    expect(byPeak.withoutData).toBe(1);
    const byLast = selectSeries(all, 2, 'last', key);
    expect(byLast.drawn.map(key)).toEqual(['c', 'b']);
    // Last values of f, a, d: 3, 2, 1; an even count takes the middle two's mean.
    expect(selectSeries(all, 1, 'last', key).others).toEqual({
      count: 4,
      by: 'last',
      min: 1,
      median: 2.5,
      max: 5,
    });
  });

  it('breaks ties by key, and has nothing to summarize when everything fits', () => {
    const tied = [s('z', 1), s('m', 1), s('a', 1)];
    expect(selectSeries(tied, 2, 'peak', key).drawn.map(key)).toEqual(['a', 'm']);
    expect(selectSeries(tied, 3, 'peak', key).others).toBeUndefined();
  });
});

describe('legends', () => {
  it('keep only the labels that differ and name the common ones', () => {
    const metrics: Record<string, string>[] = [
      { __name__: 'up', job: 'a', instance: 'h:1', env: 'staging' },
      { __name__: 'up', job: 'b', instance: 'h:1', env: 'staging' },
      { __name__: 'up', job: 'b', env: 'staging' },
    ];
    const l = legendLabels(metrics);
    expect(l).toEqual({ differing: ['instance', 'job'], common: { __name__: 'up', env: 'staging' } });
    expect(legendEntry(metrics[0]!, l.differing, 'q')).toBe('{instance="h:1", job="a"}');
    // A label the series lacks is left out rather than shown empty.
    expect(legendEntry(metrics[2]!, l.differing, 'q')).toBe('{job="b"}');
    expect(legendEntry({ __name__: 'up', instance: '' }, ['instance'], 'q')).toBe('up');
  });

  it('show the metric name when it differs, and the name or the query for a lone series', () => {
    const l = legendLabels([{ __name__: 'a_total' }, { __name__: 'b_total' }]);
    expect(l.differing).toEqual(['__name__']);
    expect(legendEntry({ __name__: 'a_total' }, l.differing, 'q')).toBe('a_total');
    expect(legendEntry({ __name__: 'x', job: 'j' }, ['__name__', 'job'], 'q')).toBe('x{job="j"}');
    expect(legendLabels([{ job: 'j' }])).toEqual({ differing: [], common: { job: 'j' } });
    expect(legendEntry({ job: 'j' }, [], 'q')).toBe('q');
    expect(legendEntry({ __name__: 'up', job: 'j' }, [], 'q')).toBe('up');
  });
});

describe('scale', () => {
  it('goes logarithmic above three orders of magnitude, counting what a log axis cannot show', () => {
    expect(chooseScale([1, 1000], 'auto')).toMatchObject({ scale: 'linear', decades: 3 });
    const log = chooseScale([0.5, 0, 1.8e19, 0, 3], 'auto');
    expect(log).toMatchObject({ scale: 'log', minPositive: 0.5, maxPositive: 1.8e19, notDrawn: 2 });
    expect(log.decades).toBeCloseTo(Math.log10(3.6e19), 12);
  });

  it('stays linear with negative values, without positive ones, or when told', () => {
    expect(chooseScale([-5, 0.001, 1e6], 'auto')).toMatchObject({
      scale: 'linear',
      reason: expect.stringMatching(/negative/),
    });
    expect(chooseScale([0, 0], 'auto')).toMatchObject({ scale: 'linear', reason: 'no value above zero' });
    expect(chooseScale([], 'auto').scale).toBe('linear');
    expect(chooseScale([1, 1e9], 'linear')).toMatchObject({ scale: 'linear', notDrawn: 0 });
    expect(chooseScale([1, 2, -1], 'log')).toMatchObject({ scale: 'log', notDrawn: 1 });
    expect(chooseScale([0, -1], 'log')).toMatchObject({
      scale: 'linear',
      reason: expect.stringMatching(/no value is above zero/),
    });
  });

  it('log ticks are powers of ten, thinned to about eight', () => {
    expect(logTicks(0.5, 30)).toEqual([0.1, 1, 10, 100]);
    expect(logTicks(5, 5)).toEqual([1, 10]);
    const wide = logTicks(0.001, 1.8e19);
    expect(wide[0]).toBe(0.001);
    expect(wide[wide.length - 1]).toBeGreaterThanOrEqual(1.8e19);
    expect(wide.length).toBeLessThanOrEqual(9);
  });

  it('captions wrap at spaces', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });
});

describe('planChart', () => {
  const series = (metric: Record<string, string>, values: (number | string)[]): RangeSeries => ({
    metric,
    values: values.map((v, i) => [1000 + i * 15, String(v)]),
  });
  const ctx = { name: 'q', stepSeconds: 15 };

  it('draws at most max-series lines, summarizes the rest, trims legends and picks a log scale', () => {
    // Twenty gauges named g0..g19 with peaks 10^0 .. 10^19 on one job.
    const result = Array.from({ length: 20 }, (_, i) =>
      series({ __name__: `g${i}`, job: 'staging' }, [10 ** i, 10 ** i / 2, 10 ** i]),
    );
    const plan = planChart(result, DEFAULT_CHART_OPTIONS, ctx);
    expect(plan.series.map((s) => s.label)).toEqual(['g19', 'g18', 'g17', 'g16', 'g15', 'g14', 'g13', 'g12']);
    expect(plan.scale).toBe('log');
    expect(plan.summary.others).toEqual({
      count: 12,
      by: 'peak',
      min: 1,
      median: (1e5 + 1e6) / 2,
      max: 1e11,
    });
    expect(plan.summary.legend).toEqual({ differing: ['__name__'], common: { job: 'staging' } });
    expect(plan.summary.caption).toEqual([
      expect.stringMatching(
        /^Drawn: the 8 of 20 series with the highest peak \(max-series: 8, select: peak\); the other 12 not drawn have a peak from 1 to 1\.00e\+11/,
      ),
      'Legend: only the labels that differ between the series (__name__); common to all: job="staging".',
      expect.stringMatching(
        /^Log scale: the values above zero span 7\.3 orders of magnitude \(5\.00e\+11 to 1\.00e\+19\) \(scale: auto\)\.$/,
      ),
    ]);
    expect(plan.summary.rate).toBeUndefined();
  });

  it("draws a counter's raw samples as a rate and says so", () => {
    const plan = planChart(
      [series({ __name__: 'requests_total', job: 'api' }, [100, 130, 160, 10])],
      DEFAULT_CHART_OPTIONS,
      { ...ctx, unit: '' },
    );
    expect(plan.series[0]!.points.map(([, v]) => v)).toEqual([undefined, 2, 2, 10 / 15]);
    expect(plan.unit).toBe('/s');
    expect(plan.summary.rate).toEqual({ series: 1, byName: 1, byShape: 0, forced: 0, resets: 1 });
    expect(plan.summary.caption[0]).toBe(
      'Drawn as rate: 1 counter series (1 by name (_total, _count, _sum, _bucket)) shown as the per-second increase over each 15s step; 1 counter reset(s) counted from zero (as-rate: auto).',
    );
    expect(plan.summary.drawn[0]).toMatchObject({
      legend: 'requests_total',
      asRate: true,
      peak: 2,
      last: 10 / 15,
    });
    const raw = planChart(
      [series({ __name__: 'requests_total' }, [100, 130])],
      { ...DEFAULT_CHART_OPTIONS, asRate: false },
      ctx,
    );
    expect(raw.series[0]!.points.map(([, v]) => v)).toEqual([100, 130]);
    expect(raw.summary.caption.join(' ')).not.toMatch(/rate/);
  });

  it("turns a histogram's buckets into the quantiles asked for", () => {
    const bucket = (le: string, values: number[]) =>
      series({ __name__: 'lat_seconds_bucket', le, service: 'api', job: 'staging' }, values);
    const result = [
      bucket('0.1', [0, 10, 20]),
      bucket('0.5', [0, 30, 40]),
      bucket('1', [0, 40, 60]),
      bucket('+Inf', [0, 40, 60]),
    ];
    const plan = planChart(
      result,
      { ...DEFAULT_CHART_OPTIONS, quantiles: [0.5, 0.95] },
      { ...ctx, unit: 's' },
    );
    expect(plan.series.map((s) => s.label)).toEqual(['p95', 'p50']);
    // Step 1: 10, 30, 40, 40 → p50 rank 20 in (0.1, 0.5]: 0.3; p95 rank 38 in (0.5, 1]: 0.9.
    // Step 2: 10, 10, 20, 20 → p50 rank 10 in (0, 0.1]: 0.1; p95 rank 19 in (0.5, 1]: 0.5 + 0.5 * 9/10.
    expect(plan.series[0]!.points.map(([, v]) => v)).toEqual([
      undefined,
      expect.closeTo(0.9, 12),
      expect.closeTo(0.95, 12),
    ]);
    expect(plan.series[1]!.points.map(([, v]) => v)).toEqual([
      undefined,
      expect.closeTo(0.3, 12),
      expect.closeTo(0.1, 12),
    ]);
    expect(plan.unit).toBe('s');
    expect(plan.summary.histograms).toEqual({ count: 1, buckets: 4, quantiles: [0.5, 0.95] });
    expect(plan.summary.caption[0]).toMatch(
      /^Histograms: 4 _bucket series of 1 histogram\(s\) drawn as p50, p95, computed as histogram_quantile does/,
    );
    expect(plan.summary.caption).toContain(
      'Legend: only the labels that differ between the series (quantile); common to all: lat_seconds, job="staging", service="api".',
    );
    // Without quantiles the buckets are counters like any other: drawn as rates.
    const buckets = planChart(result, { ...DEFAULT_CHART_OPTIONS, quantiles: [] }, ctx);
    expect(buckets.summary.rate?.series).toBe(4);
    // Ranked by peak rate (40/15 for le 1 and +Inf, a tie broken by the labels), then 2, then 10/15.
    expect(buckets.series.map((s) => s.label)).toEqual([
      '{le="+Inf"}',
      '{le="1"}',
      '{le="0.5"}',
      '{le="0.1"}',
    ]);
  });

  it('says when nothing came back, and names quantiles as people do', () => {
    const plan = planChart([series({ __name__: 'x' }, ['NaN', '+Inf'])], DEFAULT_CHART_OPTIONS, ctx);
    expect(plan.series).toEqual([]);
    expect(plan.summary.caption).toEqual(['1 series had no value in the window.']);
    expect([0.5, 0.95, 0.999, 0].map(quantileName)).toEqual(['p50', 'p95', 'p99.9', 'p0']);
  });
});
