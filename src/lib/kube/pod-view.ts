import type { KubeClient } from './client.js';
import type { PodIndex, PodObject, ReplicaSetObject } from './pod-rollout.js';

interface Listed<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

interface Named {
  metadata?: {
    name?: string;
    uid?: string;
    resourceVersion?: string;
    ownerReferences?: { uid?: string; controller?: boolean }[];
  };
}

/**
 * A live copy of one namespace's ReplicaSets and pods (list, then watch), indexed by owner, so the
 * Deployment checks can read pod readiness the moment it changes. It is an accelerator: if it
 * cannot list or watch (RBAC, a dropped connection) it goes quiet and the checks fall back to the
 * workload status alone.
 */
export class PodView implements PodIndex {
  private readonly sets = new Map<string, ReplicaSetObject>();
  private readonly pods = new Map<string, PodObject>();
  /** Pod names by the uid of their controller. */
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly listeners = new Set<() => void>();
  private stopped = false;
  private readonly stops = new Set<() => void>();
  private readonly sleepers = new Set<() => void>();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  start(): void {
    const ns = encodeURIComponent(this.namespace);
    this.loops = [
      this.follow<ReplicaSetObject>(`/apis/apps/v1/namespaces/${ns}/replicasets`, this.sets, undefined),
      this.follow<PodObject>(`/api/v1/namespaces/${ns}/pods`, this.pods, this.byOwner),
    ];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const stop of this.stops) stop();
    for (const wake of this.sleepers) wake();
    await Promise.all(this.loops);
  }

  /** A pause that stop() cuts short, so stopping never waits for it. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  replicaSets(): Iterable<ReplicaSetObject> {
    return this.sets.values();
  }

  *podsOwnedBy(uid: string): Iterable<PodObject> {
    for (const name of this.byOwner.get(uid) ?? []) {
      const pod = this.pods.get(name);
      if (pod) yield pod;
    }
  }

  /** List, then watch from the list's version; on any end of the watch, list again. */
  private async follow<T extends Named>(
    path: string,
    into: Map<string, T>,
    byOwner: Map<string, Set<string>> | undefined,
  ): Promise<void> {
    while (!this.stopped) {
      let listed: Listed<T>;
      try {
        listed = await this.client.get<Listed<T>>(path);
      } catch {
        return; // not allowed or not reachable: the status checks carry on alone
      }
      if (this.stopped) return;
      into.clear();
      byOwner?.clear();
      for (const item of listed.items ?? []) this.put(into, byOwner, item);
      this.changed();
      const watch = await this.client
        .watch<T>(
          path,
          {
            resourceVersion: listed.metadata?.resourceVersion,
            timeoutSeconds: 60,
            allowWatchBookmarks: 'true',
          },
          (e) => {
            if (e.type === 'ADDED' || e.type === 'MODIFIED') this.put(into, byOwner, e.object);
            else if (e.type === 'DELETED') this.remove(into, byOwner, e.object);
            else return;
            this.changed();
          },
        )
        .catch(() => undefined);
      if (!watch) return;
      const since = Date.now();
      this.stops.add(watch.stop);
      if (this.stopped) watch.stop();
      await watch.done;
      this.stops.delete(watch.stop);
      // A watch the server ends at once (an expired version, an error) must not turn into a busy loop.
      if (!this.stopped && Date.now() - since < 1_000) await this.pause(1_000);
    }
  }

  private put<T extends Named>(
    into: Map<string, T>,
    byOwner: Map<string, Set<string>> | undefined,
    item: T,
  ): void {
    const name = item.metadata?.name;
    if (!name) return;
    if (byOwner) this.unindex(byOwner, into.get(name), name);
    into.set(name, item);
    const owner = item.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
    if (byOwner && owner) {
      let names = byOwner.get(owner);
      if (!names) byOwner.set(owner, (names = new Set()));
      names.add(name);
    }
  }

  private remove<T extends Named>(
    into: Map<string, T>,
    byOwner: Map<string, Set<string>> | undefined,
    item: T,
  ): void {
    const name = item.metadata?.name;
    if (!name) return;
    if (byOwner) this.unindex(byOwner, into.get(name), name);
    into.delete(name);
  }

  private unindex(byOwner: Map<string, Set<string>>, old: Named | undefined, name: string): void {
    const owner = old?.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
    if (owner) byOwner.get(owner)?.delete(name);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
