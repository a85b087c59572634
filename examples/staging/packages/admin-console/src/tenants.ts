import { percent, relativeTime, shortHash, table } from './format.js';

// The tenants page: one row per tenant from the constitution service's signed bundle and the
// orchestrator's training state.

export interface SignedBundleView {
  tenant: string;
  version: number;
  hash: string;
  bundle: { threshold: number; rules: { id: string }[]; updated_at: string; updated_by: string };
  signature: { key_id: string };
}

export interface TrainingView {
  tenant: string;
  enabled: boolean;
  enabled_by: string | null;
  since: string | null;
  samples: number;
}

export interface TenantRow {
  tenant: string;
  version: string;
  hash: string;
  rules: string;
  threshold: string;
  training: string;
  updated: string;
}

export function tenantRow(
  signed: SignedBundleView,
  training: TrainingView | undefined,
  now: Date,
): TenantRow {
  if (training && training.tenant !== signed.tenant)
    throw new Error(`training state of ${training.tenant} given for tenant ${signed.tenant}`);
  const on = training?.enabled === true;
  return {
    tenant: signed.tenant,
    version: `v${signed.version}`,
    hash: shortHash(signed.hash),
    rules: String(signed.bundle.rules.length),
    threshold: percent(signed.bundle.threshold),
    training: on
      ? `on (${training!.enabled_by}, ${relativeTime(new Date(training!.since!), now)}, ${training!.samples} samples)`
      : 'off',
    updated: `${relativeTime(new Date(signed.bundle.updated_at), now)} by ${signed.bundle.updated_by}`,
  };
}

/** Tenants sorted by name; tenants in training mode are marked so they stand out. */
export function tenantsTable(bundles: SignedBundleView[], training: TrainingView[], now: Date): string {
  const byTenant = new Map(training.map((t) => [t.tenant, t]));
  const rows = [...bundles]
    .sort((a, b) => a.tenant.localeCompare(b.tenant))
    .map((b) => tenantRow(b, byTenant.get(b.tenant), now));
  return table(
    ['tenant', 'version', 'hash', 'rules', 'threshold', 'training', 'updated'],
    rows.map((r) => [r.tenant, r.version, r.hash, r.rules, r.threshold, r.training, r.updated]),
  );
}
