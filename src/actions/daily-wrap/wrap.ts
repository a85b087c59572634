/**
 * The daily wrap's facts, from what git and the status file say. Pure: the I/O (git log, the
 * status file, Prometheus) is in history.ts and main.ts, which hand their text to these functions.
 */

/** A commit that wrote a wrap section, and the day it wrapped (from the status file's name). */
export interface WrapCommit {
  sha: string;
  date: string;
}

/** A new contract recording: its folder (one per recording date) and what it holds. */
export interface Recording {
  folder: string;
  services: string[];
  files: number;
}

/** A commit that changed declared contracts on the branch the wrap reads. */
export interface DeclaredChange {
  sha: string;
  committedAt: string;
  author: string;
  subject: string;
  files: { status: string; path: string }[];
}

export interface GapVerdict {
  /** Whole calendar days since the previous wrap; undefined when there was none. */
  days?: number;
  missed: boolean;
}

const DAY_MS = 86_400_000;

/** Calendar days from `from` to `to` (both YYYY-MM-DD); clocks and zones play no part. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The twice-a-week minimum: a wrap more than `maxGapDays` after the previous one means a week had
 * fewer than two. The first wrap of a repository has nothing to miss.
 */
export function gapVerdict(previous: string | undefined, today: string, maxGapDays: number): GapVerdict {
  if (!previous) return { missed: false };
  const days = daysBetween(previous, today);
  return { days, missed: days > maxGapDays };
}

/** A regular expression matching the status files of a template such as `docs/sprints/status/{date}.md`. */
export function statusFilePattern(template: string): RegExp {
  const [before, after] = template.split('{date}', 2) as [string, string];
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc(before)}(\\d{4}-\\d{2}-\\d{2})${esc(after ?? '')}$`);
}

/**
 * The previous wrap in `git log --format=%x00%H --name-only -G<wrap marker>` output (newest first):
 * the newest commit that wrote the wrap of a day before `today`. A rerun of today's wrap therefore
 * still reports everything since the day before.
 */
export function previousWrap(log: string, template: string, today: string): WrapCommit | undefined {
  const pattern = statusFilePattern(template);
  for (const block of log.split('\0').slice(1)) {
    const [sha, ...files] = block.split('\n').map((l) => l.trim());
    const dates = files
      .map((f) => pattern.exec(f)?.[1])
      .filter((d): d is string => !!d && d < today)
      .sort();
    if (sha && dates.length > 0) return { sha, date: dates[dates.length - 1]! };
  }
  return undefined;
}

/** New recordings, from `git diff --name-only --diff-filter=A` under the contracts folder. */
export function newRecordings(addedFiles: readonly string[], contractsDir: string): Recording[] {
  const root = `${contractsDir.replace(/\/+$/, '')}/`;
  const byFolder = new Map<string, { services: Set<string>; files: number }>();
  for (const f of addedFiles) {
    if (!f.startsWith(root)) continue;
    const parts = f.slice(root.length).split('/');
    if (parts.length < 2) continue; // a file beside the recordings, not inside one
    const entry = byFolder.get(parts[0]!) ?? { services: new Set<string>(), files: 0 };
    entry.files++;
    if (parts.length >= 3) entry.services.add(parts[1]!);
    byFolder.set(parts[0]!, entry);
  }
  return [...byFolder.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([folder, e]) => ({ folder: `${root}${folder}`, services: [...e.services].sort(), files: e.files }));
}

export const DECLARED_LOG_FORMAT = '%x00%H%x09%cI%x09%an%x09%s';

/** Commits and their files from `git log --format=DECLARED_LOG_FORMAT --name-status` (newest first). */
export function declaredChanges(log: string): DeclaredChange[] {
  const out: DeclaredChange[] = [];
  for (const block of log.split('\0').slice(1)) {
    const [head, ...rest] = block.split('\n');
    const [sha, committedAt, author, ...subject] = (head ?? '').split('\t');
    if (!sha) continue;
    const files = rest
      .map((l) => l.split('\t'))
      .filter((p) => p.length >= 2 && p[0])
      .map((p) => ({ status: p[0]!.charAt(0), path: p[p.length - 1]! }));
    if (files.length === 0) continue;
    out.push({
      sha,
      committedAt: committedAt ?? '',
      author: author ?? '',
      subject: subject.join('\t'),
      files,
    });
  }
  return out;
}

/** What the wrap leaves in its section, so the next wrap (and people's tools) can read it back. */
export interface WrapFacts {
  date: string;
  wrappedAt: string;
  head: string;
  previous?: string;
  gapDays?: number;
  missedMinimum: boolean;
  pulse: string;
  newRecordings: number;
  declaredChanges: number;
}

/** A one-line HTML comment (invisible when rendered); `<` and `>` escaped so it cannot end early. */
export function wrapMarker(facts: WrapFacts): string {
  return `<!-- daily-wrap-result ${JSON.stringify(facts).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'))} -->`;
}

/** The text git log -G looks for: every wrap's section has it on a line that changes with each run. */
export const WRAP_MARKER_PATTERN = '<!-- daily-wrap-result ';
