import type { DayItem } from '../../lib/evidence/items.js';

/**
 * Follow-up issues for a failed Integration Day, decided on plain data: which issue to open, which
 * to comment on with the streak, which to close. Each issue is found again by a hidden marker in its
 * body that names its item and the days it failed in a row, so the streak is counted from the issue
 * itself, never from local state. Pure; follow-up-sync.ts applies the decisions to the forge.
 */

export const FOLLOW_UP_LABEL = 'integration-day';
export const CROSS_SQUAD_LABEL = 'cross-squad';
export const INCIDENT_LABEL = 'incident';

/** What the hidden marker holds. */
export interface IssueMarker {
  item: string;
  /** The Integration Days it failed on, in a row, oldest first. */
  days: string[];
  /** The day it passed again (set when the issue was closed for it). */
  passed?: string;
}

const MARKER_RE =
  /<!-- command-center:follow-up item=(\S+) days=([0-9,-]*)(?: passed=(\d{4}-\d{2}-\d{2}))? -->/;

/** The marker as an HTML comment; the item is URI-encoded, so no `-->` or space can end it early. */
export function renderMarker(m: IssueMarker): string {
  return `<!-- command-center:follow-up item=${encodeURIComponent(m.item)} days=${m.days.join(',')}${m.passed ? ` passed=${m.passed}` : ''} -->`;
}

export function parseMarker(body: string): IssueMarker | undefined {
  const m = MARKER_RE.exec(body);
  if (!m) return undefined;
  let item: string;
  try {
    item = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  const days = m[2]!.split(',').filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
  return { item, days, ...(m[3] ? { passed: m[3] } : {}) };
}

/** An issue the forge already has, as far as the decisions need it. */
export interface KnownIssue {
  number: number;
  state: 'open' | 'closed';
  url: string;
  body: string;
}

/** Where the day's things are, as absolute URLs where known. */
export interface FollowUpLinks {
  run?: string;
  /** The day's status report on the forge (absent when it is not committed). */
  report?: string;
  /** The day's evidence folder on the forge. */
  evidence?: string;
  artifact?: string;
  /** A runbook (a repository path or a URL) as a URL. */
  runbook(pathOrUrl: string): string;
  /** A trace id as a link, when a trace URL is configured. */
  trace?(id: string): string;
}

export type FollowUpAction =
  | {
      kind: 'open';
      item: DayItem;
      title: string;
      body: string;
      labels: string[];
      assignees: string[];
    }
  | {
      kind: 'repeat';
      item: DayItem;
      issue: KnownIssue;
      /** The issue was closed (by a person, or because the item had passed since). */
      reopen: boolean;
      streak: number;
      body: string;
      comment: string;
      labels: string[];
    }
  | { kind: 'close'; item: DayItem; issue: KnownIssue; body: string; comment: string }
  /** This day is already on the issue (the same day archived again): nothing to add. */
  | { kind: 'seen'; item: DayItem; issue: KnownIssue };

export function labelsOf(item: DayItem): string[] {
  return [
    ...(item.kind === 'incident' ? [INCIDENT_LABEL] : []),
    FOLLOW_UP_LABEL,
    ...item.squads,
    ...(item.squads.length > 1 ? [CROSS_SQUAD_LABEL] : []),
  ];
}

/** The owners' forge usernames from the `assignees` mapping (owner or squad → usernames). */
export function assigneesOf(item: DayItem, users: Readonly<Record<string, readonly string[]>>): string[] {
  return [...new Set(item.owners.flatMap((o) => users[o] ?? []))];
}

export function titleOf(item: DayItem): string {
  const on = item.cluster ? ` on cluster ${item.cluster}` : '';
  switch (item.kind) {
    case 'incident':
      return `Incident: ${item.name}${on} during Integration Day`;
    case 'deploy':
      return `Integration Day: the deploy ${item.name} failed`;
    default:
      return `Integration Day: ${item.kind} ${item.name}${on} failed`;
  }
}

/**
 * The decisions for one day: a failed item without an issue gets one; a failed item with one gets a
 * comment with its streak (the issue reopened when it was closed); a passed item with an open issue
 * gets it closed, with a comment linking the passing day's report. An item the day says nothing
 * about is left alone, and a day older than the issue's newest is never applied over it.
 */
export function decideFollowUps(o: {
  date: string;
  items: readonly DayItem[];
  issues: readonly KnownIssue[];
  links: FollowUpLinks;
  assignees: Readonly<Record<string, readonly string[]>>;
}): FollowUpAction[] {
  const byItem = new Map<string, { issue: KnownIssue; marker: IssueMarker }>();
  for (const issue of o.issues) {
    const marker = parseMarker(issue.body);
    if (!marker) continue;
    const seen = byItem.get(marker.item);
    // Should a person have copied the marker: the open issue wins, then the newest.
    if (
      !seen ||
      (issue.state === 'open' && seen.issue.state === 'closed') ||
      (issue.state === seen.issue.state && issue.number > seen.issue.number)
    )
      byItem.set(marker.item, { issue, marker });
  }

  const actions: FollowUpAction[] = [];
  for (const item of o.items) {
    const known = byItem.get(item.key);
    if (item.failed) {
      if (!known) {
        const marker = { item: item.key, days: [o.date] };
        actions.push({
          kind: 'open',
          item,
          title: titleOf(item),
          body: issueBody(item, marker, o.date, o.links),
          labels: labelsOf(item),
          assignees: assigneesOf(item, o.assignees),
        });
        continue;
      }
      const { issue, marker } = known;
      const last = marker.days.at(-1);
      if (
        marker.days.includes(o.date) ||
        (last !== undefined && o.date < last) ||
        isNotAfter(o.date, marker.passed)
      ) {
        actions.push({ kind: 'seen', item, issue });
        continue;
      }
      // It passed since (the issue says when): the streak starts again. Closed by a person while it
      // kept failing: the streak goes on.
      const days = marker.passed ? [o.date] : [...marker.days, o.date];
      const next: IssueMarker = { item: item.key, days };
      actions.push({
        kind: 'repeat',
        item,
        issue,
        reopen: issue.state === 'closed',
        streak: days.length,
        body: issueBody(item, next, o.date, o.links),
        comment: repeatComment(item, next, o.date, o.links, marker.passed),
        labels: labelsOf(item),
      });
    } else if (known && known.issue.state === 'open') {
      const { issue, marker } = known;
      const last = marker.days.at(-1);
      if (last !== undefined && o.date <= last) {
        actions.push({ kind: 'seen', item, issue });
        continue;
      }
      const next: IssueMarker = { item: item.key, days: marker.days, passed: o.date };
      actions.push({
        kind: 'close',
        item,
        issue,
        body: issueBody(item, next, last ?? o.date, o.links, true),
        comment: closeComment(item, marker, o.date, o.links),
      });
    }
  }
  return actions;
}

function isNotAfter(date: string, other: string | undefined): boolean {
  return other !== undefined && date <= other;
}

/** "failing 3 Integration Days in a row" */
export function streakText(days: number): string {
  return days === 1 ? 'failing 1 Integration Day' : `failing ${days} Integration Days in a row`;
}

function what(item: DayItem): string {
  const on = item.cluster ? ` on cluster **${item.cluster}**` : '';
  switch (item.kind) {
    case 'incident':
      return `**${item.name}**${on}`;
    case 'deploy':
      return `The deploy **\`${item.name}\`**`;
    default:
      return `The ${item.kind} **\`${item.name}\`**${on}`;
  }
}

function dayLinks(links: FollowUpLinks): string {
  const parts = [
    links.report ? `[status report](${links.report})` : undefined,
    links.evidence ? `[evidence](${links.evidence})` : undefined,
    links.artifact ? `[artifact](${links.artifact})` : undefined,
    links.run ? `[run](${links.run})` : undefined,
  ].filter(Boolean);
  return parts.length
    ? parts.join(' · ')
    : 'no links (the report was not committed and there is no run page)';
}

/** The issue's body: the failure, the runbooks, the traces, the run, the report and the evidence. */
export function issueBody(
  item: DayItem,
  marker: IssueMarker,
  lastFailed: string,
  links: FollowUpLinks,
  passed = false,
): string {
  const out: string[] = [renderMarker(marker), ''];
  const first = marker.days[0] ?? lastFailed;
  out.push(
    passed
      ? `${what(item)} passed again on Integration Day **${marker.passed}** after failing ${marker.days.length} day(s) in a row (${first} to ${lastFailed}).`
      : `${what(item)} failed on Integration Day **${lastFailed}**: ${streakText(marker.days.length)}${marker.days.length > 1 ? ` (since ${first})` : ''}.`,
    '',
  );
  if (item.squads.length)
    out.push(`Squad${item.squads.length > 1 ? 's' : ''}: ${item.squads.join(', ')}`, '');
  out.push(`### Failure (${lastFailed})`, '');
  out.push(...(item.failure.length ? item.failure : ['failed']).map((f) => `- ${f}`), '');
  out.push('### Runbook', '');
  if (item.runbooks.length)
    out.push(...item.runbooks.map((r) => `- [${r.replace(/^.*\//, '')}](${links.runbook(r)})`), '');
  else out.push('No runbook is configured for it (a `runbook` on the suite, topic or group adds one).', '');
  if (item.traceIds.length) {
    out.push('### Traces', '');
    out.push(
      ...item.traceIds.map((id) => (links.trace ? `- [\`${id}\`](${links.trace(id)})` : `- \`${id}\``)),
      '',
    );
  }
  out.push('### The day', '');
  out.push(dayLinks(links), '');
  out.push(
    '<sub>Opened by Command Center (evidence-archive). It comments here when the failure repeats and closes this issue when the item passes again.</sub>',
  );
  return `${out.join('\n')}\n`;
}

function repeatComment(
  item: DayItem,
  marker: IssueMarker,
  date: string,
  links: FollowUpLinks,
  passedBefore: string | undefined,
): string {
  const streak = streakText(marker.days.length);
  const head = passedBefore
    ? `❌ Failing again on Integration Day **${date}** (it had passed on ${passedBefore}): ${streak}.`
    : `❌ Still failing on Integration Day **${date}**: **${streak}** (${marker.days.join(', ')}).`;
  return [head, '', ...item.failure.slice(0, 12).map((f) => `- ${f}`), '', dayLinks(links), ''].join('\n');
}

function closeComment(item: DayItem, marker: IssueMarker, date: string, links: FollowUpLinks): string {
  return [
    `✅ ${what(item)} passed on Integration Day **${date}**, after failing ${marker.days.length} day(s) in a row (${marker.days.join(', ')}). Closing.`,
    '',
    dayLinks(links),
    '',
  ].join('\n');
}
