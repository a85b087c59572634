import { parseAllDocuments } from 'yaml';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** Set for a Helm hook: Helm creates it during the operation, waits for it, and may delete it after. */
  hook?: { events: string[]; deletePolicies: string[] };
}

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** Every object of a rendered Helm manifest (multi-document YAML), with its namespace defaulted. */
export function parseManifest(manifest: string, defaultNamespace: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    const obj = doc.toJS() as {
      apiVersion?: string;
      kind?: string;
      metadata?: { name?: string; namespace?: string };
    } | null;
    if (!obj || typeof obj !== 'object' || !obj.kind || !obj.metadata?.name) continue;
    if (obj.kind === 'List') continue;
    out.push({
      apiVersion: obj.apiVersion ?? '',
      kind: obj.kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? defaultNamespace,
    });
  }
  return out;
}

/** The workloads whose rollout can be verified. */
export function workloadsOf(objects: ManifestObject[]): WorkloadRef[] {
  return objects
    .filter((o): o is ManifestObject & { kind: WorkloadKind } =>
      (WORKLOAD_KINDS as readonly string[]).includes(o.kind),
    )
    .map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace }));
}
