/**
 * Spreading suites over shards (runners) by their measured durations. Pure: every shard of a
 * matrix computes the same plan from the same suites and history, so each can pick its own share
 * without talking to the others.
 */
import { InputError } from '../../lib/errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

const SHARD_PATTERN = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;
export const MAX_SHARDS = 256; // GitHub's limit on the jobs one matrix makes

/** Parses `k/n` (1 ≤ k ≤ n ≤ 256). */
export function parseShard(input: string, raw: string): Shard {
  const m = SHARD_PATTERN.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || index < 1 || count < 1 || index > count || count > MAX_SHARDS)
    throw new InputError(
      input,
      raw,
      `expected k/n with 1 ≤ k ≤ n ≤ ${MAX_SHARDS}, for example 2/4 (the second of four shards)`,
    );
  return { index, count };
}

export type EstimateSource = 'history' | 'median' | 'default';

export interface SuiteEstimate {
  name: string;
  ms: number;
  source: EstimateSource;
  /** Runs on a shard of its own (suites that must not share a runner). */
  alone: boolean;
}

/** Used for every suite when no suite has any history: the plan then balances by count. */
export const DEFAULT_ESTIMATE_MS = 60_000;

/**
 * Each suite's expected duration: its own history, else the median of the suites that have one
 * (a new suite is assumed typical, neither free nor the slowest), else a flat default.
 */
export function estimateDurations(
  suites: readonly { name: string; alone?: boolean }[],
  history: ReadonlyMap<string, number>,
): SuiteEstimate[] {
  const known = suites.map((s) => history.get(s.name)).filter((ms): ms is number => ms !== undefined);
  const fallback = known.length > 0 ? median(known) : DEFAULT_ESTIMATE_MS;
  const source: EstimateSource = known.length > 0 ? 'median' : 'default';
  return suites.map((s) => {
    const ms = history.get(s.name);
    return {
      name: s.name,
      ms: ms ?? fallback,
      source: ms !== undefined ? 'history' : source,
      alone: s.alone === true,
    };
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface PlannedShard {
  index: number;
  /** In the order the shard runs them: longest first. */
  suites: string[];
  plannedMs: number;
  alone: boolean;
}

export interface ShardPlan {
  count: number;
  shards: PlannedShard[];
  /** The longest shard's planned time: the wall time of the fanned-out run. */
  makespanMs: number;
  /** No assignment can finish sooner: max(total / shards, longest suite). */
  lowerBoundMs: number;
  estimates: SuiteEstimate[];
}

/** Longest first; equal durations by name (code points, not locale), so every machine agrees. */
function byLongest(a: SuiteEstimate, b: SuiteEstimate): number {
  if (a.ms !== b.ms) return b.ms - a.ms;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Longest-processing-time-first: each suite, longest first, goes to the shard with the least
 * planned time so far (the lowest index on a tie). Within 4/3 of the optimum, and in practice
 * within a few percent of the lower bound once there are a few suites per shard. Suites marked
 * `alone` take the first shards, one each.
 */
export function assignShards(estimates: readonly SuiteEstimate[], count: number): ShardPlan {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS)
    throw new RangeError(`shard count ${count} is not an integer from 1 to ${MAX_SHARDS}`);
  const alone = estimates.filter((e) => e.alone).sort(byLongest);
  const shared = estimates.filter((e) => !e.alone).sort(byLongest);
  const freeShards = count - alone.length;
  if (freeShards < 0 || (freeShards === 0 && shared.length > 0))
    throw new InputError(
      'shard',
      String(count),
      `${alone.length} suite(s) must run alone (${alone.map((e) => e.name).join(', ')})${shared.length ? ` and ${shared.length} share` : ''}: that needs at least ${alone.length + (shared.length ? 1 : 0)} shards`,
    );
  const shards: PlannedShard[] = [];
  for (let i = 0; i < count; i++) {
    const own = alone[i];
    shards.push({
      index: i + 1,
      suites: own ? [own.name] : [],
      plannedMs: own ? own.ms : 0,
      alone: own !== undefined,
    });
  }
  const open = shards.filter((s) => !s.alone);
  for (const e of shared) {
    let target = open[0]!;
    for (const s of open) if (s.plannedMs < target.plannedMs) target = s;
    target.suites.push(e.name);
    target.plannedMs += e.ms;
  }
  return planOf(shards, estimates);
}

/** A plan's measures: its slowest shard, and the bound no assignment can beat. */
function planOf(shards: PlannedShard[], estimates: readonly SuiteEstimate[]): ShardPlan {
  const total = estimates.reduce((sum, e) => sum + e.ms, 0);
  const longest = estimates.reduce((max, e) => Math.max(max, e.ms), 0);
  return {
    count: shards.length,
    shards,
    makespanMs: shards.reduce((max, s) => Math.max(max, s.plannedMs), 0),
    lowerBoundMs: Math.max(total / shards.length, longest),
    estimates: [...estimates],
  };
}

/** The plain alternative the benchmark compares with: suite i goes to shard i mod n. */
export function roundRobin(estimates: readonly SuiteEstimate[], count: number): ShardPlan {
  const shards: PlannedShard[] = Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    suites: [],
    plannedMs: 0,
    alone: false,
  }));
  estimates.forEach((e, i) => {
    const s = shards[i % count]!;
    s.suites.push(e.name);
    s.plannedMs += e.ms;
  });
  return planOf(shards, estimates);
}

/**
 * `auto`: the fewest shards whose planned makespan fits the target wall time; when none does
 * (one suite alone is longer), as many as help, never more than there are suites or `maxShards`.
 */
export function autoShardCount(
  estimates: readonly SuiteEstimate[],
  targetMs: number,
  maxShards: number,
): number {
  const aloneCount = estimates.filter((e) => e.alone).length;
  const sharedCount = estimates.length - aloneCount;
  const least = Math.max(1, aloneCount + (sharedCount > 0 ? 1 : 0));
  const most = Math.min(maxShards, estimates.length);
  if (least > most)
    throw new InputError(
      'max-shards',
      String(maxShards),
      `${aloneCount} suite(s) must run alone, so at least ${least} shards are needed`,
    );
  const longest = estimates.reduce((m, e) => Math.max(m, e.ms), 0);
  for (let n = least; n < most; n++) {
    const makespan = assignShards(estimates, n).makespanMs;
    // Past the longest suite's own time, more shards no longer shorten the day.
    if (makespan <= targetMs || makespan <= longest) return n;
  }
  return most;
}

/** The suites shard `k/n` runs, in plan order. */
export function shareOf(plan: ShardPlan, shard: Shard): string[] {
  return plan.shards[shard.index - 1]?.suites ?? [];
}

export interface MatrixEntry {
  shard: string;
  suites: string;
  'planned-ms': number;
}

/**
 * The `strategy.matrix` a workflow reads with fromJSON: one entry per shard that has suites (an
 * empty shard would only start a runner to do nothing).
 */
export function matrixOf(plan: ShardPlan): { include: MatrixEntry[] } {
  return {
    include: plan.shards
      .filter((s) => s.suites.length > 0)
      .map((s) => ({
        shard: `${s.index}/${plan.count}`,
        suites: s.suites.join(', '),
        'planned-ms': Math.round(s.plannedMs),
      })),
  };
}
