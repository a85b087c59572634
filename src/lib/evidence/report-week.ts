// The status report's "Since last week": each panel against the previous Integration Day, and the
// smoke tests that started failing, kept failing or were fixed. Pure.
import { cell, linkTarget, linkText, table } from '../markdown.js';
import { relativeLink } from './layout.js';
import { formatValue } from './metrics.js';
import { formatPercent } from './panel-limits.js';
import { testTitle, type Change, type SinceLastWeek, type SmokeTestRef } from './week-over-week.js';

export function sinceLastWeekSection(w: SinceLastWeek, statusFileRel: string): string[] {
  const out = ['## Since last week', ''];
  if (!w.previous) {
    out.push(
      'No earlier day to compare with: this checkout holds no evidence folder of an earlier date.',
      '',
    );
    return [...out, ...limitsWithoutComparison(w)];
  }
  const p = w.previous;
  const link = (to: string, text: string) => `[${text}](${linkTarget(relativeLink(statusFileRel, to))})`;
  out.push(
    `Compared with ${link(p.statusFileRel, `Integration Day ${p.date}`)} (${link(`${p.evidenceDirRel}/README.md`, 'its evidence')}). ` +
      "Each panel's figure is the mean of each series over the snapshot's window.",
    '',
  );
  out.push(...panelTable(w), ...smokeSets(w));
  return out;
}

function panelTable(w: SinceLastWeek): string[] {
  if (w.panels.length === 0) return ['No metric snapshots this day.', ''];
  const rows = w.panels.flatMap((p) => {
    const limits = limitText(w.limits[p.name]);
    if (p.error) return [[p.title, p.squad ?? '', '', '', '', `not captured: ${p.error}`, limits]];
    if (p.series.length === 0) return [[p.title, p.squad ?? '', '', '', '', 'no data either week', limits]];
    return p.series.map((s) => [
      p.title,
      p.squad ?? '',
      p.series.length > 1 ? s.label : '',
      formatValue(s.lastWeek, p.unit),
      formatValue(s.thisWeek, p.unit),
      changeText(s.change),
      limits,
    ]);
  });
  return [table(['panel', 'squad', 'series', 'last week', 'this week', 'change', 'limits'], rows), ''];
}

/** Without an earlier day only thresholds can be judged: say which panels have limits. */
function limitsWithoutComparison(w: SinceLastWeek): string[] {
  const limited = w.panels.filter((p) => w.limits[p.name]);
  if (limited.length === 0) return [];
  return [
    `Panel limits checked against this day alone: ${limited.map((p) => `${cell(p.title)} (${limitText(w.limits[p.name])})`).join('; ')}.`,
    '',
  ];
}

export function changeText(c: Change): string {
  switch (c.kind) {
    case 'percent':
      return formatPercent(c.percent);
    case 'unchanged-zero':
      return '0 % (zero both weeks)';
    case 'from-zero':
      return 'up from zero (no percentage)';
    case 'new':
      return 'new this week';
    case 'gone':
      return 'no data this week';
    case 'no-data':
      return 'no data either week';
  }
}

function limitText(l: SinceLastWeek['limits'][string] | undefined): string {
  if (!l) return '';
  const parts = [
    l.threshold,
    l.regressionLimit !== undefined ? `at most ${l.regressionLimit} % worse` : undefined,
  ].filter(Boolean);
  return `${parts.join(', ')} (${l.severity})`;
}

function smokeSets(w: SinceLastWeek): string[] {
  if (!w.smoke) return ['Smoke tests: the earlier day has no smoke-suite result to compare with.', ''];
  const s = w.smoke;
  if (!s.newFailures.length && !s.stillFailing.length && !s.fixed.length && !s.unknown.length)
    return ['Smoke tests: nothing failed either week.', ''];
  const out = [
    table(
      ['smoke tests', 'count'],
      [
        ['new failures', s.newFailures.length],
        ['still failing', s.stillFailing.length],
        ['fixed since last week', s.fixed.length],
        ['failed last week, not known this week', s.unknown.length],
      ],
    ),
    '',
  ];
  const list = (title: string, tests: SmokeTestRef[], withMessage: boolean) => {
    if (tests.length === 0) return;
    out.push(`**${title}**`, '');
    for (const t of tests.slice(0, 30))
      out.push(
        `- \`${testTitle(t).replaceAll('`', "'")}\`${withMessage && t.message ? ` — ${oneLine(t.message)}` : ''}${(t.owner ?? t.squad) ? ` — owner: ${t.owner ?? t.squad}` : ''}`,
      );
    if (tests.length > 30) out.push(`- … and ${tests.length - 30} more`);
    out.push('');
  };
  list('New failures', s.newFailures, true);
  list('Still failing', s.stillFailing, true);
  list('Fixed since last week', s.fixed, false);
  list(
    'Failed last week, not known this week (the suite did not run or listed only part of its failures)',
    s.unknown,
    false,
  );
  return out;
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return linkText(line.length > 200 ? `${line.slice(0, 199)}…` : line);
}
