import type { LegendLabels } from './legend.js';
import type { ScaleDecision, ScaleMode } from './scale.js';
import type { OthersSummary, SelectBy } from './select.js';

/** How a query's chart is drawn (the `queries` options, defaults filled in). */
export interface ChartOptions {
  /** Lines drawn at most; the rest are summarized under the chart. */
  maxSeries: number;
  select: SelectBy;
  scale: ScaleMode;
  /** Draw counters' raw samples as a rate: `auto` for the series that look like counters. */
  asRate: 'auto' | boolean;
  /** Quantiles drawn for a classic histogram's `_bucket` series; none: the buckets are drawn as they are. */
  quantiles: number[];
}

export const DEFAULT_CHART_OPTIONS: Readonly<ChartOptions> = Object.freeze({
  maxSeries: 8,
  select: 'peak',
  scale: 'auto',
  asRate: 'auto',
  quantiles: [0.5, 0.95, 0.99],
});

/** A drawn line, as the JSON snapshot records it. */
export interface DrawnSeries {
  legend: string;
  labels: Record<string, string>;
  peak?: number;
  last?: number;
  asRate: boolean;
  quantile?: number;
}

/** What the chart shows and why, saved with the snapshot so the picture can be checked against its data. */
export interface ChartSummary {
  options: ChartOptions;
  /** Series Prometheus returned. */
  seriesReturned: number;
  drawn: DrawnSeries[];
  others?: OthersSummary;
  withoutData: number;
  legend: LegendLabels;
  scale: ScaleDecision;
  /** The y axis' unit (a rate adds `/s`). */
  unit?: string;
  rate?: { series: number; byName: number; byShape: number; forced: number; resets: number };
  histograms?: { count: number; buckets: number; quantiles: number[] };
  /** The rules applied, one sentence each: written under the chart and in the status report. */
  caption: string[];
}
