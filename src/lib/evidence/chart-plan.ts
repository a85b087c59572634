import type { RangeSeries } from '../prometheus/client.js';
import type { ChartSeries } from './chart.js';
import { counterEvidence, counterRate, type CounterEvidence } from './chart-rules/counter.js';
import { groupHistograms, histogramQuantiles } from './chart-rules/histogram.js';
import { formatLabels, legendEntry, legendLabels, type LegendLabels } from './chart-rules/legend.js';
import { lastOf, peakOf, type LabelledSeries, type Point } from './chart-rules/points.js';
import { chooseScale, type ScaleDecision } from './chart-rules/scale.js';
import { selectSeries, type Selection } from './chart-rules/select.js';
import type { ChartOptions, ChartSummary, DrawnSeries } from './chart-rules/summary.js';
import { formatValue, toNumber } from './metrics.js';

export interface PlannedChart {
  series: ChartSeries[];
  scale: 'linear' | 'log';
  unit?: string;
  summary: ChartSummary;
}

/** A line before it is drawn: its labels, values, and what the rules made of it. */
interface Candidate extends LabelledSeries {
  asRate: boolean;
  evidence?: CounterEvidence | 'forced';
  quantile?: number;
}

/**
 * Turns Prometheus' answer into the lines a person can read, applying the query's chart options in
 * order: histogram buckets become quantiles, counters become rates, the most prominent series are
 * kept, legends keep only what differs, and the scale follows the drawn values. Pure.
 */
export function planChart(
  result: readonly RangeSeries[],
  options: ChartOptions,
  ctx: { name: string; unit?: string; stepSeconds: number },
): PlannedChart {
  const raw: LabelledSeries[] = result.map((s) => ({
    metric: s.metric,
    points: s.values.map(([t, v]): Point => [t, toNumber(v)]),
  }));
  const { histograms, rest } = options.quantiles.length
    ? groupHistograms(raw)
    : { histograms: [], rest: raw };
  const quantiles: Candidate[] = histograms.flatMap((h) =>
    histogramQuantiles(h, options.quantiles).map((q) => ({ ...q, metric: h.metric, asRate: false })),
  );
  let resets = 0;
  const others: Candidate[] = rest.map((s) => {
    const evidence =
      options.asRate === 'auto' ? counterEvidence(s.metric, s.points) : options.asRate ? 'forced' : undefined;
    if (!evidence) return { ...s, asRate: false };
    const r = counterRate(s.points);
    resets += r.resets;
    return { metric: s.metric, points: r.points, asRate: true, evidence };
  });

  const selection = selectSeries([...quantiles, ...others], options.maxSeries, options.select, candidateKey);
  const legend = legendLabels(selection.drawn.map(withQuantile));
  const mixedRates =
    selection.drawn.some((c) => c.asRate) && selection.drawn.some((c) => !c.asRate) ? ' (rate)' : '';
  const labelOf = (c: Candidate) => legendLabel(c, legend.differing, ctx.name) + (c.asRate ? mixedRates : '');
  const scale = chooseScale(
    selection.drawn.flatMap((c) => c.points.map(([, v]) => v).filter((v): v is number => v !== undefined)),
    options.scale,
  );
  const allRates = selection.drawn.length > 0 && selection.drawn.every((c) => c.asRate);
  const unit = allRates ? `${ctx.unit ?? ''}/s` : ctx.unit;

  const rated = others.filter((c) => c.asRate);
  const rate = rated.length
    ? {
        series: rated.length,
        byName: rated.filter((c) => c.evidence === 'name').length,
        byShape: rated.filter((c) => c.evidence === 'shape').length,
        forced: rated.filter((c) => c.evidence === 'forced').length,
        resets,
      }
    : undefined;
  const histogramInfo = histograms.length
    ? {
        count: histograms.length,
        buckets: histograms.reduce((n, h) => n + h.buckets.length, 0),
        quantiles: options.quantiles,
      }
    : undefined;
  const drawn: DrawnSeries[] = selection.drawn.map((c) => {
    const peak = peakOf(c.points);
    const last = lastOf(c.points);
    return {
      legend: labelOf(c),
      labels: c.metric,
      ...(peak !== undefined ? { peak } : {}),
      ...(last !== undefined ? { last } : {}),
      asRate: c.asRate,
      ...(c.quantile !== undefined ? { quantile: c.quantile } : {}),
    };
  });
  const caption = captionLines({
    options,
    total: quantiles.length + others.length,
    returned: result.length,
    selection,
    legend,
    scale,
    unit,
    stepSeconds: ctx.stepSeconds,
    ...(rate ? { rate } : {}),
    ...(histogramInfo ? { histograms: histogramInfo } : {}),
  });
  return {
    series: selection.drawn.map((c, i) => ({ label: drawn[i]!.legend, points: c.points })),
    scale: scale.scale,
    ...(unit !== undefined ? { unit } : {}),
    summary: {
      options,
      seriesReturned: result.length,
      drawn,
      ...(selection.others ? { others: selection.others } : {}),
      withoutData: selection.withoutData,
      legend,
      scale,
      ...(unit !== undefined ? { unit } : {}),
      ...(rate ? { rate } : {}),
      ...(histogramInfo ? { histograms: histogramInfo } : {}),
      caption,
    },
  };
}

/** `p95` for a quantile: 0.999 → `p99.9`. */
export function quantileName(q: number): string {
  return `p${Number((q * 100).toPrecision(6))}`;
}

function withQuantile(c: Candidate): Record<string, string> {
  return c.quantile === undefined ? c.metric : { ...c.metric, quantile: String(c.quantile) };
}

function candidateKey(c: Candidate): string {
  return JSON.stringify(Object.entries(withQuantile(c)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The legend entry: the quantile first (`p95`), then the labels that differ. */
function legendLabel(c: Candidate, differing: readonly string[], fallback: string): string {
  const labels = differing.filter((n) => n !== 'quantile');
  const q = c.quantile !== undefined && differing.includes('quantile') ? quantileName(c.quantile) : '';
  if (q && labels.length === 0) return q;
  return `${q} ${legendEntry(c.metric, labels, fallback)}`.trim();
}

interface CaptionFacts {
  options: ChartOptions;
  total: number;
  returned: number;
  selection: Selection<Candidate>;
  legend: LegendLabels;
  scale: ScaleDecision;
  unit: string | undefined;
  stepSeconds: number;
  rate?: NonNullable<ChartSummary['rate']>;
  histograms?: NonNullable<ChartSummary['histograms']>;
}

/** One sentence per rule that shaped the chart, each naming the option that changes it. */
function captionLines(f: CaptionFacts): string[] {
  const out: string[] = [];
  if (f.histograms) out.push(histogramLine(f.histograms));
  if (f.rate) out.push(rateLine(f.rate, f.stepSeconds, f.options.asRate));
  const selection = selectionLine(f);
  if (selection) out.push(selection);
  const legend = legendLine(f.legend, f.selection.drawn.length);
  if (legend) out.push(legend);
  if (f.selection.drawn.length) out.push(scaleLine(f.scale, f.unit));
  return out;
}

function histogramLine(h: NonNullable<ChartSummary['histograms']>): string {
  return `Histograms: ${h.buckets} _bucket series of ${h.count} histogram(s) drawn as ${h.quantiles.map(quantileName).join(', ')}, computed as histogram_quantile does (linear interpolation within the bucket) from each step's bucket rates (quantiles).`;
}

function rateLine(
  r: NonNullable<ChartSummary['rate']>,
  step: number,
  asRate: ChartOptions['asRate'],
): string {
  const why = [
    r.byName ? `${r.byName} by name (_total, _count, _sum, _bucket)` : '',
    r.byShape ? `${r.byShape} by shape (never falling except at resets)` : '',
    r.forced ? `${r.forced} because the query says so` : '',
  ].filter(Boolean);
  const resets = r.resets ? `; ${r.resets} counter reset(s) counted from zero` : '';
  return `Drawn as rate: ${r.series} counter series (${why.join(', ')}) shown as the per-second increase over each ${step}s step${resets} (as-rate: ${String(asRate)}).`;
}

function selectionLine(f: CaptionFacts): string | undefined {
  const { drawn, others, withoutData } = f.selection;
  const noData = withoutData ? ` ${withoutData} series had no value in the window.` : '';
  if (!others) return noData ? noData.trim() : undefined;
  const by = others.by === 'peak' ? 'peak' : 'last value';
  const v = (x: number) => formatValue(x, f.unit);
  const returned =
    f.total !== f.returned ? ` (${f.returned} returned, histograms counted as their quantiles)` : '';
  return `Drawn: the ${drawn.length} of ${f.total} series${returned} with the highest ${by} (max-series: ${f.options.maxSeries}, select: ${others.by}); the other ${others.count} not drawn have a ${by} from ${v(others.min)} to ${v(others.max)}, median ${v(others.median)}; every series is in the JSON snapshot.${noData}`;
}

function legendLine(legend: LegendLabels, drawn: number): string | undefined {
  const common = formatLabels(
    Object.fromEntries(Object.entries(legend.common).filter(([k]) => k !== 'quantile')),
  );
  if (drawn === 0 || !common) return undefined;
  const shown = common.length > 300 ? `${common.slice(0, 299)}…` : common;
  if (drawn === 1) return `Legend: the series' labels are ${shown}.`;
  return `Legend: only the labels that differ between the series (${legend.differing.join(', ')}); common to all: ${shown}.`;
}

function scaleLine(s: ScaleDecision, unit: string | undefined): string {
  const v = (x: number) => formatValue(x, unit);
  if (s.scale === 'log') {
    const notDrawn = s.notDrawn ? `; ${s.notDrawn} value(s) at or below zero are not drawn` : '';
    return `Log scale: the values above zero span ${s.decades!.toFixed(1)} orders of magnitude (${v(s.minPositive!)} to ${v(s.maxPositive!)})${notDrawn} (scale: ${s.mode}).`;
  }
  return `Linear scale: ${s.reason} (scale: ${s.mode}).`;
}
