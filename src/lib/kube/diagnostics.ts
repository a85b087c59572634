import type { KubeClient } from './client.js';
import type { WorkloadRef } from './manifest.js';
import { rolloutStatus, workloadPath, type WorkloadObject } from './rollout.js';

interface Pod {
  metadata: { name: string; namespace: string; creationTimestamp?: string; ownerReferences?: { kind: string; name: string }[] };
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
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string }; running?: object };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}
interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string };
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
  status: string;
  pods: PodDiagnosis[];
  events: { type: string; reason: string; object: string; message: string; count: number; lastSeen: string }[];
  logs: { pod: string; container: string; previous: boolean; text?: string; unavailable?: string }[];
}

const LOG_TAIL_LINES = 40;
const MAX_EVENTS = 20;

/** What a person needs to see why a workload did not roll out: status, pod reasons, events, logs. */
export async function diagnose(client: KubeClient, refs: WorkloadRef[]): Promise<WorkloadDiagnosis[]> {
  return Promise.all(refs.map((ref) => diagnoseOne(client, ref)));
}

async function diagnoseOne(client: KubeClient, ref: WorkloadRef): Promise<WorkloadDiagnosis> {
  const obj = await client.find<WorkloadObject>(workloadPath(ref.kind, ref.namespace, ref.name)).catch(() => undefined);
  const out: WorkloadDiagnosis = { kind: ref.kind, name: ref.name, namespace: ref.namespace, status: obj ? rolloutStatus(ref.kind, obj).message : 'not found', pods: [], events: [], logs: [] };
  const selector = obj?.spec?.selector?.matchLabels;
  let pods: Pod[] = [];
  if (selector && Object.keys(selector).length) {
    const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    pods = (await client.get<{ items: Pod[] }>(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods`, { labelSelector }).catch(() => ({ items: [] }))).items;
  }
  out.pods = pods.map(diagnosePod).sort((a, b) => Number(a.ready) - Number(b.ready) || a.name.localeCompare(b.name));

  // Events of the workload, its ReplicaSets/revisions and its pods, newest first.
  const names = new Set([ref.name, ...pods.map((p) => p.metadata.name), ...pods.flatMap((p) => p.metadata.ownerReferences?.map((o) => o.name) ?? [])]);
  const events = (await client.get<{ items: KubeEvent[] }>(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events`, { limit: 1000 }).catch(() => ({ items: [] }))).items;
  out.events = events
    .filter((e) => e.involvedObject?.name && names.has(e.involvedObject.name))
    .map((e) => ({ type: e.type ?? '', reason: e.reason ?? '', object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`, message: e.message ?? '', count: e.count ?? 1, lastSeen: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '' }))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || Number(b.type === 'Warning') - Number(a.type === 'Warning'))
    .slice(0, MAX_EVENTS);

  // Logs of the containers that are not ready; the previous run's logs when one crashed.
  for (const pod of pods.filter((p) => !isReady(p)).slice(0, 3)) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      if (cs.ready) continue;
      const previous = cs.restartCount > 0;
      try {
        const text = await client.text(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`, { container: cs.name, tailLines: LOG_TAIL_LINES, previous: previous ? 'true' : undefined });
        out.logs.push({ pod: pod.metadata.name, container: cs.name, previous, text });
      } catch (err) {
        out.logs.push({ pod: pod.metadata.name, container: cs.name, previous, unavailable: (err as Error).message });
      }
    }
  }
  return out;
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
    else if (t?.reason && t.reason !== 'Completed') reasons.push(`${cs.name}: terminated ${t.reason} (exit ${t.exitCode ?? '?'})${t.message ? `: ${t.message}` : ''}`);
    const last = cs.lastState?.terminated;
    if (cs.restartCount > 0 && last) reasons.push(`${cs.name}: restarted ${cs.restartCount}×, last exit ${last.reason ?? ''} (code ${last.exitCode ?? '?'})`);
  }
  for (const c of p.status?.conditions ?? []) {
    if (c.status !== 'True' && (c.reason || c.message) && (c.type === 'PodScheduled' || c.type === 'Ready' || c.type === 'ContainersReady')) {
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
