import { formatDuration } from '../../lib/duration.js';
import { table } from '../../lib/markdown.js';
import type { Decision } from './decide.js';

export interface Escalated {
  number: number;
  url: string;
  quietMs: number;
  /** When the escalation's comment was made. */
  at: string;
}

export interface EscalationResult {
  repository: string;
  team: string;
  staleAfterMs: number;
  repeatAfterMs: number;
  blockers: (Decision & { title: string; url: string; owners: string[] })[];
  escalated: Escalated[];
  /** Why the forge refused to let the run escalate (the token's permissions). */
  refused?: string;
}

export function renderSummary(r: EscalationResult): string {
  const head = `## Escalation: ${r.escalated.length} of ${r.blockers.length} open blocker(s) in ${r.repository}`;
  const rule = `A blocker with no update for more than ${formatDuration(r.staleAfterMs)} is escalated to ${r.team}; never twice within ${formatDuration(r.repeatAfterMs)}.`;
  if (r.blockers.length === 0) return [head, '', rule, '', 'No open blockers.', ''].join('\n');
  const done = new Set(r.escalated.map((e) => e.number));
  const rows = r.blockers.map((b) => [
    `[#${b.number}](${b.url}) ${b.title}`,
    b.owners.length ? b.owners.map((o) => `@${o}`).join(', ') : '🔴 no owner',
    formatDuration(b.quietMs),
    done.has(b.number) ? '**escalated**' : b.escalate ? 'not escalated (refused)' : '—',
    b.why,
  ]);
  return [
    head,
    '',
    rule,
    '',
    ...(r.refused ? [`> **Refused:** ${r.refused}`, ''] : []),
    table(['blocker', 'owner', 'quiet for', 'this run', 'why'], rows),
    '',
  ].join('\n');
}
