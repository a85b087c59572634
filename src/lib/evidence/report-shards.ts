/** The status report's account of a sharded smoke job: the plan beside what each shard took. Pure. */
import { formatDuration } from '../duration.js';
import { table } from '../markdown.js';
import type { ShardSpread } from './shard-merge.js';

const OUTCOME: Record<ShardSpread['shards'][number]['status'], string> = {
  success: '✅',
  failure: '❌ failed',
  missing: '❌ missing: reported nothing (cancelled, killed or never started)',
  empty: 'no suites planned (no job)',
};

/** Empty unless the smoke-suite result is a merge of shards. */
export function shardSpreadSection(result: unknown): string[] {
  const spread = (result as { spread?: ShardSpread } | null)?.spread;
  if (!spread || !Array.isArray(spread.shards)) return [];
  const ratio = (x: number) => `${x.toFixed(2)}×`;
  const reported = spread.shards.filter((s) => s.wallMs !== undefined).length;
  return [
    `### Spread over ${spread.count} shard(s)`,
    '',
    `Planned makespan ${formatDuration(spread.plannedMakespanMs)} (lower bound ${formatDuration(spread.lowerBoundMs)}, ` +
      `${ratio(spread.lowerBoundMs > 0 ? spread.plannedMakespanMs / spread.lowerBoundMs : 1)}); ` +
      `${reported} of ${spread.count} shard(s) reported, the slowest took ${formatDuration(spread.makespanMs)} ` +
      `(${ratio(spread.againstPlan)} the plan); imbalance ${ratio(spread.imbalance)} (slowest shard against the mean).`,
    '',
    table(
      ['shard', 'suites', 'planned', 'took', 'against plan', 'outcome'],
      spread.shards.map((s) => [
        `${s.index}/${spread.count}`,
        s.suites.join(', ') || '(none)',
        formatDuration(s.plannedMs),
        s.wallMs === undefined ? '—' : formatDuration(s.wallMs),
        s.wallMs === undefined || s.plannedMs <= 0 ? '—' : ratio(s.wallMs / s.plannedMs),
        OUTCOME[s.status] ?? s.status,
      ]),
    ),
    '',
  ];
}
