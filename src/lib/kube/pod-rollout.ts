import { isDeepStrictEqual } from 'node:util';
import type { RolloutStatus } from './rollout.js';

interface OwnerReference {
  uid?: string;
  controller?: boolean;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> } & Record<string, unknown>;
  spec?: unknown;
}

/** The parts of a Deployment the pod rule reads. */
export interface DeploymentObject {
  metadata?: { uid?: string; generation?: number };
  spec?: { replicas?: number; minReadySeconds?: number; paused?: boolean; template?: PodTemplate };
}

export interface ReplicaSetObject {
  metadata?: { uid?: string; name?: string; ownerReferences?: OwnerReference[] };
  spec?: { template?: PodTemplate };
}

export interface PodObject {
  metadata?: { name?: string; deletionTimestamp?: string; ownerReferences?: OwnerReference[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** What the pod rule needs to know about a namespace: its ReplicaSets and, per owner uid, its pods. */
export interface PodIndex {
  replicaSets(): Iterable<ReplicaSetObject>;
  podsOwnedBy(uid: string): Iterable<PodObject>;
}

const HASH_LABEL = 'pod-template-hash';

/**
 * Whether a Deployment has rolled out, judged from its pods rather than from its status.
 *
 * Under load the ReplicaSet and Deployment controllers copy pod readiness into their status
 * seconds after the last pod turned Ready (each sync waits for its informer cache to catch up
 * with its own last write). With `minReadySeconds: 0` a Ready pod is an available one, so the
 * rollout is complete as soon as the new ReplicaSet has `spec.replicas` Ready pods and no pod of
 * an older ReplicaSet is left running — the same condition `kubectl rollout status` waits for,
 * read one hop earlier. Anything this rule cannot be sure of returns undefined, and the caller
 * keeps waiting for the status: minReadySeconds > 0 (availability needs a clock the pods do not
 * carry with enough precision), a paused Deployment, or no ReplicaSet for the current template.
 *
 * It does not wait for `status.observedGeneration` either: the controller writes that in the same
 * late status update. A template it has not acted on yet has no ReplicaSet (or, after a rollback to
 * an old template, one scaled to zero while the previous one still has pods), so it cannot pass.
 */
export function deploymentStatusFromPods(
  deploy: DeploymentObject,
  index: PodIndex,
): RolloutStatus | undefined {
  const uid = deploy.metadata?.uid;
  const spec = deploy.spec;
  if (!uid || !spec?.template) return undefined;
  if ((spec.minReadySeconds ?? 0) > 0 || spec.paused) return undefined;

  const owned = [...index.replicaSets()].filter((rs) => controlledBy(rs.metadata?.ownerReferences, uid));
  // The controller's own rule for "the new ReplicaSet": the one whose template equals the
  // Deployment's, ignoring the hash label it adds.
  const current = owned.find((rs) => sameTemplate(rs.spec?.template, spec.template));
  const currentUid = current?.metadata?.uid;
  if (!current || !currentUid) return undefined;

  const want = spec.replicas ?? 1;
  let ready = 0;
  for (const pod of index.podsOwnedBy(currentUid)) {
    if (
      pod.metadata?.deletionTimestamp === undefined &&
      controlledBy(pod.metadata?.ownerReferences, currentUid) &&
      isReady(pod)
    )
      ready++;
  }
  if (ready < want) return undefined;
  for (const rs of owned) {
    const rsUid = rs.metadata?.uid;
    if (!rsUid || rsUid === currentUid) continue;
    for (const pod of index.podsOwnedBy(rsUid)) {
      if (pod.metadata?.deletionTimestamp === undefined) return undefined;
    }
  }
  return {
    state: 'ready',
    message: `${want} replica(s) ready (read from the pods; the Deployment status follows)`,
  };
}

function controlledBy(refs: OwnerReference[] | undefined, uid: string): boolean {
  return refs?.some((r) => r.uid === uid && r.controller === true) ?? false;
}

function isReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function sameTemplate(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  if (!a || !b) return false;
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

function withoutHash(t: PodTemplate): PodTemplate {
  const labels = t.metadata?.labels;
  if (!labels || !(HASH_LABEL in labels)) return t;
  const { [HASH_LABEL]: _hash, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}
