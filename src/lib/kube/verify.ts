import type { KubeClient } from './client.js';
import type { PodSnapshot } from './diagnostics.js';
import { WORKLOAD_KINDS, type WorkloadRef } from './manifest.js';
import { deploymentStatusFromPods, type DeploymentObject } from './pod-rollout.js';
import { PodView } from './pod-view.js';
import { rolloutStatus, workloadPath, type RolloutState, type WorkloadObject } from './rollout.js';

/**
 * How a workload ended: its rollout state, or `timeout` (still progressing at the deadline),
 * `missing` (never created), `stopped` (verification was cut short because helm failed first),
 * `not-run` (a hook Helm had not run).
 */
export type VerifyState = RolloutState | 'timeout' | 'missing' | 'stopped' | 'not-run';

export interface WorkloadResult {
  ref: WorkloadRef;
  state: VerifyState;
  message: string;
  /** When the watch saw it ready (ms since epoch). */
  readyAt?: number;
  /** Time from the start of verification to ready, in ms. */
  durationMs?: number;
  /** The Job and its pods as they were when it failed: Helm may delete a failed hook at once. */
  evidence?: { object: WorkloadObject; pods: PodSnapshot[] };
}

/** What a workload was before the deploy: a new spec shows as a higher generation, a new object as a new uid. */
export interface Before {
  generation?: number;
  uid?: string;
}

export interface VerifyOptions {
  client: KubeClient;
  workloads: WorkloadRef[];
  /** One deadline shared by every workload (ms since epoch). */
  deadlineAt: number;
  /** Workloads seen before the deploy (absent: did not exist). */
  baseline: Map<string, Before>;
  /** True once helm has applied everything (its process ended); unchanged workloads are then current. */
  applied: () => boolean;
  onReady?: (r: WorkloadResult) => void;
  /** Called the moment a workload fails, so its diagnosis can start before helm reacts to it. */
  onFailed?: (r: WorkloadResult) => void;
  /** Ends verification early: what is not judged yet is `stopped` (hooks not seen: `not-run`). */
  signal?: AbortSignal;
}

type Listed = {
  metadata?: { resourceVersion?: string };
  items?: (WorkloadObject & { metadata?: { uid?: string; resourceVersion?: string } })[];
};

export const workloadKey = (w: Pick<WorkloadRef, 'kind' | 'namespace' | 'name'>) =>
  `${w.kind}/${w.namespace}/${w.name}`;

/**
 * Every workload of the verified kinds in a namespace, before the deploy: one list per kind, so it
 * can be taken before anyone knows which workloads the new revision has. Undefined when listing is
 * not allowed (then baselineOf reads each workload by name).
 */
export async function snapshotNamespace(
  client: KubeClient,
  namespace: string,
): Promise<Map<string, Before> | undefined> {
  try {
    const out = new Map<string, Before>();
    await Promise.all(
      WORKLOAD_KINDS.map(async (kind) => {
        const listed = await client.get<Listed>(workloadPath(kind, namespace));
        for (const o of listed.items ?? []) {
          if (o.metadata?.name)
            out.set(workloadKey({ kind, namespace, name: o.metadata.name }), {
              generation: o.metadata.generation,
              uid: o.metadata.uid,
            });
        }
      }),
    );
    return out;
  } catch {
    return undefined;
  }
}

/**
 * The baseline of each workload: from the namespace snapshot taken before helm started where it
 * covers the workload, else read now. A read now may already see helm's change; that only makes the
 * workload wait for helm to finish, never pass early.
 */
export async function baselineOf(
  client: KubeClient,
  workloads: WorkloadRef[],
  snapshot: { namespace: string; seen: Map<string, Before> | undefined },
): Promise<Map<string, Before>> {
  const out = new Map<string, Before>();
  await Promise.all(
    workloads.map(async (w) => {
      const key = workloadKey(w);
      if (snapshot.seen && w.namespace === snapshot.namespace) {
        const seen = snapshot.seen.get(key);
        if (seen) out.set(key, seen);
        return;
      }
      const obj = await client
        .find<WorkloadObject & { metadata?: { uid?: string } }>(workloadPath(w.kind, w.namespace, w.name))
        .catch(() => undefined);
      if (obj) out.set(key, { generation: obj.metadata?.generation, uid: obj.metadata?.uid });
    }),
  );
  return out;
}

/**
 * Verifies every workload's rollout in parallel with watches under one shared deadline, so the
 * wall time is that of the slowest workload, not the sum. Re-watches from a fresh read every few
 * seconds, so a quiet or dropped watch never stalls it. Deployments are also judged from their
 * pods (one shared view per namespace), which sees a finished rollout before the controllers
 * have written it into the Deployment's status; the same view keeps a failed Job's pods.
 */
export async function verifyRollout(opts: VerifyOptions): Promise<WorkloadResult[]> {
  const started = Date.now();
  const views = new Map<string, PodView>();
  for (const w of opts.workloads) {
    if ((w.kind === 'Deployment' || w.kind === 'Job') && !views.has(w.namespace))
      views.set(w.namespace, new PodView(opts.client, w.namespace));
  }
  for (const view of views.values()) view.start();
  try {
    return await Promise.all(opts.workloads.map((w) => verifyOne(w, opts, started, views.get(w.namespace))));
  } finally {
    await Promise.all([...views.values()].map((v) => v.stop()));
  }
}

async function verifyOne(
  ref: WorkloadRef,
  opts: VerifyOptions,
  started: number,
  view: PodView | undefined,
): Promise<WorkloadResult> {
  const collection = workloadPath(ref.kind, ref.namespace);
  const before = opts.baseline.get(workloadKey(ref));
  const hookName = ref.hook ? `${ref.hook.events.join(',')} hook` : '';
  let last: WorkloadResult = {
    ref,
    state: 'progressing',
    message: ref.hook ? `waiting for helm to run the ${hookName}` : 'waiting for the workload to appear',
  };
  let latest: (WorkloadObject & { metadata?: { uid?: string } }) | undefined;
  let settled: WorkloadResult | undefined;
  /** A hook Job created by this deploy was seen (not an earlier run of it). */
  let hookSeen = false;
  let interrupt = () => {};

  const judge = (
    obj: (WorkloadObject & { metadata?: { uid?: string } }) | undefined,
  ): WorkloadResult | undefined => {
    latest = obj;
    if (!obj) {
      last = ref.hook
        ? {
            ref,
            state: 'progressing',
            message: hookSeen
              ? `deleted before it finished (${hookName})`
              : `waiting for helm to run the ${hookName}`,
          }
        : { ref, state: 'progressing', message: 'not created yet' };
      return undefined;
    }
    let current: boolean;
    if (ref.hook) {
      // Helm deletes an earlier run of a hook before creating it again (before-hook-creation):
      // only a Job with a new uid is this deploy's.
      if (before?.uid !== undefined && obj.metadata?.uid === before.uid) {
        last = {
          ref,
          state: 'progressing',
          message: `an earlier run of the ${hookName} is still there; waiting for helm to run it again`,
        };
        return undefined;
      }
      hookSeen = true;
      current = true;
    } else {
      const gen = obj.metadata?.generation ?? 0;
      current =
        before === undefined ||
        (before.uid !== undefined && obj.metadata?.uid !== before.uid) ||
        gen > (before.generation ?? 0) ||
        opts.applied();
    }
    let status = rolloutStatus(ref.kind, obj);
    if (status.state === 'progressing' && ref.kind === 'Deployment' && view)
      status = deploymentStatusFromPods(obj as DeploymentObject, view) ?? status;
    last = {
      ref,
      state: status.state === 'ready' && !current ? 'progressing' : status.state,
      message: current ? status.message : 'waiting for the new spec to be applied',
    };
    if (last.state === 'ready') {
      const now = Date.now();
      last = { ...last, readyAt: now, durationMs: now - started };
      opts.onReady?.(last);
    }
    if (last.state === 'failed' && ref.kind === 'Job') {
      // Kept now: helm reacts to the same failure, and may delete the Job and its pods (hook-failed).
      const uid = obj.metadata?.uid;
      last = {
        ...last,
        evidence: { object: obj, pods: uid && view ? ([...view.podsOwnedBy(uid)] as PodSnapshot[]) : [] },
      };
    }
    if (last.state === 'failed') opts.onFailed?.(last);
    return last.state === 'ready' || last.state === 'failed' ? last : undefined;
  };
  // A change among the pods can finish a Deployment whose own object did not change.
  const unlisten =
    ref.kind === 'Deployment'
      ? view?.onChange(() => {
          if (settled || !latest) return;
          settled = judge(latest);
          if (settled) interrupt();
        })
      : undefined;

  try {
    return await follow();
  } finally {
    unlisten?.();
  }

  function ended(): WorkloadResult {
    if (ref.hook && !hookSeen)
      return {
        ref,
        state: 'not-run',
        message: `helm had not run the ${hookName} (${opts.signal?.aborted ? 'helm ended first' : 'by the deadline'})`,
      };
    if (opts.signal?.aborted)
      return {
        ref,
        state: 'stopped',
        message: `verification stopped when helm failed; last seen: ${last.message}`,
      };
    return {
      ref,
      state: last.state === 'progressing' && last.message === 'not created yet' ? 'missing' : 'timeout',
      message: last.message,
    };
  }

  async function follow(): Promise<WorkloadResult> {
    while (Date.now() < opts.deadlineAt && !opts.signal?.aborted) {
      // A list by name rather than a get: its resourceVersion lets the watch start exactly where the
      // read ended, so an object created and deleted in between (a quick hook) is still seen.
      const listed = await opts.client.get<Listed>(collection, {
        fieldSelector: `metadata.name=${ref.name}`,
      });
      if (settled) return settled;
      const verdict = judge(listed.items?.[0]);
      if (verdict) return verdict;
      // Helm has ended: a hook not seen by now was never run, or ran and was deleted between two
      // reads; Helm's record of the revision says which (the caller reads it).
      if (ref.hook && opts.applied())
        return hookSeen
          ? { ref, state: 'progressing', message: last.message }
          : { ref, state: 'not-run', message: `not seen while helm ran (${hookName})` };
      const remaining = opts.deadlineAt - Date.now();
      if (remaining <= 0) break;
      // Watch for changes for a short slice, then read again: covers dropped watches and helm finishing.
      const sliceSeconds = Math.max(1, Math.min(5, Math.floor(remaining / 1000)));
      const watch = await opts.client.watch<WorkloadObject>(
        collection,
        {
          fieldSelector: `metadata.name=${ref.name}`,
          resourceVersion: listed.metadata?.resourceVersion,
          timeoutSeconds: sliceSeconds,
          allowWatchBookmarks: 'true',
        },
        (e) => {
          if (settled) return;
          if (e.type === 'ADDED' || e.type === 'MODIFIED') settled = judge(e.object);
          else if (e.type === 'DELETED') settled = judge(undefined);
          if (settled) watch.stop();
        },
      );
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
    return ended();
  }
}
