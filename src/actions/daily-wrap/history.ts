import { gitOut } from '../../lib/git/index.js';
import {
  DECLARED_LOG_FORMAT,
  WRAP_MARKER_PATTERN,
  declaredChanges,
  newRecordings,
  previousWrap,
  type DeclaredChange,
  type Recording,
  type WrapCommit,
} from './wrap.js';

/** The empty tree: the base when the history has no commit before the window. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface ContractHistory {
  head: string;
  previous?: WrapCommit;
  /** What the changes are counted from: the previous wrap's commit, or the window's start. */
  since: { sha: string; label: string };
  recordings: Recording[];
  declared: DeclaredChange[];
}

export interface HistoryQuery {
  repoDir: string;
  ref: string;
  date: string;
  statusTemplate: string;
  contractsDir: string;
  declared: readonly string[];
  /** Without a previous wrap, changes of this many days before `date` are listed. */
  firstWindowDays: number;
}

/**
 * Reads the previous wrap and the contract changes since it from the checkout's history (a full
 * clone: actions/checkout with fetch-depth 0). Only git, no files of the work tree.
 */
export async function readContractHistory(q: HistoryQuery): Promise<ContractHistory> {
  const cwd = q.repoDir;
  const head = await gitOut(['rev-parse', '--verify', `${q.ref}^{commit}`], { cwd });
  const statusDir = q.statusTemplate.slice(0, q.statusTemplate.lastIndexOf('/') + 1) || '.';
  const wraps = await gitOut(
    ['log', '--format=%x00%H', '--name-only', `-G${WRAP_MARKER_PATTERN}`, head, '--', statusDir],
    { cwd },
  );
  const previous = previousWrap(`${wraps}\n`, q.statusTemplate, q.date);
  let since: ContractHistory['since'];
  if (previous) {
    since = { sha: previous.sha, label: `the wrap of ${previous.date} (\`${previous.sha.slice(0, 12)}\`)` };
  } else {
    const start = new Date(Date.parse(`${q.date}T00:00:00Z`) - q.firstWindowDays * 86_400_000).toISOString();
    const before = await gitOut(['rev-list', '-1', `--before=${start}`, head], { cwd });
    since = {
      sha: before || EMPTY_TREE,
      label: `the last ${q.firstWindowDays} days (no earlier wrap in the history)`,
    };
  }
  const added = await gitOut(
    ['diff', '--name-only', '--no-renames', '--diff-filter=A', '-z', since.sha, head, '--', q.contractsDir],
    { cwd },
  );
  const range = since.sha === EMPTY_TREE ? [head] : [`${since.sha}..${head}`];
  const declaredLog =
    q.declared.length === 0
      ? ''
      : await gitOut(
          [
            'log',
            `--format=${DECLARED_LOG_FORMAT}`,
            '--name-status',
            '--no-renames',
            ...range,
            '--',
            ...q.declared,
          ],
          { cwd },
        );
  return {
    head,
    ...(previous ? { previous } : {}),
    since,
    recordings: newRecordings(added.split('\0').filter(Boolean), q.contractsDir),
    declared: declaredChanges(declaredLog),
  };
}
