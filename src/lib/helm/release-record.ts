import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { parseManifest, workloadsOf, type WorkloadRef } from '../kube/manifest.js';

/**
 * A release revision as Helm stores it: what it rendered and applied for that revision
 * (`manifest`), and its hooks, which Helm runs itself and keeps out of the manifest. Helm 3 and 4
 * store the same JSON (helm.sh/helm/v3/pkg/release, v4/pkg/release/v1).
 */
export interface ReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; description?: string };
  manifest: string;
  hooks: HookRecord[];
}

export interface HookRecord {
  name: string;
  kind: string;
  path?: string;
  manifest: string;
  events: string[];
  weight?: number;
  delete_policies?: string[];
  last_run?: { phase?: string; started_at?: string; completed_at?: string };
}

/** Helm's storage drivers that keep revisions as Kubernetes objects (the others need the CLI). */
export type RecordDriver = 'secret' | 'configmap';

/** Which object Helm stores revisions in, from HELM_DRIVER as helm itself reads it. */
export function recordDriver(helmDriver: string | undefined): RecordDriver | undefined {
  switch ((helmDriver ?? '').trim().toLowerCase()) {
    case '':
    case 'secret':
    case 'secrets':
      return 'secret';
    case 'configmap':
    case 'configmaps':
      return 'configmap';
    default:
      return undefined; // memory, sql: only helm can read them
  }
}

/** `sh.helm.release.v1.<release>.v<revision>`: the name of a revision's Secret or ConfigMap. */
export function recordName(release: string, revision: number): string {
  return `sh.helm.release.v1.${release}.v${revision}`;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/**
 * Decodes the `release` entry of a revision's Secret or ConfigMap: Helm writes base64 of a gzip of
 * the JSON (older Helm wrote it uncompressed); a Secret's data adds Kubernetes' own base64 on top.
 */
export function decodeRecord(data: string, driver: RecordDriver): ReleaseRecord {
  const helmText = driver === 'secret' ? Buffer.from(data, 'base64').toString('latin1') : data;
  let bytes = Buffer.from(helmText, 'base64');
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) bytes = gunzipSync(bytes);
  return normalizeRecord(JSON.parse(bytes.toString('utf8')) as Partial<ReleaseRecord>);
}

/** The record as `helm status -o json` or a `--dry-run -o json` prints it. */
export function parseRecordJson(text: string): ReleaseRecord {
  return normalizeRecord(JSON.parse(text) as Partial<ReleaseRecord>);
}

function normalizeRecord(raw: Partial<ReleaseRecord>): ReleaseRecord {
  if (typeof raw.version !== 'number' || typeof raw.name !== 'string') {
    throw new Error('not a Helm release record (no name or version)');
  }
  return {
    name: raw.name,
    namespace: raw.namespace ?? '',
    version: raw.version,
    info: {
      status: raw.info?.status ?? 'unknown',
      ...(raw.info?.description ? { description: raw.info.description } : {}),
    },
    manifest: raw.manifest ?? '',
    hooks: (raw.hooks ?? []).map((h) => ({ ...h, events: h.events ?? [] })),
  };
}

/**
 * Whether a revision was made by an install (else an upgrade): its pending status says so while
 * Helm works; afterwards only the description does ("Install complete", "Upgrade complete").
 */
export function madeByInstall(record: ReleaseRecord, otherwise: boolean): boolean {
  if (record.info.status === 'pending-install') return true;
  if (record.info.status === 'pending-upgrade') return false;
  const description = record.info.description ?? '';
  if (/^install/i.test(description)) return true;
  if (/^upgrade/i.test(description)) return false;
  return otherwise;
}

/** The hooks a revision runs during its install or upgrade, in Helm's order (weight, then name). */
export function hooksRunBy(record: ReleaseRecord, install: boolean): HookRecord[] {
  const events = install ? ['pre-install', 'post-install'] : ['pre-upgrade', 'post-upgrade'];
  return record.hooks
    .filter((h) => h.events.some((e) => events.includes(e)))
    .sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0) || a.name.localeCompare(b.name));
}

/**
 * What a revision asks to verify: the workloads of its manifest, and the Job hooks its operation
 * runs (Helm waits for Job hooks; it creates other hook kinds without waiting, so they have no rollout).
 * Hooks without a delete policy get Helm's default, before-hook-creation.
 */
export function releaseWorkloads(
  record: ReleaseRecord,
  install: boolean,
  releaseNamespace: string,
): WorkloadRef[] {
  const workloads = workloadsOf(parseManifest(record.manifest, releaseNamespace));
  const hooks = hooksRunBy(record, install)
    .filter((h) => h.kind === 'Job')
    .map((h): WorkloadRef => ({
      kind: 'Job',
      name: h.name,
      namespace: hookNamespace(h, releaseNamespace),
      hook: {
        events: h.events,
        deletePolicies: h.delete_policies?.length ? h.delete_policies : ['before-hook-creation'],
      },
    }));
  return [...workloads, ...hooks];
}

/** A hook's object namespace: the one its manifest names, else the release's. */
export function hookNamespace(hook: HookRecord, releaseNamespace: string): string {
  for (const doc of parseAllDocuments(hook.manifest)) {
    const ns = (doc.toJS() as { metadata?: { namespace?: string } } | null)?.metadata?.namespace;
    if (ns) return ns;
  }
  return releaseNamespace;
}

/** The phase Helm recorded for a hook's last run (Succeeded, Failed, Running, Unknown), if any. */
type Named = Pick<WorkloadRef, 'kind' | 'name'>;

export function hookPhase(record: ReleaseRecord, ref: Named): string | undefined {
  return record.hooks.find((h) => h.kind === ref.kind && h.name === ref.name)?.last_run?.phase || undefined;
}

/** Whether a workload is part of a revision: in its manifest, or one of its hooks. */
export function belongsTo(record: ReleaseRecord, ref: WorkloadRef, releaseNamespace: string): boolean {
  if (ref.hook) return record.hooks.some((h) => h.kind === ref.kind && h.name === ref.name);
  return parseManifest(record.manifest, releaseNamespace).some(
    (o) => o.kind === ref.kind && o.name === ref.name && o.namespace === ref.namespace,
  );
}
