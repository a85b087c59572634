import { describe, expect, it } from 'vitest';
import {
  assignShards,
  autoShardCount,
  DEFAULT_ESTIMATE_MS,
  estimateDurations,
  matrixOf,
  median,
  parseShard,
  roundRobin,
  shareOf,
  type SuiteEstimate,
} from '../../src/actions/smoke-suite/shards.js';

const est = (pairs: [string, number][], alone: string[] = []): SuiteEstimate[] =>
  pairs.map(([name, ms]) => ({ name, ms, source: 'history', alone: alone.includes(name) }));

describe('parseShard', () => {
  it('reads k/n', () => {
    expect(parseShard('shard', '2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('shard', ' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });
  it.each(['0/4', '5/4', '4', 'a/b', '1/0', '1/257', '-1/3'])(
    'refuses %s, naming the input and value',
    (raw) => {
      expect(() => parseShard('shard', raw)).toThrow(`input 'shard' has value ${JSON.stringify(raw)}`);
    },
  );
});

describe('estimateDurations', () => {
  it('gives a suite without history the median of those with one', () => {
    const history = new Map([
      ['a', 10],
      ['b', 40],
      ['c', 20],
    ]);
    const e = estimateDurations([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'new' }], history);
    expect(e.find((x) => x.name === 'new')).toEqual({ name: 'new', ms: 20, source: 'median', alone: false });
    expect(e.find((x) => x.name === 'b')).toEqual({ name: 'b', ms: 40, source: 'history', alone: false });
  });
  it('uses the mean of the middle two for an even count, and a flat default with no history at all', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const e = estimateDurations([{ name: 'x', alone: true }, { name: 'y' }], new Map());
    expect(e).toEqual([
      { name: 'x', ms: DEFAULT_ESTIMATE_MS, source: 'default', alone: true },
      { name: 'y', ms: DEFAULT_ESTIMATE_MS, source: 'default', alone: false },
    ]);
  });
  it('ignores history of suites that are no longer configured when taking the median', () => {
    const history = new Map([
      ['gone', 1_000_000],
      ['a', 10],
    ]);
    const e = estimateDurations([{ name: 'a' }, { name: 'new' }], history);
    expect(e[1]!.ms).toBe(10);
  });
});

describe('assignShards: longest processing time first', () => {
  it('places longest first onto the least-loaded shard, lowest index on a tie', () => {
    const plan = assignShards(
      est([
        ['s1', 1],
        ['s2', 2],
        ['s3', 3],
        ['s4', 4],
        ['s5', 5],
        ['s6', 6],
        ['s7', 7],
      ]),
      3,
    );
    // 7→1, 6→2, 5→3, 4→3 (9), 3→2 (9), 2→1 (9), 1→1 (lowest index of three 9s).
    expect(plan.shards.map((s) => s.suites)).toEqual([
      ['s7', 's2', 's1'],
      ['s6', 's3'],
      ['s5', 's4'],
    ]);
    expect(plan.shards.map((s) => s.plannedMs)).toEqual([10, 9, 9]);
    expect(plan.makespanMs).toBe(10);
    expect(plan.lowerBoundMs).toBeCloseTo(28 / 3, 10);
  });

  it('is the same plan whatever order the suites are listed in (every shard agrees)', () => {
    const pairs: [string, number][] = [
      ['b', 5],
      ['a', 5],
      ['c', 9],
      ['d', 1],
      ['e', 5],
      ['f', 3],
    ];
    const one = assignShards(est(pairs), 3);
    const reversed = assignShards(est([...pairs].reverse()), 3);
    const shuffled = assignShards(est([pairs[3]!, pairs[0]!, pairs[5]!, pairs[2]!, pairs[1]!, pairs[4]!]), 3);
    expect(reversed.shards).toEqual(one.shards);
    expect(shuffled.shards).toEqual(one.shards);
    // c(9)→1; equal fives by name: a→2, b→3, e→2 (lowest index of two fives); f(3)→3; d(1)→3.
    expect(one.shards.map((s) => s.suites)).toEqual([['c'], ['a', 'e'], ['b', 'f', 'd']]);
  });

  it('gives every suite exactly one shard', () => {
    const pairs = Array.from({ length: 50 }, (_, i): [string, number] => [`s${i}`, ((i * 7919) % 97) + 1]);
    const plan = assignShards(est(pairs), 7);
    const placed = plan.shards.flatMap((s) => s.suites).sort();
    expect(placed).toEqual(pairs.map(([n]) => n).sort());
    const total = pairs.reduce((sum, [, ms]) => sum + ms, 0);
    expect(plan.shards.reduce((sum, s) => sum + s.plannedMs, 0)).toBe(total);
  });

  it('beats round-robin on uneven durations and stays near the lower bound', () => {
    const pairs: [string, number][] = Array.from({ length: 24 }, (_, i) => [
      `suite-${i}`,
      ((i * 37) % 11) * 1000 + 500,
    ]);
    const lpt = assignShards(est(pairs), 4);
    const rr = roundRobin(est(pairs), 4);
    expect(lpt.makespanMs).toBeLessThan(rr.makespanMs);
    expect(lpt.makespanMs / lpt.lowerBoundMs).toBeLessThanOrEqual(1.1);
  });

  it('pins suites that must run alone to shards of their own', () => {
    const plan = assignShards(
      est(
        [
          ['db-migrations', 2],
          ['a', 5],
          ['b', 4],
          ['c', 3],
        ],
        ['db-migrations'],
      ),
      3,
    );
    expect(plan.shards[0]).toEqual({ index: 1, suites: ['db-migrations'], plannedMs: 2, alone: true });
    expect(plan.shards.slice(1).flatMap((s) => s.suites)).not.toContain('db-migrations');
    expect(plan.shards.slice(1).map((s) => s.suites)).toEqual([['a'], ['b', 'c']]);
  });

  it('refuses a shard count that cannot hold the suites that must run alone', () => {
    expect(() =>
      assignShards(
        est(
          [
            ['x', 1],
            ['y', 1],
            ['z', 1],
          ],
          ['x', 'y'],
        ),
        2,
      ),
    ).toThrow(
      /input 'shard' has value "2": 2 suite\(s\) must run alone \(x, y\) and 1 share: that needs at least 3 shards/,
    );
  });

  it('leaves extra shards empty and keeps them out of the matrix', () => {
    const plan = assignShards(
      est([
        ['a', 3],
        ['b', 1],
      ]),
      4,
    );
    expect(plan.shards.map((s) => s.suites)).toEqual([['a'], ['b'], [], []]);
    expect(matrixOf(plan)).toEqual({
      include: [
        { shard: '1/4', suites: 'a', 'planned-ms': 3 },
        { shard: '2/4', suites: 'b', 'planned-ms': 1 },
      ],
    });
    expect(shareOf(plan, { index: 3, count: 4 })).toEqual([]);
  });
});

describe('autoShardCount', () => {
  const pairs: [string, number][] = [
    ['a', 60_000],
    ['b', 50_000],
    ['c', 40_000],
    ['d', 30_000],
    ['e', 20_000],
    ['f', 10_000],
  ];
  it('takes the fewest shards whose plan fits the target', () => {
    // 210 s in all: 2 shards plan 110/100 (no 100 s fit), 3 shards plan 70/70/70.
    expect(autoShardCount(est(pairs), 70_000, 16)).toBe(3);
    expect(autoShardCount(est(pairs), 110_000, 16)).toBe(2);
    expect(autoShardCount(est(pairs), 300_000, 16)).toBe(1);
  });
  it('stops adding shards once the longest suite sets the wall time, and respects max-shards', () => {
    expect(autoShardCount(est(pairs), 1_000, 16)).toBe(4); // 60/60/50/40: the longest suite is the bound
    expect(autoShardCount(est(pairs), 1_000, 2)).toBe(2);
  });
  it('needs a shard per suite that runs alone plus one for the rest', () => {
    expect(autoShardCount(est(pairs, ['f', 'e']), 1_000_000, 16)).toBe(3);
    expect(() => autoShardCount(est(pairs, ['f', 'e']), 1_000_000, 2)).toThrow(
      /input 'max-shards' has value "2"/,
    );
  });
});
