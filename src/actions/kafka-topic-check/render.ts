import type { Annotation } from '../../lib/annotations.js';
import { formatDuration } from '../../lib/duration.js';
import { table } from '../../lib/markdown.js';
import { count, formatAge, perSecond, plural } from './evaluate.js';
import type { CheckReport, Finding, GroupReport, LagDirection, TopicReport } from './model.js';

const ICON = { ok: '✅', warning: '⚠️', error: '❌' } as const;

export function renderSummary(report: CheckReport, resultPath: string, cluster?: string): string {
  const lines: string[] = [];
  const verdict = report.healthy ? '✅ All topics carry live traffic' : '❌ Kafka check failed';
  lines.push(`## kafka-topic-check${cluster ? ` (cluster ${cluster})` : ''}: ${verdict}`, '');
  lines.push(
    `Window ${formatDuration(report.windowMs)}, observed at ${report.observedAt}; ${report.counts.topicsChecked} topic(s), ${report.groups.length} consumer group(s); ${report.requests.total} Kafka requests.`,
    '',
  );
  lines.push(
    table(
      [
        '',
        'topic',
        'partitions',
        'in window',
        'rate / min',
        'newest committed record',
        'timestamps',
        'schema violations',
        'owner',
      ],
      report.topics.map((t) => [
        ICON[t.status],
        `\`${t.name}\``,
        t.exists ? t.partitions : 'missing',
        inWindow(t),
        t.ratePerMinute ?? '—',
        t.newestAgeMs === undefined ? '—' : `${formatDuration(t.newestAgeMs)} old`,
        t.timestampTypes.join(', '),
        t.sampled ? `${t.schemaViolations.length} of ${t.sampled}` : '—',
        owner(t),
      ]),
    ),
  );
  if (report.groups.length) {
    lines.push('', '### Consumer groups', '');
    lines.push(
      table(
        [
          '',
          'group',
          'status',
          'state',
          'members',
          'lag',
          'time lag',
          'lag trend',
          'written / consumed',
          'catch-up',
          'uncommitted partitions',
          'owner',
        ],
        report.groups.map((g) => [
          ICON[g.level],
          `\`${g.name}\``,
          g.status,
          g.state,
          g.members,
          lagOf(g),
          formatDuration(g.maxTimeLagMs),
          g.direction ? trendOf(g.direction) : '—',
          g.direction ? ratesOf(g.direction) : '—',
          g.direction ? catchUpOf(g.direction) : '—',
          g.uncommittedPartitions,
          owner(g),
        ]),
      ),
    );
  }
  const problems = [...report.topics, ...report.groups].flatMap((x) => x.findings.map((f) => ({ f, x })));
  if (problems.length) {
    lines.push('', '### What failed', '');
    for (const { f, x } of problems)
      lines.push(`- ${f.level === 'error' ? '❌' : '⚠️'} ${f.message}${ownerNote(x)}`);
  }
  const notes = report.topics.flatMap((t) => t.notes);
  if (notes.length) {
    lines.push('', '### Notes', '');
    for (const note of notes) lines.push(`- ℹ️ ${note}`);
  }
  const traced = report.topics.filter((t) => t.traceIds.length);
  if (traced.length) {
    lines.push('', '<details><summary>Trace ids seen in sampled messages</summary>', '');
    for (const t of traced) lines.push(`- \`${t.name}\`: ${t.traceIds.map((id) => `\`${id}\``).join(', ')}`);
    lines.push('', '</details>');
  }
  lines.push('', `Full report: \`${resultPath}\``);
  return lines.join('\n');
}

/** Committed records when they were counted, offsets otherwise: never one for the other. */
export function inWindow(t: TopicReport): string {
  return t.messagesInWindow !== undefined
    ? plural(t.messagesInWindow, 'record')
    : plural(t.offsetsInWindow, 'offset');
}

export function lagOf(g: GroupReport): string {
  return g.totalLag !== undefined ? plural(g.totalLag, 'record') : plural(g.totalLagOffsets, 'offset');
}

const ARROW = { growing: '↗', shrinking: '↘', steady: '→' } as const;

/** "↗ growing, 120 → 360 (falling behind)": where the lag went between the window's ends. */
export function trendOf(d: LagDirection): string {
  const behind = d.fallingBehind ? ' (falling behind)' : '';
  return `${ARROW[d.trend]} ${d.trend}, ${count(d.lagAtStart)} → ${count(d.lagAtEnd)}${behind}`;
}

/** "40/s / 10/s": what the producers wrote and the group committed, per second over the window. */
export function ratesOf(d: LagDirection): string {
  return `${perSecond(d.productionPerSecond)} / ${perSecond(d.consumptionPerSecond)}`;
}

/** "never", "unknown", "caught up" or how long at the window's rates. */
export function catchUpOf(d: LagDirection): string {
  if (typeof d.catchUpMs === 'string') return d.catchUpMs;
  return d.catchUpMs === 0 ? 'caught up' : `in ${formatAge(d.catchUpMs)}`;
}

export function buildAnnotations(report: CheckReport): Annotation[] {
  const out: Annotation[] = [];
  const add = (x: TopicReport | GroupReport, f: Finding, rank: number) =>
    out.push({
      level: f.level,
      title: `kafka-topic-check: ${f.code}`,
      message: `${f.message}${ownerNote(x)}`,
      rank,
    });
  // Missing topics and dead traffic first: they are what Integration Day exists to catch.
  const order = [
    'topic-missing',
    'stale',
    'no-traffic',
    'offline-partitions',
    'group-stalled',
    'group-stopped',
    'group-rewind',
    'group-unknown',
    'group-max-lag',
    'group-max-lag-seconds',
    'schema-violation',
    'silent-partitions',
    'group-falling-behind',
    'too-few-partitions',
    'clock-skew',
    'old-timestamps',
    'group-stall-unknown',
  ];
  for (const t of report.topics) for (const f of t.findings) add(t, f, rankOf(order, f.code));
  for (const g of report.groups) for (const f of g.findings) add(g, f, rankOf(order, f.code));
  return out;
}

function rankOf(order: string[], code: string): number {
  const i = order.indexOf(code);
  return i < 0 ? order.length : i;
}

function owner(x: { owner?: string; runbook?: string }): string {
  if (!x.owner && !x.runbook) return '';
  return [x.owner, x.runbook ? `[runbook](${x.runbook})` : undefined].filter(Boolean).join(' · ');
}

function ownerNote(x: { owner?: string; runbook?: string }): string {
  const parts = [
    x.owner ? `owner: ${x.owner}` : undefined,
    x.runbook ? `runbook: ${x.runbook}` : undefined,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join('; ')})` : '';
}
