import { InputError } from '../errors.js';
import { cell } from '../markdown.js';
import { withSection } from './sections.js';

/** The status file's section the Integration Day's rollback job owns (after the day's report). */
export const ROLLBACK_SECTION = 'rollback';

/** What the rollback job did, from helm-deploy's rollback result and the verdict that caused it. */
export interface RollbackFacts {
  release?: string;
  namespace?: string;
  /** The revision that was deployed when the rollback started (the day's deploy). */
  from?: number;
  /** The revision returned to; undefined after a first install, which a rollback uninstalls. */
  to?: number;
  /** The release's revision after the rollback (Helm numbers a rollback as a new revision). */
  revision?: number;
  /** helm-deploy's final release status: deployed, uninstalled, failed. */
  status?: string;
  /** Whether helm-deploy says it rolled the release back; undefined when it left no result. */
  rolledBack?: boolean;
  /** Why the rollback itself failed, when it did. */
  failure?: string;
  /** For a release set: each release's own rollback (the fields above then speak for the set). */
  releases?: RollbackFacts[];
  /** For a release of a set that was left alone: why. */
  unchanged?: string;
  /** The suites whose failure caused the rollback. */
  failedSuites: readonly string[];
  at: Date;
  runUrl?: string;
}

/**
 * The `failed-suites` output of smoke-suite (a JSON list of names) as a list; anything else is the
 * caller's mistake, named with the input.
 */
export function parseFailedSuites(input: string, raw: string): string[] {
  if (raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
    throw new InputError(
      input,
      raw,
      'expected a JSON list of suite names, as smoke-suite\'s failed-suites output gives (e.g. ["policy"])',
    );
  return parsed;
}

const code = (s: string) => `\`${cell(s).replaceAll('`', "'")}\``;

/** The rollback section of the day's status file: from which revision to which, and why. Pure. */
export function renderRollbackSection(f: RollbackFacts): string {
  const outcome = f.releases ? setOutcome(f, f.releases) : releaseOutcome(f);
  const why = f.failedSuites.length
    ? `the smoke suites failed after the deploy: ${f.failedSuites.map(code).join(', ')} (owners under “What failed, with owners” above)`
    : 'the smoke suites failed after the deploy';
  const when = `${f.at.toISOString().slice(0, 16).replace('T', ' ')} UTC${f.runUrl ? ` · [run](${f.runUrl})` : ''}`;
  return ['## Rollback', '', outcome, '', `- Why: ${why}.`, `- When: ${when}`, ''].join('\n');
}

/** A release set's rollback: the set's verdict, then one line per release. */
function setOutcome(f: RollbackFacts, releases: readonly RollbackFacts[]): string {
  const undone = releases.filter((r) => r.rolledBack).length;
  const head =
    f.rolledBack !== undefined && f.status === 'deployed'
      ? `✅ **Rolled back** the release set: ${undone} of ${releases.length} release(s), dependents first.`
      : `❌ **The release set's rollback failed**${f.failure ? `: ${cell(f.failure.replace(/\s+/g, ' ').trim())}` : ''}. Staging may still run the day’s deploy.`;
  const lines = releases.map((r) =>
    r.unchanged !== undefined
      ? `- ➖ release ${code(r.release ?? '?')}: left as it is (${cell(r.unchanged)}).`
      : `- ${releaseOutcome(r)}`,
  );
  return [head, '', ...lines].join('\n');
}

function releaseOutcome(f: RollbackFacts): string {
  const what = f.release
    ? `release ${code(f.release)}${f.namespace ? ` in namespace ${code(f.namespace)}` : ''}`
    : 'the release';
  const from = f.from !== undefined ? `revision **${f.from}**` : 'the day’s revision';
  const to = f.to !== undefined ? `revision **${f.to}**` : 'nothing (the first install was uninstalled)';
  const now =
    f.revision !== undefined && f.to !== undefined
      ? ` (now revision ${f.revision}${f.status ? `, ${f.status}` : ''})`
      : '';
  return f.rolledBack === true
    ? `✅ **Rolled back** ${what}: from ${from} to ${to}${now}.`
    : f.rolledBack === false
      ? `❌ **The rollback failed**: ${what} was to go from ${from} to ${to}${f.failure ? `; ${cell(f.failure.replace(/\s+/g, ' ').trim())}` : ''}. Staging may still run the day’s deploy.`
      : `❌ **The rollback did not finish**: it left no result (see the rollback job’s log); ${what} was to go from ${from} to ${to}. Staging may still run the day’s deploy.`;
}

/** The status file with the rollback section set; the day's report and everything else stay. */
export function statusFileWithRollback(existing: string | undefined, section: string, file: string): string {
  return withSection(existing, ROLLBACK_SECTION, section, { file });
}
