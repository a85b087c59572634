import type { WorkloadDiagnosis } from '../../lib/kube/diagnostics.js';
import type { ObjectChange } from '../../lib/kube/manifest-diff.js';
import type { VerifyState } from '../../lib/kube/verify.js';

export type DeployStatus = 'deployed' | 'failed' | 'rolled-back' | 'uninstalled';

export interface DeployResult {
  mode: 'deploy' | 'rollback';
  release: string;
  namespace: string;
  /**
   * The chart as the workflow names it: a chart in the checkout by its repository path
   * (`examples/staging/chart`), a reference (`repo/chart`, `oci://…`) as given; never the runner's
   * absolute path of the checkout.
   */
  chart: string;
  helmVersion: string;
  status: DeployStatus;
  revision?: number;
  previousRevision?: number;
  rolledBack: boolean;
  /** For `mode: rollback`: the revision returned to (absent when a first install was uninstalled). */
  rolledBackTo?: number;
  recovered?: { from: string; revision: number; action: 'rollback' | 'uninstall'; to?: number };
  budgetWarning?: string;
  helmMessage?: string;
  durationMs: number;
  /** Time spent waiting for workloads (the slowest one), and what a one-by-one wait would have cost. */
  verification?: { wallMs: number; sumMs: number; slowest?: string; workloads: WorkloadSummary[] };
  diff?: ObjectChange[];
  diagnostics?: WorkloadDiagnosis[];
  failure?: string;
  /** Why the workloads could not be verified (helm's own wait was all there was). */
  unverified?: string;
  /** A mistake of the action itself (it looked for something helm never deployed); the release was left alone. */
  bug?: string;
}

export interface WorkloadSummary {
  kind: string;
  name: string;
  namespace: string;
  /** The hook events, for a Helm hook Job. */
  hook?: string[];
  state: VerifyState;
  message: string;
  durationMs?: number;
  /** When the watch saw it ready (ms since epoch). */
  readyAt?: number;
}

/** One release of a release set: its deploy result, where it stood in the set, and when it ran. */
export interface SetReleaseResult extends Omit<DeployResult, 'status'> {
  /**
   * `skipped`: a release it needs failed (or was skipped), so it was not touched. `unchanged` (a
   * rollback): the deploy it undoes did not change it, so there is nothing to undo.
   */
  status: DeployStatus | 'skipped' | 'unchanged';
  needs: string[];
  /** Its dependency level: 1 for a release that needs nothing. */
  wave: number;
  /** For a skipped release: the needs that did not succeed. */
  blockedBy?: string[];
  /** For an unchanged release (a rollback): why it was left as it is. */
  detail?: string;
  /** When this release's deploy started and ended (ms since epoch); absent when skipped. */
  startedAt?: number;
  endedAt?: number;
}

/**
 * The result of a release set. The fields a single-release result shares with it keep their meaning
 * for readers of either (`mode`, `status`, `rolledBack`, `helmVersion`, `durationMs`, `failure`);
 * `releases` has one entry per release, in the order given.
 */
export interface ReleaseSetResult {
  /** A rollback runs its waves in reverse: a release is undone after the releases that need it. */
  mode: 'deploy' | 'rollback';
  /** deployed when every release was (rolled back or left unchanged, for a rollback); else failed. */
  status: 'deployed' | 'failed';
  /** Any release was rolled back (or its failed first install removed). */
  rolledBack: boolean;
  helmVersion: string;
  /** The namespace when all releases share one. */
  namespace?: string;
  maxParallel: number;
  durationMs: number;
  failure?: string;
  budgetWarning?: string;
  waves: { wave: number; releases: string[] }[];
  releases: SetReleaseResult[];
}
