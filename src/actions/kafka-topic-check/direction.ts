// Which way a consumer group's lag is heading. Committed offsets and the log's end offsets are
// sampled together at several moments of the window; from them come the rates at which the producers
// write and the group commits, whether the lag grows or shrinks, and how long the group needs to catch
// up at those rates. Pure: the samples come in already counted (committed records, or offsets).
//
// A group commits every few seconds, so its lag swings by what the producers write between two of its
// commits even when it keeps up. The samples cannot see finer than their own spacing, so a lag that
// moved by no more than the producers wrote in one sample interval (or one commit interval, when
// that is longer) is steady: records in flight, not a backlog.

export type LagTrend = 'growing' | 'shrinking' | 'steady';

/** Milliseconds until the lag is gone; 'never' when the group does not gain on its producers; 'unknown' when that cannot be told. */
export type CatchUp = number | 'never' | 'unknown';

/** One sample of a partition, in the unit its group is counted in (committed records, or offsets). */
export interface LagSample {
  /** When it was taken (epoch ms). */
  at: number;
  /** From the committed offset to the end offset at that moment. */
  lag: number;
  /** Written since the previous sample: from its end offset to this one's (0 for the first). */
  produced: number;
  /** Committed since the previous sample: from its committed offset to this one's (0 for the first; negative when it went back). */
  consumed: number;
}

export interface DirectionInput {
  samples: LagSample[];
  /** The group's commit-interval, when configured. */
  commitIntervalMs?: number;
  /**
   * The committed offset did not move in the window, so no consumption was measured and the stall rules
   * judge the partition: 'stalled' when they proved it stuck (STALLED, STOPPED), 'unproven' when
   * they could not tell it from a group that commits less often than the window (UNKNOWN).
   */
  frozen?: 'stalled' | 'unproven';
}

/** How a group's lag moved over the window (one partition, one topic of the group, or the whole group). */
export interface LagDirection {
  /** From the first sample to the last. */
  windowMs: number;
  /** How many times committed and end offsets were sampled (the window's start and end included). */
  samples: number;
  /** The lag at each sample, first to last. */
  lagSamples: number[];
  lagAtStart: number;
  lagAtEnd: number;
  /** Written to the log over the window (end offsets' advance, counted like lag). */
  produced: number;
  /** Committed by the group over the window (committed offsets' advance, counted like lag). */
  consumed: number;
  productionPerSecond: number;
  consumptionPerSecond: number;
  /** How far the lag may move and still be steady: what the producers write in one sample or commit interval. */
  steadyWithin: number;
  trend: LagTrend;
  /** At the window's rates: 0 when no lag (or only records in flight), lag ÷ (consumption − production) otherwise. */
  catchUpMs: CatchUp;
  /** The lag grew at every sample, each time past what had been written since the one before. */
  fallingBehind: boolean;
}

/** A partition's direction over the window, or undefined when fewer than two samples span any time. */
export function partitionDirection(input: DirectionInput): LagDirection | undefined {
  const s = input.samples;
  if (s.length < 2) return undefined;
  const windowMs = s.at(-1)!.at - s[0]!.at;
  if (windowMs <= 0) return undefined;
  const produced = sum(s.slice(1).map((x) => x.produced));
  const consumed = sum(s.slice(1).map((x) => x.consumed));
  const cadenceMs = Math.max(windowMs / (s.length - 1), input.commitIntervalMs ?? 0);
  const steadyWithin = (produced * cadenceMs) / windowMs;
  const lagAtStart = s[0]!.lag;
  const lagAtEnd = s.at(-1)!.lag;
  const trend = trendOf(lagAtEnd - lagAtStart, steadyWithin);
  return {
    windowMs,
    samples: s.length,
    lagSamples: s.map((x) => x.lag),
    lagAtStart,
    lagAtEnd,
    produced,
    consumed,
    productionPerSecond: (produced * 1000) / windowMs,
    consumptionPerSecond: (consumed * 1000) / windowMs,
    steadyWithin,
    trend,
    catchUpMs: catchUp({ lagAtEnd, produced, consumed, windowMs, steadyWithin }, input.frozen),
    fallingBehind: input.frozen === undefined && trend === 'growing' && behindAtEverySample(s),
  };
}

function trendOf(change: number, steadyWithin: number): LagTrend {
  if (change > steadyWithin) return 'growing';
  if (change < -steadyWithin) return 'shrinking';
  return 'steady';
}

function catchUp(
  d: { lagAtEnd: number; produced: number; consumed: number; windowMs: number; steadyWithin: number },
  frozen: DirectionInput['frozen'],
): CatchUp {
  if (d.lagAtEnd <= 0) return 0;
  if (frozen === 'stalled') return 'never';
  if (frozen === 'unproven') return 'unknown';
  if (d.lagAtEnd <= d.steadyWithin) return 0;
  if (d.consumed <= d.produced) return 'never';
  return Math.round((d.lagAtEnd * d.windowMs) / (d.consumed - d.produced));
}

/**
 * Falling behind for the whole window: needs a sample inside it (start and end alone show a
 * difference, not a direction), and at every sample after the first the lag grew, the committed offset
 * did not go back, and what the log held at the previous sample is not yet all consumed (the lag is
 * larger than what was written since), so commit timing alone cannot explain the growth.
 */
function behindAtEverySample(s: LagSample[]): boolean {
  if (s.length < 3) return false;
  return s.slice(1).every((x, i) => x.lag > s[i]!.lag && x.consumed >= 0 && x.lag > x.produced);
}

/**
 * Several partitions' directions as one (a topic of a group, or the group): lags, counts and the
 * steady band add up, the trend is the total lag's; the catch-up is the slowest partition's (a group
 * has caught up when every partition has), and it falls behind when any partition does.
 */
export function combineDirections(parts: LagDirection[]): LagDirection | undefined {
  const first = parts[0];
  if (!first || parts.some((p) => p.samples !== first.samples)) return undefined;
  const windowMs = first.windowMs;
  const lagSamples = first.lagSamples.map((_, i) => sum(parts.map((p) => p.lagSamples[i]!)));
  const produced = sum(parts.map((p) => p.produced));
  const consumed = sum(parts.map((p) => p.consumed));
  const steadyWithin = sum(parts.map((p) => p.steadyWithin));
  const lagAtStart = lagSamples[0]!;
  const lagAtEnd = lagSamples.at(-1)!;
  return {
    windowMs,
    samples: first.samples,
    lagSamples,
    lagAtStart,
    lagAtEnd,
    produced,
    consumed,
    productionPerSecond: (produced * 1000) / windowMs,
    consumptionPerSecond: (consumed * 1000) / windowMs,
    steadyWithin,
    trend: trendOf(lagAtEnd - lagAtStart, steadyWithin),
    catchUpMs: slowest(parts.map((p) => p.catchUpMs)),
    fallingBehind: parts.some((p) => p.fallingBehind),
  };
}

function slowest(all: CatchUp[]): CatchUp {
  if (all.includes('never')) return 'never';
  if (all.includes('unknown')) return 'unknown';
  return Math.max(0, ...(all as number[]));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
