import type { DayItem } from '../../lib/evidence/items.js';
import type { ReportFollowUp } from '../../lib/evidence/report.js';
import { ForgePermissionError, type Forge } from '../../lib/forge/index.js';
import {
  CROSS_SQUAD_LABEL,
  decideFollowUps,
  FOLLOW_UP_LABEL,
  INCIDENT_LABEL,
  type FollowUpLinks,
  type KnownIssue,
} from './follow-up.js';

/** What happened to one item's issue: what the status report links next to the item. */
export type FollowUpIssue = ReportFollowUp;

export interface FollowUpOutcome {
  issues: FollowUpIssue[];
  /** Why some of the work could not be done, e.g. the token may not write issues. */
  warnings: string[];
}

const COLORS: Record<string, string> = {
  [FOLLOW_UP_LABEL]: '1d76db',
  [CROSS_SQUAD_LABEL]: 'd93f0b',
  [INCIDENT_LABEL]: 'b60205',
};

/**
 * Applies the day's decisions to the forge: the issues carrying the `integration-day` label are read
 * once, then each item's issue is opened, commented on, reopened or closed. A token that may not
 * write issues stops the work with a warning (what was done stays done); other failures are thrown.
 */
export async function syncFollowUps(o: {
  forge: Forge;
  date: string;
  items: readonly DayItem[];
  links: FollowUpLinks;
  assignees: Readonly<Record<string, readonly string[]>>;
  log: (line: string) => void;
}): Promise<FollowUpOutcome> {
  const out: FollowUpOutcome = { issues: [], warnings: [] };
  if (o.items.length === 0) return out;
  const { forge, log } = o;
  try {
    const known: KnownIssue[] = (await forge.listIssues({ labels: [FOLLOW_UP_LABEL], state: 'all' })).map(
      (i) => ({ number: i.number, state: i.state, url: i.htmlUrl, body: i.body }),
    );
    const actions = decideFollowUps({ ...o, issues: known });
    const labels = [
      ...new Set(actions.flatMap((a) => (a.kind === 'open' || a.kind === 'repeat' ? a.labels : []))),
    ];
    if (labels.length)
      await forge.ensureLabels(labels.map((name) => ({ name, color: COLORS[name] ?? 'c5def5' })));

    for (const a of actions) {
      const failed = a.item.failed;
      if (a.kind === 'open') {
        const issue = await createWithAssignees(forge, a, out.warnings);
        out.issues.push({
          item: a.item.key,
          failed,
          number: issue.number,
          url: issue.htmlUrl,
          action: 'opened',
          streak: 1,
        });
        log(`opened #${issue.number} for ${a.item.key}: ${issue.htmlUrl}`);
      } else if (a.kind === 'repeat') {
        await forge.updateIssue(a.issue.number, { body: a.body, ...(a.reopen ? { state: 'open' } : {}) });
        await forge.addLabels(a.issue.number, a.labels);
        await forge.comment(a.issue.number, a.comment);
        out.issues.push({
          item: a.item.key,
          failed,
          number: a.issue.number,
          url: a.issue.url,
          action: a.reopen ? 'reopened' : 'commented',
          streak: a.streak,
        });
        log(
          `${a.reopen ? 'reopened' : 'commented on'} #${a.issue.number} for ${a.item.key}: failing ${a.streak} day(s) in a row`,
        );
      } else if (a.kind === 'close') {
        await forge.comment(a.issue.number, a.comment);
        await forge.updateIssue(a.issue.number, { body: a.body, state: 'closed' });
        out.issues.push({
          item: a.item.key,
          failed,
          number: a.issue.number,
          url: a.issue.url,
          action: 'closed',
        });
        log(`closed #${a.issue.number}: ${a.item.key} passed`);
      } else {
        out.issues.push({
          item: a.item.key,
          failed,
          number: a.issue.number,
          url: a.issue.url,
          action: 'unchanged',
        });
      }
    }
  } catch (err) {
    const refusal = permissionRefusal(err);
    if (!refusal) throw err;
    out.warnings.push(
      `follow-up issues were not updated: ${refusal}. Give the evidence job \`permissions: issues: write\` (or a token that may write issues), or set follow-up-issues: false. The day's verdict is unchanged.`,
    );
  }
  return out;
}

/**
 * Why the token may not do it, or undefined for any other failure. Writes say it as a
 * ForgePermissionError; a read refused outright (GitHub answers 403 to a token without `issues` on a
 * private repository) is the same lack of permission.
 */
function permissionRefusal(err: unknown): string | undefined {
  if (err instanceof ForgePermissionError) return err.message;
  const status = (err as { status?: number }).status;
  if (status === 401 || status === 403)
    return `the forge refused to list the issues (HTTP ${status}: ${(err as Error).message})`;
  return undefined;
}

/** Opens the issue; when the forge refuses an assignee (not a collaborator, no such user), opens it without. */
async function createWithAssignees(
  forge: Forge,
  a: { title: string; body: string; labels: string[]; assignees: string[] },
  warnings: string[],
) {
  try {
    return await forge.createIssue(a);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (!a.assignees.length || (status !== 422 && status !== 404)) throw err;
    warnings.push(
      `the forge refused to assign ${a.assignees.join(', ')} to "${a.title}" (HTTP ${status}: ${(err as Error).message}); the issue was opened without assignees. Check the usernames in 'assignees' and that they may be assigned in this repository.`,
    );
    return forge.createIssue({ ...a, assignees: [] });
  }
}
