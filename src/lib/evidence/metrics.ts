import type { RangeSeries } from '../prometheus/client.js';
import type { PanelLimits } from './panel-limits.js';
import type { ChartOptions, ChartSummary } from './chart-rules/summary.js';

/** One PromQL range query to snapshot. Durations are in milliseconds. */
export interface MetricQuerySpec {
  name: string;
  query: string;
  rangeMs: number;
  stepMs?: number;
  unit?: string;
  squad?: string;
  panel?: string;
  /** Which way the figure is better, when it is not `lower` (throughput). */
  better?: 'higher';
  /** Threshold and regression limit (`queries`), compared in the status report's "Since last week". */
  limits?: PanelLimits;
  /** How the chart is drawn; absent: DEFAULT_CHART_OPTIONS. */
  chart?: ChartOptions;
}

/**
 * The team's dashboard panels, snapshotted when no `queries` are given. Metric names and the
 * `service` label are the ones the staging services export (examples/staging/README.md, "Metrics");
 * latencies are p95 over 5-minute rates, like the dashboards.
 */
export const DEFAULT_QUERIES: readonly Omit<MetricQuerySpec, 'rangeMs'>[] = [
  {
    name: 'policy-decision-latency',
    panel: 'Policy decision latency (p95)',
    squad: 'Governance Core',
    unit: 's',
    query: 'histogram_quantile(0.95, sum by (le) (rate(policy_decision_duration_seconds_bucket[5m])))',
  },
  {
    name: 'constitution-sync-freshness',
    panel: 'Constitution sync freshness (seconds since the last applied constitution.updated)',
    squad: 'Governance Core',
    unit: 's',
    query: 'max by (service) (policy_constitution_sync_age_seconds)',
  },
  {
    name: 'streaming-latency',
    panel: 'Streaming latency, first token (p95)',
    squad: 'Runtime & Training',
    unit: 's',
    query: 'histogram_quantile(0.95, sum by (le) (rate(orchestrator_stream_first_token_seconds_bucket[5m])))',
  },
  {
    name: 'training-mode-state',
    panel: 'Training mode per tenant (1 = on)',
    squad: 'Runtime & Training',
    unit: '',
    query: 'max by (tenant) (orchestrator_training_mode_enabled)',
  },
  {
    name: 'kafka-consumer-lag',
    panel: 'Kafka consumer lag (messages)',
    squad: 'Runtime & Training',
    unit: 'messages',
    query: 'sum by (group, topic) (kafka_consumer_lag_messages)',
  },
  {
    name: 'api-latency',
    panel: 'API latency (p95)',
    squad: 'Experience & Ecosystem',
    unit: 's',
    query: 'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[5m])))',
  },
  {
    name: 'streaming-throughput',
    panel: 'Streaming throughput (tokens/s)',
    squad: 'Experience & Ecosystem',
    unit: 'tokens/s',
    query: 'sum(rate(orchestrator_stream_tokens_total[5m]))',
    better: 'higher',
  },
  {
    // Web Vitals are judged at the 75th percentile (web.dev); one series per vital (LCP, FCP, INP, TTFB).
    name: 'web-vitals',
    panel: 'Web Vitals of the chat client (p75)',
    squad: 'Experience & Ecosystem',
    unit: 's',
    query: 'histogram_quantile(0.75, sum by (le, vital) (rate(experience_web_vitals_seconds_bucket[5m])))',
  },
  {
    name: 'websocket-throughput',
    panel: 'WebSocket throughput (messages/s, in and out)',
    squad: 'Experience & Ecosystem',
    unit: 'messages/s',
    query: 'sum by (direction) (rate(orchestrator_websocket_messages_total[5m]))',
  },
];

/** Prometheus refuses more than 11,000 points per series. */
export const MAX_POINTS = 11_000;

/** The step for a range: the given one, else about 240 points (a readable chart), at least 1 s. */
export function stepFor(spec: Pick<MetricQuerySpec, 'rangeMs' | 'stepMs'>): number {
  if (spec.stepMs !== undefined) return Math.max(1, Math.round(spec.stepMs / 1000));
  return Math.max(1, Math.round(spec.rangeMs / 1000 / 240));
}

export interface SeriesStats {
  label: string;
  samples: number;
  last?: number;
  min?: number;
  max?: number;
  mean?: number;
}

/** The saved snapshot: the query, its window, Prometheus' own answer and per-series statistics. */
export interface MetricSnapshot {
  schemaVersion: 1;
  name: string;
  panel?: string;
  squad?: string;
  unit?: string;
  query: string;
  prometheus: string;
  start: string;
  end: string;
  stepSeconds: number;
  capturedAt: string;
  /** Prometheus' result exactly as returned (values are strings: "NaN" and "+Inf" survive). */
  result: RangeSeries[];
  warnings?: string[];
  error?: string;
  stats: SeriesStats[];
  /** What the chart drew and why (absent when the query failed). */
  chart?: ChartSummary;
}

/** `{job="api", tenant="t1"}` without the metric name; the query name when a series has no labels. */
export function seriesLabel(metric: Record<string, string>, fallback: string): string {
  const entries = Object.entries(metric)
    .filter(([k]) => k !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return metric.__name__ ?? fallback;
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

export function toNumber(v: string): number | undefined {
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function seriesStats(series: readonly RangeSeries[], fallback: string): SeriesStats[] {
  return series.map((s) => {
    const nums = s.values.map(([, v]) => toNumber(v)).filter((n): n is number => n !== undefined);
    const label = seriesLabel(s.metric, fallback);
    if (nums.length === 0) return { label, samples: 0 };
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const n of nums) {
      if (n < min) min = n;
      if (n > max) max = n;
      sum += n;
    }
    return { label, samples: nums.length, last: nums[nums.length - 1]!, min, max, mean: sum / nums.length };
  });
}

/** Formats a value for people: seconds as ms/s/min, otherwise 3 significant digits plus the unit. */
export function formatValue(v: number | undefined, unit = ''): string {
  if (v === undefined) return 'n/a';
  if (unit === 's' || unit === 'seconds') {
    const a = Math.abs(v);
    if (a === 0) return '0 s';
    if (a < 1e-3) return `${(v * 1e6).toPrecision(3)} µs`;
    if (a < 1) return `${(v * 1e3).toPrecision(3)} ms`;
    if (a < 120) return `${v.toPrecision(3)} s`;
    if (a < 7200) return `${(v / 60).toPrecision(3)} min`;
    return `${(v / 3600).toPrecision(3)} h`;
  }
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let x = v;
    let i = 0;
    while (Math.abs(x) >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return `${i === 0 ? x : x.toPrecision(3)} ${units[i]}`;
  }
  const text =
    Number.isInteger(v) && Math.abs(v) < 1e6
      ? String(v)
      : Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)
        ? v.toExponential(2)
        : String(Number(v.toPrecision(3)));
  return unit ? `${text} ${unit}` : text;
}

/** One line for the status report: the headline value of a snapshot. */
export function headline(s: Pick<MetricSnapshot, 'stats' | 'unit' | 'error'>): string {
  if (s.error) return `not captured: ${s.error}`;
  const withData = s.stats.filter((x) => x.samples > 0);
  if (withData.length === 0) return 'no data in the window';
  if (withData.length === 1) {
    const x = withData[0]!;
    return `last ${formatValue(x.last, s.unit)} (min ${formatValue(x.min, s.unit)}, max ${formatValue(x.max, s.unit)})`;
  }
  const worst = withData.reduce((a, b) => ((b.last ?? -Infinity) > (a.last ?? -Infinity) ? b : a));
  return `${withData.length} series; highest last value ${formatValue(worst.last, s.unit)} at ${worst.label}`;
}
