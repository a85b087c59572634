import type { Annotation } from '../../lib/annotations.js';
import { formatDuration } from '../../lib/duration.js';
import { pulseMarker } from '../../lib/evidence/pulse.js';
import { formatTime } from '../../lib/evidence/report.js';
import { cell, linkText, runbookLink, runbookName, table } from '../../lib/markdown.js';
import {
  rank,
  STATUS_MARK,
  type AlertView,
  type CheckResult,
  type PulseReport,
  type Status,
} from './model.js';

const mark = (s: Status) => `${STATUS_MARK[s]} ${s}`;

/** Text from a server (an alert's summary, an error) stays text: no links, no HTML. */
const text = (s: string) => linkText(s.length > 300 ? `${s.slice(0, 299)}…` : s);

const KIND_TITLE: Record<CheckResult['kind'], string> = {
  kafka: 'Kafka',
  redis: 'Redis',
  postgres: 'PostgreSQL',
  alerts: 'Alerts',
  targets: 'Scrape targets',
};

/** Links to a check's runbooks, from `fromFile` (a repository file) or as given (the step summary). */
function runbooks(c: CheckResult, fromFile: string | undefined): string {
  return c.runbooks
    .map((r) => (fromFile ? runbookLink(fromFile, r, runbookName(r)) : `\`${r}\``))
    .join(' · ');
}

function verdictLine(r: PulseReport): string {
  const ready = r.ready
    ? 'every required dependency is up'
    : `**required dependency down**: ${r.blocking.map((b) => `\`${b}\``).join(', ')}`;
  return `${mark(r.verdict)} — ${ready}. ${text(r.headline)}.`;
}

function timing(r: PulseReport): string {
  return `${r.counts.checks} check(s) in parallel in ${formatDuration(r.wallMs)} (slowest ${formatDuration(r.slowestMs)}; each within ${formatDuration(r.checkTimeoutMs)}, all within ${formatDuration(r.timeoutMs)})`;
}

function overview(r: PulseReport, fromFile: string | undefined): string {
  return table(
    ['dependency', 'status', 'where', 'detail', 'owner', 'runbooks'],
    r.checks.map((c) => [
      `${KIND_TITLE[c.kind]}${c.kind === 'redis' || c.kind === 'postgres' ? ` \`${c.name}\`` : ''}${c.required ? '' : ' (optional)'}`,
      mark(c.status),
      `\`${c.target}\``,
      text(c.summary),
      c.owner,
      c.status === 'OK' ? '' : runbooks(c, fromFile),
    ]),
  );
}

function alertRow(a: AlertView): (string | undefined)[] {
  return [
    a.owner,
    `\`${a.name}\``,
    a.severity,
    a.state === 'firing'
      ? mark(a.status) + ' firing'
      : a.state === 'in-maintenance'
        ? '🛠️ in maintenance'
        : '🔕 inhibited',
    a.since,
    a.traceUrl ? `[${text(a.traceId!)}](${a.traceUrl})` : a.traceId ? `\`${text(a.traceId)}\`` : '',
    [
      a.summary ? text(a.summary) : '',
      a.silencedBy.length
        ? `silenced by ${a.silencedBy.map((s) => `${text(s.createdBy)} until ${s.endsAt}${s.comment ? ` (${text(s.comment)})` : ''}`).join('; ')}`
        : '',
      a.runbook ? `[runbook](${encodeURI(a.runbook)})` : '',
    ]
      .filter(Boolean)
      .join(' — '),
  ];
}

function alertsPart(r: PulseReport, heading: string): string[] {
  const out: string[] = [];
  const a = r.alerts;
  if (a.source === 'none') return out;
  out.push(`${heading} Alerts by ${a.ownerLabel}`, '');
  if (a.error)
    out.push(`${mark('UNKNOWN')}: ${text(a.error)} — firing alerts and planned maintenance are unknown.`, '');
  else if (a.groups.length === 0) out.push('No alert is firing.', '');
  else
    out.push(
      `${a.firing} firing, ${a.inMaintenance} in maintenance${a.inhibited ? `, ${a.inhibited} inhibited` : ''} (from ${a.source === 'alertmanager' ? 'Alertmanager' : "Prometheus' rules"}).`,
      '',
      table(
        [a.ownerLabel, 'alert', 'severity', 'state', 'since', 'trace', 'detail'],
        a.groups.flatMap((g) => g.alerts.map(alertRow)),
      ),
      '',
    );
  if (a.source === 'alertmanager' && !a.error) {
    out.push(`${heading} Planned maintenance`, '');
    if (r.maintenance.length === 0) out.push('No silence is active or starts within the horizon.', '');
    else
      out.push(
        table(
          ['state', 'starts', 'ends', 'created by', 'comment', 'matchers', 'covers'],
          r.maintenance.map((m) => [
            m.state === 'active' ? '🛠️ active' : '🗓️ pending',
            formatTime(new Date(m.startsAt), r.timeZone),
            formatTime(new Date(m.endsAt), r.timeZone),
            text(m.createdBy),
            text(m.comment),
            `\`${m.matchers}\``,
            `${m.covers} firing alert(s)`,
          ]),
        ),
        '',
      );
  }
  if (r.targetsDown.length) {
    out.push(`${heading} Scrape targets down`, '');
    out.push(
      table(
        ['job', 'instance', 'health', 'owner', 'last error'],
        r.targetsDown.map((t) => [t.job, t.instance, t.health, t.owner, text(t.lastError)]),
      ),
      '',
    );
  }
  return out;
}

/** The step summary: the verdict, an overview, a table per dependency, alerts and maintenance. Pure. */
export function renderSummary(r: PulseReport, resultPath: string): string {
  const out: string[] = [
    `## Infra Pulse ${r.date} — ${mark(r.verdict)}`,
    '',
    verdictLine(r),
    '',
    `Checked ${formatTime(new Date(r.checkedAt), r.timeZone)} (${r.timeZone}): ${timing(r)}.`,
    '',
    overview(r, undefined),
    '',
  ];
  for (const c of r.checks) {
    if (c.kind === 'alerts' || c.kind === 'targets') continue;
    out.push(`### ${KIND_TITLE[c.kind]} \`${c.name}\` — ${mark(c.status)}`, '');
    out.push(
      table(
        ['aspect', 'status', 'finding', 'threshold'],
        c.findings.map((f) => [
          f.aspect,
          mark(f.status),
          text(f.message),
          f.threshold ?? c.thresholds[f.aspect] ?? '',
        ]),
      ),
      '',
    );
    const other = Object.entries(c.thresholds).filter(([k]) => !c.findings.some((f) => f.aspect === k));
    if (other.length) out.push(`Also held to: ${other.map(([k, v]) => `${k} ${v}`).join('; ')}.`, '');
    if (c.status !== 'OK' && c.runbooks.length)
      out.push(`Owner **${c.owner}**; runbooks: ${runbooks(c, undefined)}.`, '');
  }
  out.push(...alertsPart(r, '###'));
  out.push(`Result: \`${resultPath}\``, '');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/**
 * The pulse's section of the day's status file: the verdict, one row per dependency with its owner
 * and runbook links (relative to the status file), alerts by squad and planned maintenance, and a
 * marker the daily wrap reads back. Pure.
 */
export function renderStatusSection(r: PulseReport, statusFileRel: string): string {
  const out: string[] = [
    `## Infra Pulse — ${formatTime(new Date(r.checkedAt), r.timeZone)} (${r.timeZone})`,
    '',
    pulseMarker({
      verdict: r.verdict,
      ready: r.ready,
      checkedAt: r.checkedAt,
      headline: r.headline,
      blocking: r.blocking,
    }),
    '',
    verdictLine(r),
    '',
    overview(r, statusFileRel),
    '',
  ];
  const problems = r.checks
    .filter((c) => c.status !== 'OK' && c.kind !== 'alerts' && c.kind !== 'targets')
    .sort((a, b) => rank(b.status) - rank(a.status));
  if (problems.length) {
    out.push('### What needs an owner', '');
    for (const c of problems) {
      const msgs = c.findings.filter((f) => f.status !== 'OK').map((f) => `${f.status}: ${text(f.message)}`);
      out.push(
        `- **${cell(c.id)}** (${c.owner}) — ${msgs.join('; ')}${c.runbooks.length ? ` — ${runbooks(c, statusFileRel)}` : ''}`,
      );
    }
    out.push('');
  }
  out.push(...alertsPart(r, '###'));
  out.push(`_${timing(r)}._`);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/**
 * Annotations, most useful first: a required check that FAILs, then other FAILs, UNKNOWNs, WARNs,
 * then the firing alerts. Each names its owner and runbooks.
 */
export function buildAnnotations(r: PulseReport): Annotation[] {
  const out: Annotation[] = [];
  for (const c of r.checks) {
    if (c.status === 'OK') continue;
    const msgs = c.findings.filter((f) => f.status !== 'OK').map((f) => f.message);
    out.push({
      level: c.status === 'FAIL' ? 'error' : 'warning',
      title: `infra-pulse: ${c.id} ${c.status}`,
      message: `${msgs.join('; ')} — owner ${c.owner}${c.runbooks.length ? `; runbooks: ${c.runbooks.join(', ')}` : ''}`,
      rank:
        (c.status === 'FAIL' ? (c.required ? 0 : 10) : c.status === 'UNKNOWN' ? 20 : 30) +
        (c.kind === 'alerts' ? 5 : 0),
    });
  }
  return out;
}
