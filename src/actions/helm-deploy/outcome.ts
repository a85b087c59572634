import { latest, type ReleaseRevision } from '../../lib/helm/release.js';
import type { WorkloadRef } from '../../lib/kube/manifest.js';
import type { VerifyState } from '../../lib/kube/verify.js';
import type { DeployStatus } from './model.js';

/** What is known once helm has ended and verification is over: plain data, no I/O. */
export interface OutcomeFacts {
  helm: { exitCode: number | null; killed: boolean; message: string };
  atomic: boolean;
  /** The revision deployed before this step (undefined: a first install). */
  previousRevision?: number;
  /** The revision helm made (from its output, or its history); undefined when it made none. */
  revision?: number;
  workloads: {
    ref: WorkloadRef;
    state: VerifyState;
    /**
     * Whether the workload is part of what helm deployed, checked against Helm's record of
     * `revision` (its manifest, or a hook it ran) after helm ended.
     */
    inRevision: boolean;
  }[];
  /** `helm history` after helm ended; read only when helm failed (did its own rollback run?). */
  historyAfter?: ReleaseRevision[];
}

export interface Outcome {
  /** The release's status as helm left it. */
  status: DeployStatus;
  /** helm rolled the release back itself (--atomic / --rollback-on-failure). */
  rolledBack: boolean;
  failure?: string;
  /** What the action must undo itself: helm was satisfied, the verification was not. */
  undo?: { to: number } | { uninstall: true };
  /** A mistake of the action itself: it looked for something helm never deployed. */
  bug?: string;
}

const name = (r: WorkloadRef) => `${r.kind}/${r.name}`;

/**
 * How a deploy ended, and whether the action must roll it back. It rolls back only for something
 * really wrong with what helm deployed: a workload the action waited for but could not find, or a
 * hook that did not run, is first checked against Helm's record of the revision; if it is not part
 * of it, the action was wrong (a bug, reported as one) and the release stays as helm left it.
 */
export function decideOutcome(f: OutcomeFacts): Outcome {
  if (f.helm.exitCode !== 0) return helmFailed(f);
  const notReady = f.workloads.filter((w) => w.state !== 'ready');
  if (!notReady.length) return { status: 'deployed', rolledBack: false };

  const absent = (w: OutcomeFacts['workloads'][number]) => w.state === 'missing' || w.state === 'not-run';
  const mistaken = notReady.filter((w) => absent(w) && !w.inRevision);
  const real = notReady.filter((w) => !mistaken.includes(w));
  const bug = mistaken.length
    ? mistakeOf(
        mistaken.map((w) => w.ref),
        f.revision,
      )
    : undefined;
  if (!real.length) {
    return {
      status: 'deployed',
      rolledBack: false,
      failure: `${bug}; the release is left as helm deployed it`,
      bug: bug!,
    };
  }
  const failure =
    `helm reported success but ${real.length} workload(s) did not roll out: ` +
    `${real.map((w) => name(w.ref)).join(', ')}${bug ? ` (also: ${bug})` : ''}`;
  const withBug = bug ? { bug } : {};
  if (!f.atomic) return { status: 'failed', rolledBack: false, failure, ...withBug };
  const undo = f.previousRevision !== undefined ? { to: f.previousRevision } : { uninstall: true as const };
  return { status: 'failed', rolledBack: false, failure, undo, ...withBug };
}

/** helm failed: with --atomic it rolled back (or removed a first install) itself, as its history shows. */
function helmFailed(f: OutcomeFacts): Outcome {
  const how = f.helm.killed ? ' (killed at its deadline)' : '';
  const failure = `helm upgrade failed${how}: ${f.helm.message || `exit ${f.helm.exitCode}`}`;
  if (f.atomic && f.revision !== undefined) {
    const after = f.historyAfter ?? [];
    const top = latest(after);
    const rolledBack = top?.status === 'deployed' && /rollback/i.test(top.description);
    if (f.previousRevision !== undefined && rolledBack)
      return { status: 'rolled-back', rolledBack: true, failure };
    if (f.previousRevision === undefined && after.length === 0)
      return { status: 'uninstalled', rolledBack: true, failure };
  }
  return { status: 'failed', rolledBack: false, failure };
}

function mistakeOf(refs: WorkloadRef[], revision: number | undefined): string {
  const which = `${refs.map(name).join(', ')}, which ${refs.length > 1 ? 'are' : 'is'}`;
  return (
    `helm-deploy waited for ${which} not part of revision ${revision ?? '?'} as helm deployed it: ` +
    'a bug in helm-deploy, not in the release'
  );
}
