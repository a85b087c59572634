// Whether a partition's silence during the window means something. Keyed traffic leaves partitions
// that no key maps to, and a slow partition is often quiet for a few seconds: neither is news. Each
// partition is judged by its own rate over the lookback, as a Poisson process: a silence is a finding
// only when, at that rate, receiving nothing in the window was improbable.

/** A partition quiet during the window, with what its own history says of that. */
export interface QuietPartition {
  partition: number;
  /** Records (or offsets, when records could not be counted) before the window, within the lookback. */
  beforeWindow: number;
  /** How many it would have received in the window at its lookback rate. */
  expected: number;
  /** P(0 in window) = exp(−expected). */
  probability: number;
}

export interface SilenceVerdict {
  /** Quiet although their own rate made that improbable: a stuck producer path, a lost leader. */
  silent: QuietPartition[];
  /** Quiet in the window and over the whole lookback: unused, most likely by key choice. */
  unused: number[];
  /** Quiet, and probably so at their rate: not reported. */
  plausible: QuietPartition[];
}

/** P(no event in `windowMs`) for events at `count` per `lookbackMs`. */
export function silenceProbability(count: number, lookbackMs: number, windowMs: number): number {
  if (count <= 0 || lookbackMs <= 0) return 1;
  return Math.exp(-(count / lookbackMs) * windowMs);
}

/**
 * Sorts the partitions that received nothing in the window. `beforeWindow` counts what each received
 * in the lookback before the window opened; `threshold` is the probability below which a silence is
 * reported (0.001 by default: with dozens of partitions checked weekly, a false alarm stays rare).
 */
export function judgeSilence(
  quiet: { partition: number; beforeWindow: number }[],
  o: { lookbackMs: number; windowMs: number; threshold: number },
): SilenceVerdict {
  const verdict: SilenceVerdict = { silent: [], unused: [], plausible: [] };
  for (const q of quiet) {
    if (q.beforeWindow <= 0) {
      verdict.unused.push(q.partition);
      continue;
    }
    const expected = (q.beforeWindow / o.lookbackMs) * o.windowMs;
    const judged = { ...q, expected, probability: Math.exp(-expected) };
    (judged.probability < o.threshold ? verdict.silent : verdict.plausible).push(judged);
  }
  return verdict;
}

/** "3.2e-7", "0.0021": enough digits to compare with the threshold, no more. */
export function formatProbability(p: number): string {
  return p >= 0.001 ? String(Number(p.toPrecision(2))) : p.toExponential(1);
}
