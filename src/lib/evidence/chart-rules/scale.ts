/** How the query asks for the y axis: decided from the values, or fixed. */
export type ScaleMode = 'auto' | 'linear' | 'log';

export interface ScaleDecision {
  scale: 'linear' | 'log';
  mode: ScaleMode;
  /** Smallest and largest value above zero (absent when there is none). */
  minPositive?: number;
  maxPositive?: number;
  /** log10(max / min) of the values above zero. */
  decades?: number;
  /** Values a log scale cannot place (zero or below): gaps on the chart. */
  notDrawn: number;
  /** Why, in a few words, for the caption. */
  reason: string;
}

/** More than this many orders of magnitude between the smallest and largest positive value: log scale. */
export const LOG_DECADES = 3;

/**
 * Linear or log for the drawn values. `auto` goes logarithmic when the values above zero span more
 * than three orders of magnitude and none is negative (a negative value has no place on a log axis;
 * zeros do not stop it, they are left out and counted). `log` asked for with no value above zero
 * falls back to linear: there would be nothing to draw.
 */
export function chooseScale(values: readonly number[], mode: ScaleMode): ScaleDecision {
  let minPositive = Infinity;
  let maxPositive = -Infinity;
  let nonPositive = 0;
  let negative = 0;
  for (const v of values) {
    if (v > 0) {
      if (v < minPositive) minPositive = v;
      if (v > maxPositive) maxPositive = v;
    } else {
      nonPositive++;
      if (v < 0) negative++;
    }
  }
  const span =
    maxPositive > 0
      ? { minPositive, maxPositive, decades: Math.log10(maxPositive / minPositive) }
      : ({} as { minPositive?: number; maxPositive?: number; decades?: number });
  const linear = (reason: string): ScaleDecision => ({ scale: 'linear', mode, ...span, notDrawn: 0, reason });
  const log = (reason: string): ScaleDecision => ({
    scale: 'log',
    mode,
    ...span,
    notDrawn: nonPositive,
    reason,
  });
  if (mode === 'linear') return linear('set by the query');
  if (mode === 'log')
    return span.decades === undefined
      ? linear('log asked for, but no value is above zero')
      : log('set by the query');
  if (span.decades === undefined) return linear('no value above zero');
  if (span.decades <= LOG_DECADES) return linear(`values span at most ${LOG_DECADES} orders of magnitude`);
  if (negative > 0)
    return linear(`values span more than ${LOG_DECADES} orders of magnitude, but some are negative`);
  return log(`values span more than ${LOG_DECADES} orders of magnitude`);
}
