/** A Helm release as `helm history -o json` reports it. */
export interface ReleaseRevision {
  revision: number;
  updated: string;
  status:
    | 'deployed'
    | 'failed'
    | 'superseded'
    | 'pending-install'
    | 'pending-upgrade'
    | 'pending-rollback'
    | 'uninstalling'
    | 'uninstalled'
    | 'unknown';
  chart: string;
  app_version?: string;
  description: string;
}

export type StuckRecovery =
  | { kind: 'none' }
  | { kind: 'rollback'; to: number; stuck: ReleaseRevision }
  | { kind: 'uninstall'; stuck: ReleaseRevision };

const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);

/** The newest revision, which decides whether the release is stuck. */
export function latest(history: ReleaseRevision[]): ReleaseRevision | undefined {
  return history.reduce<ReleaseRevision | undefined>(
    (a, b) => (!a || b.revision > a.revision ? b : a),
    undefined,
  );
}

/** The newest revision that is (or was last) deployed: what a rollback returns to. */
export function lastDeployed(
  history: ReleaseRevision[],
  before = Number.POSITIVE_INFINITY,
): ReleaseRevision | undefined {
  return [...history]
    .sort((a, b) => b.revision - a.revision)
    .find((r) => r.revision < before && (r.status === 'deployed' || r.status === 'superseded'));
}

/**
 * A release whose newest revision is pending-* was left behind by a helm that died mid-operation
 * (typically a runner killed at its timeout); Helm refuses every later operation with "another
 * operation is in progress". Recovery: roll back to the last good revision, or uninstall a first
 * install that never completed.
 */
export function planStuckRecovery(history: ReleaseRevision[]): StuckRecovery {
  const top = latest(history);
  if (!top || !PENDING.has(top.status)) return { kind: 'none' };
  const good = lastDeployed(history, top.revision);
  if (good) return { kind: 'rollback', to: good.revision, stuck: top };
  return { kind: 'uninstall', stuck: top };
}

/** The revision `mode: rollback` returns to when none is given: the one before the current deployed one. */
export function rollbackTarget(history: ReleaseRevision[]): number | undefined {
  const current = [...history].sort((a, b) => b.revision - a.revision).find((r) => r.status === 'deployed');
  if (!current) return undefined;
  return lastDeployed(history, current.revision)?.revision;
}
