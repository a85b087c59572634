// A panel's limits from the configuration (a threshold on its figure, a limit on how much worse it may
// get than last week) and the findings they give. Pure.
import { ConfigurationError } from '../errors.js';
import { formatValue } from './metrics.js';
import type { PanelComparison, SeriesComparison } from './week-over-week.js';

/** As written in a query of `queries`. */
export interface ThresholdSpec {
  max?: number;
  min?: number;
  /** The unit `max` and `min` are written in; default the query's own unit. */
  unit?: string;
}

export type PanelSeverity = 'warning' | 'failure';

export interface PanelLimits {
  /** In the query's unit. */
  max?: number;
  min?: number;
  /** The threshold as written, for the report (`≤ 200 ms`). */
  thresholdText?: string;
  /** Percent: the figure may be at most this much worse than last week's. */
  regressionLimit?: number;
  severity: PanelSeverity;
  /** Which way is better: `lower` for latencies, lag and age, `higher` for throughput. */
  better: 'lower' | 'higher';
  /** Who answers for the panel: its `owner`, else its squad. */
  owner?: string;
}

export interface PanelFinding {
  /** The query's name. */
  panel: string;
  title: string;
  series?: string;
  kind: 'threshold' | 'regression';
  severity: PanelSeverity;
  owner?: string;
  detail: string;
}

/** Units a threshold may be written in for a query of another unit of the same kind, by their size. */
const UNIT_FAMILIES: Record<string, number>[] = [
  { ns: 1e-9, µs: 1e-6, us: 1e-6, ms: 1e-3, s: 1, seconds: 1, min: 60, h: 3600 },
  { B: 1, bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, KB: 1e3, MB: 1e6, GB: 1e9 },
];

/**
 * A value written in `from` as a value in `to` (the query's unit). Refuses a unit that cannot be
 * converted, naming the query, both units and what is allowed.
 */
export function convertUnit(value: number, from: string, to: string, where: string): number {
  if (from === to) return value;
  const family = UNIT_FAMILIES.find((f) => from in f && to in f);
  if (!family)
    throw new ConfigurationError(
      `input 'queries' is invalid: ${where} the threshold's unit '${from}' cannot be compared with the query's unit '${to || '(none)'}'; ` +
        `write the threshold in the query's unit${to && UNIT_FAMILIES.some((f) => to in f) ? ` or one of ${Object.keys(UNIT_FAMILIES.find((f) => to in f)!).join(', ')}` : ''}`,
    );
  // Through the base unit; the product is exact for the powers of ten and two used here.
  return (value * family[from]!) / family[to]!;
}

/** The limits of one query, validated and in the query's unit. */
export function panelLimits(
  q: {
    unit?: string;
    squad?: string;
    owner?: string;
    threshold?: ThresholdSpec;
    'regression-limit'?: number;
    severity?: PanelSeverity;
    better?: 'lower' | 'higher';
  },
  where: string,
): PanelLimits | undefined {
  const t = q.threshold;
  if (!t && q['regression-limit'] === undefined) return undefined;
  const unit = q.unit ?? '';
  const from = t?.unit ?? unit;
  if (t && t.max === undefined && t.min === undefined)
    throw new ConfigurationError(`input 'queries' is invalid: ${where} the threshold needs max, min or both`);
  if (t?.max !== undefined && t.min !== undefined && t.min > t.max)
    throw new ConfigurationError(
      `input 'queries' is invalid: ${where} the threshold's min ${t.min} is above its max ${t.max}: no figure could pass`,
    );
  const max = t?.max !== undefined ? convertUnit(t.max, from, unit, where) : undefined;
  const min = t?.min !== undefined ? convertUnit(t.min, from, unit, where) : undefined;
  const written = (op: string, v: number) => `${op} ${v}${from ? ` ${from}` : ''}`;
  const thresholdText = t
    ? [t.min !== undefined ? written('≥', t.min) : '', t.max !== undefined ? written('≤', t.max) : '']
        .filter(Boolean)
        .join(' and ')
    : undefined;
  const owner = q.owner ?? q.squad;
  return {
    ...(max !== undefined ? { max } : {}),
    ...(min !== undefined ? { min } : {}),
    ...(thresholdText ? { thresholdText } : {}),
    ...(q['regression-limit'] !== undefined ? { regressionLimit: q['regression-limit'] } : {}),
    severity: q.severity ?? 'warning',
    better: q.better ?? 'lower',
    ...(owner ? { owner } : {}),
  };
}

/**
 * What breaks a panel's limits: each series whose figure (its mean over the window) is outside the
 * threshold, and each that got worse than last week by more than the regression limit. A figure
 * from zero has no percentage and so no regression; the threshold still judges it.
 */
export function panelFindings(
  comparisons: readonly PanelComparison[],
  limits: ReadonlyMap<string, PanelLimits>,
): PanelFinding[] {
  const out: PanelFinding[] = [];
  for (const p of comparisons) {
    const l = limits.get(p.name);
    if (!l || p.error) continue;
    const several = p.series.length > 1;
    for (const s of p.series) {
      const base = {
        panel: p.name,
        title: p.title,
        ...(several ? { series: s.label } : {}),
        severity: l.severity,
        ...(l.owner ? { owner: l.owner } : {}),
      };
      const outside = thresholdBreach(s, l, p.unit);
      if (outside) out.push({ ...base, kind: 'threshold', detail: outside });
      const worse = regression(s, l, p.unit);
      if (worse) out.push({ ...base, kind: 'regression', detail: worse });
    }
  }
  return out;
}

function thresholdBreach(s: SeriesComparison, l: PanelLimits, unit: string | undefined): string | undefined {
  const v = s.thisWeek;
  if (v === undefined) return undefined;
  if ((l.max !== undefined && v > l.max) || (l.min !== undefined && v < l.min))
    return `${formatValue(v, unit)} (mean over the window) is outside the threshold ${l.thresholdText}`;
  return undefined;
}

function regression(s: SeriesComparison, l: PanelLimits, unit: string | undefined): string | undefined {
  if (l.regressionLimit === undefined || s.change.kind !== 'percent') return undefined;
  const worseBy = l.better === 'lower' ? s.change.percent : -s.change.percent;
  if (worseBy <= l.regressionLimit) return undefined;
  return (
    `${formatPercent(s.change.percent)} against last week (${formatValue(s.lastWeek, unit)} → ${formatValue(s.thisWeek, unit)}), ` +
    `worse by more than the regression limit of ${l.regressionLimit} % (${l.better} is better)`
  );
}

/** `+12.5 %`, `−3 %`, `0 %`: a sign always, at most one decimal. */
export function formatPercent(p: number): string {
  const r = Math.round(p * 10) / 10;
  if (r === 0) return p === 0 ? '0 %' : `${p > 0 ? '+' : '−'}<0.1 %`;
  return `${r > 0 ? '+' : '−'}${Math.abs(r)} %`;
}
