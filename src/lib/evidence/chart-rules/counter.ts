import type { Point } from './points.js';

/** Prometheus' naming conventions for cumulative series (counters and the parts of histograms and summaries). */
export const COUNTER_SUFFIXES = ['_total', '_count', '_sum', '_bucket'] as const;

/** Why a series counts as a counter: its name, or its shape (it never goes down except at resets). */
export type CounterEvidence = 'name' | 'shape';

/**
 * Whether a series holds a counter's raw samples. Only series that still carry `__name__` are raw
 * samples: Prometheus drops the name from anything a function or an aggregation computed, and a
 * computed value (a rate, a sum, a quantile) must not be turned into a rate again.
 */
export function counterEvidence(
  metric: Record<string, string>,
  points: readonly Point[],
): CounterEvidence | undefined {
  const name = metric.__name__;
  if (name === undefined) return undefined;
  if (COUNTER_SUFFIXES.some((s) => name.endsWith(s))) return 'name';
  return isMonotonicWithResets(points) ? 'shape' : undefined;
}

/**
 * A counter's shape: never negative, rising at least once, and every fall a reset: a restart drops
 * the value to less than half of what it was, and restarts are rare (at most one in ten steps, and
 * one is always allowed). A gauge that wanders up and down fails one of these.
 */
export function isMonotonicWithResets(points: readonly Point[]): boolean {
  const values = points.map(([, v]) => v).filter((v): v is number => v !== undefined);
  if (values.length < 3 || values.some((v) => v < 0)) return false;
  let rises = 0;
  let resets = 0;
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1]!;
    const cur = values[i]!;
    if (cur > prev) rises++;
    else if (cur < prev) {
      if (cur >= prev / 2) return false;
      resets++;
    }
  }
  return rises > 0 && resets <= Math.max(1, Math.floor((values.length - 1) / 10));
}

/**
 * A counter as a per-second rate over each step: the increase from the previous defined sample
 * divided by the time between them. A fall is a reset (the process restarted and counted from
 * zero), so the increase is the new value itself, as Prometheus' rate() counts it. The first sample
 * has no rate; a gap stays a gap.
 */
export function counterRate(points: readonly Point[]): { points: Point[]; resets: number } {
  const out: Point[] = [];
  let resets = 0;
  let prev: [number, number] | undefined;
  for (const [t, v] of points) {
    if (v === undefined) {
      out.push([t, undefined]);
      continue;
    }
    if (prev === undefined || t <= prev[0]) out.push([t, undefined]);
    else {
      const reset = v < prev[1];
      if (reset) resets++;
      out.push([t, (reset ? v : v - prev[1]) / (t - prev[0])]);
    }
    prev = [t, v];
  }
  return { points: out, resets };
}
