import {
  commitBack,
  pullRequestBranch,
  type CommitBackResult,
  type CommitMode,
} from '../../lib/git/index.js';
import {
  renderRollbackSection,
  statusFileWithRollback,
  type RollbackFacts,
} from '../../lib/evidence/rollback.js';

/** What `record-rollback` was asked to do, checked (pure). */
export interface RollbackNotePlan {
  /** The status file, relative to the repository root (the evidence job's `status-file` output). */
  statusFile: string;
  /** The branch the status file is on: the evidence job's branch, or its pull request's head. */
  branch: string;
  date: string;
  /** helm-deploy's rollback result file; undefined when the rollback step wrote none. */
  resultPath?: string;
  failedSuites: string[];
  message: string;
  pushAttempts: number;
}

/** The branch the day's report went to: the branch itself, or the evidence pull request's head. */
export function reportBranch(mode: CommitMode, branch: string, date: string): string {
  return mode === 'pull-request' ? pullRequestBranch('evidence', date) : branch;
}

/** The rollback's facts from helm-deploy's result envelope (its JSON text), or none when it left none. */
export function rollbackFacts(
  resultText: string | undefined,
  failedSuites: readonly string[],
  at: Date,
  runUrl?: string,
): RollbackFacts {
  const base: RollbackFacts = { failedSuites, at, ...(runUrl ? { runUrl } : {}) };
  if (resultText === undefined) return base;
  const env = JSON.parse(resultText) as { result?: Record<string, unknown> };
  const r = env.result ?? {};
  const facts = factsOf(r, base);
  // A release set: each release's own rollback, in the order the set lists them.
  if (Array.isArray(r.releases))
    facts.releases = (r.releases as Record<string, unknown>[]).map((x) => {
      const one = factsOf(x, base);
      if (x.status === 'unchanged') one.unchanged = typeof x.detail === 'string' ? x.detail : 'unchanged';
      else if (x.status === 'skipped') one.failure ??= 'skipped';
      return one;
    });
  return facts;
}

/** One rollback result's facts (a release's, or a set's own fields). */
function factsOf(r: Record<string, unknown>, base: RollbackFacts): RollbackFacts {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const facts: RollbackFacts = { ...base, rolledBack: r.rolledBack === true };
  const set = <K extends keyof RollbackFacts>(k: K, v: RollbackFacts[K] | undefined) => {
    if (v !== undefined) facts[k] = v;
  };
  set('release', str(r.release));
  set('namespace', str(r.namespace));
  set('from', num(r.previousRevision));
  set('to', num(r.rolledBackTo));
  set('revision', num(r.revision));
  set('status', str(r.status));
  set('failure', str(r.failure));
  return facts;
}

export interface RollbackNoteIo {
  /** The result file's text, or undefined when it does not exist. */
  readResult: (path: string) => Promise<string | undefined>;
  commit: typeof commitBack;
  now: () => Date;
  log: (line: string) => void;
}

/**
 * Adds the rollback's outcome to the day's status file on its branch, as a section of its own
 * rendered from the branch's copy at commit time: the day's report and anyone else's sections stay.
 */
export async function recordRollback(
  plan: RollbackNotePlan,
  workspace: string,
  tempDir: string,
  io: RollbackNoteIo,
  runUrl?: string,
): Promise<{ section: string; commit: CommitBackResult }> {
  const text = plan.resultPath ? await io.readResult(plan.resultPath) : undefined;
  if (text === undefined) io.log('the rollback step left no result: recording that it did not finish');
  const section = renderRollbackSection(rollbackFacts(text, plan.failedSuites, io.now(), runUrl));
  const commit = await io.commit({
    repoDir: workspace,
    tempDir,
    paths: [],
    renders: [
      {
        path: plan.statusFile,
        render: (onBranch) => statusFileWithRollback(onBranch, section, plan.statusFile),
      },
    ],
    branch: plan.branch,
    message: plan.message,
    pushAttempts: plan.pushAttempts,
    log: io.log,
  });
  return { section, commit };
}
