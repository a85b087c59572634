import type { KubeClient } from './client.js';
import type { WorkloadRef } from './manifest.js';
import { deploymentStatusFromPods, type DeploymentObject } from './pod-rollout.js';
import { PodView } from './pod-view.js';
import { rolloutStatus, workloadPath, type RolloutState, type WorkloadObject } from './rollout.js';

export interface WorkloadResult {
  ref: WorkloadRef;
  state: RolloutState | 'timeout' | 'missing';
  message: string;
  /** When the watch saw it ready (ms since epoch). */
  readyAt?: number;
  /** Time from the start of verification to ready, in ms. */
  durationMs?: number;
}

export interface VerifyOptions {
  client: KubeClient;
  workloads: WorkloadRef[];
  /** One deadline shared by every workload (ms since epoch). */
  deadlineAt: number;
  /** Generations seen before the deploy: a workload counts as rolled out only once its new spec is observed. */
  baseline: Map<string, number | undefined>;
  /** True once helm has applied everything (its process ended); unchanged workloads are then current. */
  applied: () => boolean;
  onReady?: (r: WorkloadResult) => void;
  signal?: AbortSignal;
}

export const workloadKey = (w: WorkloadRef) => `${w.kind}/${w.namespace}/${w.name}`;

/** Reads each workload's generation before the deploy, for the freshness rule above. */
export async function snapshotGenerations(client: KubeClient, workloads: WorkloadRef[]): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  await Promise.all(workloads.map(async (w) => {
    const obj = await client.find<WorkloadObject>(workloadPath(w.kind, w.namespace, w.name));
    out.set(workloadKey(w), obj?.metadata?.generation);
  }));
  return out;
}

/**
 * Verifies every workload's rollout in parallel with watches under one shared deadline, so the
 * wall time is that of the slowest workload, not the sum. Re-watches from a fresh read every few
 * seconds, so a quiet or dropped watch never stalls it. Deployments are also judged from their
 * pods (one shared view per namespace), which sees a finished rollout before the controllers
 * have written it into the Deployment's status.
 */
export async function verifyRollout(opts: VerifyOptions): Promise<WorkloadResult[]> {
  const started = Date.now();
  const views = new Map<string, PodView>();
  for (const w of opts.workloads) {
    if (w.kind === 'Deployment' && !views.has(w.namespace)) views.set(w.namespace, new PodView(opts.client, w.namespace));
  }
  for (const view of views.values()) view.start();
  try {
    return await Promise.all(opts.workloads.map((w) => verifyOne(w, opts, started, w.kind === 'Deployment' ? views.get(w.namespace) : undefined)));
  } finally {
    await Promise.all([...views.values()].map((v) => v.stop()));
  }
}

async function verifyOne(ref: WorkloadRef, opts: VerifyOptions, started: number, view: PodView | undefined): Promise<WorkloadResult> {
  const path = workloadPath(ref.kind, ref.namespace, ref.name);
  const collection = workloadPath(ref.kind, ref.namespace);
  const before = opts.baseline.get(workloadKey(ref));
  let last: WorkloadResult = { ref, state: 'progressing', message: 'waiting for the workload to appear' };
  let latest: WorkloadObject | undefined;
  let settled: WorkloadResult | undefined;
  let interrupt = () => {};

  const judge = (obj: WorkloadObject | undefined): WorkloadResult | undefined => {
    latest = obj;
    if (!obj) {
      last = { ref, state: 'progressing', message: 'not created yet' };
      return undefined;
    }
    const gen = obj.metadata?.generation ?? 0;
    const current = before === undefined || gen > before || opts.applied();
    let status = rolloutStatus(ref.kind, obj);
    if (status.state === 'progressing' && view) status = deploymentStatusFromPods(obj as DeploymentObject, view) ?? status;
    last = { ref, state: status.state === 'ready' && !current ? 'progressing' : status.state, message: current ? status.message : 'waiting for the new spec to be applied' };
    if (last.state === 'ready') {
      const now = Date.now();
      last = { ...last, readyAt: now, durationMs: now - started };
      opts.onReady?.(last);
    }
    return last.state === 'ready' || last.state === 'failed' ? last : undefined;
  };
  // A change among the pods can finish a Deployment whose own object did not change.
  const unlisten = view?.onChange(() => {
    if (settled || !latest) return;
    settled = judge(latest);
    if (settled) interrupt();
  });

  try {
    return await follow();
  } finally {
    unlisten?.();
  }

  async function follow(): Promise<WorkloadResult> {
    while (Date.now() < opts.deadlineAt && !opts.signal?.aborted) {
      const obj = await opts.client.find<WorkloadObject & { metadata?: { resourceVersion?: string } }>(path);
      if (settled) return settled;
      const verdict = judge(obj);
      if (verdict) return verdict;
      const remaining = opts.deadlineAt - Date.now();
      if (remaining <= 0) break;
      // Watch for changes for a short slice, then read again: covers dropped watches and helm finishing.
      const sliceSeconds = Math.max(1, Math.min(5, Math.floor(remaining / 1000)));
      const watch = await opts.client.watch<WorkloadObject>(collection, { fieldSelector: `metadata.name=${ref.name}`, resourceVersion: obj?.metadata?.resourceVersion, timeoutSeconds: sliceSeconds, allowWatchBookmarks: 'true' }, (e) => {
        if (settled || (e.type !== 'ADDED' && e.type !== 'MODIFIED')) return;
        settled = judge(e.object);
        if (settled) watch.stop();
      });
      const abort = () => watch.stop();
      interrupt = abort;
      if (settled) watch.stop();
      opts.signal?.addEventListener('abort', abort, { once: true });
      const timer = setTimeout(() => watch.stop(), Math.min(remaining, sliceSeconds * 1000 + 1000));
      await watch.done;
      clearTimeout(timer);
      interrupt = () => {};
      opts.signal?.removeEventListener('abort', abort);
      if (settled) return settled;
    }
    return { ref, state: last.state === 'progressing' && last.message === 'not created yet' ? 'missing' : 'timeout', message: last.message };
  }
}
