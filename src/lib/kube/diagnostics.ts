import type { KubeClient } from './client.js';
import type { WorkloadRef } from './manifest.js';
import { rolloutStatus, workloadPath, type WorkloadObject } from './rollout.js';

interface Pod {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string; uid?: string }[];
  };
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}
interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string };
    running?: object;
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}
export interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; uid?: string };
}

/** A pod as the API returns it (what a diagnosis reads of it). */
export type PodSnapshot = Pod;

/** What to diagnose: a workload, and what was seen of it when it failed (a hook Job may be gone since). */
export interface DiagnosisTarget {
  ref: WorkloadRef;
  evidence?: { object: WorkloadObject; pods: PodSnapshot[] };
  /** The uid of an earlier run of a hook, there before the deploy: not the object to diagnose. */
  earlierUid?: string;
}

export interface PodDiagnosis {
  name: string;
  phase: string;
  ready: boolean;
  node?: string;
  restarts: number;
  /** Why it is not ready, most specific first: "CrashLoopBackOff: back-off 10s restarting failed container". */
  reasons: string[];
}

export interface WorkloadDiagnosis {
  kind: string;
  name: string;
  namespace: string;
  /** The hook events, for a Helm hook. */
  hook?: string[];
  status: string;
  pods: PodDiagnosis[];
  events: {
    type: string;
    reason: string;
    object: string;
    message: string;
    count: number;
    lastSeen: string;
  }[];
  logs: { pod: string; container: string; previous: boolean; text?: string; unavailable?: string }[];
}

const LOG_TAIL_LINES = 40;
const MAX_EVENTS = 20;

/** What a person needs to see why a workload did not roll out: status, pod reasons, events, logs. */
export async function diagnose(client: KubeClient, targets: DiagnosisTarget[]): Promise<WorkloadDiagnosis[]> {
  return Promise.all(targets.map((t) => diagnoseOne(client, t)));
}

type Live = WorkloadObject & { metadata?: { uid?: string } };

async function diagnoseOne(client: KubeClient, target: DiagnosisTarget): Promise<WorkloadDiagnosis> {
  const { ref, evidence } = target;
  const ns = encodeURIComponent(ref.namespace);
  const found = await client
    .find<Live>(workloadPath(ref.kind, ref.namespace, ref.name))
    .catch(() => undefined);
  // An earlier run of a hook that helm could not replace is not this deploy's: said apart, below.
  const earlier =
    target.earlierUid !== undefined && found?.metadata?.uid === target.earlierUid ? found : undefined;
  const live = earlier ? undefined : found;
  const seen = evidence?.object as Live | undefined;
  // The object diagnosed is the one that failed: a live object with another uid is a later one.
  const obj = seen ?? live;
  const uid = obj?.metadata?.uid;
  const gone = seen !== undefined && live?.metadata?.uid !== seen.metadata?.uid;
  const out: WorkloadDiagnosis = {
    kind: ref.kind,
    name: ref.name,
    namespace: ref.namespace,
    ...(ref.hook ? { hook: ref.hook.events } : {}),
    status: '',
    pods: [],
    events: [],
    logs: [],
  };

  const selector = obj?.spec?.selector?.matchLabels;
  let pods: Pod[] = [];
  if (selector && Object.keys(selector).length) {
    const labelSelector = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    pods = (
      await client
        .get<{ items: Pod[] }>(`/api/v1/namespaces/${ns}/pods`, { labelSelector })
        .catch(() => ({ items: [] }))
    ).items;
  }
  // Pods seen at the failure that are gone now (deleted with their Job) still tell why it failed.
  for (const p of evidence?.pods ?? [])
    if (!pods.some((q) => q.metadata.name === p.metadata.name)) pods.push(p);
  out.pods = pods
    .map(diagnosePod)
    .sort((a, b) => Number(a.ready) - Number(b.ready) || a.name.localeCompare(b.name));

  const events = (
    await client
      .get<{ items: KubeEvent[] }>(`/api/v1/namespaces/${ns}/events`, { limit: 1000 })
      .catch(() => ({ items: [] }))
  ).items;
  const chosen = selectEvents(events, ref, obj ? { uid, pods } : undefined);
  out.events = chosen.events;
  if (earlier && !obj) {
    out.status = `not created by this deploy: an earlier run of the hook is still there (${rolloutStatus(ref.kind, earlier).message})`;
  } else if (!obj) {
    out.status = chosen.earlier
      ? `not found; an earlier ${ref.kind} with this name existed (its last event: ${chosen.earlier})`
      : 'not found';
  } else {
    const state = rolloutStatus(ref.kind, obj).message;
    out.status = gone ? `${state} (as seen when it failed; helm has deleted it since)` : state;
  }

  // Logs of the containers that are not ready; the previous run's logs when one crashed.
  for (const pod of pods.filter((p) => !isReady(p)).slice(0, 3)) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      if (cs.ready) continue;
      // A container that crashed and waits to restart has its logs in the previous run.
      const previous = cs.restartCount > 0 && !cs.state?.terminated;
      try {
        const text = await client.text(
          `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}/log`,
          { container: cs.name, tailLines: LOG_TAIL_LINES, previous: previous ? 'true' : undefined },
        );
        out.logs.push({ pod: pod.metadata.name, container: cs.name, previous, text });
      } catch (err) {
        out.logs.push({
          pod: pod.metadata.name,
          container: cs.name,
          previous,
          unavailable: (err as Error).message,
        });
      }
    }
  }
  return out;
}

/**
 * The events that explain a workload, newest first: those of the workload, its ReplicaSets and its
 * pods. With the object's uid, only those of this very object: an earlier object of the same name (a
 * Job of an earlier revision, an earlier run of a hook) has events of its own, which would contradict
 * this one's state. When the object does not exist, no event is its own; the newest event of an
 * earlier object by that name is returned apart, to be said as such.
 */
export function selectEvents(
  events: KubeEvent[],
  ref: Pick<WorkloadRef, 'name'>,
  found: { uid: string | undefined; pods: Pod[] } | undefined,
): { events: WorkloadDiagnosis['events']; earlier?: string } {
  if (!found) {
    const earlier = events
      .filter((e) => e.involvedObject?.name === ref.name)
      .map(toEvent)
      .sort(newestFirst)[0];
    return { events: [], ...(earlier ? { earlier: `${earlier.reason}: ${earlier.message}` } : {}) };
  }
  const { uid, pods } = found;
  const uids = new Set(
    [
      uid,
      ...pods.map((p) => p.metadata.uid),
      ...pods.flatMap((p) => p.metadata.ownerReferences?.map((o) => o.uid) ?? []),
    ].filter((u): u is string => !!u),
  );
  const names = new Set([
    ref.name,
    ...pods.map((p) => p.metadata.name),
    ...pods.flatMap((p) => p.metadata.ownerReferences?.map((o) => o.name) ?? []),
  ]);
  return {
    events: events
      .filter((e) => e.involvedObject?.name && names.has(e.involvedObject.name))
      .filter((e) => !uid || !e.involvedObject?.uid || uids.has(e.involvedObject.uid))
      .map(toEvent)
      .sort(newestFirst)
      .slice(0, MAX_EVENTS),
  };
}

function toEvent(e: KubeEvent): WorkloadDiagnosis['events'][number] {
  return {
    type: e.type ?? '',
    reason: e.reason ?? '',
    object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
    message: e.message ?? '',
    count: e.count ?? 1,
    lastSeen: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '',
  };
}

function newestFirst(a: WorkloadDiagnosis['events'][number], b: WorkloadDiagnosis['events'][number]): number {
  return b.lastSeen.localeCompare(a.lastSeen) || Number(b.type === 'Warning') - Number(a.type === 'Warning');
}

function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function diagnosePod(p: Pod): PodDiagnosis {
  const reasons: string[] = [];
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  for (const cs of statuses) {
    const w = cs.state?.waiting;
    const t = cs.state?.terminated;
    if (w?.reason) reasons.push(`${cs.name}: ${w.reason}${w.message ? `: ${w.message}` : ''}`);
    else if (t?.reason && t.reason !== 'Completed')
      reasons.push(
        `${cs.name}: terminated ${t.reason} (exit ${t.exitCode ?? '?'})${t.message ? `: ${t.message}` : ''}`,
      );
    const last = cs.lastState?.terminated;
    if (cs.restartCount > 0 && last)
      reasons.push(
        `${cs.name}: restarted ${cs.restartCount}×, last exit ${last.reason ?? ''} (code ${last.exitCode ?? '?'})`,
      );
  }
  for (const c of p.status?.conditions ?? []) {
    if (
      c.status !== 'True' &&
      (c.reason || c.message) &&
      (c.type === 'PodScheduled' || c.type === 'Ready' || c.type === 'ContainersReady')
    ) {
      reasons.push(`${c.type}=False${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
    }
  }
  return {
    name: p.metadata.name,
    phase: p.status?.phase ?? 'Unknown',
    ready: isReady(p),
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    restarts: statuses.reduce((n, cs) => n + cs.restartCount, 0),
    reasons: [...new Set(reasons)],
  };
}
