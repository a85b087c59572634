import type { KubeClient } from './client.js';
import type { WorkloadRef } from './manifest.js';
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
 * seconds, so a quiet or dropped watch never stalls it.
 */
export async function verifyRollout(opts: VerifyOptions): Promise<WorkloadResult[]> {
  const started = Date.now();
  return Promise.all(opts.workloads.map((w) => verifyOne(w, opts, started)));
}

async function verifyOne(ref: WorkloadRef, opts: VerifyOptions, started: number): Promise<WorkloadResult> {
  const path = workloadPath(ref.kind, ref.namespace, ref.name);
  const collection = workloadPath(ref.kind, ref.namespace);
  const before = opts.baseline.get(workloadKey(ref));
  let last: WorkloadResult = { ref, state: 'progressing', message: 'waiting for the workload to appear' };

  const judge = (obj: WorkloadObject | undefined): WorkloadResult | undefined => {
    if (!obj) {
      last = { ref, state: 'progressing', message: 'not created yet' };
      return undefined;
    }
    const gen = obj.metadata?.generation ?? 0;
    const current = before === undefined || gen > before || opts.applied();
    const status = rolloutStatus(ref.kind, obj);
    last = { ref, state: status.state === 'ready' && !current ? 'progressing' : status.state, message: current ? status.message : 'waiting for the new spec to be applied' };
    if (last.state === 'ready') {
      const now = Date.now();
      last = { ...last, readyAt: now, durationMs: now - started };
      opts.onReady?.(last);
    }
    return last.state === 'ready' || last.state === 'failed' ? last : undefined;
  };

  while (Date.now() < opts.deadlineAt && !opts.signal?.aborted) {
    const obj = await opts.client.find<WorkloadObject & { metadata?: { resourceVersion?: string } }>(path);
    const verdict = judge(obj);
    if (verdict) return verdict;
    const remaining = opts.deadlineAt - Date.now();
    if (remaining <= 0) break;
    // Watch for changes for a short slice, then read again: covers dropped watches and helm finishing.
    const sliceSeconds = Math.max(1, Math.min(5, Math.floor(remaining / 1000)));
    let settled: WorkloadResult | undefined;
    const watch = await opts.client.watch<WorkloadObject>(collection, { fieldSelector: `metadata.name=${ref.name}`, resourceVersion: obj?.metadata?.resourceVersion, timeoutSeconds: sliceSeconds, allowWatchBookmarks: 'true' }, (e) => {
      if (settled || (e.type !== 'ADDED' && e.type !== 'MODIFIED')) return;
      settled = judge(e.object);
      if (settled) watch.stop();
    });
    const abort = () => watch.stop();
    opts.signal?.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(() => watch.stop(), Math.min(remaining, sliceSeconds * 1000 + 1000));
    await watch.done;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', abort);
    if (settled) return settled;
  }
  return { ref, state: last.state === 'progressing' && last.message === 'not created yet' ? 'missing' : 'timeout', message: last.message };
}
