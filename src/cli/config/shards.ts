/**
 * `command-center config shards`: the job matrix of a sharded smoke job, planned from the
 * configuration's suites and the newest committed durations, for `strategy.matrix: ${{
 * fromJSON(...) }}`. The shards then run `smoke-suite` with `shard: ${{ matrix.shard }}` and plan
 * the very same split themselves.
 */
import { parseActionArgs } from '../args.js';
import { ConfigurationError } from '../../lib/errors.js';
import { formatDuration } from '../../lib/duration.js';
import { duration, integer, parseInputs, string, type InputSchema } from '../../lib/inputs/spec.js';
import { metadata as smokeSuite } from '../../actions/smoke-suite/metadata.js';
import { planSuites } from '../../actions/smoke-suite/inputs.js';
import {
  assignShards,
  autoShardCount,
  estimateDurations,
  matrixOf,
  MAX_SHARDS,
  type ShardPlan,
} from '../../actions/smoke-suite/shards.js';
import { readHistory } from '../../actions/smoke-suite/timings.js';
import type { SmokeFanOut } from './fan-out.js';

export const shardsFlags = {
  shards: string({
    pattern: /^(auto|[1-9]\d*)$/,
    allowed: '`auto` or a number of shards',
    description:
      "How many shards: a number, or `auto` for the fewest whose plan fits `target` (default: the configuration's `shards`, else auto).",
  }),
  target: duration({
    min: 1,
    description:
      "With `shards: auto`, the wall time one shard should not exceed (default: the configuration's `shard-target`, else 10m).",
  }),
  'max-shards': integer({
    min: 1,
    max: MAX_SHARDS,
    description:
      "With `shards: auto`, the most shards to plan (default: the configuration's `max-shards`, else 16).",
  }),
  timings: string({
    description:
      "Where durations come from (default: the configuration's smoke-suite `timings`, else docs/sprints/status).",
  }),
} satisfies InputSchema;

export interface ShardsOutput {
  plan: ShardPlan;
  matrix: ReturnType<typeof matrixOf>;
  source: string;
}

/** `inputs` is the configuration's smoke-suite section, as the action would receive it. */
/**
 * `inputs` is the configuration's smoke-suite section, as the action would receive it; `fanOut` its
 * sharding keys. Flags override them; with neither, `auto` within 10m.
 */
export async function planShardsCommand(
  args: readonly string[],
  inputs: Record<string, string> | undefined,
  fanOut: SmokeFanOut | undefined,
  workspace: string,
): Promise<ShardsOutput> {
  const flags = parseActionArgs('config shards', shardsFlags, args);
  const opts = parseInputs(shardsFlags, (n) => flags.inputs[n], { workspace });
  const configured = fanOut && fanOut.shards !== 1 ? fanOut.shards : 'auto';
  const shards = opts.shards ?? String(configured);
  return planSmokeShards(
    inputs,
    {
      shards: shards === 'auto' ? 'auto' : Number(shards),
      targetMs: opts.target ?? fanOut?.targetMs ?? 600_000,
      maxShards: opts.maxShards ?? fanOut?.maxShards ?? 16,
    },
    workspace,
    opts.timings,
  );
}

/**
 * The plan the smoke job's shards will each compute again: the same suites, the same durations
 * (`timings`, default the section's), the same assignment.
 */
export async function planSmokeShards(
  inputs: Record<string, string> | undefined,
  fanOut: Pick<SmokeFanOut, 'shards' | 'targetMs' | 'maxShards'>,
  workspace: string,
  timings?: string,
): Promise<ShardsOutput> {
  if (!inputs?.suites)
    throw new ConfigurationError('config shards: the configuration has no smoke-suite section with suites');
  const smoke = parseInputs(smokeSuite.inputs, (n) => inputs[n], { workspace });
  const plans = planSuites(smoke.suites ?? [], workspace);
  const history = await readHistory(workspace, timings ?? smoke.timings);
  const estimates = estimateDurations(plans, history.durations);
  const count =
    fanOut.shards === 'auto' ? autoShardCount(estimates, fanOut.targetMs, fanOut.maxShards) : fanOut.shards;
  const plan = assignShards(estimates, count);
  return { plan, matrix: matrixOf(plan), source: history.source };
}

/** The plan for a person (stderr), beside the matrix for the workflow (stdout). */
export function describePlan(out: ShardsOutput): string {
  const { plan } = out;
  const lines = plan.shards.map(
    (s) =>
      `  shard ${s.index}/${plan.count}: ${formatDuration(s.plannedMs)}  ${s.suites.join(', ') || '(empty)'}${s.alone ? '  (alone)' : ''}`,
  );
  const guessed = plan.estimates.filter((e) => e.source !== 'history').map((e) => e.name);
  return [
    `${plan.estimates.length} suite(s) over ${plan.count} shard(s): makespan ${formatDuration(plan.makespanMs)}, lower bound ${formatDuration(plan.lowerBoundMs)} (${(plan.makespanMs / plan.lowerBoundMs).toFixed(2)}×)`,
    ...lines,
    `durations: ${out.source || 'no history'}${guessed.length ? `; estimated (no history): ${guessed.join(', ')}` : ''}`,
  ].join('\n');
}
