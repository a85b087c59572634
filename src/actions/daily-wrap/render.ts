import { readPulseMarker, type PulseFacts } from '../../lib/evidence/pulse.js';
import { formatTime } from '../../lib/evidence/report.js';
import { cell, linkText, table } from '../../lib/markdown.js';
import type { ContractHistory } from './history.js';
import type { PanelSnapshot } from './snapshots.js';
import { wrapMarker, type GapVerdict, type WrapFacts } from './wrap.js';

export interface WrapView {
  date: string;
  timeZone: string;
  wrappedAt: Date;
  ref: string;
  pulse?: PulseFacts;
  panels?: PanelSnapshot[];
  rangeLabel: string;
  history: ContractHistory;
  gap: GapVerdict;
  maxGapDays: number;
  contractsDir: string;
}

const VERDICT_MARK: Record<string, string> = { OK: '✅', WARN: '⚠️', FAIL: '❌', UNKNOWN: '❔' };

/** The pulse's verdict as the morning left it in its section of the same file. */
export function pulseLine(p: PulseFacts | undefined, timeZone: string): string {
  if (!p)
    return '❔ No Infra Pulse section in this file today: the morning pulse did not run or did not write here.';
  const at = Number.isNaN(Date.parse(p.checkedAt))
    ? p.checkedAt
    : formatTime(new Date(p.checkedAt), timeZone).slice(11);
  const ready = p.ready
    ? 'every required dependency was up'
    : `required dependency down: ${p.blocking.map((b) => `\`${linkText(b)}\``).join(', ')}`;
  return `${VERDICT_MARK[p.verdict] ?? '❔'} ${p.verdict} at ${at} — ${ready}.${p.headline ? ` ${linkText(p.headline)}.` : ''}`;
}

/** The pulse facts of a status file's pulse section (undefined when there is none). */
export const pulseOf = (section: string | undefined) => readPulseMarker(section);

function contracts(v: WrapView): string[] {
  const h = v.history;
  const out = [`### Contract updates since ${h.since.label}`, ''];
  out.push(`**New recordings** under \`${v.contractsDir}/\`:`, '');
  if (h.recordings.length === 0) out.push('None.', '');
  else
    out.push(
      ...h.recordings.map(
        (r) =>
          `- \`${r.folder}\`: ${r.services.length ? r.services.map((s) => `\`${s}\``).join(', ') : 'no service folders'} (${r.files} file(s))`,
      ),
      '',
    );
  out.push(`**Declared contracts changed** on \`${v.ref}\`:`, '');
  if (h.declared.length === 0) out.push('None.', '');
  else
    out.push(
      table(
        ['commit', 'committed', 'author', 'files', 'subject'],
        h.declared.map((c) => [
          `\`${c.sha.slice(0, 12)}\``,
          Number.isNaN(Date.parse(c.committedAt))
            ? c.committedAt
            : formatTime(new Date(c.committedAt), v.timeZone),
          cell(c.author),
          c.files.map((f) => `${f.status} \`${f.path}\``).join('<br>'),
          cell(linkText(c.subject)),
        ]),
      ),
      '',
    );
  return out;
}

function minimum(v: WrapView): string[] {
  const prev = v.history.previous;
  const line = !prev
    ? 'ℹ️ No earlier wrap in the history: this is the first one, so there is no minimum to miss yet.'
    : v.gap.missed
      ? `⚠️ **The twice-a-week minimum was missed**: the previous wrap was on ${prev.date}, ${v.gap.days} days before this one (more than ${v.maxGapDays}).`
      : `✅ The previous wrap was on ${prev.date}, ${v.gap.days} day(s) ago (at most ${v.maxGapDays}: the twice-a-week minimum holds).`;
  return ['### Twice-a-week minimum', '', line, ''];
}

function metrics(v: WrapView): string[] {
  if (!v.panels) return [];
  return [
    `### Metric snapshots (${v.rangeLabel})`,
    '',
    table(
      ['panel', 'squad', 'value'],
      v.panels.map((p) => [cell(p.panel), cell(p.squad), cell(linkText(p.headline))]),
    ),
    '',
  ];
}

export function wrapFacts(v: WrapView): WrapFacts {
  return {
    date: v.date,
    wrappedAt: v.wrappedAt.toISOString(),
    head: v.history.head,
    ...(v.history.previous ? { previous: v.history.previous.date } : {}),
    ...(v.gap.days !== undefined ? { gapDays: v.gap.days } : {}),
    missedMinimum: v.gap.missed,
    pulse: v.pulse?.verdict ?? 'none',
    newRecordings: v.history.recordings.length,
    declaredChanges: v.history.declared.length,
  };
}

/** The wrap's section of the day's status file. Pure. */
export function renderWrapSection(v: WrapView): string {
  return [
    `## Daily wrap ${v.date}`,
    '',
    `Wrapped ${formatTime(v.wrappedAt, v.timeZone).slice(11)} (${v.timeZone}) at \`${v.history.head.slice(0, 12)}\` of \`${v.ref}\`.`,
    '',
    '### Morning pulse',
    '',
    pulseLine(v.pulse, v.timeZone),
    '',
    ...metrics(v),
    ...contracts(v),
    ...minimum(v),
    wrapMarker(wrapFacts(v)),
  ].join('\n');
}
