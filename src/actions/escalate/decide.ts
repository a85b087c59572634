import { formatDuration } from '../../lib/duration.js';
import type { EscalationRules } from './inputs.js';

/** Marks the escalation's own comments: how it finds its earlier escalations, never by author or text. */
export const ESCALATION_MARKER = '<!-- command-center:escalation -->';

/**
 * The escalation's own comment and label each move the issue's `updated_at`. It adds the label
 * first and comments last, so an `updated_at` no later than its newest comment plus this slack
 * (the forges keep whole seconds) is its own doing, not an update by a person.
 */
export const OWN_UPDATE_SLACK_MS = 3_000;

/** An open blocker as the forge returns it (src/lib/forge's ForgeIssue and ForgeComment). */
export interface Blocker {
  number: number;
  title: string;
  body: string;
  htmlUrl: string;
  assignees: string[];
  updatedAt: string;
  comments: { body: string; createdAt: string }[];
}

export interface Decision {
  number: number;
  escalate: boolean;
  /** The last update that counts (not the escalation's own), when known. */
  lastUpdate?: string;
  /** The newest earlier escalation, if any. */
  lastEscalation?: string;
  /** How many times it was escalated before this run. */
  escalations: number;
  /** How long it has been quiet: since its last update, or since the last escalation when nothing came after. */
  quietMs: number;
  why: string;
}

/**
 * Whether a blocker is escalated now. No update for longer than `staleAfterMs` escalates it; the
 * escalation's own comment and label are not updates. After an escalation nothing is repeated
 * within `repeatAfterMs`; then a blocker that stayed silent since is escalated again, and one that
 * was updated since waits until that update is itself `staleAfterMs` old. Pure.
 */
export function decideEscalation(b: Blocker, now: Date, rules: EscalationRules): Decision {
  const at = (iso: string) => Date.parse(iso);
  const own = b.comments.filter((c) => c.body.includes(ESCALATION_MARKER)).map((c) => c.createdAt);
  const lastEscalation = own.sort((x, y) => at(x) - at(y)).at(-1);
  const base = { number: b.number, escalations: own.length };
  if (!lastEscalation) {
    const quietMs = now.getTime() - at(b.updatedAt);
    return {
      ...base,
      escalate: quietMs > rules.staleAfterMs,
      lastUpdate: b.updatedAt,
      quietMs,
      why: `no update for ${formatDuration(quietMs)} (the rule: ${formatDuration(rules.staleAfterMs)})`,
    };
  }
  const sinceEscalation = now.getTime() - at(lastEscalation);
  const updatedSince = at(b.updatedAt) > at(lastEscalation) + OWN_UPDATE_SLACK_MS;
  const withUpdate = updatedSince ? { lastUpdate: b.updatedAt } : {};
  if (sinceEscalation < rules.repeatAfterMs) {
    return {
      ...base,
      ...withUpdate,
      escalate: false,
      lastEscalation,
      quietMs: updatedSince ? now.getTime() - at(b.updatedAt) : sinceEscalation,
      why: `escalated ${formatDuration(sinceEscalation)} ago; not again within ${formatDuration(rules.repeatAfterMs)}`,
    };
  }
  if (!updatedSince) {
    return {
      ...base,
      escalate: true,
      lastEscalation,
      quietMs: sinceEscalation,
      why: `no update in the ${formatDuration(sinceEscalation)} since the last escalation`,
    };
  }
  const quietMs = now.getTime() - at(b.updatedAt);
  return {
    ...base,
    ...withUpdate,
    escalate: quietMs > rules.staleAfterMs,
    lastEscalation,
    quietMs,
    why: `updated after the last escalation; no update since for ${formatDuration(quietMs)} (the rule: ${formatDuration(rules.staleAfterMs)})`,
  };
}

/** The first paragraph of the text, without hidden comments, on one line and short. */
export function summaryOf(body: string, max = 280): string {
  const text = body
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim()
    .split(/\r?\n\s*\r?\n/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The comment an escalation leaves: summary, owner, the ETA request and the team's mention. */
export function renderEscalation(
  b: Blocker,
  d: Decision,
  o: { team: string; escalationLabel: string; staleAfterMs: number },
): string {
  const owners = b.assignees.map((a) => `@${a}`);
  const since = d.lastUpdate
    ? `no update since ${d.lastUpdate.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`
    : `no update since it was last escalated`;
  const summary = summaryOf(b.body);
  const nth = d.escalations > 0 ? ` (escalation ${d.escalations + 1})` : '';
  return [
    ESCALATION_MARKER,
    `### Blocker escalated${nth}: quiet for ${formatDuration(d.quietMs)}`,
    '',
    `**#${b.number} ${b.title}** has had ${since} (${formatDuration(d.quietMs)}; a blocker gets an update at least every ${formatDuration(o.staleAfterMs)}).`,
    ...(summary ? ['', `> ${summary}`] : []),
    '',
    `**Owner:** ${owners.length ? owners.join(', ') : 'no owner'}`,
    '',
    owners.length
      ? `${owners.join(', ')}: please reply here with the ETA of the next update.`
      : `Nobody owns this blocker: ${o.team}, please find an owner, who replies here with the ETA of the next update.`,
    '',
    `cc ${o.team}: escalated to the tiger crew (label \`${o.escalationLabel}\`).`,
  ].join('\n');
}
