import { describe, expect, it } from 'vitest';
import {
  combineDirections,
  partitionDirection,
  type LagDirection,
  type LagSample,
} from '../../src/actions/kafka-topic-check/direction.js';

const T0 = Date.parse('2026-11-25T16:00:00Z');

/**
 * Samples 2 s apart, starting at `lag0`, the log growing by `produced[i]` and the committed offset by
 * `consumed[i]` between sample i-1 and i: lag_i = lag_(i-1) + produced_i − consumed_i, as on a real log.
 */
function trail(lag0: number, produced: number[], consumed: number[], spacingMs = 2_000): LagSample[] {
  const out: LagSample[] = [{ at: T0, lag: lag0, produced: 0, consumed: 0 }];
  produced.forEach((p, i) => {
    const prev = out.at(-1)!;
    out.push({
      at: T0 + (i + 1) * spacingMs,
      lag: prev.lag + p - consumed[i]!,
      produced: p,
      consumed: consumed[i]!,
    });
  });
  return out;
}

describe('the direction of one partition’s lag', () => {
  it('a group consuming 10/s from a log written at 40/s grows at every sample and never catches up', () => {
    const d = partitionDirection({ samples: trail(100, [80, 80, 80, 80], [20, 20, 20, 20]) })!;
    expect(d).toEqual<LagDirection>({
      windowMs: 8_000,
      samples: 5,
      lagSamples: [100, 160, 220, 280, 340],
      lagAtStart: 100,
      lagAtEnd: 340,
      produced: 320,
      consumed: 80,
      productionPerSecond: 40,
      consumptionPerSecond: 10,
      // What the producers write in one 2 s sample interval.
      steadyWithin: 80,
      trend: 'growing',
      catchUpMs: 'never',
      fallingBehind: true,
    });
  });

  it('a group working off a backlog faster than it is written shrinks, and catches up in lag ÷ (consumption − production)', () => {
    const d = partitionDirection({ samples: trail(3_000, [20, 20, 20, 20], [380, 380, 380, 380]) })!;
    expect(d.lagSamples).toEqual([3_000, 2_640, 2_280, 1_920, 1_560]);
    expect(d.productionPerSecond).toBe(10);
    expect(d.consumptionPerSecond).toBe(190);
    expect(d.trend).toBe('shrinking');
    expect(d.fallingBehind).toBe(false);
    // 1,560 records at 190 − 10 = 180 records/s: 8.667 s.
    expect(d.catchUpMs).toBe(Math.round((1_560 / 180) * 1_000));
    expect(d.catchUpMs).toBe(8_667);
  });

  it('an idle group with nothing to read is steady, caught up, not falling behind', () => {
    const d = partitionDirection({ samples: trail(0, [0, 0, 0, 0], [0, 0, 0, 0]) })!;
    expect(d).toMatchObject({
      lagSamples: [0, 0, 0, 0, 0],
      productionPerSecond: 0,
      consumptionPerSecond: 0,
      steadyWithin: 0,
      trend: 'steady',
      catchUpMs: 0,
      fallingBehind: false,
    });
  });

  it('a group that keeps up but commits every few seconds swings within one interval’s writes: steady, caught up', () => {
    // 40 written per interval; its lag is whatever arrived since its last commit.
    const d = partitionDirection({ samples: trail(3, [40, 40, 40, 40], [35, 46, 33, 45]) })!;
    expect(d.lagSamples).toEqual([3, 8, 2, 9, 4]);
    expect(d.trend).toBe('steady');
    expect(d.catchUpMs).toBe(0);
    expect(d.fallingBehind).toBe(false);
  });

  it('a lag that rises at every sample but by less than one interval’s writes is steady, not falling behind', () => {
    const d = partitionDirection({ samples: trail(5, [40, 40, 40, 40], [35, 35, 35, 35]) })!;
    expect(d.lagSamples).toEqual([5, 10, 15, 20, 25]);
    expect(d.steadyWithin).toBe(40);
    expect(d.trend).toBe('steady');
    expect(d.catchUpMs).toBe(0);
    expect(d.fallingBehind).toBe(false);
  });

  it('growing, yet not falling behind all along while what the previous sample held may have been consumed', () => {
    // At the inner sample the lag (30) is below what was written since the start (50): a commit just
    // before it could have consumed everything the start held, so commit timing may explain the rise.
    const d = partitionDirection({ samples: trail(0, [50, 50], [20, 20]) })!;
    expect(d.lagSamples).toEqual([0, 30, 60]);
    expect(d.steadyWithin).toBe(50);
    expect(d.trend).toBe('growing');
    expect(d.catchUpMs).toBe('never');
    expect(d.fallingBehind).toBe(false);
  });

  it('from the window’s two ends alone a rise is never growing nor falling behind: one commit could explain it', () => {
    const d = partitionDirection({ samples: trail(100, [320], [80], 8_000) })!;
    // One interval: the steady band is all that was written.
    expect(d.steadyWithin).toBe(320);
    expect(d).toMatchObject({ samples: 2, lagSamples: [100, 340], trend: 'steady', fallingBehind: false });
    // The backlog beyond one interval's writes still does not go away at these rates.
    expect(d.catchUpMs).toBe('never');
    // A fall is told apart as soon as it exceeds what was written.
    expect(partitionDirection({ samples: trail(1_000, [320], [800], 8_000) })!.trend).toBe('shrinking');
  });

  it('a commit interval longer than the sample spacing widens the steady band to what is written in one', () => {
    const samples = trail(10, [40, 40, 40, 40], [20, 20, 20, 20]);
    expect(partitionDirection({ samples })!.trend).toBe('growing');
    const d = partitionDirection({ samples, commitIntervalMs: 10_000 })!;
    // 160 written in 8 s: 200 in 10 s.
    expect(d.steadyWithin).toBe(200);
    expect(d.trend).toBe('steady');
    // Its lag of 90 is less than one commit interval's writes: records in flight.
    expect(d.catchUpMs).toBe(0);
    expect(d.fallingBehind).toBe(false);
  });

  it('a frozen committed offset measures no consumption: never when proven stalled, unknown when not, 0 without lag', () => {
    const frozen = trail(100, [80, 80, 80, 80], [0, 0, 0, 0]);
    expect(partitionDirection({ samples: frozen, frozen: 'stalled' })).toMatchObject({
      trend: 'growing',
      catchUpMs: 'never',
      consumptionPerSecond: 0,
      fallingBehind: false,
    });
    expect(partitionDirection({ samples: frozen, frozen: 'unproven' })).toMatchObject({
      catchUpMs: 'unknown',
      fallingBehind: false,
    });
    const idle = trail(0, [0, 0, 0, 0], [0, 0, 0, 0]);
    expect(partitionDirection({ samples: idle, frozen: 'unproven' })!.catchUpMs).toBe(0);
  });

  it('a committed offset that went back at a sample is not falling behind (the rewind rule judges it)', () => {
    const d = partitionDirection({ samples: trail(100, [80, 80, 80, 80], [20, -50, 20, 20]) })!;
    expect(d.lagSamples).toEqual([100, 160, 290, 350, 410]);
    expect(d.consumed).toBe(10);
    expect(d.trend).toBe('growing');
    expect(d.fallingBehind).toBe(false);
  });

  it('no direction from one sample, or from samples that span no time', () => {
    expect(partitionDirection({ samples: [{ at: T0, lag: 5, produced: 0, consumed: 0 }] })).toBeUndefined();
    expect(
      partitionDirection({
        samples: [
          { at: T0, lag: 5, produced: 0, consumed: 0 },
          { at: T0, lag: 5, produced: 0, consumed: 0 },
        ],
      }),
    ).toBeUndefined();
  });
});

describe('a group’s direction over its partitions', () => {
  const behind = partitionDirection({ samples: trail(100, [80, 80, 80, 80], [20, 20, 20, 20]) })!;
  const catching = partitionDirection({ samples: trail(3_000, [20, 20, 20, 20], [380, 380, 380, 380]) })!;
  const idle = partitionDirection({ samples: trail(0, [0, 0, 0, 0], [0, 0, 0, 0]) })!;

  it('adds lags, counts and steady bands; the trend is the total lag’s; it falls behind when any partition does', () => {
    const g = combineDirections([behind, catching, idle])!;
    expect(g).toMatchObject({
      windowMs: 8_000,
      samples: 5,
      lagSamples: [3_100, 2_800, 2_500, 2_200, 1_900],
      produced: 400,
      consumed: 1_600,
      productionPerSecond: 50,
      consumptionPerSecond: 200,
      steadyWithin: 100,
      trend: 'shrinking',
      fallingBehind: true,
    });
    // The group has caught up only when every partition has: one never does.
    expect(g.catchUpMs).toBe('never');
  });

  it('the catch-up is the slowest partition’s; unknown outranks a time, never outranks unknown', () => {
    const slower = partitionDirection({ samples: trail(3_000, [20, 20, 20, 20], [200, 200, 200, 200]) })!;
    expect(slower.catchUpMs).toBe(Math.round((2_280 / 90) * 1_000));
    expect(combineDirections([catching, slower, idle])!.catchUpMs).toBe(slower.catchUpMs);
    const unknown = partitionDirection({
      samples: trail(100, [80, 80, 80, 80], [0, 0, 0, 0]),
      frozen: 'unproven',
    })!;
    expect(combineDirections([catching, unknown])!.catchUpMs).toBe('unknown');
    expect(combineDirections([unknown, behind])!.catchUpMs).toBe('never');
  });

  it('nothing to combine, or partitions sampled differently, gives no direction', () => {
    expect(combineDirections([])).toBeUndefined();
    const two = partitionDirection({ samples: trail(0, [10], [10], 8_000) })!;
    expect(combineDirections([behind, two])).toBeUndefined();
  });
});
