import { lastOf, peakOf, type Point } from './points.js';

/** What ranks series when there are more than can be drawn. */
export type SelectBy = 'peak' | 'last';

/** The series left off the chart, in numbers: how many, and the spread of the value they were ranked by. */
export interface OthersSummary {
  count: number;
  by: SelectBy;
  min: number;
  median: number;
  max: number;
}

export interface Selection<S> {
  drawn: S[];
  /** Absent when every series with data is drawn. */
  others?: OthersSummary;
  /** Series with no value in the window (never drawn, never ranked). */
  withoutData: number;
}

/**
 * The `max` series that matter most, by their peak or their last value (ties broken by `key`, so
 * the choice is stable), and a summary of the rest. Series without data are counted, not drawn.
 */
export function selectSeries<S extends { points: Point[] }>(
  series: readonly S[],
  max: number,
  by: SelectBy,
  key: (s: S) => string,
): Selection<S> {
  const ranked: { s: S; value: number; key: string }[] = [];
  let withoutData = 0;
  for (const s of series) {
    const value = by === 'peak' ? peakOf(s.points) : lastOf(s.points);
    if (value === undefined) withoutData++;
    else ranked.push({ s, value, key: key(s) });
  }
  ranked.sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const drawn = ranked.slice(0, max).map((r) => r.s);
  const rest = ranked.slice(max).map((r) => r.value);
  if (rest.length === 0) return { drawn, withoutData };
  return {
    drawn,
    others: { count: rest.length, by, min: rest[rest.length - 1]!, median: median(rest), max: rest[0]! },
    withoutData,
  };
}

/** The median of values sorted from largest to smallest (the mean of the middle two for an even count). */
function median(descending: readonly number[]): number {
  const n = descending.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? descending[mid]! : (descending[mid - 1]! + descending[mid]!) / 2;
}
