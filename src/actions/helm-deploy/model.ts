import type { WorkloadDiagnosis } from '../../lib/kube/diagnostics.js';
import type { ObjectChange } from '../../lib/kube/manifest-diff.js';
import type { WorkloadResult } from '../../lib/kube/verify.js';

export type DeployStatus = 'deployed' | 'failed' | 'rolled-back' | 'uninstalled';

export interface DeployResult {
  mode: 'deploy' | 'rollback';
  release: string;
  namespace: string;
  chart: string;
  helmVersion: string;
  status: DeployStatus;
  revision?: number;
  previousRevision?: number;
  rolledBack: boolean;
  recovered?: { from: string; revision: number; action: 'rollback' | 'uninstall'; to?: number };
  budgetWarning?: string;
  helmMessage?: string;
  durationMs: number;
  /** Time spent waiting for workloads (the slowest one), and what a one-by-one wait would have cost. */
  verification?: { wallMs: number; sumMs: number; slowest?: string; workloads: WorkloadSummary[] };
  diff?: ObjectChange[];
  diagnostics?: WorkloadDiagnosis[];
  failure?: string;
}

export interface WorkloadSummary {
  kind: string;
  name: string;
  namespace: string;
  state: WorkloadResult['state'];
  message: string;
  durationMs?: number;
  /** When the watch saw it ready (ms since epoch). */
  readyAt?: number;
}
