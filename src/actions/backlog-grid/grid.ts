import { cell } from '../../lib/markdown.js';

/** The first line of the file: how commit-back knows the file on the branch is this action's to replace. */
export const BACKLOG_MARKER =
  '<!-- command-center:backlog-grid: generated from the issues; edits here are replaced -->';

const DAY_MS = 86_400_000;
export const NO_OWNER = '🔴 **no owner**';

export interface GridRules {
  /** Squad labels, in row order. */
  squads: string[];
  /** Status labels, in column order; the last one is done. */
  statuses: string[];
  blockerLabels: string[];
  crossSquadLabel: string;
  idleDays: number;
}

/** An issue as the forge returns it (src/lib/forge's ForgePlannedIssue). */
export interface BacklogIssue {
  number: number;
  title: string;
  htmlUrl: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  updatedAt: string;
  closedAt?: string;
  milestone?: { title: string; dueOn?: string; state: 'open' | 'closed' };
}

export interface BacklogItem {
  number: number;
  title: string;
  url: string;
  open: boolean;
  squads: string[];
  /** The status label, or undefined for an open issue with none. */
  status?: string;
  owners: string[];
  blocker: boolean;
  crossSquad: boolean;
  /** Whole days since the last update. */
  idleDays: number;
  idle: boolean;
  /** Set when the item is still open after its milestone's due date. */
  rolledForward?: { milestone: string; dueOn: string; daysPast: number };
}

/** Each issue as a backlog item: its squads, status, owners, and whether it blocks, idles or rolled forward. Pure. */
export function backlogItems(issues: readonly BacklogIssue[], now: Date, rules: GridRules): BacklogItem[] {
  return issues
    .map((i): BacklogItem => {
      const open = i.state === 'open';
      const squads = rules.squads.filter((s) => i.labels.includes(s));
      // The furthest column an issue is labelled with; a closed issue is done.
      const status = open ? rules.statuses.filter((s) => i.labels.includes(s)).at(-1) : rules.statuses.at(-1);
      const quietMs = now.getTime() - Date.parse(i.updatedAt);
      const due = i.milestone?.dueOn;
      const pastDue = open && due !== undefined && Date.parse(due) < now.getTime();
      return {
        number: i.number,
        title: i.title,
        url: i.htmlUrl,
        open,
        squads,
        ...(status ? { status } : {}),
        owners: i.assignees,
        blocker: open && rules.blockerLabels.some((l) => i.labels.includes(l)),
        crossSquad: i.labels.includes(rules.crossSquadLabel) || squads.length > 1,
        idleDays: Math.floor(quietMs / DAY_MS),
        idle: open && quietMs > rules.idleDays * DAY_MS,
        ...(pastDue
          ? {
              rolledForward: {
                milestone: i.milestone!.title,
                dueOn: due.slice(0, 10),
                daysPast: Math.floor((now.getTime() - Date.parse(due)) / DAY_MS),
              },
            }
          : {}),
      };
    })
    .sort(byUrgency);
}

/** Cross-squad blockers, then blockers, then the rest; the longest idle first, then by number. */
function byUrgency(a: BacklogItem, b: BacklogItem): number {
  const rank = (i: BacklogItem) => (i.blocker && i.crossSquad ? 0 : i.blocker ? 1 : 2);
  return rank(a) - rank(b) || b.idleDays - a.idleDays || a.number - b.number;
}

function owner(i: BacklogItem): string {
  return i.owners.length ? i.owners.map((o) => `@${o}`).join(', ') : NO_OWNER;
}

function link(i: BacklogItem): string {
  return `[#${i.number}](${i.url}) ${cell(i.title)}`;
}

function columnName(status: string): string {
  return status.replace(/^status:/, '');
}

function itemTable(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export interface BacklogView {
  repository: string;
  asOf: string;
  timezone: string;
  rules: GridRules;
  items: readonly BacklogItem[];
  doneDays: number;
}

/** Parallel_Backlog.md. Stable for the same issues on the same day (no clock time in it). Pure. */
export function renderBacklog(v: BacklogView): string {
  const { rules, items } = v;
  const open = items.filter((i) => i.open);
  const crossBlockers = open.filter((i) => i.blocker && i.crossSquad);
  const idle = open.filter((i) => i.idle).sort((a, b) => b.idleDays - a.idleDays || a.number - b.number);
  const rolled = open
    .filter((i) => i.rolledForward)
    .sort((a, b) => b.rolledForward!.daysPast - a.rolledForward!.daysPast || a.number - b.number);
  const noOwner = open.filter((i) => i.owners.length === 0);
  const squadColumn = (i: BacklogItem) => (i.squads.length ? i.squads.map(cell).join(', ') : 'no squad');
  const statusColumn = (i: BacklogItem) => (i.status ? columnName(i.status) : 'no status');

  const columns: (string | undefined)[] = [...rules.statuses];
  if (open.some((i) => !i.status)) columns.push(undefined);
  const rows: (string | undefined)[] = [...rules.squads];
  if (items.some((i) => i.squads.length === 0)) rows.push(undefined);
  const entry = (i: BacklogItem) =>
    `${i.blocker ? (i.crossSquad ? '⛔ ' : '🚧 ') : ''}${link(i)} · ${owner(i)}`;
  const grid = rows.map((squad) => {
    const inRow = items.filter((i) =>
      squad === undefined ? i.squads.length === 0 : i.squads.includes(squad),
    );
    return [
      squad === undefined ? '_no squad_' : `**${cell(squad)}**`,
      ...columns.map((status) =>
        inRow
          .filter((i) => i.status === status)
          .map(entry)
          .join('<br>'),
      ),
    ];
  });

  const section = (title: string, intro: string, table: string | undefined, none: string) =>
    [`## ${title}`, '', intro, '', table ?? none, ''].join('\n');
  return [
    BACKLOG_MARKER,
    '# Parallel Backlog: the live execution grid',
    '',
    `As of ${v.asOf} (${v.timezone}), from the issues of \`${v.repository}\`: ${open.length} open item(s), ` +
      `${items.length - open.length} done in the last ${v.doneDays} day(s); ` +
      `${noOwner.length ? `${noOwner.length} open item(s) with ${NO_OWNER}` : 'every open item has an owner'}.`,
    'Exit criterion of the handbook: backlog completed or rolled forward with explicit owners.',
    '',
    section(
      'Cross-squad blockers',
      `Open items labelled ${rules.blockerLabels.map((l) => `\`${l}\``).join(' or ')} that involve more than one squad (\`${rules.crossSquadLabel}\`, or two squad labels). First, because they hold up more than one squad.`,
      crossBlockers.length
        ? itemTable(
            ['item', 'squads', 'status', 'owner', 'idle'],
            crossBlockers.map((i) => [link(i), squadColumn(i), statusColumn(i), owner(i), `${i.idleDays} d`]),
          )
        : undefined,
      'None.',
    ),
    section(
      'Grid',
      `Squads × status, from the labels. ⛔ a cross-squad blocker, 🚧 a blocker; ${NO_OWNER} an item nobody is assigned.`,
      itemTable(
        ['squad', ...columns.map((c) => (c === undefined ? '_no status_' : cell(columnName(c))))],
        grid,
      ),
      '',
    ),
    section(
      `Idle for more than ${rules.idleDays} day(s)`,
      'Open items with no update for longer than that, the longest first.',
      idle.length
        ? itemTable(
            ['item', 'squad', 'status', 'owner', 'idle'],
            idle.map((i) => [link(i), squadColumn(i), statusColumn(i), owner(i), `${i.idleDays} d`]),
          )
        : undefined,
      'None.',
    ),
    section(
      'Rolled forward',
      "Items still open after their milestone's due date: carried past the milestone, each needs an explicit owner.",
      rolled.length
        ? itemTable(
            ['item', 'milestone', 'due', 'days past', 'squad', 'owner'],
            rolled.map((i) => [
              link(i),
              cell(i.rolledForward!.milestone),
              i.rolledForward!.dueOn,
              String(i.rolledForward!.daysPast),
              squadColumn(i),
              owner(i),
            ]),
          )
        : undefined,
      'None.',
    ),
  ].join('\n');
}
