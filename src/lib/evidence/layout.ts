import { sep, posix } from 'node:path';
import { ConfigurationError, InputError } from '../errors.js';
import { isCalendarDate } from '../dates.js';
import { ownedPath } from '../owned-paths.js';

/** Where the day's paper trail goes, resolved inside the repository and validated before anything is written. */
export interface EvidencePaths {
  date: string;
  /** Absolute paths. */
  statusFile: string;
  evidenceDir: string;
  /** Repository-relative, forward slashes (what is committed and linked). */
  statusFileRel: string;
  evidenceDirRel: string;
  /** The evidence index as linked from the status report (relative to the report's folder). */
  evidenceLinkFromStatus: string;
}

/**
 * Fills `{date}` into the two path templates and refuses a bad date or any path that would leave
 * the repository. Pure: nothing is touched on disk.
 */
export function evidencePaths(
  repoRoot: string,
  date: string,
  statusTemplate: string,
  evidenceTemplate: string,
): EvidencePaths {
  if (!isCalendarDate(date))
    throw new InputError('date', date, 'expected a calendar date written exactly as YYYY-MM-DD');
  if (!statusTemplate.includes('{date}'))
    throw new InputError(
      'status-file',
      statusTemplate,
      'expected a path containing {date} (one report per day), e.g. docs/sprints/status/{date}.md',
    );
  if (!evidenceTemplate.includes('{date}'))
    throw new InputError(
      'evidence-dir',
      evidenceTemplate,
      'expected a path containing {date} (one folder per day), e.g. docs/sprints/status/{date}/evidence',
    );
  const { abs: statusFile, rel: statusFileRel } = ownedPath(repoRoot, statusTemplate, date, 'status-file');
  const { abs: evidenceDir, rel: evidenceDirRel } = ownedPath(
    repoRoot,
    evidenceTemplate,
    date,
    'evidence-dir',
  );
  if (!statusFileRel.endsWith('.md'))
    throw new InputError('status-file', statusTemplate, 'expected a Markdown file path ending in .md');
  if (statusFileRel === evidenceDirRel || statusFileRel.startsWith(`${evidenceDirRel}/`)) {
    throw new ConfigurationError(
      `input 'status-file' (${statusFileRel}) must not be inside 'evidence-dir' (${evidenceDirRel}); the report links to the evidence`,
    );
  }
  return {
    date,
    statusFile,
    evidenceDir,
    statusFileRel,
    evidenceDirRel,
    evidenceLinkFromStatus: posix.relative(posix.dirname(statusFileRel), `${evidenceDirRel}/README.md`),
  };
}

export function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** A link from `fromFile` (repository-relative) to `toPath` (repository-relative). */
export function relativeLink(fromFile: string, toPath: string): string {
  return posix.relative(posix.dirname(fromFile), toPath) || '.';
}

/**
 * The layout inside the evidence folder: one place per kind, stable names. Collected files (logs,
 * JUnit reports, the rest) are placed by file-layout.ts.
 */
export const LAYOUT = {
  result: (name: string) => `results/${name}.json`,
  metric: (name: string) => `metrics/${name}.json`,
  chart: (name: string) => `metrics/${name}.svg`,
  screenshot: (name: string) => `dashboards/${name}.png`,
} as const;

/**
 * Names for the other actions' result files: `<action>` when it ran once, `<action>-<job>` when
 * several jobs wrote one, then a counter, so the same inputs always give the same names.
 */
export function resultNames(results: readonly { action: string; job?: string; source: string }[]): string[] {
  const byAction = new Map<string, number>();
  for (const r of results) byAction.set(r.action, (byAction.get(r.action) ?? 0) + 1);
  const used = new Set<string>();
  return results.map((r) => {
    const action = safeName(r.action);
    let name = (byAction.get(r.action) ?? 0) > 1 && r.job ? `${action}-${safeName(r.job)}` : action;
    for (let i = 2; used.has(name); i++)
      name = `${action}${r.job && (byAction.get(r.action) ?? 0) > 1 ? `-${safeName(r.job)}` : ''}-${i}`;
    used.add(name);
    return name;
  });
}

export function safeName(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'unnamed'
  );
}
