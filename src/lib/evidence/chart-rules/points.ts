/** A sample on the chart: [unix seconds, value]; an undefined value is a gap. */
export type Point = [number, number | undefined];

/** A series as the chart rules see it: its labels (with `__name__` for raw samples) and its points. */
export interface LabelledSeries {
  metric: Record<string, string>;
  points: Point[];
}

export function definedValues(points: readonly Point[]): number[] {
  const out: number[] = [];
  for (const [, v] of points) if (v !== undefined) out.push(v);
  return out;
}

/** The largest defined value, or undefined for a series without data. */
export function peakOf(points: readonly Point[]): number | undefined {
  let m: number | undefined;
  for (const [, v] of points) if (v !== undefined && (m === undefined || v > m)) m = v;
  return m;
}

/** The last defined value, or undefined for a series without data. */
export function lastOf(points: readonly Point[]): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i]![1];
    if (v !== undefined) return v;
  }
  return undefined;
}
